package shop;

import dev.hotrestart.HotRestart;

/** Totals the day's orders. Buy four items or more and the cheapest one is free. */
public class Checkout {
    private int processed;
    private int revenue;

    public static void main(String[] args) {
        int[][] orders = {
            {1250, 899},            // a book and a mug
            {4999},                 // headphones
            {350, 350, 350},        // three coffees
            {1999, 2999, 499, 799}, // four items: the cheapest is free
            {2500, 1200},           // a lamp and a bulb
        };
        Checkout checkout = new Checkout();
        for (int[] prices : orders) {
            checkout.process(prices);
        }
        System.out.println(checkout.processed + " orders, revenue " + money(checkout.revenue));
    }

    void process(int[] prices) {
        int total = total(prices);
        processed++;
        revenue += total;
        System.out.println("order " + processed + ": " + money(total));
    }

    @HotRestart
    int total(int[] prices) {
        int sum = 0;
        for (int price : prices) {
            sum += price;
        }
        if (prices.length >= 4) {
            int cheapest = prices[0];
            for (int i = 1; i <= prices.length; i++) {
                cheapest = Math.min(cheapest, prices[i]);
            }
            sum -= cheapest;
        }
        return sum;
    }

    static String money(int cents) {
        return String.format("$%d.%02d", cents / 100, cents % 100);
    }
}
