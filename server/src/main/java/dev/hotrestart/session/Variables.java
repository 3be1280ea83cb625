package dev.hotrestart.session;

import com.sun.jdi.*;
import dev.hotrestart.base.IdTable;
import dev.hotrestart.eval.Debuggee;
import org.eclipse.lsp4j.debug.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the Variables view shows: scopes, objects, arrays, collections and maps as
 * expandable containers with int32 references, and one-line renderings of values. References
 * live while their thread is suspended and are dropped when it resumes.
 */
public final class Variables {
    /** Something with children. Equal containers share a reference. */
    public interface Container {
        ThreadReference thread();
    }

    public record Locals(ThreadReference thread, int depth) implements Container {}

    public record Statics(ThreadReference thread, ReferenceType type) implements Container {}

    public record Fields(ThreadReference thread, ObjectReference object) implements Container {}

    public record Elements(ThreadReference thread, ArrayReference array, boolean entries) implements Container {}

    /** A Collection or Map: its elements come from toArray() once, then page like an array. */
    public record Contents(ThreadReference thread, ObjectReference object, boolean map) implements Container {}

    private final IdTable<Container> refs = new IdTable<>();
    private final Map<Contents, ArrayReference> contentsArrays = new HashMap<>();

    public int ref(Container c) {
        return refs.id(c);
    }

    public Container get(int ref) {
        return refs.get(ref);
    }

    /** The thread resumed: its references are no longer valid. */
    public void drop(ThreadReference thread) {
        refs.removeIf(c -> thread.equals(c.thread()));
        contentsArrays.entrySet().removeIf(e -> {
            if (!thread.equals(e.getKey().thread())) return false;
            try {
                e.getValue().enableCollection();
            } catch (RuntimeException ignored) {
                // collected or disconnected
            }
            return true;
        });
    }

    /** Whether a request's DAP ValueFormat asks for integers in hex. */
    public static boolean hex(org.eclipse.lsp4j.debug.ValueFormat format) {
        return format != null && Boolean.TRUE.equals(format.getHex());
    }

    /** {@code hex}: integral values in hex (DAP's format.hex), see {@link #hexOf}. */
    public List<Variable> children(Container c, Integer start, Integer count, boolean hex) throws Exception {
        List<Variable> out = new ArrayList<>();
        if (c instanceof Locals l) {
            StackFrame frame = l.thread().frame(l.depth());
            ObjectReference self = frame.thisObject();
            if (self != null) out.add(variable("this", self, l.thread(), hex));
            List<LocalVariable> locals;
            try {
                locals = frame.visibleVariables();
            } catch (AbsentInformationException e) {
                // no -g: show the arguments by position
                int i = 0;
                for (Value v : frame.getArgumentValues()) out.add(variable("arg" + i++, v, l.thread(), hex));
                return out;
            }
            Map<LocalVariable, Value> values;
            try {
                values = frame.getValues(locals);
            } catch (InconsistentDebugInfoException e) {
                // the JVM holds no value of the declared type in some slot here: show the others
                values = new java.util.HashMap<>();
                for (LocalVariable lv : locals) {
                    try {
                        values.put(lv, frame.getValue(lv));
                    } catch (InconsistentDebugInfoException gone) {
                        // left out of the map: shown as having no value
                    }
                }
            }
            Map<ObjectReference, Value> boxes = ObjectFacts.read(new ArrayList<>(values.values()));
            for (LocalVariable lv : locals) {
                if (values.containsKey(lv)) {
                    out.add(variable(lv.name(), values.get(lv), l.thread(), boxes, hex));
                } else {
                    Variable v = new Variable();
                    v.setName(lv.name());
                    v.setValue("(no value at this point)");
                    v.setType(lv.typeName());
                    out.add(v);
                }
            }
        } else if (c instanceof Statics s) {
            List<Field> statics = fieldsOf(s);
            Map<Field, Value> values = s.type().getValues(statics);
            Map<ObjectReference, Value> boxes = ObjectFacts.read(new ArrayList<>(values.values()));
            Set<String> names = new HashSet<>();
            for (Field f : statics) out.add(variable(fieldLabel(f, names), values.get(f), s.thread(), boxes, hex));
        } else if (c instanceof Fields f) {
            ReferenceType type = f.object().referenceType();
            List<Field> fields = fieldsOf(f);
            Map<Field, Value> values = f.object().getValues(fields);
            Map<ObjectReference, Value> boxes = ObjectFacts.read(new ArrayList<>(values.values()));
            Set<String> names = new HashSet<>();
            for (Field fd : fields) out.add(variable(fieldLabel(fd, names), values.get(fd), f.thread(), boxes, hex));
        } else if (c instanceof Elements e) {
            page(e.array(), e.entries(), start, count, e.thread(), hex, out);
        } else if (c instanceof Contents k) {
            ArrayReference arr = contentsArray(k);
            if (arr != null) page(arr, k.map(), start, count, k.thread(), hex, out);
        }
        return out;
    }

