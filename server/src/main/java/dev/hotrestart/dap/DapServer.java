package dev.hotrestart.dap;

import dev.hotrestart.jvm.AgentJar;
import dev.hotrestart.jvm.JvmConnector;
import dev.hotrestart.session.DebugSession;
import org.eclipse.lsp4j.debug.*;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol surface, kept thin: each request is handed to the {@link DebugSession} on the
 * reader thread, in order, and every failure becomes an error response here.
 */
public final class DapServer implements HotRestartProtocol {
    private static final Logger LOG = Logger.getLogger(DapServer.class.getName());

    private final ServerOptions options;
    private IDebugProtocolClient client;
    private DebugSession session;

    DapServer(ServerOptions options) {
        this.options = options;
    }

    void connect(IDebugProtocolClient client) {
        this.client = client;
    }

    void connectionClosed() {
        if (session != null) session.connectionClosed();
    }

    /**
     * A JRE or a trimmed runtime may lack jdk.jdi. Nothing may touch JDI before this check, or
     * the error escapes as a NoClassDefFoundError that ends the connection without a word.
     */
    private static final boolean HAS_JDI = ModuleLayer.boot().findModule("jdk.jdi").isPresent();

    private static void requireJdi() {
        if (!HAS_JDI) {
            throw new UserError("hotrestart needs the jdk.jdi module, which the Java runtime it runs on (" + System.getProperty("java.home")
                    + ") does not have. Run the adapter with a full JDK 17 or newer, not a JRE or a trimmed runtime.");
        }
    }

    private DebugSession session() {
        requireJdi();
        if (session == null) throw new UserError("The session is not initialized: send 'initialize' first.");
        return session;
    }

    private static <T> CompletableFuture<T> call(Supplier<T> work) {
        return call(work, true);
    }

    /**
     * For requests whose error the client shows in place (a hover, a watch, the variables view)
     * or that an extension reports itself: {@code showUser} false, so VS Code adds no
     * notification of its own.
     */
    private static <T> CompletableFuture<T> quiet(Supplier<T> work) {
        return call(work, false);
    }

