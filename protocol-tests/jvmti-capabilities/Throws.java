/** Throws and catches N exceptions (as shop.Throughput, without the annotation); prints how many per second. */
public class Throws {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Throws t = new Throws();
        t.run(Math.max(1, n / 10));
        long start = System.nanoTime();
        long caught = t.run(n);
        long ns = System.nanoTime() - start;
        System.out.println((long) (n * 1e9 / ns));
    }
    long run(int n) {
        long caught = 0;
        for (int i = 0; i < n; i++) {
            try { check(i); } catch (IllegalArgumentException e) { caught++; }
        }
        return caught;
    }
    static void check(int i) { if (i >= 0) throw new IllegalArgumentException("no " + i); }
}
