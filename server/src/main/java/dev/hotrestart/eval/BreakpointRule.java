package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.NameExpr;
import com.sun.jdi.Location;
import com.sun.jdi.Value;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a line breakpoint does when hit: its condition, hit count and log message, parsed once
 * when the breakpoint is set. A condition that does not parse is refused then, and one that does
 * not type-check where the breakpoint's code is, once its class is loaded; one that fails at a
 * hit anyway, or throws, stops the thread and says so — it is never taken as true.
 */
public final class BreakpointRule {
    private static final Pattern HIT = Pattern.compile("\\s*(==|>=|>|<=|<|%)?\\s*(\\d+)\\s*");

    private final String conditionText;
    private final Expression condition;
    private final String hitOp;
    private final long hitN;
    /** Literal text (String) and {expression} parts (Expression), in order. */
    private final List<Object> log;
    private long hits;
    /** The locals the condition and message name, read in one round trip per hit. */
    private final LocalsAhead locals;

    /**
     * What the hit comes to. {@code problem}: why a condition stopped the thread, in a sentence;
     * {@code thrown}: the class of the exception it threw, when the program made one.
     */
    public record Decision(boolean stop, String log, String problem, String thrown, String conditionError) {}

    private static final Decision GO_ON = new Decision(false, null, null, null, null);
    private static final Decision STOP = new Decision(true, null, null, null, null);

    private BreakpointRule(String conditionText, Expression condition, String hitOp, long hitN, List<Object> log) {
        this.conditionText = conditionText;
        this.condition = condition;
        this.hitOp = hitOp;
        this.hitN = hitN;
        this.log = log;
        Set<String> names = new HashSet<>();
        if (condition != null) condition.findAll(NameExpr.class).forEach(n -> names.add(n.getNameAsString()));
        if (log != null) {
            for (Object part : log) {
                if (part instanceof Expression e) e.findAll(NameExpr.class).forEach(n -> names.add(n.getNameAsString()));
            }
        }
        this.locals = new LocalsAhead(names);
    }

    /** Null when the breakpoint is plain; EvalError when a part does not parse. */
    public static BreakpointRule parse(String condition, String hitCondition, String logMessage) {
        boolean hasCond = condition != null && !condition.isBlank();
        boolean hasHit = hitCondition != null && !hitCondition.isBlank();
        boolean hasLog = logMessage != null && !logMessage.isEmpty();
        if (!hasCond && !hasHit && !hasLog) return null;
        Expression cond = null;
        if (hasCond) {
            try {
                cond = Expressions.parse(condition);
            } catch (EvalError e) {
                throw new EvalError("Condition: " + e.getMessage());
            }
        }
        String op = null;
        long n = 0;
        if (hasHit) {
            Matcher m = HIT.matcher(hitCondition);
            if (!m.matches()) {
                throw new EvalError("Hit count '" + hitCondition + "' is not understood; write n, == n, >= n, > n, <= n, < n or % n.");
            }
            op = m.group(1) == null ? ">=" : m.group(1);
            n = Long.parseLong(m.group(2));
            if (op.equals("%") && n == 0) throw new EvalError("Hit count '% 0' divides by zero; use % 1 or more.");
        }
        List<Object> parts = hasLog ? template(logMessage) : null;
        return new BreakpointRule(hasCond ? condition.trim() : null, cond, op, n, parts);
    }

