package demo;

import java.util.List;

public class Receipt {
    public static void main(String[] args) {
        List<String> lines = List.of("apple 3", "pear 2", "plum x4");
        System.out.println("items on the receipt: " + count(lines));
    }

    @HotRestart
    static int count(List<String> lines) {
        int sum = 0;
        for (String line : lines) {
            String n = line.substring(line.indexOf(' ') + 1);
            if (!n.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not a number: " + n);
            }
            sum += Integer.parseInt(n);
        }
        return sum;
    }
}
