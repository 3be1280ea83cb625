package dev.hotrestart.tests;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixes that add members reload on a standard JVM: new lambdas, method references, helpers,
 * changed signatures, constants, static and instance fields. Each is saved while the program is
 * stopped on the escape, and the restarted method's answer is what the fixed code computes.
 */
class StructuralReloadTest {
    static final String V = ReloadTest.V;
    static final String BODY = "int y = x + 1;";
    static final String MEMBERS = "    static int unused() {";

    /** Each row: what replaces {@code int y = x + 1;}, and the members added before {@code unused()}. */
    @ParameterizedTest(name = "{0} ({1} scope)")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a lambda|class|java.util.function.IntUnaryOperator inc = v -> v + 1;\\n        int y = inc.applyAsInt(x);|",
            "a lambda using this|class|java.util.function.IntSupplier s = () -> this.plusOne(x);\\n        int y = s.getAsInt();|"
                    + "    int plusOne(int v) {\\n        return v + 1;\\n    }\\n",
            "a static helper|class|int y = helper(x);|    private static int helper(int v) {\\n        return v + 1;\\n    }\\n",
            "an instance helper using a field|class|int y = shifted(x);|    private int shifted(int v) {\\n        return v + attempts - attempts + 1;\\n    }\\n",
            "a method reference|class|java.util.function.IntUnaryOperator f = Versions::helper;\\n        int y = f.applyAsInt(x);|"
                    + "    static int helper(int v) {\\n        return v + 1;\\n    }\\n",
            "a changed signature|class|int y = x + unused(1);|    static int unused(int k) {\\n        return k;\\n    }\\n",
            "a constant|class|int y = x + ONE;|    static final int ONE = 1;\\n",
            "a static field with an initializer|class|int y = x + base;|    static int base = Integer.parseInt(\"1\");\\n",
            "a lambda|method|java.util.function.IntUnaryOperator inc = v -> v + 1;\\n        int y = inc.applyAsInt(x);|",
            "a static helper with a lambda and a field|method|int y = helper(x);|    static int step = 1;\\n\\n"
                    + "    private static int helper(int v) {\\n        java.util.function.IntUnaryOperator f = k -> k + step;\\n"
                    + "        return f.applyAsInt(v);\\n    }\\n",
            "an instance helper calling another|method|int y = shifted(x);|    private int shifted(int v) {\\n        return one(v) + attempts - attempts;\\n    }\\n\\n"
                    + "    int one(int v) {\\n        return v + 1;\\n    }\\n",
            "a changed signature|method|int y = x + unused(1);|    static int unused(int k) {\\n        return k;\\n    }\\n",
            "a nested class|class|int y = new Inc().apply(x);|    static class Inc {\\n        int apply(int v) {\\n            return v + 1;\\n        }\\n    }\\n",
            "a private record reading a private field|method|int y = new Step(1).apply(x);|"
                    + "    private record Step(int by) {\\n        int apply(int v) {\\n            return v + by + offset;\\n        }\\n    }\\n",
            "an anonymous class|method|java.util.function.IntUnaryOperator inc = new java.util.function.IntUnaryOperator() {\\n"
                    + "            public int applyAsInt(int v) {\\n                return v + 1 + offset;\\n            }\\n        };\\n"
                    + "        int y = inc.applyAsInt(x);|",
            "an added method called through a new subclass|class|int y = new Sub().twice(x);|    static class Sub extends Versions {\\n    }\\n\\n"
                    + "    int twice(int v) {\\n        return v + 1;\\n    }\\n",
            "a local record|method|record P(int v) {\\n            int next() {\\n                return v + 1;\\n            }\\n        }\\n"
                    + "        int y = new P(x).next();|",
    })
    void anAddedMemberReloads(String kind, String scope, String body, String members) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, BODY, body.replace("\\n", "\n"));
            if (members != null) f.edit(V, MEMBERS, members.replace("\\n", "\n") + "\n" + MEMBERS);
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "scope", scope, "resume", true));
            assertEndsWithoutStopping(s, kind);
            assertTrue(s.dap.stdout().contains("answer=21 label=v1 attempts=2"), kind + ": " + s.dap.stdout());
        }
    }

    /** The program runs to its end; a stop on the way fails with what was thrown. */
    static void assertEndsWithoutStopping(Session s, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!s.dap.sawEvent("exited", b -> true, 100)) {
            if (s.dap.sawEvent("stopped", b -> true, 0)) {
                JsonObject again = s.dap.event("stopped");
                throw new AssertionError(what + ": stopped again: " + s.dap.ok("exceptionInfo", Map.of("threadId", s.threadOf(again))));
            }
            assertTrue(System.currentTimeMillis() < deadline, what + ": the program did not end");
        }
        s.assertExit(0);
    }

    /**
     * A new instance field keeps its value across restarts; a second reload of the method after a
     * structural one still works; two methods reach the same new members.
     */
    @Test
    void anAddedInstanceFieldKeepsItsValueAcrossRestarts() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, MEMBERS, "    int seen;\n\n    int note() {\n        return ++seen;\n    }\n\n" + MEMBERS);
            f.edit(V, "attempts++;", "attempts++;\n        note();\n        System.out.println(\"seen=\" + seen);");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "scope", "class", "resume", true));
            JsonObject stop = s.stopped("exception");
            s.dap.awaitStdout("seen=1"); // the first re-run counts 1
            // a second reload: the new field stays where it was, the method changes again
            f.edit(V, "note();", "note();\n        note();");
            s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "scope", "class", "resume", true));
            stop = s.stopped("exception");
            s.dap.awaitStdout("seen=3"); // the second re-run counts on from 1
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", s.threadOf(stop), "scope", "class", "resume", true));
            s.assertExit(0);
            assertTrue(s.dap.stdout().contains("seen=5") && s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /**
     * An added method is a method like the others to the user: a breakpoint in it stops there,
     * stepping into it arrives in it, its frame and locals read as in the file.
     */
    @Test
    void breakpointsAndStepsReachAnAddedMethod() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, BODY, "int y = helper(x);");
            f.edit(V, MEMBERS, "    private static int helper(int v) {\n        int w = v + 1;\n        return w;\n    }\n\n" + MEMBERS);
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid));
            s.stopped("restart");
            int call = f.line(V, "int y = helper(x);");
            int inside = f.line(V, "int w = v + 1;");
            s.setBreakpoints(V, call);
            s.continueThread(tid);
            JsonObject top = s.topFrame(s.threadOf(s.stopped("breakpoint")));
            assertEquals(call, top.get("line").getAsInt(), top.toString());
            s.dap.ok("stepIn", Map.of("threadId", tid));
            s.stopped("step");
            top = s.topFrame(tid);
            assertEquals("Versions.helper(int)", top.get("name").getAsString(), top.toString());
            assertEquals(inside, top.get("line").getAsInt(), top.toString());
            assertEquals("20", s.locals(top.get("id").getAsInt()).get("v"));
            // a breakpoint set inside it stops there too
            var bps = s.setBreakpoints(V, f.line(V, "return w;"));
            assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean(), bps.toString());
            s.continueThread(tid);
            top = s.topFrame(s.threadOf(s.stopped("breakpoint")));
            assertEquals(f.line(V, "return w;"), top.get("line").getAsInt(), top.toString());
            assertEquals("21", s.locals(top.get("id").getAsInt()).get("w"));
            s.setBreakpoints(V);
            s.continueThread(tid);
            assertEndsWithoutStopping(s, "after the steps");
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /** A method the edit removes stays in the loaded class, with its last body, for code that still calls it. */
    @Test
    void aRemovedMethodIsNoObstacle() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = s.launchUntilEscape();
            f.edit(V, "    static int unused() {\n        return 1;\n    }\n", "");
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "scope", "class", "resume", true));
            assertEndsWithoutStopping(s, "a removed method");
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    static final String LOADED_ANONYMOUS = "Runnable a = new Runnable() {\n            public void run() {\n            }\n        };\n"
            + "        a.run();\n        ";

    /** Stops at the first escape, reloads the method with an anonymous Runnable that runs (so it is loaded), stops again: that thread. */
    static int withALoadedAnonymousClass(Fixture f, Session s) throws Exception {
        int tid = s.launchUntilEscape();
        f.edit(V, BODY, LOADED_ANONYMOUS + BODY);
        s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
        return s.threadOf(s.stopped("exception"));
    }

    /**
     * javac numbers anonymous classes in the order they appear: a new one placed before one that
     * is loaded would take its name. That is refused with both named; placed after, it reloads.
     */
    @Test
    void anAnonymousClassThatWouldRenumberALoadedOneIsNamed() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = withALoadedAnonymousClass(f, s);
            String first = LOADED_ANONYMOUS;
            String second = "java.util.function.IntSupplier b = new java.util.function.IntSupplier() {\n"
                    + "            public int getAsInt() {\n                return 1;\n            }\n        };\n        ";
            f.edit(V, first, second + first);
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertTrue(msg.contains("renumbers") && msg.contains("shop.Versions.1 was a Runnable") && msg.contains("IntSupplier"), msg);
            // after the loaded one, the new one takes a new number
            f.edit(V, second + first, first + second);
            f.edit(V, BODY, "int y = x + b.getAsInt();");
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertEndsWithoutStopping(s, "the anonymous class placed after");
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /**
     * A method-scope reload brings a new helper with an anonymous class that the file declares above
     * a loaded anonymous class: the helper goes after the loaded one, so neither is renumbered, and
     * the method runs with it (compiling the file as saved would have renumbered the loaded one).
     */
    @Test
    void aHelperWithAnAnonymousClassAboveALoadedOneReloadsWithTheMethod() throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = withALoadedAnonymousClass(f, s);
            f.edit(V, MEMBERS, "    static int one() {\n        return new java.util.function.IntSupplier() {\n"
                    + "            public int getAsInt() {\n                return 1;\n            }\n        }.getAsInt();\n    }\n\n" + MEMBERS);
            f.edit(V, BODY, "int y = x + one();");
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            assertEndsWithoutStopping(s, "the helper with its anonymous class");
            assertTrue(s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }

    /** What a reload still cannot change is named, and nothing changes. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "an override|    public String toString() {\\n        return \"v\";\\n    }\\n|overrides or implements java.lang.Object.toString()",
            "a method a new subclass overrides|    int twice(int v) {\\n        return v;\\n    }\\n\\n    static class Sub extends Versions {\\n"
                    + "        int twice(int v) {\\n            return v + 1;\\n        }\\n    }\\n|would override a method the edit adds to shop.Versions",
            "a static initializer that branches|    static int base = Boolean.getBoolean(\"hr.no\") ? 2 : 1;\\n|cannot run on its own",
            "a constructor|    Versions(int k) {\\n    }\\n    Versions() {\\n    }\\n|a constructor was added",
    })
    void whatCannotBeAddedIsNamed(String kind, String members, String expected) throws Exception {
        Fixture f = Fixture.of("hot");
        try (Session s = ReloadTest.versions(f)) {
            int tid = s.launchUntilEscape();
            String original = f.read(V);
            f.edit(V, MEMBERS, members.replace("\\n", "\n") + "\n" + MEMBERS);
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            String msg = s.dap.error("restartFrameWithReload", Map.of("threadId", tid, "scope", "class", "resume", true));
            assertTrue(msg.contains(expected) && msg.contains("restart"), kind + ": " + msg);
            f.write(V, original);
            f.edit(V, ReloadTest.FIX_FROM, ReloadTest.FIX_TO);
            s.dap.ok("restartFrameWithReload", Map.of("threadId", tid, "resume", true));
            s.assertExit(0);
            assertEquals(true, s.dap.stdout().contains("answer=21"), s.dap.stdout());
        }
    }
}