    private void page(ArrayReference array, boolean entries, Integer start, Integer count, ThreadReference thread, boolean hex,
                      List<Variable> out) throws Exception {
        int len = array.length();
        int from = start == null ? 0 : Math.max(0, start);
        int n = count == null || count == 0 ? len - from : Math.min(count, len - from);
        if (n <= 0) return;
        // the agent describes strings and boxes in one call; the rest are read here, several at once
        List<AgentPages.Element> described = entries || n < ObjectFacts.MIN_BATCH ? null
                : AgentPages.describe(array, from, n, thread);
        boolean needValues = described == null;
        for (int i = 0; !needValues && i < n; i++) needValues = !described.get(i).described();
        List<Value> values = needValues ? array.getValues(from, n) : null;
        Map<ObjectReference, Value> boxes = Map.of();
        if (!entries && needValues) {
            List<Value> unread = values;
            if (described != null) {
                unread = new ArrayList<>();
                for (int i = 0; i < n; i++) if (!described.get(i).described()) unread.add(values.get(i));
            }
            boxes = ObjectFacts.read(unread);
        }
        for (int i = 0; i < n; i++) {
            if (described != null && described.get(i).described()) {
                out.add(described("[" + (from + i) + "]", described.get(i), hex));
                continue;
            }
            Value v = values.get(i);
            if (entries && v instanceof ObjectReference entry) {
                Value key = invoke(entry, "getKey", thread);
                Value val = invoke(entry, "getValue", thread);
                Variable var = variable(render(key, thread, Map.of(), hex), val, thread, hex);
                out.add(var);
            } else {
                out.add(variable("[" + (from + i) + "]", v, thread, boxes, hex));
            }
        }
    }

    private ArrayReference contentsArray(Contents k) throws Exception {
        ArrayReference arr = contentsArrays.get(k);
        if (arr != null) return arr;
        Value v;
        if (k.map()) {
            Value set = invoke(k.object(), "entrySet", k.thread());
            v = set instanceof ObjectReference o ? invoke(o, "toArray", k.thread()) : null;
        } else {
            v = invoke(k.object(), "toArray", k.thread());
        }
        if (!(v instanceof ArrayReference a)) return null;
        a.disableCollection();
        contentsArrays.put(k, a);
        return a;
    }

    /** The fields a Statics or Fields container lists, in order. */
    static List<Field> fieldsOf(Container c) {
        List<Field> out = new ArrayList<>();
        if (c instanceof Statics s) {
            for (Field f : s.type().allFields()) if (f.isStatic() && !f.isSynthetic()) out.add(f);
        } else if (c instanceof Fields f) {
            for (Field fd : f.object().referenceType().allFields()) if (!fd.isStatic()) out.add(fd);
        }
        return out;
    }

    /** The name a field is shown by: one shadowed by a field listed before it keeps its declaring class, {@code count (Base)}. */
    private static String fieldLabel(Field f, Set<String> listed) {
        return listed.add(f.name()) ? f.name() : f.name() + " (" + simple(f.declaringType().name()) + ")";
    }

