package dev.hotrestart;

import com.google.gson.GsonBuilder;
import dev.hotrestart.session.Attribute;
import dev.hotrestart.dap.DapConnection;
import dev.hotrestart.dap.ServerOptions;
import dev.hotrestart.demo.Demo;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/** Command line: DAP on stdio (default) or on 127.0.0.1:N with {@code --port N}. */
public final class Main {
    private Main() {}

    public static String version() {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException ignored) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo")) {
            System.exit(Demo.run(Arrays.copyOfRange(args, 1, args.length), Main.class));
        }
        Integer port = null;
        String logFile = null;
        boolean hoverCalls = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--write-agent":
                    if (i + 1 >= args.length) fail("--write-agent needs a file name, e.g. hotrestart-agent.jar");
                    java.nio.file.Files.copy(dev.hotrestart.jvm.AgentJar.path(), java.nio.file.Path.of(args[i + 1]),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    System.out.println("Wrote the hotrestart agent to " + args[i + 1]);
                    return;
                case "--version":
                    System.out.println("hotrestart " + version());
                    return;
                case "--schema":
                    System.out.println(schemaJson());
                    return;
                case "--help":
                case "-h":
                    System.out.println("usage: java -jar hotrestart-server.jar [--port N] [--log FILE] [--hover-calls] [--version] [--schema]\n"
                            + "       java -jar hotrestart-server.jar demo [--keep]\n"
                            + "  speaks the Debug Adapter Protocol on stdin/stdout, or on 127.0.0.1:N with --port N\n"
                            + "  (N=0 picks a free port and prints 'Listening on port N')\n"
                            + "  --hover-calls lets hovers call methods (getters); without it a hover only reads\n"
                            + "  --schema prints the JSON schema of the launch and attach attributes\n"
                            + "  demo runs a whole debug session against a sample program and prints it");
                    return;
                case "--port":
                    port = parsePort(args, ++i);
                    break;
                case "--hover-calls":
                    hoverCalls = true;
                    break;
                case "--log":
                    if (i + 1 >= args.length) fail("--log needs a file name");
                    logFile = args[++i];
                    break;
                default:
                    fail("unknown argument '" + args[i] + "' (try --help)");
            }
        }
        PrintStream protocolOut = System.out;
        ServerOptions options = new ServerOptions(hoverCalls);
        configureLogging(logFile);
        if (port == null) {
            // Nothing but protocol may reach stdout: stray prints go to stderr.
            System.setOut(new PrintStream(new FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8));
            DapConnection.serve(System.in, protocolOut, options, () -> { });
            System.exit(0);
        } else {
            serveTcp(port, protocolOut, options);
        }
    }

    /** The launch and attach attributes as JSON schema, for editor integrations and the docs. */
    static String schemaJson() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("launch", Attribute.schema(true));
        schema.put("attach", Attribute.schema(false));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(schema);
    }

    private static int parsePort(String[] args, int i) {
        if (i >= args.length) fail("--port needs a number (0 picks a free port)");
        try {
            int p = Integer.parseInt(args[i]);
            if (p < 0 || p > 65535) fail("--port must be between 0 and 65535, got " + p);
            return p;
        } catch (NumberFormatException e) {
            fail("--port needs a number, got '" + args[i] + "'");
            return -1;
        }
    }

    private static void serveTcp(int port, PrintStream out, ServerOptions options) throws IOException {
        ServerSocket server;
        try {
            server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            fail("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
                    + " (is another program using it? use --port 0 to pick a free port)");
            return;
        }
        out.println("Listening on port " + server.getLocalPort());
        out.flush();
        Logger log = Logger.getLogger("hotrestart");
        while (true) {
            Socket socket = server.accept();
            socket.setTcpNoDelay(true);
            Thread t = new Thread(() -> {
                try (socket) {
                    InputStream in = socket.getInputStream();
                    OutputStream o = socket.getOutputStream();
                    DapConnection.serve(in, o, options, () -> { });
                } catch (Exception e) {
                    log.log(Level.WARNING, "session ended with an error", e);
                }
            }, "dap-session-" + socket.getPort());
            t.start();
        }
    }

    private static void configureLogging(String logFile) throws IOException {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) root.removeHandler(h);
        Handler handler;
        if (logFile != null) {
            handler = new StreamHandler(new FileOutputStream(logFile, true), new SimpleFormatter()) {
                @Override
                public synchronized void publish(java.util.logging.LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
        } else {
            handler = new ConsoleHandler(); // stderr
        }
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Boolean.getBoolean("hotrestart.debug") ? Level.FINE : Level.INFO);
    }

    private static void fail(String message) {
        System.err.println("hotrestart: " + message);
        System.exit(2);
    }
}
