package dev.hotrestart.dap;

import dev.hotrestart.base.AfterResponse;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import dev.hotrestart.jvm.AgentJar;
import dev.hotrestart.jvm.JvmConnector;
import dev.hotrestart.session.DebugSession;
import dev.hotrestart.session.HotRestartClient;
import org.eclipse.lsp4j.debug.*;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The protocol surface, kept thin: each request is handed, on the reader thread and in order, to
 * the session's family for it ({@link DebugSession}) under the session's lock, and every failure
 * becomes an error response here, with its {@link ErrorId}.
 */
public final class DapServer implements HotRestartProtocol {
    private static final Logger LOG = Logger.getLogger(DapServer.class.getName());

    private final ServerOptions options;
    private HotRestartClient client;
    private DebugSession session;

    DapServer(ServerOptions options) {
        this.options = options;
    }

    void connect(HotRestartClient client) {
        this.client = client;
    }

    void connectionClosed() {
        if (session != null) session.locked(() -> {
            session.startUp().connectionClosed();
            return null;
        });
    }

    /**
     * A JRE or a trimmed runtime may lack jdk.jdi. Nothing may touch JDI before this check, or
     * the error escapes as a NoClassDefFoundError that ends the connection without a word.
     */
    private static final boolean HAS_JDI = ModuleLayer.boot().findModule("jdk.jdi").isPresent();

    private static void requireJdi() {
        if (!HAS_JDI) {
            throw new UserError(ErrorId.ADAPTER_RUNTIME, "hotrestart needs the jdk.jdi module, which the Java runtime it runs on (" + System.getProperty("java.home")
                    + ") does not have. Run the adapter with a full JDK 17 or newer, not a JRE or a trimmed runtime.");
        }
    }

    private DebugSession session() {
        requireJdi();
        if (session == null) throw new UserError(ErrorId.WRONG_ORDER, "The session is not initialized: send 'initialize' first.");
        return session;
    }

    /** Handles a request under the session's lock: events and requests never interleave. */
    private <T> T locked(Supplier<T> request) {
        return session().locked(request);
    }

    private void locked(Runnable request) {
        session().locked(() -> {
            request.run();
            return null;
        });
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
        ErrorId id;
        if (t instanceof UserError u) {
            message = u.getMessage();
            id = u.id();
        } else if (t instanceof UnsupportedOperationException && t.getMessage() == null) {
            message = "hotrestart does not support this request.";
            id = ErrorId.UNSUPPORTED;
        } else if (HAS_JDI && t instanceof com.sun.jdi.VMDisconnectedException) {
            message = "The debuggee is no longer connected (it exited or was detached).";
            id = ErrorId.DEBUGGEE_GONE;
        } else {
            LOG.log(Level.WARNING, "request failed", t);
            message = "Internal error in hotrestart: " + t + " (the session goes on; see the adapter log for details)";
            id = ErrorId.INTERNAL;
        }
        ResponseError error = new ResponseError(ResponseErrorCode.InternalError, message, null);
        // VS Code shows body.error.format; other clients show the message; clients act on the id.
        error.setData(Map.of("error", Map.of("id", id.id, "format", message.replace("{", "(").replace("}", ")"), "showUser", showUser)));
        return error;
    }