    /** The field of a Statics or Fields container that the view shows as {@code name}, or null. */
    static Field fieldShownAs(Container c, String name) {
        Set<String> listed = new HashSet<>();
        for (Field f : fieldsOf(c)) if (fieldLabel(f, listed).equals(name)) return f;
        return null;
    }

    public Variable variable(String name, Value value, ThreadReference thread, boolean hex) {
        return variable(name, value, thread, Map.of(), hex);
    }

    /** {@code boxes}: the values of boxes already read (see {@link ObjectFacts}). */
    private Variable variable(String name, Value value, ThreadReference thread, Map<ObjectReference, Value> boxes, boolean hex) {
        Variable v = leaf(name, render(value, thread, boxes, hex), value == null ? null : typeName(value.type()));
        if (value instanceof ArrayReference arr) {
            int len = arr.length();
            if (len > 0) {
                v.setVariablesReference(ref(new Elements(thread, arr, false)));
                v.setIndexedVariables(len);
            }
        } else if (value instanceof ObjectReference obj && !(value instanceof StringReference) && !isBox(obj)) {
            int size = sizeOf(obj, thread);
            if (size >= 0) {
                if (size > 0) {
                    v.setVariablesReference(ref(new Contents(thread, obj, isMap(obj))));
                    v.setIndexedVariables(size);
                }
            } else {
                v.setVariablesReference(ref(new Fields(thread, obj)));
            }
        }
        return v;
    }

    /** An element the agent described: null, a string or a box, shown as {@link #render} shows them. */
    private static Variable described(String name, AgentPages.Element e, boolean hex) {
        String asHex = hex ? hexOf(e) : null;
        if (asHex != null) return leaf(name, asHex, AgentPages.typeName(e));
        return switch (e.tag()) {
            case 'n' -> leaf(name, "null", null);
            case 's' -> leaf(name, quote(e.text()), AgentPages.typeName(e));
            case 'C' -> leaf(name, "'" + escape(e.text()) + "'", AgentPages.typeName(e));
            default -> leaf(name, e.text(), AgentPages.typeName(e));
        };
    }

    /** A variable without children. */
    private static Variable leaf(String name, String value, String type) {
        Variable v = new Variable();
        v.setName(name);
        v.setValue(value);
        v.setType(type);
        v.setVariablesReference(0);
        return v;
    }

    /** One line for a value: quoted strings, plain primitives and boxes, sizes for containers. */
    public String render(Value value, ThreadReference thread) {
        return render(value, thread, Map.of(), false);
    }

    private String render(Value value, ThreadReference thread, Map<ObjectReference, Value> boxes, boolean hex) {
        if (value == null) return "null";
        if (hex && value instanceof PrimitiveValue p && hexOf(p) != null) return hexOf(p);
        if (value instanceof StringReference s) return quote(s.value());
        if (value instanceof CharValue c) return "'" + escape(String.valueOf(c.value())) + "'";
        if (value instanceof PrimitiveValue) return value.toString();
        if (value instanceof ArrayReference a) {
            String t = typeName(a.type());
            int br = t.indexOf('[');
            return t.substring(0, br + 1) + a.length() + t.substring(br + 1);
        }
        ObjectReference o = (ObjectReference) value;
        String type = simple(o.referenceType().name());
        if (isBox(o)) {
            Value inner = boxes.get(o);
            return render(inner != null ? inner : o.getValue(o.referenceType().fieldByName("value")), thread, Map.of(), hex);
        }
        if (o.referenceType() instanceof ClassType ct && ct.isEnum()) {
            Field f = ct.fieldByName("name");
            Value n = f == null ? null : o.getValue(f);
            if (n instanceof StringReference s) return s.value();
        }
        int size = sizeOf(o, thread);
        if (size >= 0) return type + " size=" + size;
        if (o instanceof ThreadReference t) return "Thread \"" + t.name() + "\"";
        if (o instanceof ClassObjectReference c) return "class " + c.reflectedType().name();
        return type + "@" + Long.toHexString(o.uniqueID());
    }

