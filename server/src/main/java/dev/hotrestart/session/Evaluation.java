package dev.hotrestart.session;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.eval.Completions;
import dev.hotrestart.eval.Debuggee;
import dev.hotrestart.eval.Evaluator;
import dev.hotrestart.eval.Specials;
import org.eclipse.lsp4j.debug.CompletionItem;
import org.eclipse.lsp4j.debug.CompletionItemType;
import org.eclipse.lsp4j.debug.CompletionsArguments;
import org.eclipse.lsp4j.debug.CompletionsResponse;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateResponse;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.SetExpressionArguments;
import org.eclipse.lsp4j.debug.SetExpressionResponse;

import java.util.ArrayList;
import java.util.List;

/** evaluate, setExpression and completions: Java expressions in a stopped frame (see docs/expressions.md). */
public final class Evaluation {
    private final ThreadStops stops;
    private final Variables variables;
    private final InitializeRequestArguments clientInfo;
    /** Hover evaluations may call methods (the adapter's --hover-calls). */
    private final boolean hoverCalls;
    private Debuggee debuggee;

    Evaluation(ThreadStops stops, Variables variables, InitializeRequestArguments clientInfo, boolean hoverCalls) {
        this.stops = stops;
        this.variables = variables;
        this.clientInfo = clientInfo;
        this.hoverCalls = hoverCalls;
    }

    void connected(Debuggee debuggee) {
        this.debuggee = debuggee;
    }

    /** An evaluator in the frame at {@code depth}, knowing the stop's $exception and $return. */
    Evaluator evaluator(ThreadReference t, int depth, Evaluator.Mode mode) {
        Stop stop = stops.stop(t);
        return new Evaluator(debuggee, t, depth, mode, stop == null ? null
                : new Specials(stop.exception(), depth == stop.hidden() ? stop.returned() : null));
    }

    public EvaluateResponse evaluate(EvaluateArguments args) {
        ThreadStops.FrameRef ref = stops.requiredFrame(args.getFrameId(), "Evaluation needs");
        String context = args.getContext() == null ? "watch" : args.getContext();
        // hover only reads (unless the adapter runs with --hover-calls); the console may also assign;
        // watch, clipboard and others may call methods
        Evaluator.Mode mode = context.equals("hover") && !hoverCalls ? Evaluator.Mode.READ_ONLY
                : context.equals("repl") ? Evaluator.Mode.ASSIGN : Evaluator.Mode.CALLS;
        Value v = evaluator(ref.thread(), ref.depth(), mode).evaluate(args.getExpression());
        EvaluateResponse r = new EvaluateResponse();
        Shown.of(variables.variable(args.getExpression().trim(), v, ref.thread(), Variables.hex(args.getFormat())))
                .into(r::setResult, r::setType, r::setVariablesReference, r::setIndexedVariables);
        return r;
    }

    /** Assigns a Java expression's value to what another expression names (a watch, a variable's evaluateName). */
    public SetExpressionResponse setExpression(SetExpressionArguments args) {
        ThreadStops.FrameRef ref = stops.requiredFrame(args.getFrameId(), "setExpression needs");
        Value v = evaluator(ref.thread(), ref.depth(), Evaluator.Mode.CALLS).assign(args.getExpression(), args.getValue());
        SetExpressionResponse r = new SetExpressionResponse();
        Shown.of(variables.variable(args.getExpression().trim(), v, ref.thread(), Variables.hex(args.getFormat())))
                .into(r::setValue, r::setType, r::setVariablesReference, r::setIndexedVariables);
        return r;
    }

    /** Proposals for the debug console at the cursor, in the frame's scope. */
    public CompletionsResponse completions(CompletionsArguments args) {
        ThreadStops.FrameRef ref = stops.requiredFrame(args.getFrameId(), "Completions need");
        int base = Boolean.FALSE.equals(clientInfo.getColumnsStartAt1()) ? 0 : 1;
        String text = args.getText() == null ? "" : args.getText();
        int lineBase = Boolean.FALSE.equals(clientInfo.getLinesStartAt1()) ? 0 : 1;
        String[] lines = text.split("\n", -1);
        String line = args.getLine() != null && args.getLine() - lineBase >= 0 && args.getLine() - lineBase < lines.length
                ? lines[args.getLine() - lineBase] : lines[lines.length - 1];
        List<CompletionItem> out = new ArrayList<>();
        for (Completions.Candidate c : Completions.at(debuggee, ref.thread(), ref.depth(), line, args.getColumn() - base)) {
            CompletionItem item = new CompletionItem();
            item.setLabel(c.label());
            item.setText(c.text());
            item.setDetail(MethodLabel.simple(c.detail()));
            item.setStart(c.start() + base);
            item.setLength(c.length());
            item.setType(switch (c.kind()) {
                case VARIABLE -> CompletionItemType.VARIABLE;
                case FIELD -> CompletionItemType.FIELD;
                case METHOD -> CompletionItemType.METHOD;
                case KEYWORD -> CompletionItemType.KEYWORD;
            });
            out.add(item);
        }
        CompletionsResponse r = new CompletionsResponse();
        r.setTargets(out.toArray(new CompletionItem[0]));
        return r;
    }
}