    private static <T> CompletableFuture<T> call(Supplier<T> work, boolean showUser) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(new ResponseErrorException(toResponseError(t, showUser)));
        }
    }

    private static CompletableFuture<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    /** The one place an exception becomes a DAP error response. */
    static ResponseError toResponseError(Throwable t, boolean showUser) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) t = t.getCause();
        if (t instanceof ResponseErrorException) return ((ResponseErrorException) t).getResponseError();
        String message;
        if (t instanceof UserError) {
            message = t.getMessage();
        } else if (t instanceof UnsupportedOperationException && t.getMessage() == null) {
            message = "hotrestart does not support this request.";
        } else if (HAS_JDI && t instanceof com.sun.jdi.VMDisconnectedException) {
            message = "The debuggee is no longer connected (it exited or was detached).";
        } else {
            LOG.log(Level.WARNING, "request failed", t);
            message = "Internal error in hotrestart: " + t + " (the session goes on; see the adapter log for details)";
        }
        ResponseError error = new ResponseError(ResponseErrorCode.InternalError, message, null);
        // VS Code shows body.error.format; other clients show the message.
        error.setData(Map.of("error", Map.of("id", 1, "format", message.replace("{", "(").replace("}", ")"), "showUser", showUser)));
        return error;
    }

    @Override
    public CompletableFuture<Capabilities> initialize(InitializeRequestArguments args) {
        return call(() -> {
            requireJdi();
            if (session == null) session = new DebugSession(client, args, options.hoverCalls());
            DapConnection.afterResponse(() -> client.initialized());
            DapConnection.afterResponse(DapServer::prepareForLaunch);
            return DebugSession.capabilities();
        });
    }

    /** Work a launch or attach will need, done while the client sends its next request. */
    private static void prepareForLaunch() {
        java.lang.Thread t = new java.lang.Thread(() -> {
            AgentJar.prepare();
            JvmConnector.prepare();
        }, "launch-preparation");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public CompletableFuture<Void> launch(Map<String, Object> args) {
        return run(() -> session().launch(args));
    }

    @Override
    public CompletableFuture<Void> attach(Map<String, Object> args) {
        return run(() -> session().attach(args));
    }

    @Override
    public CompletableFuture<Void> configurationDone(ConfigurationDoneArguments args) {
        return run(() -> session().configurationDone());
    }

    @Override
    public CompletableFuture<Void> disconnect(DisconnectArguments args) {
        return run(() -> {
            if (session != null) session.disconnect(args); // else there is nothing to end
        });
    }

    @Override
    public CompletableFuture<Void> terminate(TerminateArguments args) {
        return run(() -> session().terminate());
    }

    @Override
    public CompletableFuture<SetBreakpointsResponse> setBreakpoints(SetBreakpointsArguments args) {
        return call(() -> session().setBreakpoints(args));
    }

    @Override
    public CompletableFuture<SetExceptionBreakpointsResponse> setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        return call(() -> session().setExceptionBreakpoints(args));
    }

    @Override
    public CompletableFuture<ThreadsResponse> threads() {
        return call(() -> session().threads());
    }

    @Override
    public CompletableFuture<StackTraceResponse> stackTrace(StackTraceArguments args) {
        return quiet(() -> session().stackTrace(args));
    }

    @Override
    public CompletableFuture<ScopesResponse> scopes(ScopesArguments args) {
        return quiet(() -> session().scopes(args));
    }

    @Override
    public CompletableFuture<VariablesResponse> variables(VariablesArguments args) {
        return quiet(() -> session().variables(args));
    }

    @Override
    public CompletableFuture<SourceResponse> source(SourceArguments args) {
        return quiet(() -> session().source(args));
    }

    @Override
    public CompletableFuture<ContinueResponse> continue_(ContinueArguments args) {
        return call(() -> session().continue_(args));
    }

    @Override
    public CompletableFuture<Void> next(NextArguments args) {
        return run(() -> session().step(args.getThreadId(), com.sun.jdi.request.StepRequest.STEP_OVER));
    }

    @Override
    public CompletableFuture<Void> stepIn(StepInArguments args) {
        return run(() -> session().step(args.getThreadId(), com.sun.jdi.request.StepRequest.STEP_INTO));
    }

    @Override
    public CompletableFuture<Void> stepOut(StepOutArguments args) {
        return run(() -> session().step(args.getThreadId(), com.sun.jdi.request.StepRequest.STEP_OUT));
    }

    @Override
    public CompletableFuture<Void> pause(PauseArguments args) {
        return run(() -> session().pause(args.getThreadId()));
    }

    @Override
    public CompletableFuture<ExceptionInfoResponse> exceptionInfo(ExceptionInfoArguments args) {
        return quiet(() -> session().exceptionInfo(args.getThreadId()));
    }

    @Override
    public CompletableFuture<EvaluateResponse> evaluate(EvaluateArguments args) {
        return quiet(() -> session().evaluate(args));
    }

    @Override
    public CompletableFuture<SetVariableResponse> setVariable(SetVariableArguments args) {
        return call(() -> session().setVariable(args));
    }

    @Override
    public CompletableFuture<SetExpressionResponse> setExpression(SetExpressionArguments args) {
        return call(() -> session().setExpression(args));
    }

    @Override
    public CompletableFuture<CompletionsResponse> completions(CompletionsArguments args) {
        return call(() -> session().completions(args));
    }

    @Override
    public CompletableFuture<Void> restartFrame(RestartFrameArguments args) {
        return run(() -> session().restartFrame(args.getFrameId()));
    }

    @Override
    public CompletableFuture<Map<String, Object>> restartFrameWithReload(RestartFrameWithReloadArguments args) {
        return quiet(() -> session().restartFrameWithReload(args == null ? new RestartFrameWithReloadArguments() : args));
    }

    @Override
    public CompletableFuture<Map<String, Object>> reloadClass(ReloadClassArguments args) {
        return quiet(() -> session().reloadClass(args == null ? new ReloadClassArguments() : args));
    }

    @Override
    public CompletableFuture<Map<String, Object>> propagateException(PropagateExceptionArguments args) {
        return quiet(() -> session().propagateException(args == null ? null : args.threadId));
    }
}