    /** "x={x} done" → ["x=", x, " done"]; {{ and }} stand for braces. */
    static List<Object> template(String text) {
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                lit.append(c);
                i++;
            } else if (c == '{') {
                int depth = 1, j = i + 1;
                char quote = 0; // braces inside string and char literals do not count
                for (; j < text.length() && depth > 0; j++) {
                    char k = text.charAt(j);
                    if (quote != 0) {
                        if (k == '\\') j++;
                        else if (k == quote) quote = 0;
                    } else if (k == '"' || k == '\'') {
                        quote = k;
                    } else if (k == '{') {
                        depth++;
                    } else if (k == '}') {
                        depth--;
                    }
                }
                if (depth > 0) throw new EvalError("Log message: '{' at " + (i + 1) + " has no closing '}'.");
                String expr = text.substring(i + 1, j - 1);
                if (lit.length() > 0) parts.add(lit.toString());
                lit.setLength(0);
                try {
                    parts.add(Expressions.parse(expr));
                } catch (EvalError e) {
                    throw new EvalError("Log message: {" + expr + "}: " + e.getMessage());
                }
                i = j - 1;
            } else {
                lit.append(c);
            }
        }
        if (lit.length() > 0) parts.add(lit.toString());
        return parts;
    }

    /**
     * Null when the condition and the log message's expressions can work at this location, else
     * why not (a name that does not exist there, types that do not fit): then the breakpoint is
     * not set there.
     */
    public String check(Debuggee d, Location loc) {
        if (condition == null && log == null) return null;
        StaticTypes types;
        try {
            types = StaticTypes.at(d, loc);
        } catch (RuntimeException e) {
            return null; // the check is a courtesy: what it cannot look at is found at the first hit
        }
        if (condition != null) {
            try {
                types.checkCondition(condition);
            } catch (EvalError e) {
                return "Condition '" + conditionText + "': " + e.getMessage();
            } catch (RuntimeException e) {
                // found at the first hit, if at all
            }
        }
        if (log != null) {
            for (Object part : log) {
                if (!(part instanceof Expression x)) continue;
                try {
                    types.typeOf(x);
                } catch (EvalError e) {
                    return "Log message: {" + x + "}: " + e.getMessage();
                } catch (RuntimeException e) {
                    // found when it logs, if at all
                }
            }
        }
        return null;
    }

    public LocalsAhead locals() {
        return locals;
    }

    /** The condition as the user wrote it, or null when the rule has none. */
    public String conditionText() {
        return condition == null ? null : conditionText;
    }

    /** Decides a hit; {@code evaluator} makes the evaluator for the hit's frame (only when needed). */
    public Decision decide(Supplier<Evaluator> evaluator) {
        return decide(evaluator, false);
    }

    /**
     * A hit where the program itself threw evaluating the condition compiled into it: the thread
     * stops, as where the debugger's evaluation of it throws.
     */
    public Decision threw(String exceptionClass, String message) {
        return new Decision(true, null, "Breakpoint condition '" + conditionText + "' threw: " + exceptionClass
                + (message == null ? "" : ": " + message), exceptionClass, null);
    }

    /**
     * Decides a hit; {@code conditionHeld}: the program tested the condition itself (it is compiled
     * into the method) and only a hit where it holds is reported.
     */
    public Decision decide(Supplier<Evaluator> evaluator, boolean conditionHeld) {
        Evaluator ev = null;
        if (condition != null && !conditionHeld) {
            ev = evaluator.get();
            try {
                if (!ev.test(condition)) return GO_ON;
            } catch (ThrownByDebuggee e) {
                return new Decision(true, null, "Breakpoint condition '" + conditionText + "' threw: " + e.getMessage(),
                        e.exception == null ? null : e.exception.referenceType().name(), null);
            } catch (EvalError e) {
                return new Decision(true, null, "Breakpoint condition '" + conditionText + "' cannot be evaluated: " + e.getMessage(),
                        null, "Condition '" + conditionText + "': " + e.getMessage());
            }
        }
        hits++;
        if (hitOp != null && !matches(hits)) return GO_ON;
        if (log == null) return STOP;
        if (ev == null) ev = evaluator.get();
        StringBuilder out = new StringBuilder();
        for (Object part : log) {
            if (part instanceof String s) {
                out.append(s);
                continue;
            }
            try {
                Value v = ev.evaluate((Expression) part);
                out.append(ev.stringOf(v));
            } catch (RuntimeException e) {
                out.append("<").append(part).append(": ").append(e.getMessage()).append(">");
            }
        }
        return new Decision(false, out.toString(), null, null, null);
    }

    private boolean matches(long h) {
        switch (hitOp) {
            case "==": return h == hitN;
            case ">": return h > hitN;
            case "<=": return h <= hitN;
            case "<": return h < hitN;
            case "%": return h % hitN == 0;
            default: return h >= hitN;
        }
    }

    /**
     * A hit count without a condition can be counted by the JVM itself: the hits that cannot
     * matter are passed over there, with no event and no round trip.
     */
    public boolean countedByJvm() {
        return condition == null && hitOp != null;
    }

    /**
     * How many hits from now the next one that matters is: 1 for the very next hit, 0 when no
     * later hit can match any more.
     */
    public long nextMatch() {
        long next = hits + 1;
        switch (hitOp) {
            case "==": return next <= hitN ? hitN - hits : 0;
            case ">": return Math.max(next, hitN + 1) - hits;
            case "<=": return next <= hitN ? 1 : 0;
            case "<": return next < hitN ? 1 : 0;
            case "%": return (next + hitN - 1) / hitN * hitN - hits;
            default: return Math.max(next, hitN) - hits;
        }
    }

    /** The JVM passed over {@code n} hits before reporting one. */
    public void passedOver(long n) {
        hits += n;
    }
}
