package dev.hotrestart.jvm;

import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads the hotrestart agent into a JVM we attached to over JDWP and that runs without it,
 * through the JDK's attach API. That only works for a JVM on this machine, run by the same
 * user, that allows attaching: the JVM listening on the JDWP port is found among the local JVMs
 * (by its listening socket on Linux, else by asking each JVM for its JDWP address).
 */
public final class AgentAttach {
    /** The process behind a JDWP port, or why it cannot take the agent. */
    public record Target(long pid, String failure) {
        public boolean found() {
            return failure == null;
        }
    }

    private AgentAttach() {}

    /**
     * Finds the local JVM listening for JDWP on the port. Call it before the debugger connects:
     * JDWP forgets its listening address once a debugger took the connection.
     */
    public static Target locate(String host, int port, long timeoutMs) {
        if (!isLocal(host)) return new Target(-1, "the JVM runs on another machine (" + host + ")");
        if (ModuleLayer.boot().findModule("jdk.attach").isEmpty()) {
            return new Target(-1, "the JDK running hotrestart has no jdk.attach module");
        }
        return within(timeoutMs, () -> find(port), new Target(-1, "the local JVMs did not answer the attach API within " + timeoutMs + " ms"));
    }

    /** Loads the agent into the process; null when done, else why not. */
    public static String load(Target target, String agentArgs, long timeoutMs) {
        return within(timeoutMs, () -> {
            com.sun.tools.attach.VirtualMachine vm = null;
            try {
                vm = com.sun.tools.attach.VirtualMachine.attach(Long.toString(target.pid()));
                vm.loadAgent(AgentJar.lasting().toString(), agentArgs);
                return null;
            } catch (Exception e) {
                return "process " + target.pid() + " refused the agent: " + e.getMessage();
            } finally {
                if (vm != null) {
                    try {
                        vm.detach();
                    } catch (IOException ignored) {
                        // gone
                    }
                }
            }
        }, "process " + target.pid() + " did not take the agent within " + timeoutMs + " ms");
    }

    /** Runs the work on its own daemon thread (the attach API can block indefinitely) and stops waiting at the deadline. */
    private static <T> T within(long timeoutMs, java.util.function.Supplier<T> work, T late) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "attach-api");
        t.setDaemon(true);
        t.start();
        try {
            return result.get(Math.max(timeoutMs, 1), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            t.interrupt();
            return late;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return late;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Target find(int port) {
        long self = ProcessHandle.current().pid();
        List<VirtualMachineDescriptor> all = new ArrayList<>();
        for (VirtualMachineDescriptor d : com.sun.tools.attach.VirtualMachine.list()) {
            if (!d.id().equals(Long.toString(self))) all.add(d);
        }
        String owner = listeningPid(port);
        if (owner != null) {
            for (VirtualMachineDescriptor d : all) if (d.id().equals(owner)) return new Target(Long.parseLong(owner), null);
            return new Target(-1, "process " + owner + ", which listens on port " + port
                    + ", does not take agents through the attach API (started with -XX:+DisableAttachMechanism?)");
        }
        // no /proc: ask each JVM for its JDWP address
        for (VirtualMachineDescriptor d : all) {
            com.sun.tools.attach.VirtualMachine vm;
            try {
                vm = com.sun.tools.attach.VirtualMachine.attach(d);
            } catch (Exception e) {
                continue;
            }
            try {
                String address = vm.getAgentProperties().getProperty("sun.jdwp.listenerAddress", "");
                if (address.endsWith(":" + port)) return new Target(Long.parseLong(d.id()), null);
            } catch (IOException e) {
                // not this one
            } finally {
                try {
                    vm.detach();
                } catch (IOException ignored) {
                    // gone
                }
            }
        }
        return new Target(-1, "no JVM of this user on this machine that allows attaching listens for JDWP on port " + port);
    }

    private static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * On Linux, the process whose socket has the port as its local port, found through /proc;
     * null when that cannot be told (another system, or a process of another user).
     */
    static String listeningPid(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Paths.get(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
                    // LISTEN (0A) before a debugger connects, ESTABLISHED (01) once JDWP took the connection
                    if (f.length < 10 || !("0A".equals(f[3]) || "01".equals(f[3]))) continue;
                    String local = f[1];
                    int colon = local.lastIndexOf(':');
                    if (colon < 0 || Integer.parseInt(local.substring(colon + 1), 16) != port) continue;
                    inodes.add("socket:[" + f[9] + "]");
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or not readable
            }
        }
        if (inodes.isEmpty()) return null;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Paths.get("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) return proc.getFileName().toString();
                        } catch (IOException ignored) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // another user's process, or gone
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return null;
    }
}