    /**
     * An integral value in hex as Java writes it: {@code 0xcafe}, lower case, no padding; a char
     * by its code. A negative value is its two's complement in its type's width, as
     * Integer.toHexString and Long.toHexString write it, so it reads as the bits in memory: a
     * byte -1 is {@code 0xff}, an int -1 {@code 0xffffffff}. Null for other values.
     */
    static String hexOf(PrimitiveValue v) {
        if (v instanceof ByteValue b) return "0x" + Integer.toHexString(b.value() & 0xff);
        if (v instanceof ShortValue s) return "0x" + Integer.toHexString(s.value() & 0xffff);
        if (v instanceof CharValue c) return "0x" + Integer.toHexString(c.value());
        if (v instanceof IntegerValue i) return "0x" + Integer.toHexString(i.value());
        if (v instanceof LongValue l) return "0x" + Long.toHexString(l.value());
        return null;
    }

    /** A box the agent described, in hex as {@link #hexOf(PrimitiveValue)} writes its value; null for others. */
    private static String hexOf(AgentPages.Element e) {
        return switch (e.tag()) {
            case 'B' -> "0x" + Integer.toHexString(Byte.parseByte(e.text()) & 0xff);
            case 'S' -> "0x" + Integer.toHexString(Short.parseShort(e.text()) & 0xffff);
            case 'C' -> "0x" + Integer.toHexString(e.text().charAt(0));
            case 'I' -> "0x" + Integer.toHexString(Integer.parseInt(e.text()));
            case 'J' -> "0x" + Long.toHexString(Long.parseLong(e.text()));
            default -> null;
        };
    }

    private int sizeOf(ObjectReference o, ThreadReference thread) {
        if (!(o.referenceType() instanceof ClassType ct) || thread == null) return -1;
        if (!implementsAny(ct, "java.util.Collection", "java.util.Map")) return -1;
        try {
            Value v = invoke(o, "size", thread);
            return v instanceof IntegerValue i ? i.value() : -1;
        } catch (Exception e) {
            return -1; // not invocable here (thread not stopped by an event): show fields instead
        }
    }

    private static boolean isMap(ObjectReference o) {
        return o.referenceType() instanceof ClassType ct && implementsAny(ct, "java.util.Map");
    }

    private static boolean implementsAny(ClassType ct, String... names) {
        for (InterfaceType i : ct.allInterfaces()) {
            for (String n : names) if (i.name().equals(n)) return true;
        }
        return false;
    }

    /** Through which the view's calls into the program run. */
    private volatile Debuggee calls;

    /** The view's calls run like evaluations from now on: under the time limit, passing breakpoints. */
    public void callThrough(Debuggee d) {
        this.calls = d;
    }

    private Value invoke(ObjectReference o, String method, ThreadReference thread) throws Exception {
        List<Method> ms = ((ClassType) o.referenceType()).methodsByName(method, method.equals("toArray")
                ? "()[Ljava/lang/Object;" : null);
        Method m = null;
        for (Method cand : ms) if (cand.argumentTypeNames().isEmpty() && !cand.isAbstract()) { m = cand; break; }
        if (m == null) {
            for (Method cand : ((ClassType) o.referenceType()).allMethods()) {
                if (cand.name().equals(method) && cand.argumentTypeNames().isEmpty() && !cand.isAbstract()) { m = cand; break; }
            }
        }
        if (m == null) throw new IllegalStateException("no " + method + "()");
        return calls.call(thread, o, m); // set when the JVM connects, before any thread can be shown
    }

    private static boolean isBox(ObjectReference o) {
        return ObjectFacts.BOXES.contains(o.referenceType().name());
    }

    static String typeName(Type t) {
        String n = t.name();
        return n.startsWith("java.lang.") && n.indexOf('.', 10) < 0 ? n.substring(10) : n;
    }

    public static String simple(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    public static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
            }
        }
        return b.toString();
    }
}
