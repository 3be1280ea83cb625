package dev.hotrestart.tests;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Bootstrap;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The floor of any JDWP debugger, for the benchmarks: a program started with JDWP (suspended) on
 * the debuggee JDK, and a bare JDI client, no adapter, attached to it. The client does only what
 * its caller asks of {@link #vm}; {@link #runToEnd} resumes every event set until the program ends.
 */
final class BareJdi {
    final VirtualMachine vm;
    private final Process process;
    private final CompletableFuture<String> output;

    private BareJdi(VirtualMachine vm, Process process, CompletableFuture<String> output) {
        this.vm = vm;
        this.process = process;
        this.output = output;
    }

    /** Starts {@code mainClass} of the fixture under JDWP with {@code vmArgs} and attaches; the program waits to be resumed. */
    static BareJdi start(Fixture f, List<String> vmArgs, String mainClass, String... args) throws IOException {
        return start(Fixture.debuggeeJavaHome(), f, vmArgs, mainClass, args);
    }

    /** As {@link #start(Fixture, List, String, String...)}, on the JDK in {@code jdk}. */
    static BareJdi start(java.nio.file.Path jdk, Fixture f, List<String> vmArgs, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(),
                "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:0"));
        cmd.addAll(vmArgs);
        cmd.addAll(List.of("-cp", f.classPath(), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        Matcher port = Pattern.compile("address: .*?(\\d+)\\s*$").matcher(first == null ? "" : first);
        assertTrue(port.find(), "no JDWP address in: " + first);
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
            StringBuilder b = new StringBuilder();
            out.lines().forEach(l -> b.append(l).append('\n'));
            return b.toString();
        });
        AttachingConnector c = Bootstrap.virtualMachineManager().attachingConnectors().stream()
                .filter(a -> a.transport().name().equals("dt_socket")).findFirst().orElseThrow();
        Map<String, Connector.Argument> connect = c.defaultArguments();
        connect.get("hostname").setValue("127.0.0.1");
        connect.get("port").setValue(port.group(1));
        try {
            return new BareJdi(c.attach(connect), p, rest);
        } catch (com.sun.jdi.connect.IllegalConnectorArgumentsException e) {
            p.destroy();
            throw new IOException(e);
        }
    }

    /** Resumes the program and every event set after it, until it ends; what it printed. */
    String runToEnd() throws Exception {
        // no vm.resume(): the VM start event's set resumes the program
        events:
        while (true) {
            EventSet set = vm.eventQueue().remove();
            for (Event e : set) if (e instanceof VMDisconnectEvent) break events;
            set.resume();
        }
        return output();
    }

    /**
     * Runs the program to {@code line} of {@code className} (a breakpoint that suspends its thread
     * alone, then deleted) and returns that thread, suspended there.
     */
    ThreadReference stopAt(String className, int line) throws InterruptedException, AbsentInformationException {
        ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
        prepare.addClassFilter(className);
        prepare.enable();
        while (true) {
            EventSet set = vm.eventQueue().remove();
            for (Event e : set) {
                if (e instanceof ClassPrepareEvent cp) {
                    BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(cp.referenceType().locationsOfLine(line).get(0));
                    r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                    r.enable();
                } else if (e instanceof BreakpointEvent bp) {
                    vm.eventRequestManager().deleteEventRequest(bp.request());
                    return bp.thread();
                } else if (e instanceof VMDisconnectEvent) {
                    throw new AssertionError("the program ended before " + className + ":" + line);
                }
            }
            set.resume();
        }
    }

    /** Ends the program. */
    void kill() {
        process.destroyForcibly();
    }

    /** What the program printed, once it has ended. */
    String output() throws InterruptedException, ExecutionException {
        process.waitFor();
        return output.get();
    }
}
