package dev.hotrestart.dap;

import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One DAP conversation over a pair of streams. */
public final class DapConnection {
    private static final Logger LOG = Logger.getLogger(DapConnection.class.getName());

    /**
     * Actions that must happen only once the response of the request being handled is on the
     * wire: sending {@code initialized}, resuming a thread. Requests are handled on the reader
     * thread and LSP4J writes the response on that same thread, so a thread-local suffices.
     */
    private static final ThreadLocal<List<Runnable>> AFTER_RESPONSE = ThreadLocal.withInitial(ArrayList::new);

    private DapConnection() {}

    public static void afterResponse(Runnable action) {
        AFTER_RESPONSE.get().add(action);
    }

    public static void serve(InputStream in, OutputStream out, Runnable onEnd) throws Exception {
        DapServer server = new DapServer();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dap-io");
            t.setDaemon(true);
            return t;
        });
        Launcher<IDebugProtocolClient> launcher = new DebugLauncher.Builder<IDebugProtocolClient>()
                .setLocalService(server)
                .setRemoteInterface(IDebugProtocolClient.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(executor)
                .wrapMessages(DapConnection::runAfterResponses)
                .setExceptionHandler(DapServer::toResponseError)
                .create();
        server.connect(launcher.getRemoteProxy());
        Future<?> listening = launcher.startListening();
        try {
            listening.get();
        } catch (Exception e) {
            LOG.log(Level.FINE, "connection closed", e);
        } finally {
            server.connectionClosed();
            executor.shutdownNow();
            onEnd.run();
        }
    }

    private static MessageConsumer runAfterResponses(MessageConsumer next) {
        return message -> {
            next.consume(message);
            if (message instanceof DebugResponseMessage) {
                List<Runnable> pending = AFTER_RESPONSE.get();
                if (!pending.isEmpty()) {
                    List<Runnable> run = new ArrayList<>(pending);
                    pending.clear();
                    for (Runnable r : run) {
                        try {
                            r.run();
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "after-response action failed", e);
                        }
                    }
                }
            }
        };
    }
}
