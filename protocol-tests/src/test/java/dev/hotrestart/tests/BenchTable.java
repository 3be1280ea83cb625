package dev.hotrestart.tests;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Prints every figure the benchmarks of this run wrote to {@code target/bench/} as one table
 * (run by the {@code bench} profile after them), and writes it to {@code target/bench/summary.md}.
 */
public final class BenchTable {
    private BenchTable() {}

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Bench.DIR;
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        StringBuilder md = new StringBuilder("| figure | measured | baseline (same run) | ratio | JDWP floor (same run) | ÷ floor | target | |\n|---|---|---|---|---|---|---|---|\n");
        int met = 0, missed = 0;
        for (Path p : files) {
            JsonObject bench = DapClient.GSON.fromJson(Files.readString(p), JsonObject.class);
            if (bench == null || !bench.has("figures")) continue;
            JsonArray figures = bench.getAsJsonArray("figures");
            for (JsonElement e : figures) {
                Map<?, ?> row = DapClient.GSON.fromJson(e, Map.class);
                md.append(markdown(row)).append('\n');
                Object m = row.get("met");
                if (Boolean.TRUE.equals(m)) met++;
                if (Boolean.FALSE.equals(m)) missed++;
            }
        }
        md.append("\n").append(met).append(" targets met, ").append(missed).append(" missed.\n");
        System.out.println();
        System.out.println("Benchmarks (" + dir.toAbsolutePath() + "):");
        System.out.println(md);
        if (Files.isDirectory(dir)) Files.writeString(dir.resolve("summary.md"), md.toString());
    }

    /** One figure as a console line. */
    static String line(Map<?, ?> row) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-62s %12s", row.get("figure"), value(row.get("value"), row.get("unit"))));
        if (row.get("baseline") != null) {
            s.append(String.format(Locale.ROOT, "   baseline %s %s, ratio %s", row.get("baseline"),
                    value(row.get("baselineValue"), row.get("unit")), row.get("ratio")));
        }
        if (row.get("floor") != null) {
            s.append(String.format(Locale.ROOT, "   floor %s %s, ratio %s", row.get("floor"),
                    value(row.get("floorValue"), row.get("unit")), row.get("floorRatio")));
        }
        if (row.get("target") != null) s.append("   target ").append(row.get("target")).append(verdict(row.get("met")));
        return s.toString();
    }

    private static String markdown(Map<?, ?> row) {
        String base = row.get("baseline") == null ? "—" : row.get("baseline") + ": " + value(row.get("baselineValue"), row.get("unit"));
        String ratio = row.get("ratio") == null ? "—" : String.valueOf(row.get("ratio"));
        String floor = row.get("floor") == null ? "—" : row.get("floor") + ": " + value(row.get("floorValue"), row.get("unit"));
        String floorRatio = row.get("floorRatio") == null ? "—" : String.valueOf(row.get("floorRatio"));
        return "| " + row.get("figure") + " | " + value(row.get("value"), row.get("unit")) + " | " + base + " | " + ratio + " | "
                + floor + " | " + floorRatio + " | " + (row.get("target") == null ? "—" : row.get("target")) + " | " + verdict(row.get("met")).trim() + " |";
    }

    private static String verdict(Object met) {
        return Boolean.TRUE.equals(met) ? "  met" : Boolean.FALSE.equals(met) ? "  MISSED" : "";
    }

    private static String value(Object v, Object unit) {
        double d = ((Number) v).doubleValue();
        String n = d == Math.rint(d) && Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,d", (long) d) : String.valueOf(d);
        return unit == null || "".equals(unit) ? n : n + " " + unit;
    }
}
