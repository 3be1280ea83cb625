package dev.hotrestart.jvm;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.connect.ListeningConnector;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** JDI's socket connectors, with errors a person can act on. */
public final class JvmConnector {
    private JvmConnector() {}

    /**
     * Loads the JDI classes an attach uses, so the first attach of this adapter does not load
     * them while the debuggee waits (they are not in the JDK's class data archive: about 70 ms
     * cold). Called in the background once the session is initialized.
     */
    public static void prepare() {
        try {
            find("com.sun.jdi.SocketAttach").defaultArguments();
            ClassLoader loader = VirtualMachine.class.getClassLoader();
            try (InputStream in = JvmConnector.class.getResourceAsStream("jdi-classes.txt")) {
                if (in == null) return;
                for (String name : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (name.isBlank() || name.startsWith("#")) continue;
                    try {
                        Class.forName("com.sun.tools.jdi." + name.strip(), true, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        // another JDK's JDI: skip it
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // only a head start
        }
    }

    public static VirtualMachine attach(String host, int port, int timeoutMs) {
        AttachingConnector connector = find("com.sun.jdi.SocketAttach");
        Map<String, Connector.Argument> args = connector.defaultArguments();
        args.get("hostname").setValue(host);
        args.get("port").setValue(Integer.toString(port));
        args.get("timeout").setValue(Integer.toString(Math.max(timeoutMs, 1)));
        long deadline = System.currentTimeMillis() + Math.max(timeoutMs, 1);
        IOException last = null;
        do {
            long left = deadline - System.currentTimeMillis();
            // refused until now and next to no time left: an attempt now could only run out of time, which says something else
            if (last != null && left < 100) break;
            try {
                return attachWithin(connector, args, Math.max(left, 1));
            } catch (TimeoutException e) {
                throw new UserError(ErrorId.ATTACH_FAILED, "Cannot attach to " + host + ":" + port + ": something listens there but gave no JDWP answer within "
                        + timeoutMs + " ms. Is " + port + " the JVM's debug port (-agentlib:jdwp=transport=dt_socket,server=y,address="
                        + port + ")? Check 'hostName' and 'port', or raise 'timeout' (ms) for a slow JVM.");
            } catch (ConnectException e) {
                last = e; // nobody listening yet: try again until the timeout
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (IOException e) {
                last = e;
                break;
            } catch (IllegalConnectorArgumentsException e) {
                throw new UserError(ErrorId.ATTACH_FAILED, "Cannot attach to " + host + ":" + port + ": " + e.getMessage());
            }
        } while (System.currentTimeMillis() < deadline);
        String why = last == null ? "no answer" : last.getMessage();
        throw new UserError(ErrorId.ATTACH_FAILED, "Cannot attach to " + host + ":" + port + " (" + why + "). Is the JVM running with "
                + "-agentlib:jdwp=transport=dt_socket,server=y,address=" + port + " and is no other debugger attached? "
                + "Check 'hostName' and 'port', or raise 'timeout' (ms).");
    }

    /**
     * JDI's socket attach waits for the JDWP handshake without a time limit (its handshake
     * timeout is 0), so a port where something else listens would hang the session: the attach
     * runs on its own thread and we stop waiting at the deadline. A VM that answers too late
     * is let go at once.
     */
    private static VirtualMachine attachWithin(AttachingConnector connector, Map<String, Connector.Argument> args, long ms)
            throws IOException, IllegalConnectorArgumentsException, TimeoutException {
        CompletableFuture<VirtualMachine> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                VirtualMachine vm = connector.attach(args);
                if (!result.complete(vm)) vm.dispose();
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "jdwp-attach");
        t.setDaemon(true);
        t.start();
        try {
            return result.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (result.completeExceptionally(e)) throw e;
            // it finished just now: its answer, or why it failed
            try {
                return result.join();
            } catch (java.util.concurrent.CompletionException done) {
                throw rethrown(done.getCause());
            }
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while attaching", e);
        }
    }

    /** The attach's failure as the caller takes it. */
    private static IOException rethrown(Throwable cause) throws IllegalConnectorArgumentsException {
        if (cause instanceof IOException io) return io;
        if (cause instanceof IllegalConnectorArgumentsException ia) throw ia;
        if (cause instanceof RuntimeException re) throw re;
        throw new IllegalStateException(cause);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Connector> T find(String name) {
        for (Connector c : Bootstrap.virtualMachineManager().allConnectors()) {
            if (c.name().equals(name)) return (T) c;
        }
        throw new UserError(ErrorId.ADAPTER_RUNTIME, "This JDK has no " + name + " connector; run hotrestart with a full JDK 17 or newer.");
    }

    /** A listening socket the debuggee connects to (server=n), for launches we cannot read the output of. */
    public static final class Listener {
        private final ListeningConnector connector = find("com.sun.jdi.SocketListen");
        private final Map<String, Connector.Argument> args = connector.defaultArguments();
        public final String address;

        public Listener() {
            args.get("localAddress").setValue("127.0.0.1");
            args.get("port").setValue("0");
            try {
                address = connector.startListening(args);
            } catch (IOException | IllegalConnectorArgumentsException e) {
                throw new UserError(ErrorId.LAUNCH_FAILED, "Cannot open a local port for the debuggee to connect to: " + e.getMessage());
            }
        }

        public VirtualMachine accept(int timeoutMs) {
            args.get("timeout").setValue(Integer.toString(timeoutMs));
            try {
                return connector.accept(args);
            } catch (IOException | IllegalConnectorArgumentsException e) {
                throw new UserError(ErrorId.LAUNCH_FAILED, "The debuggee did not connect within " + timeoutMs / 1000 + " s: " + e.getMessage()
                        + ". Did it start in the terminal? Check its output there.");
            } finally {
                try {
                    connector.stopListening(args);
                } catch (IOException | IllegalConnectorArgumentsException ignored) {
                    // already closed
                }
            }
        }
    }
}
