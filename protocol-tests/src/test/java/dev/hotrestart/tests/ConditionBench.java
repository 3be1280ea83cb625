package dev.hotrestart.tests;

import com.sun.jdi.LocalVariable;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a conditional breakpoint costs per hit: a loop of N iterations with a breakpoint whose
 * condition reads two locals and is never true, timed by the program itself; the baseline is
 * the same loop under plain java, no debugger. A second figure is the
 * floor any JDI debugger has here: a bare JDI client, no adapter, that on each hit reads the top
 * frame and the same two locals and resumes (the three JDWP round trips a condition needs). A
 * third is a condition that calls two methods of the program per hit, against the one that reads
 * locals. Those are conditions the debugger evaluates (a comment in them keeps them out of the
 * program); the first figure is the same condition compiled into the method, over a loop of
 * {@value #N_COMPILED} iterations, beside plain java running that loop. Prints; does not judge.
 * Run: {@code mvn -pl protocol-tests test -Dtest=ConditionBench -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ConditionBench {
    static final int N = Integer.getInteger("bench.conditions", 20_000);
    static final int N_COMPILED = 50_000_000;
    static final String CONDITION = "total < 0 || i == -1";
    /** The same condition, kept for the debugger to evaluate: a comment keeps it out of the program. */
    static final String EVALUATED = CONDITION + " /* evaluated by the debugger */";
    /** Two calls into the program per hit, never true; timed over a tenth of the hits. */
    static final String CALLS = "Integer.toString(i).isEmpty() /* evaluated by the debugger */";
    private static final Pattern NS = Pattern.compile("n=(\\d+) total=\\d+ ns=(\\d+)");

    @Test
    void conditionsPerSecond() throws Exception {
        Fixture f = Fixture.of("eval");
        double plain = ThroughputBench.median(() -> rate(f.plainJava(List.of(), "evalfix.Loop", Integer.toString(N)), N));
        double floor = ThroughputBench.median(() -> bareJdi(f));
        double plainLong = ThroughputBench.median(() -> rate(f.plainJava(List.of(), "evalfix.Loop", Integer.toString(N_COMPILED)), N_COMPILED));
        double compiled = ThroughputBench.median(() -> run(f, CONDITION, N_COMPILED));
        double conditional = ThroughputBench.median(() -> run(f, EVALUATED, N));
        double calls = ThroughputBench.median(() -> run(f, CALLS, N / 10));
        Bench bench = new Bench("condition");
        bench.figure("compiledConditionHitsPerSec", String.format("condition compiled into the method: hits/s ('%s', never true, %,d hits)",
                        CONDITION, N_COMPILED), compiled, "/s")
                .baseline("plain java, the same loop, no breakpoint", plainLong)
                .floor("a bare JDI client reading the same two locals per hit", floor).target("≥ 1,000,000 /s", compiled >= 1_000_000);
        bench.figure("conditionHitsPerSec", String.format("condition evaluated by the debugger: hits/s ('%s', never true)", CONDITION), conditional, "/s")
                .baseline("plain java, the same loop, no breakpoint", plain)
                .floor("a bare JDI client reading the same two locals per hit", floor).target("≥ 2,000 /s", conditional >= 2000);
        bench.figure("conditionCallsHitsPerSec", String.format("conditional breakpoint hits/s ('%s': two calls into the program)", CALLS), calls, "/s")
                .baseline("the condition reading two locals", conditional).target(null, null);
        bench.figure("jdiFloorHitsPerSec", "bare JDI client, no adapter: frame + two locals + resume per hit", floor, "/s")
                .baseline("plain java, the same loop, no breakpoint", plain).target(null, null);
        bench.write();
    }

    /** The same loop under a plain JDI client: per hit the top frame, one GetValues of the two locals, resume. */
    static double bareJdi(Fixture f) throws Exception {
        BareJdi jdi = BareJdi.start(f, List.of(), "evalfix.Loop", Integer.toString(N));
        VirtualMachine vm = jdi.vm;
        ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
        prepare.addClassFilter("evalfix.Loop");
        prepare.enable();
        // no vm.resume() here: the VM start event's set resumes the JVM below. A resume here as well
        // could come after the class prepare event had suspended it again (JDI delivers the start
        // event late), and the loop (under a millisecond) would run out before its breakpoint is set.
        int line = f.line("evalfix/Loop.java", "BP_COND");
        List<LocalVariable> locals = null;
        long hits = 0;
        events:
        while (true) {
            EventSet set = vm.eventQueue().remove();
            for (Event e : set) {
                if (e instanceof ClassPrepareEvent cp) {
                    ReferenceType t = cp.referenceType();
                    BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(t.locationsOfLine(line).get(0));
                    r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                    r.enable();
                } else if (e instanceof BreakpointEvent bp) {
                    StackFrame frame = bp.thread().frame(0);
                    if (locals == null) locals = List.of(frame.visibleVariableByName("total"), frame.visibleVariableByName("i"));
                    frame.getValues(locals);
                    hits++;
                } else if (e instanceof VMDisconnectEvent) {
                    break events;
                }
            }
            set.resume();
        }
        String out = jdi.output();
        Matcher m = NS.matcher(out);
        assertTrue(m.find() && hits == N, "bare JDI run: " + hits + " hits, output " + out);
        return N / (Long.parseLong(m.group(2)) / 1e9);
    }

    /** Iterations per second of the loop of n, with a breakpoint of that condition (none when null). */
    static double run(Fixture f, String condition, int n) throws Exception {
        try (Session s = Session.start(f, "evalfix.Loop").with("args", List.of(Integer.toString(n)))) {
            s.dap.ok("launch", s.launchArgs);
            s.dap.event("initialized");
            if (condition != null) {
                String file = "evalfix/Loop.java";
                Map<String, Object> bp = Map.of("line", f.line(file, "BP_COND"), "condition", condition);
                s.dap.ok("setBreakpoints", Map.of("source", Map.of("path", f.file(file).toString()), "breakpoints", List.of(bp)));
            }
            s.dap.ok("configurationDone", null);
            s.assertExit(0);
            return rate(s.dap.stdout(), n);
        }
    }

    static double rate(String out, int n) {
        return ThroughputBench.rate(NS, out, n);
    }
}