    @Override
    public CompletableFuture<Capabilities> initialize(InitializeRequestArguments args) {
        return call(() -> {
            requireJdi();
            if (session == null) session = new DebugSession(client, args, options.hoverCalls());
            AfterResponse.run(() -> client.initialized());
            AfterResponse.run(DapServer::prepareForLaunch);
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
        return run(() -> locked(() -> session().startUp().launch(args)));
    }

    @Override
    public CompletableFuture<Void> attach(Map<String, Object> args) {
        return run(() -> locked(() -> session().startUp().attach(args)));
    }

    @Override
    public CompletableFuture<Void> configurationDone(ConfigurationDoneArguments args) {
        return run(() -> locked(() -> session().startUp().configurationDone()));
    }

    @Override
    public CompletableFuture<Void> disconnect(DisconnectArguments args) {
        return run(() -> {
            if (session != null) session.locked(() -> { session.startUp().disconnect(args); return null; }); // else there is nothing to end
        });
    }

    @Override
    public CompletableFuture<Void> terminate(TerminateArguments args) {
        return run(() -> locked(() -> session().startUp().terminate()));
    }

    @Override
    public CompletableFuture<SetBreakpointsResponse> setBreakpoints(SetBreakpointsArguments args) {
        return call(() -> locked(() -> session().breakpoints().setBreakpoints(args)));
    }

    @Override
    public CompletableFuture<BreakpointLocationsResponse> breakpointLocations(BreakpointLocationsArguments args) {
        return call(() -> locked(() -> session().breakpoints().breakpointLocations(args)));
    }

    @Override
    public CompletableFuture<SetExceptionBreakpointsResponse> setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        return call(() -> locked(() -> session().breakpoints().setExceptionBreakpoints(args)));
    }

    @Override
    public CompletableFuture<SetFunctionBreakpointsResponse> setFunctionBreakpoints(SetFunctionBreakpointsArguments args) {
        return call(() -> locked(() -> session().functionBreakpoints().setFunctionBreakpoints(args)));
    }

    @Override
    public CompletableFuture<DataBreakpointInfoResponse> dataBreakpointInfo(DataBreakpointInfoArguments args) {
        return quiet(() -> locked(() -> session().dataBreakpoints().dataBreakpointInfo(args)));
    }

    @Override
    public CompletableFuture<SetDataBreakpointsResponse> setDataBreakpoints(SetDataBreakpointsArguments args) {
        return call(() -> locked(() -> session().dataBreakpoints().setDataBreakpoints(args)));
    }

    @Override
    public CompletableFuture<ThreadsResponse> threads() {
        return call(() -> locked(() -> session().threads()));
    }

    @Override
    public CompletableFuture<StackTraceResponse> stackTrace(StackTraceArguments args) {
        return quiet(() -> locked(() -> session().stacks().stackTrace(args)));
    }

    @Override
    public CompletableFuture<ScopesResponse> scopes(ScopesArguments args) {
        return quiet(() -> locked(() -> session().variables().scopes(args)));
    }

    @Override
    public CompletableFuture<VariablesResponse> variables(VariablesArguments args) {
        return quiet(() -> locked(() -> session().variables().variables(args)));
    }

    @Override
    public CompletableFuture<SourceResponse> source(SourceArguments args) {
        return quiet(() -> locked(() -> session().stacks().source(args)));
    }

    @Override
    public CompletableFuture<ContinueResponse> continue_(ContinueArguments args) {
        return call(() -> locked(() -> session().run().continue_(args)));
    }

    @Override
    public CompletableFuture<Void> next(NextArguments args) {
        return run(() -> locked(() -> session().run().step(args.getThreadId(), com.sun.jdi.request.StepRequest.STEP_OVER, Boolean.TRUE.equals(args.getSingleThread()))));
    }

    @Override
    public CompletableFuture<Void> stepIn(StepInArguments args) {
        return run(() -> locked(() -> session().run().stepIn(args.getThreadId(), args.getTargetId(), Boolean.TRUE.equals(args.getSingleThread()))));
    }

    @Override
    public CompletableFuture<StepInTargetsResponse> stepInTargets(StepInTargetsArguments args) {
        return call(() -> locked(() -> session().stepInTargets(args)));
    }

    @Override
    public CompletableFuture<Void> stepOut(StepOutArguments args) {
        return run(() -> locked(() -> session().run().step(args.getThreadId(), com.sun.jdi.request.StepRequest.STEP_OUT, Boolean.TRUE.equals(args.getSingleThread()))));
    }

    @Override
    public CompletableFuture<Void> pause(PauseArguments args) {
        return run(() -> locked(() -> session().run().pause(args.getThreadId())));
    }

    @Override
    public CompletableFuture<ExceptionInfoResponse> exceptionInfo(ExceptionInfoArguments args) {
        return quiet(() -> locked(() -> session().stacks().exceptionInfo(args.getThreadId())));
    }

    @Override
    public CompletableFuture<EvaluateResponse> evaluate(EvaluateArguments args) {
        return quiet(() -> locked(() -> session().evaluation().evaluate(args)));
    }

    @Override
    public CompletableFuture<SetVariableResponse> setVariable(SetVariableArguments args) {
        return call(() -> locked(() -> session().variables().setVariable(args)));
    }

    @Override
    public CompletableFuture<SetExpressionResponse> setExpression(SetExpressionArguments args) {
        return call(() -> locked(() -> session().evaluation().setExpression(args)));
    }

    @Override
    public CompletableFuture<CompletionsResponse> completions(CompletionsArguments args) {
        return call(() -> locked(() -> session().evaluation().completions(args)));
    }

    @Override
    public CompletableFuture<Void> restartFrame(RestartFrameArguments args) {
        return run(() -> locked(() -> session().hotRestart().restartFrame(args.getFrameId())));
    }

    @Override
    public CompletableFuture<Map<String, Object>> restartFrameWithReload(RestartFrameWithReloadArguments args) {
        RestartFrameWithReloadArguments a = args == null ? new RestartFrameWithReloadArguments() : args;
        return quiet(() -> locked(() -> session().hotRestart().restartFrameWithReload(a.frameId, a.threadId, a.scope,
                Boolean.TRUE.equals(a.resume))));
    }

    @Override
    public CompletableFuture<Map<String, Object>> reloadClass(ReloadClassArguments args) {
        ReloadClassArguments a = args == null ? new ReloadClassArguments() : args;
        return quiet(() -> locked(() -> session().hotRestart().reloadClass(a.source == null ? null : a.source.getPath(), a.className)));
    }

    @Override
    public CompletableFuture<Map<String, Object>> propagateException(PropagateExceptionArguments args) {
        return quiet(() -> locked(() -> session().hotRestart().propagateException(args == null ? null : args.threadId)));
    }
}
