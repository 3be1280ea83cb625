package dev.hotrestart.eval;

import com.sun.jdi.*;

import java.util.List;
import java.util.Map;

/**
 * Java's conversions between JDI values: primitives to and from adapter-side boxes, boxing
 * and unboxing of debuggee objects, subtyping by type name, and assignment conversion.
 */
final class Conversions {
    static final Map<String, String> BOX_OF = Map.of("int", "java.lang.Integer", "long", "java.lang.Long",
            "short", "java.lang.Short", "byte", "java.lang.Byte", "char", "java.lang.Character",
            "boolean", "java.lang.Boolean", "float", "java.lang.Float", "double", "java.lang.Double");
    static final Map<String, String> PRIMITIVE_OF = Map.of("java.lang.Integer", "int", "java.lang.Long", "long",
            "java.lang.Short", "short", "java.lang.Byte", "byte", "java.lang.Character", "char",
            "java.lang.Boolean", "boolean", "java.lang.Float", "float", "java.lang.Double", "double");

    private final VirtualMachine vm;

    Conversions(VirtualMachine vm) {
        this.vm = vm;
    }

    /** A JDI primitive as an adapter-side box (Integer, Character...). */
    static Object java(PrimitiveValue v) {
        if (v instanceof IntegerValue i) return i.value();
        if (v instanceof LongValue l) return l.value();
        if (v instanceof BooleanValue b) return b.value();
        if (v instanceof CharValue c) return c.value();
        if (v instanceof DoubleValue d) return d.value();
        if (v instanceof FloatValue f) return f.value();
        if (v instanceof ShortValue s) return s.value();
        if (v instanceof ByteValue b) return b.value();
        throw new IllegalArgumentException(String.valueOf(v));
    }

    PrimitiveValue mirror(Object o) {
        if (o instanceof Integer i) return vm.mirrorOf(i);
        if (o instanceof Long l) return vm.mirrorOf(l);
        if (o instanceof Boolean b) return vm.mirrorOf(b);
        if (o instanceof Character c) return vm.mirrorOf(c);
        if (o instanceof Double d) return vm.mirrorOf(d);
        if (o instanceof Float f) return vm.mirrorOf(f);
        if (o instanceof Short s) return vm.mirrorOf(s);
        if (o instanceof Byte b) return vm.mirrorOf(b);
        throw new IllegalArgumentException(String.valueOf(o));
    }

    static boolean isBox(Value v) {
        return v instanceof ObjectReference o && PRIMITIVE_OF.containsKey(o.referenceType().name());
    }

    /** The primitive inside a box object. */
    static PrimitiveValue unbox(ObjectReference box) {
        Field f = box.referenceType().fieldByName("value");
        return (PrimitiveValue) box.getValue(f);
    }

    /** A primitive, or the primitive in a box; null when the value is neither. */
    static PrimitiveValue primitive(Value v) {
        if (v instanceof PrimitiveValue p) return p;
        if (isBox(v)) return unbox((ObjectReference) v);
        return null;
    }

    /** The name of a value's type, as Java writes it: int, java.lang.String, int[]. "null" for null. */
    static String typeName(Value v) {
        return v == null ? "null" : v.type().name();
    }

    /** True when a reference type is the named type or a subtype of it. */
    static boolean isSubtype(ReferenceType t, String name) {
        if (name.equals("java.lang.Object") || t.name().equals(name)) return true;
        if (t instanceof ArrayType at) {
            if (name.equals("java.lang.Cloneable") || name.equals("java.io.Serializable")) return true;
            if (!name.endsWith("[]")) return false;
            String comp = name.substring(0, name.length() - 2);
            try {
                Type ct = at.componentType();
                if (ct instanceof ReferenceType rt) return isSubtype(rt, comp);
                return ct.name().equals(comp);
            } catch (ClassNotLoadedException e) {
                return at.componentTypeName().equals(comp);
            }
        }
        if (t instanceof ClassType ct) {
            for (ClassType s = ct.superclass(); s != null; s = s.superclass()) if (s.name().equals(name)) return true;
            for (InterfaceType i : ct.allInterfaces()) if (i.name().equals(name)) return true;
            return false;
        }
        if (t instanceof InterfaceType it) {
            for (InterfaceType s : it.superinterfaces()) if (isSubtype(s, name)) return true;
        }
        return false;
    }

