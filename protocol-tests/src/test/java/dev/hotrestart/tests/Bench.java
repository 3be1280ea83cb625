package dev.hotrestart.tests;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures one benchmark measured, each beside its baseline from the same run. Printed as
 * they come and written to {@code target/bench/<name>.json}; {@link BenchTable} gathers all of
 * them into one table. Benchmarks print; they never fail on noise.
 */
final class Bench {
    static final Path DIR = Path.of("target", "bench");

    private final String name;
    private final List<Map<String, Object>> figures = new ArrayList<>();

    Bench(String name) {
        this.name = name;
        System.out.println();
        System.out.println(name + ":");
    }

    /** A figure; add its baseline and target before the next one. */
    Figure figure(String key, String what, double value, String unit) {
        Figure f = new Figure(key, what, value, unit);
        figures.add(f.row);
        return f;
    }

    void write() throws IOException {
        Files.createDirectories(DIR);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", name);
        out.put("debuggeeJava", Fixture.debuggeeFeature());
        out.put("figures", figures);
        Files.writeString(DIR.resolve(name + ".json"), DapClient.GSON.toJson(out));
    }

    final class Figure {
        final Map<String, Object> row = new LinkedHashMap<>();
        private final double value;

        private Figure(String key, String what, double value, String unit) {
            this.value = value;
            row.put("key", key);
            row.put("figure", what);
            row.put("value", round(value));
            row.put("unit", unit);
        }

        /** What the figure is compared with, measured in the same run; the ratio is value ÷ baseline. */
        Figure baseline(String what, double baseline) {
            row.put("baseline", what);
            row.put("baselineValue", round(baseline));
            row.put("ratio", new BigDecimal(value / baseline).round(new MathContext(4)).doubleValue());
            return this;
        }

        /**
         * Where a debugger is involved, the floor of any JDWP debugger measured in the same run: a
         * bare JDI client doing the minimum the figure needs. The ratio is value ÷ floor.
         */
        Figure floor(String what, double floor) {
            row.put("floor", what);
            row.put("floorValue", round(floor));
            row.put("floorRatio", new BigDecimal(value / floor).round(new MathContext(4)).doubleValue());
            return this;
        }

        /** The ratio to the baseline measured otherwise than from the two medians (e.g. the median of paired runs' ratios). */
        Figure ratio(double r) {
            row.put("ratio", new BigDecimal(r).round(new MathContext(4)).doubleValue());
            return this;
        }

        /** As {@link #ratio}, to the floor. */
        Figure floorRatio(double r) {
            row.put("floorRatio", new BigDecimal(r).round(new MathContext(4)).doubleValue());
            return this;
        }

        /** The target as the issue states it, and whether this run met it (null: for the record). */
        Figure target(String text, Boolean met) {
            row.put("target", text);
            row.put("met", met);
            System.out.println("  " + BenchTable.line(row));
            return this;
        }

        double ratio() {
            return (Double) row.get("ratio");
        }
    }

    static double round(double v) {
        return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100.0;
    }

    static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        return s.get(s.size() / 2);
    }

    static double percentile(List<Double> values, double p) {
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        return s.get(Math.max(0, (int) Math.ceil(s.size() * p) - 1));
    }

    static double ms(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e6;
    }
}
