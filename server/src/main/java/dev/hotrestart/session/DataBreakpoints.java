package dev.hotrestart.session;

import com.sun.jdi.Field;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.WatchpointEvent;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ModificationWatchpointRequest;
import com.sun.jdi.request.WatchpointRequest;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.MethodLabel;
import dev.hotrestart.base.UserError;
import dev.hotrestart.eval.BreakpointRule;
import dev.hotrestart.jvm.Requests;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.DataBreakpoint;
import org.eclipse.lsp4j.debug.DataBreakpointAccessType;
import org.eclipse.lsp4j.debug.DataBreakpointInfoArguments;
import org.eclipse.lsp4j.debug.DataBreakpointInfoResponse;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetDataBreakpointsResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * dataBreakpointInfo and setDataBreakpoints: breakpoints on fields, through the JVM's field
 * watches (a JDI watchpoint request per field and access kind; the JVM reports only the watched
 * field's accesses, so the rest of the program runs at full speed).
 * <ul>
 * <li>A field of an object in the Variables view is watched on that object only (an instance
 * filter). Its data id holds the object's id, which only this session knows: it does not persist,
 * and once the object is garbage-collected the breakpoint can no longer stop (it is reported so
 * the next time the client sets data breakpoints). The adapter does not keep the object alive.
 * <li>A static field (the Static scope) is watched as such; its data id is the class and field
 * name, so it persists and waits for its class to load in a later session.
 * <li>Without a variables reference, {@code name} {@code Class.field} watches an instance field
 * in every instance (or a static field).
 * </ul>
 * Locals cannot be watched: the JVM watches fields only.
 */
public final class DataBreakpoints implements BreakpointTable.Kind {
    /** A stop's description fits the editor's call stack view within this many characters. */
    private static final int BRIEF = 40;

    /** What a data breakpoint watches: a field of one object (its unique id), or of the class (objectId null). */
    record Watched(String className, String field, Long objectId) {
        /** {@code com.acme.Stock#count@123} for one object, {@code com.acme.Stock#count} for the field. */
        String dataId() {
            return className + "#" + field + (objectId == null ? "" : "@" + objectId);
        }

        /** The data id read back; null when it is not one of this adapter's. */
        static Watched parse(String dataId) {
            if (dataId == null) return null;
            int hash = dataId.indexOf('#');
            if (hash <= 0) return null;
            int at = dataId.indexOf('@', hash);
            String field = dataId.substring(hash + 1, at < 0 ? dataId.length() : at);
            if (field.isEmpty()) return null;
            try {
                return new Watched(dataId.substring(0, hash), field, at < 0 ? null : Long.parseLong(dataId.substring(at + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** One data breakpoint: the field, the kinds of access that stop, and on which object. */
    static final class FieldWatch extends ClientBreakpoint {
        final Watched watched;
        final boolean reads, writes;
        /** How values read in what a stop says. */
        private final Variables view;
        /** The watched object; null for a static field or every instance. */
        ObjectReference object;
        ClassPrepareRequest prepare;

        FieldWatch(int id, Watched watched, DataBreakpointAccessType access, Object rule, Variables view) {
            super(id, rule);
            this.watched = watched;
            this.view = view;
            this.reads = access == DataBreakpointAccessType.READ || access == DataBreakpointAccessType.READ_WRITE;
            this.writes = access != DataBreakpointAccessType.READ;
        }

        @Override
        String reason() {
            return "data breakpoint";
        }

        @Override
        Breakpoint toDap() {
            return dap();
        }

        @Override
        EventRequest renew(EventRequestManager erm, EventRequest spent) {
            Field f = ((WatchpointRequest) spent).field();
            return request(erm, f, spent instanceof ModificationWatchpointRequest);
        }

        /** A watch of the field, on the watched object if there is one; tagged, not yet enabled. */
        WatchpointRequest request(EventRequestManager erm, Field f, boolean modification) {
            WatchpointRequest r = modification ? erm.createModificationWatchpointRequest(f) : erm.createAccessWatchpointRequest(f);
            if (object != null) r.addInstanceFilter(object);
            return tag(r);
        }

        @Override
        Said said(LocatableEvent e, com.sun.jdi.Location at) {
            if (!(e instanceof WatchpointEvent w)) return super.said(e, at);
            String name = w.field().name();
            String where = MethodLabel.of(e.location().method()) + " at " + fileAndLine(e.location());
            String whose = MethodLabel.simple(w.field().declaringType().name()).replace('$', '.') + "." + name
                    + (w.object() != null ? " of " + Variables.simple(w.object().referenceType().name()) + "@" + Long.toHexString(w.object().uniqueID()) : "");
            // rendered without the thread: a description never calls the program (a collection shows as Type@id)
            String now = view.render(w.valueCurrent(), null);
            if (w instanceof ModificationWatchpointEvent m) {
                String next = view.render(m.valueToBe(), null);
                int room = Math.max(6, (BRIEF - name.length() - 5) / 2);
                return new Said(name + ": " + cut(now, room) + " → " + cut(next, room),
                        "hotrestart: data breakpoint: " + whose + " changes from " + now + " to " + next + " in " + where + "\n");
            }
            return new Said(name + " read: " + cut(now, Math.max(6, BRIEF - name.length() - 7)),
                    "hotrestart: data breakpoint: " + whose + " is read (" + now + ") in " + where + "\n");
        }
    }

    private final BreakpointTable table;
    private final Variables variables;
    private final List<FieldWatch> list = new ArrayList<>();
    /** The objects whose fields the client asked about, by unique id: a data id names its object by that id. */
    private final Map<Long, ObjectReference> objects = new HashMap<>();
    private VirtualMachine vm;

    DataBreakpoints(BreakpointTable table, Variables variables) {
        this.table = table;
        this.variables = variables;
    }

    @Override
    public void attach(VirtualMachine vm, BiFunction<BreakpointRule, Location, String> conditionCheck) {
        // no condition check when set: the code that touches a field is anywhere; the first hit finds what does not work
        this.vm = vm;
        for (FieldWatch b : list) {
            if (b.refused != null) continue;
            resolve(b);
            table.changed(b); // an attached JVM has its classes loaded: the client learns now, not at a class load
        }
    }

    public DataBreakpointInfoResponse dataBreakpointInfo(DataBreakpointInfoArguments args) {
        String name = args.getName();
        if (name == null || name.isBlank()) throw new UserError(ErrorId.BAD_REQUEST, "dataBreakpointInfo needs name: the variable's name.");
        if (vm == null) return unavailable("The program is not running yet.");
        Integer ref = args.getVariablesReference();
        if (ref == null || ref == 0) return byName(name.strip());
        Variables.Container c = variables.get(ref);
        if (c == null) throw new UserError(ErrorId.STALE_REFERENCE, "Variables reference " + ref + " is no longer valid: the thread ran on.");
        if (c instanceof Variables.Locals) {
            return unavailable("'" + name + "' is a local variable: the JVM watches fields only. Watch a field of an object instead.");
        }
        if (c instanceof Variables.Elements || c instanceof Variables.Contents) {
            return unavailable("Elements cannot be watched: the JVM watches fields only.");
        }
        Field f = Variables.fieldShownAs(c, name);
        if (f == null) return unavailable("'" + name + "' is not a field here.");
        ObjectReference o = c instanceof Variables.Fields fs && !f.isStatic() ? fs.object() : null;
        if (o != null) objects.put(o.uniqueID(), o);
        String label = o == null ? label(f) : f.name() + " of " + Variables.simple(o.referenceType().name()) + "@" + Long.toHexString(o.uniqueID());
        return available(new Watched(f.declaringType().name(), f.name(), o == null ? null : o.uniqueID()), label);
    }

    /** {@code Class.field}: a static field, or an instance field in every instance. */
    private DataBreakpointInfoResponse byName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) return unavailable("Name a field as Class.field, or pick one in the Variables view.");
        String cls = name.substring(0, dot);
        ClassNames.Found found = ClassNames.loaded(vm, cls);
        if (found.problem() != null) return unavailable(found.problem());
        if (found.types().isEmpty()) return unavailable("No class " + cls + " is loaded.");
        Field f = found.types().get(0).fieldByName(name.substring(dot + 1));
        if (f == null) return unavailable(cls + " has no field " + name.substring(dot + 1) + ".");
        return available(new Watched(f.declaringType().name(), f.name(), null), label(f) + (f.isStatic() ? "" : " (every instance)"));
    }

    private static String label(Field f) {
        return MethodLabel.simple(f.declaringType().name()).replace('$', '.') + "." + f.name();
    }

    private DataBreakpointInfoResponse available(Watched w, String description) {
        DataBreakpointInfoResponse r = new DataBreakpointInfoResponse();
        r.setDataId(w.dataId());
        r.setDescription(description);
        List<DataBreakpointAccessType> kinds = new ArrayList<>();
        if (vm.canWatchFieldModification()) kinds.add(DataBreakpointAccessType.WRITE);
        if (vm.canWatchFieldAccess()) {
            kinds.add(DataBreakpointAccessType.READ);
            if (vm.canWatchFieldModification()) kinds.add(DataBreakpointAccessType.READ_WRITE);
        }
        r.setAccessTypes(kinds.toArray(new DataBreakpointAccessType[0]));
        r.setCanPersist(w.objectId() == null); // an object id means nothing to another session
        return r;
    }

    private static DataBreakpointInfoResponse unavailable(String why) {
        DataBreakpointInfoResponse r = new DataBreakpointInfoResponse();
        r.setDescription(why);
        return r;
    }

    /** Replaces every data breakpoint with the ones the client sent. */
    public SetDataBreakpointsResponse setDataBreakpoints(SetDataBreakpointsArguments args) {
        for (FieldWatch b : list) {
            table.remove(b);
            if (vm == null) continue;
            b.clear(vm.eventRequestManager());
            if (b.prepare != null) vm.eventRequestManager().deleteEventRequest(b.prepare);
        }
        list.clear();
        DataBreakpoint[] sent = args.getBreakpoints() == null ? new DataBreakpoint[0] : args.getBreakpoints();
        Breakpoint[] out = new Breakpoint[sent.length];
        for (int i = 0; i < sent.length; i++) {
            Watched w = Watched.parse(sent[i].getDataId());
            Object rule;
            try {
                rule = w == null ? "'" + sent[i].getDataId() + "' is not a data id of this adapter: ask dataBreakpointInfo for one."
                        : BreakpointRule.parse(sent[i].getCondition(), sent[i].getHitCondition(), null);
            } catch (UserError e) {
                rule = e.getMessage(); // refused: reported on the breakpoint
            }
            FieldWatch b = table.add(new FieldWatch(table.nextId(), w, sent[i].getAccessType(), rule, variables));
            list.add(b);
            if (b.refused != null) settle(b, b.refused, false);
            else if (vm != null) resolve(b);
            else settle(b, "It is set when the program starts.", true);
            out[i] = b.toDap();
        }
        SetDataBreakpointsResponse r = new SetDataBreakpointsResponse();
        r.setBreakpoints(out);
        return r;
    }

    /** Sets the watch: on its object, or on the field in each loaded class of that name, or waits for the class. */
    private void resolve(FieldWatch b) {
        if ((b.reads && !vm.canWatchFieldAccess()) || (b.writes && !vm.canWatchFieldModification())) {
            settle(b, "This JVM cannot watch field " + (b.reads ? "reads" : "writes") + ".", false);
            return;
        }
        Watched w = b.watched;
        if (w.objectId() != null) {
            ObjectReference o = objects.get(w.objectId());
            if (o == null) {
                settle(b, "The object this breakpoint watched belongs to an earlier session: set it again from the Variables view.", false);
                return;
            }
            if (collected(o)) {
                settle(b, "The object was garbage-collected: its " + w.field() + " can no longer change.", false);
                return;
            }
            b.object = o;
            Field f = null;
            for (Field x : o.referenceType().allFields()) {
                if (x.name().equals(w.field()) && x.declaringType().name().equals(w.className())) f = x;
            }
            if (f == null) settle(b, Variables.simple(o.referenceType().name()) + " has no field " + w.field() + ".", false);
            else settle(b, watch(b, f), false);
            return;
        }
        List<ReferenceType> types = vm.classesByName(w.className());
        if (b.prepare == null) {
            b.prepare = vm.eventRequestManager().createClassPrepareRequest();
            b.prepare.addClassFilter(w.className());
            Requests.suspendingThread(b.prepare, null); // the watch is in place before the class's code runs
        }
        if (types.isEmpty()) {
            settle(b, "No class " + w.className() + " is loaded yet; the breakpoint is set when it loads.", true);
            return;
        }
        String problem = null;
        for (ReferenceType t : types) problem = watch(b, t);
        settle(b, problem, false);
    }

    /** Watches the field as the class declares it; null when set, else why not. */
    private String watch(FieldWatch b, ReferenceType t) {
        for (Field f : t.fields()) if (f.name().equals(b.watched.field())) return watch(b, f);
        return Variables.simple(t.name()) + " has no field " + b.watched.field() + ".";
    }

    private String watch(FieldWatch b, Field f) {
        EventRequestManager erm = vm.eventRequestManager();
        for (EventRequest r : b.requests) if (((WatchpointRequest) r).field().equals(f)) return null; // set already
        if (b.writes) b.requests.add(b.request(erm, f, true));
        if (b.reads) b.requests.add(b.request(erm, f, false));
        return null;
    }

    /** Armed and verified when it has requests; else unverified with the message. */
    private static void settle(FieldWatch b, String problem, boolean pending) {
        b.arm();
        b.verified = !b.requests.isEmpty();
        b.pending = !b.verified && pending;
        b.message = b.verified ? null : problem;
    }

    private static boolean collected(ObjectReference o) {
        try {
            return o.isCollected();
        } catch (RuntimeException e) {
            return true;
        }
    }

    @Override
    public void classPrepared(ReferenceType type) {
        if (vm == null) return;
        for (FieldWatch b : list) {
            // a watch that failed (no such field) fails in another loader's copy too; one object's watch has its class
            if ((!b.verified && !b.pending) || b.object != null || !type.name().equals(b.watched.className())) continue;
            boolean was = b.verified;
            String problem = watch(b, type);
            if (was) {
                b.arm();
                continue;
            }
            settle(b, problem, false);
            table.changed(b);
        }
    }

    @Override
    public void redefined(Set<ReferenceType> types) {
        // The JVM keeps field watches through a redefinition (the fields may not change), and JDI
        // deletes only breakpoint requests: nothing to set again. DataBreakpointTest checks it.
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    private static String fileAndLine(Location loc) {
        try {
            return loc.sourceName() + ":" + loc.lineNumber();
        } catch (com.sun.jdi.AbsentInformationException e) {
            return MethodLabel.simple(loc.declaringType().name());
        }
    }
}
