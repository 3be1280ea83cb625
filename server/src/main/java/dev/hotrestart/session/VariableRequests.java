package dev.hotrestart.session;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VoidValue;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.Evaluator;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopePresentationHint;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.ScopesResponse;
import org.eclipse.lsp4j.debug.SetVariableArguments;
import org.eclipse.lsp4j.debug.SetVariableResponse;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/** scopes, variables and setVariable: the Variables view of a stopped frame. */
public final class VariableRequests {
    private static final Logger LOG = Logger.getLogger(VariableRequests.class.getName());

    private final ThreadStops stops;
    private final Variables variables;
    private final Evaluation evaluation;

    VariableRequests(ThreadStops stops, Variables variables, Evaluation evaluation) {
        this.stops = stops;
        this.variables = variables;
        this.evaluation = evaluation;
    }

    public ScopesResponse scopes(ScopesArguments args) {
        ThreadStops.FrameRef ref = stops.frame(args.getFrameId());
        List<Scope> out = new ArrayList<>();
        Scope locals = new Scope();
        locals.setName("Locals");
        locals.setPresentationHint(ScopePresentationHint.LOCALS);
        locals.setVariablesReference(variables.ref(new Variables.Locals(ref.thread(), ref.depth())));
        out.add(locals);
        try {
            ReferenceType type = ref.thread().frame(ref.depth()).location().declaringType();
            Variables.Statics statics = new Variables.Statics(ref.thread(), type);
            if (!Variables.fieldsOf(statics).isEmpty()) {
                Scope st = new Scope();
                st.setName("Static");
                st.setVariablesReference(variables.ref(statics));
                out.add(st);
            }
        } catch (IncompatibleThreadStateException e) {
            throw ThreadStops.running(ref.thread());
        }
        ScopesResponse r = new ScopesResponse();
        r.setScopes(out.toArray(new Scope[0]));
        return r;
    }

    public VariablesResponse variables(VariablesArguments args) {
        Variables.Container c = container(args.getVariablesReference());
        try {
            List<Variable> out = variables.children(c, args.getStart(), args.getCount(), Variables.hex(args.getFormat()));
            Stop stop = c instanceof Variables.Locals l ? stops.stop(l.thread()) : null;
            if (stop != null && stop.returned() != null && ((Variables.Locals) c).depth() == stop.hidden()
                    && !(stop.returned().value() instanceof VoidValue)) {
                // what the stepOut's method returned, as IntelliJ shows it; evaluate it as $return
                Variable ret = variables.variable("$return", stop.returned().value(), c.thread(), Variables.hex(args.getFormat()));
                ret.setEvaluateName("$return");
                out.add(0, ret);
            }
            VariablesResponse r = new VariablesResponse();
            r.setVariables(out.toArray(new Variable[0]));
            return r;
        } catch (UserError e) {
            throw e;
        } catch (Exception e) {
            LOG.log(Level.FINE, "variables failed", e);
            throw new UserError(ErrorId.VARIABLE, "Cannot read these variables: " + e);
        }
    }

    private Variables.Container container(int ref) {
        Variables.Container c = variables.get(ref);
        if (c == null) throw new UserError(ErrorId.STALE_REFERENCE, "Variables reference " + ref + " is no longer valid: the thread ran on.");
        return c;
    }

    /** Sets a local, field or array element shown in the Variables view to a Java expression's value. */
    public SetVariableResponse setVariable(SetVariableArguments args) {
        Variables.Container c = container(args.getVariablesReference());
        ThreadReference t = c.thread();
        Stop stop = stops.stop(t);
        int depth = c instanceof Variables.Locals l ? l.depth() : stop == null ? 0 : stop.hidden();
        Evaluator ev = evaluation.evaluator(t, depth, Evaluator.Mode.CALLS);
        Value v = ev.evaluate(args.getValue());
        String name = args.getName();
        try {
            Value set;
            if (c instanceof Variables.Locals) {
                StackFrame f = t.frame(depth);
                LocalVariable lv = f.visibleVariableByName(name);
                if (lv == null) throw new UserError(ErrorId.VARIABLE, "'" + name + "' is not a local variable of this frame.");
                set = ev.convertTo(v, lv.typeName());
                t.frame(depth).setValue(lv, set);
            } else if (c instanceof Variables.Fields || c instanceof Variables.Statics) {
                Field fd = Variables.fieldShownAs(c, name);
                if (fd == null) {
                    ReferenceType type = c instanceof Variables.Fields fs ? fs.object().referenceType() : ((Variables.Statics) c).type();
                    throw new UserError(ErrorId.VARIABLE, "'" + name + "' is not a field of " + MethodLabel.simple(type.name()) + ".");
                }
                set = ev.convertTo(v, fd.typeName());
                if (c instanceof Variables.Fields fs && !fd.isStatic()) fs.object().setValue(fd, set);
                else if (fd.declaringType() instanceof ClassType ct) ct.setValue(fd, set);
                else throw new UserError(ErrorId.VARIABLE, "Interface constants cannot be set.");
            } else if (c instanceof Variables.Elements el && !el.entries() && name.matches("\\[\\d+]")) {
                int i = Integer.parseInt(name.substring(1, name.length() - 1));
                set = ev.convertTo(v, ((ArrayType) el.array().type()).componentTypeName());
                el.array().setValue(i, set);
            } else {
                throw new UserError(ErrorId.VARIABLE, "'" + name + "' cannot be set here: only locals, fields and array elements can.");
            }
            SetVariableResponse r = new SetVariableResponse();
            Shown.of(variables.variable(name, set, t, Variables.hex(args.getFormat()))).into(r::setValue, r::setType, r::setVariablesReference, r::setIndexedVariables);
            return r;
        } catch (IncompatibleThreadStateException e) {
            throw ThreadStops.running(t);
        } catch (AbsentInformationException e) {
            throw new UserError(ErrorId.VARIABLE, "This frame's class has no local variable table (compile with -g).");
        } catch (InvalidTypeException | ClassNotLoadedException e) {
            throw new UserError(ErrorId.VARIABLE, "Cannot set '" + name + "': " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(ErrorId.VARIABLE, "Cannot set '" + name + "': " + e.getMessage() + " (final fields cannot be changed).");
        }
    }
}
