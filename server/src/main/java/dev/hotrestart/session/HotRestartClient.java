package dev.hotrestart.session;

import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;

import java.util.Map;

/** The events the adapter sends the client: DAP's, and its own. */
public interface HotRestartClient extends IDebugProtocolClient {
    /**
     * After each reload (a restart with reload, continue on an escape, reloadClass): the compile
     * errors of the failed one, each {@code {path, line, column, message}}, or none when it
     * succeeded or failed for another reason; {@code errorId} and {@code message} on failure. An
     * editor can show them where it shows compile errors, whatever started the reload.
     */
    @JsonNotification("reloadDiagnostics")
    void reloadDiagnostics(Map<String, Object> body);
}
