package dev.hotrestart.dap;

import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The standard DAP requests plus the hot restart requests of the contract. */
public interface HotRestartProtocol extends IDebugProtocolServer {

    @JsonRequest("restartFrameWithReload")
    CompletableFuture<Map<String, Object>> restartFrameWithReload(RestartFrameWithReloadArguments args);

    /** The literal alias the contract accepts. */
    @JsonRequest("restartFrame-with-reload")
    default CompletableFuture<Map<String, Object>> restartFrameWithReloadAlias(RestartFrameWithReloadArguments args) {
        return restartFrameWithReload(args);
    }

    @JsonRequest("reloadClass")
    CompletableFuture<Map<String, Object>> reloadClass(ReloadClassArguments args);

    @JsonRequest("propagateException")
    CompletableFuture<Map<String, Object>> propagateException(PropagateExceptionArguments args);

    final class RestartFrameWithReloadArguments {
        public Integer frameId;
        public Integer threadId;
        public String scope;
        public Boolean resume;
    }

    final class ReloadClassArguments {
        public org.eclipse.lsp4j.debug.Source source;
        public String className;
    }

    final class PropagateExceptionArguments {
        public Integer threadId;
    }
}
