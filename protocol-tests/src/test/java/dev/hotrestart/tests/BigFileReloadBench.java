package dev.hotrestart.tests;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/**
 * A reload of one method in a generated 10,000-line file beside the same in the 30-line sample
 * (shop.Slow): the first reload 3 s after the stop and the warm median of the reloads after it.
 * Run: {@code mvn -pl protocol-tests test -P 'bench,!debuggee-jdk25' -Dtest=BigFileReloadBench}; with
 * {@code -Dbench.jfr=FILE} the adapter of the big file's session records itself with Flight Recorder. The adapter is
 * started as the launcher script starts it.
 */
class BigFileReloadBench {
    static final int LINES = Integer.getInteger("bench.bigFileLines", 10_000);
    static final int CYCLES = Integer.getInteger("bench.cycles", 30);

    @Test
    void aMethodInA10000LineFileAgainstOneInTheSmallSample() throws Exception {
        Fixture big = Fixture.generated("big", Map.of("big/Big.java", source(LINES)));
        Fixture small = Fixture.of("hot");
        String jfr = System.getProperty("bench.jfr");
        // the adapter as the launcher script and the VS Code extension start it (its JVM options, its class-data archive)
        java.nio.file.Path cache = Fixture.tempDir("hotrestart-bench-cache-");
        ReloadBench.cycles(small, DapClient.viaScript(cache), 2, 0, "shop/Slow.java", "shop.Slow", "1"); // writes the archive
        ReloadBench.Cycles b = ReloadBench.cycles(big, DapClient.viaScript(cache, jfr == null ? Map.of()
                : Map.of("HOTRESTART_JVM_OPTIONS", "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile")),
                CYCLES, 3000, "big/Big.java", "big.Big", "1");
        ReloadBench.Cycles s = ReloadBench.cycles(small, DapClient.viaScript(cache), CYCLES, 3000, "shop/Slow.java", "shop.Slow", "1");
        Bench bench = new Bench("bigFile");
        bench.figure("bigFirstMs", "reload of a method in a " + LINES + "-line file: first, 3 s after the stop", b.first(), "ms")
                .baseline("the same in the 30-line sample", s.first()).target("≤ 60 ms", b.first() <= 60);
        double median = Bench.median(b.warm());
        bench.figure("bigWarmMedianMs", "reload of a method in a " + LINES + "-line file: warm median of " + b.warm().size(), median, "ms")
                .baseline("the same in the 30-line sample", Bench.median(s.warm()))
                .floor("a bare JDI client redefining the class with javac's bytes of the edit (the JVM's own part)", Bench.median(bareRedefines(big)))
                .target("≤ 25 ms", median <= 25);
        bench.write();
    }

    /**
     * The JVM's part of each reload, the floor under any debugger: a bare JDI client, the program
     * stopped in the wrapped method, redefines the class with javac's bytes of two edits in turn
     * (compiled beforehand); the times of the cycles after five.
     */
    static List<Double> bareRedefines(Fixture f) throws Exception {
        List<byte[]> edits = new java.util.ArrayList<>();
        for (String v : List.of("v1", "v2")) {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bigedit");
            java.nio.file.Path src = java.nio.file.Files.createDirectories(dir.resolve("big")).resolve("Big.java");
            java.nio.file.Files.writeString(src, source(LINES).replace("\"v0\"", "\"" + v + "\""));
            int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-g", "--release", "17", "-cp", f.classPath(),
                    "-d", dir.toString(), src.toString());
            if (rc != 0) throw new AssertionError("the edit does not compile");
            edits.add(java.nio.file.Files.readAllBytes(dir.resolve("big/Big.class")));
        }
        String text = source(LINES);
        int line = (int) text.substring(0, text.indexOf("String version = ")).chars().filter(c -> c == '\n').count() + 1;
        BareJdi jdi = BareJdi.start(f, List.of(), "big.Big");
        try {
            jdi.stopAt("big.Big", line);
            com.sun.jdi.ReferenceType type = jdi.vm.classesByName("big.Big").get(0);
            List<Double> out = new java.util.ArrayList<>();
            for (int i = 0; i < CYCLES + 5; i++) {
                long t = System.nanoTime();
                jdi.vm.redefineClasses(Map.of(type, edits.get(i % 2)));
                if (i >= 5) out.add(Bench.ms(t));
            }
            return out;
        } finally {
            jdi.kill();
        }
    }

    /** A class of about {@code lines} lines: many small methods, and a wrapped one that fails with "v0". */
    static String source(int lines) {
        StringBuilder b = new StringBuilder("package big;\n\nimport dev.hotrestart.HotRestart;\n\npublic class Big {\n");
        b.append("    public static void main(String[] args) {\n        long sum = 0;\n");
        b.append("        for (int i = 0; i < 1000; i++) sum += m0(i) + m1(i);\n");
        b.append("        System.out.println(\"report \" + new Big().report(sum));\n    }\n\n");
        b.append("    @HotRestart\n    String report(long sum) {\n        String version = \"v0\";\n");
        b.append("        if (!version.equals(\"done\")) {\n            throw new IllegalStateException(version + \" after \" + sum);\n        }\n");
        b.append("        return version;\n    }\n");
        for (int k = 0; b.chars().filter(c -> c == '\n').count() < lines - 10; k++) {
            b.append("\n    static int m").append(k).append("(int x) {\n");
            b.append("        int a = x + ").append(k).append(";\n");
            b.append("        if (a % 3 == 0) {\n            a = a * 2;\n        } else {\n            a = a - 1;\n        }\n");
            b.append("        return a;\n    }\n");
        }
        return b.append("}\n").toString();
    }
}