    /** Subtyping between two type names, as far as the VM knows the first one. */
    boolean isSubtype(String sub, String sup) {
        if (sub.equals(sup)) return true;
        if (TypeNames.PRIMITIVES.contains(sub) || TypeNames.PRIMITIVES.contains(sup)) {
            return TypeNames.PRIMITIVES.contains(sub) && TypeNames.PRIMITIVES.contains(sup) && Arithmetic.widens(sub, sup);
        }
        List<ReferenceType> ts = vm.classesByName(sub);
        return !ts.isEmpty() && isSubtype(ts.get(0), sup);
    }

    /** The box class of a primitive type, loaded in every VM. */
    ClassType boxType(String primitive) {
        return (ClassType) vm.classesByName(BOX_OF.get(primitive)).get(0);
    }

    /**
     * Assignment conversion (JLS 5.2) of a value to a variable of the named type: widening,
     * boxing, unboxing, constants narrowed where they fit. Null when the value does not convert.
     * Boxing needs the debuggee, so it goes through {@code boxer}.
     */
    Value assign(Value v, String target, Boxer boxer) {
        if (TypeNames.PRIMITIVES.contains(target)) {
            PrimitiveValue p = primitive(v);
            if (p == null) return null;
            Object j = java(p);
            String from = Arithmetic.typeOf(j);
            if (Arithmetic.widens(from, target) || (v instanceof PrimitiveValue && Arithmetic.fitsConstant(j, target))) {
                return mirror(Arithmetic.cast(j, target));
            }
            return null;
        }
        if (v == null) return NULL_OK;
        if (v instanceof PrimitiveValue p) {
            String prim = p.type().name();
            String box = BOX_OF.get(prim);
            if (!isSubtype(box, target)) {
                // Byte b = 1; Character c = 'a' from an int constant
                String targetPrim = PRIMITIVE_OF.get(target);
                if (targetPrim != null && Arithmetic.fitsConstant(java(p), targetPrim)) {
                    return boxer.box(mirror(Arithmetic.cast(java(p), targetPrim)));
                }
                return null;
            }
            return boxer.box(p);
        }
        ReferenceType rt = ((ObjectReference) v).referenceType();
        return isSubtype(rt, target) ? v : null;
    }

    /** Stands for "null converts" in {@link #assign}, whose null means "does not convert". */
    static final Value NULL_OK = new NullMarker();

    /** A cast (JLS 5.5) to the named type, failing as the JVM would: ClassCastException, a null unboxed. */
    Value cast(Value v, String target, Boxer boxer) {
        if (TypeNames.PRIMITIVES.contains(target)) {
            PrimitiveValue p = primitive(v);
            if (p == null) {
                if (v == null) throw new ThrownByDebuggee("java.lang.NullPointerException: cannot unbox null to " + target, null);
                throw new EvalError("Cannot cast " + typeName(v) + " to " + target + ".");
            }
            Object c = Arithmetic.cast(java(p), target);
            if (c == null) throw new EvalError("Cannot cast " + p.type().name() + " to " + target + ".");
            return mirror(c);
        }
        if (v == null) return null;
        if (v instanceof PrimitiveValue p) {
            Value boxed = assign(p, target, boxer);
            if (boxed == null) throw new EvalError("Cannot cast " + p.type().name() + " to " + Invoker.simple(target) + ".");
            return boxed;
        }
        ReferenceType rt = ((ObjectReference) v).referenceType();
        if (!isSubtype(rt, target)) {
            throw new ThrownByDebuggee("java.lang.ClassCastException: class " + rt.name() + " cannot be cast to class " + target, null);
        }
        return v;
    }

    interface Boxer {
        ObjectReference box(PrimitiveValue p);
    }

    private static final class NullMarker implements Value {
        @Override
        public Type type() {
            return null;
        }

        @Override
        public VirtualMachine virtualMachine() {
            return null;
        }
    }
}
