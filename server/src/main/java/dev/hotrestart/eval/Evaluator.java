package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.*;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.sun.jdi.*;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes a parsed Java expression in one suspended frame. Primitives are computed in the
 * adapter and mirrored back; objects stay in the debuggee, and methods run there. One
 * evaluator serves one evaluation: it caches the frame until a call invalidates it.
 */
public final class Evaluator {
    /** What an evaluation may do to the program. */
    public enum Mode {
        /** Names, fields and array elements: nothing runs in the program. */
        READ_ONLY,
        /** Method calls too (watch, clipboard, conditions, logpoints). */
        CALLS,
        /** Calls and assignments (the debug console). */
        ASSIGN
    }

    private final Debuggee d;
    private final ThreadReference thread;
    private final int depth;
    private final Mode mode;
    private final Specials specials;
    private final Map<String, Value> bindings = new HashMap<>();
    private StackFrame frame;
    /** Locals read ahead in one round trip (see {@link #prefetch}); valid until the frame is. */
    private Map<String, LocalVariable> prefetchNames;
    private Map<LocalVariable, Value> prefetched;
    private LocalsAhead ahead;

    public Evaluator(Debuggee debuggee, ThreadReference thread, int depth, Mode mode, Specials specials) {
        this.d = debuggee;
        this.thread = thread;
        this.depth = depth;
        this.mode = mode;
        this.specials = specials == null ? Specials.NONE : specials;
    }

    /** Reads these locals ahead with the frame (conditions and logpoints, evaluated on every hit). */
    public Evaluator prefetch(LocalsAhead ahead) {
        this.ahead = ahead;
        return this;
    }

    public Value evaluate(String text) {
        return evaluate(Expressions.parse(text));
    }

    public Value evaluate(Expression e) {
        try {
            return eval(e);
        } catch (IncompatibleThreadStateException | InvalidStackFrameException err) {
            throw new EvalError("The thread is running; evaluation needs it stopped.");
        } catch (ObjectCollectedException err) {
            throw new EvalError("An object the expression uses was garbage-collected; evaluate it again.");
        }
    }

    /** A condition: must compute a boolean. */
    public boolean test(Expression e) {
        Value v = evaluate(e);
        PrimitiveValue p = Conversions.primitive(v);
        if (!(p instanceof BooleanValue b)) {
            throw new EvalError("The condition must be boolean, but '" + e + "' is " + Conversions.typeName(v) + ".");
        }
        return b.value();
    }

    /** A value as string concatenation shows it: String.valueOf, with the object's own toString(). */
    public String stringOf(Value v) {
        try {
            return str(v);
        } catch (IncompatibleThreadStateException err) {
            throw new EvalError("The thread is running; evaluation needs it stopped.");
        }
    }

    StackFrame frame() throws IncompatibleThreadStateException {
        if (frame == null) {
            frame = thread.frame(depth);
            if (ahead != null) {
                prefetchNames = ahead.at(frame);
                prefetched = prefetchNames.isEmpty() ? Map.of() : frame.getValues(new ArrayList<>(prefetchNames.values()));
                ahead = null; // once: after a call the frame is fetched again and read one by one
            }
        }
        return frame;
    }

    /** Code ran in the thread (a call, an assignment): the frame and what was read from it are stale. */
    private void invalidate() {
        frame = null;
        prefetchNames = null;
        prefetched = null;
    }

    private ReferenceType here() throws IncompatibleThreadStateException {
        return frame().location().declaringType();
    }

    // ---------------------------------------------------------------- dispatch

    private Value eval(Expression e) throws IncompatibleThreadStateException {
        if (e instanceof EnclosedExpr x) return eval(x.getInner());
        if (e instanceof LiteralExpr x) return Literals.mirror(d.vm, x, false);
        if (e instanceof NameExpr x) return name(x.getNameAsString());
        if (e instanceof ThisExpr x) return self(x);
        if (e instanceof FieldAccessExpr x) return fieldAccess(x);
        if (e instanceof ArrayAccessExpr x) return arrayAccess(x);
        if (e instanceof MethodCallExpr x) return call(x);
        if (e instanceof BinaryExpr x) return binary(x);
        if (e instanceof UnaryExpr x) return unary(x);
        if (e instanceof ConditionalExpr x) {
            return bool(eval(x.getCondition()), x.getCondition()) ? eval(x.getThenExpr()) : eval(x.getElseExpr());
        }
        if (e instanceof CastExpr x) return cast(x);
        if (e instanceof InstanceOfExpr x) return instanceOf(x);
        if (e instanceof ObjectCreationExpr x) return create(x);
        if (e instanceof ArrayCreationExpr x) return createArray(x);
        if (e instanceof AssignExpr x) return assign(x);
        if (e instanceof ClassExpr x) return classLiteral(x);
        if (e instanceof SuperExpr) throw new EvalError("'super' alone is not a value; use super.field or super.method().");
        throw new EvalError("This kind of expression is not evaluated: " + e.getClass().getSimpleName().replace("Expr", "") + " '" + e + "'.");
    }

    // ---------------------------------------------------------------- names

    /** A variable's value by simple name: pattern variable, local, field (also of outer classes). */
    private Value name(String n) throws IncompatibleThreadStateException {
        Variable v = variable(n);
        if (v != null) return v.get();
        if (d.types.resolve(n, here(), null) != null) {
            throw new EvalError("'" + n + "' is a type, not a value; use a static member of it (" + n + ".NAME) or " + n + ".class.");
        }
        throw new EvalError("'" + n + "' is not a local variable, parameter or field visible here (" + Invoker.simple(here().name())
                + "." + frame().location().method().name() + ").");
    }

    /** Something that can be read and perhaps assigned, with its declared type. */
    private interface Variable {
        Value get();

        String typeName();

        void set(Value v) throws Exception;
    }

    private Variable variable(String n) throws IncompatibleThreadStateException {
        if (bindings.containsKey(n)) {
            Value b = bindings.get(n);
            return new Variable() {
                public Value get() { return b; }
                public String typeName() { return Conversions.typeName(b); }
                public void set(Value v) { bindings.put(n, v); }
            };
        }
        if (n.equals("$exception")) {
            if (specials.exception() == null) {
                throw new EvalError("$exception is the exception the thread stopped on, and this thread did not stop on one.");
            }
            return constant(specials.exception());
        }
        if (n.equals("$return")) return constant(returned());
        LocalVariable lv = null;
        StackFrame here = frame();
        if (prefetchNames != null && prefetchNames.containsKey(n)) {
            lv = prefetchNames.get(n);
        } else {
            try {
                lv = here.visibleVariableByName(n);
            } catch (AbsentInformationException ignored) {
                // compiled without -g: fields only
            }
        }
        if (lv != null) {
            LocalVariable local = lv;
            return new Variable() {
                public Value get() {
                    try {
                        if (prefetched != null && prefetched.containsKey(local)) return prefetched.get(local);
                        return frame().getValue(local);
                    } catch (IncompatibleThreadStateException e) {
                        throw new EvalError("The thread is running.");
                    }
                }
                public String typeName() { return local.typeName(); }
                public void set(Value v) throws Exception { frame().setValue(local, v); }
            };
        }
        ReferenceType type = here();
        ObjectReference self = frame().thisObject();
        // this class, then outer classes through this$0 (or statically)
        while (type != null) {
            Field f = type.fieldByName(n);
            // a local or anonymous class keeps the locals it captured as val$name fields
            if (f == null && self != null && !n.startsWith("val$")) f = type.fieldByName("val$" + n);
            if (f != null) {
                if (!f.isStatic() && self == null) {
                    throw new EvalError("'" + n + "' is an instance field of " + Invoker.simple(type.name()) + ", and this frame is static.");
                }
                return field(f.isStatic() ? null : self, f);
            }
            Field outerThis = self == null ? null : self.referenceType().fieldByName("this$0");
            self = outerThis == null ? null : (ObjectReference) self.getValue(outerThis);
            int dollar = type.name().lastIndexOf('$');
            type = dollar < 0 ? null : d.types.loaded(type.name().substring(0, dollar), type);
        }
        for (ReferenceType holder : d.types.staticImports(here(), n)) {
            Field f = holder.fieldByName(n);
            if (f != null && f.isStatic()) return field(null, f);
        }
        return null;
    }

    private Value returned() {
        Returned r = specials.returned();
        if (r == null) {
            throw new EvalError("$return is the value the last stepOut returned, and this thread's last step was not a stepOut"
                    + (d.vm.canGetMethodReturnValues() ? "." : " (this JVM cannot report return values)."));
        }
        if (r.value() instanceof VoidValue) throw new EvalError(Invoker.signature(r.method()) + " is void: it returned no value.");
        return r.value();
    }

    private static Variable constant(Value v) {
        return new Variable() {
            public Value get() { return v; }
            public String typeName() { return Conversions.typeName(v); }
            public void set(Value x) { throw new EvalError("This is not a variable that can be assigned."); }
        };
    }

    private Variable field(ObjectReference owner, Field f) {
        return new Variable() {
            public Value get() { return owner == null ? f.declaringType().getValue(f) : owner.getValue(f); }
            public String typeName() { return f.typeName(); }
            public void set(Value v) throws Exception {
                if (owner != null) owner.setValue(f, v);
                else if (f.declaringType() instanceof ClassType ct) ct.setValue(f, v);
                else throw new EvalError("Interface constants cannot be assigned.");
            }
        };
    }

    private Value self(ThisExpr x) throws IncompatibleThreadStateException {
        ObjectReference self = frame().thisObject();
        if (self == null) throw new EvalError("'this' does not exist in a static method.");
        if (x.getTypeName().isEmpty()) return self;
        // Outer.this: follow this$0 until the type matches
        ReferenceType want = type(x.getTypeName().get().asString());
        for (ObjectReference o = self; o != null; ) {
            if (Conversions.isSubtype(o.referenceType(), want.name())) return o;
            Field f = o.referenceType().fieldByName("this$0");
            o = f == null ? null : (ObjectReference) o.getValue(f);
        }
        throw new EvalError("No enclosing instance of " + x.getTypeName().get() + " is reachable from here.");
    }

    /** The type a name denotes, loading it when needed (not in read-only mode). */
    private ReferenceType type(String name) throws IncompatibleThreadStateException {
        ReferenceType here = here();
        boolean[] loaded = {false};
        ReferenceType t = d.types.resolve(name, here, mode == Mode.READ_ONLY ? null : (n, ctx) -> {
            loaded[0] = true;
            return d.invoker.load(n, ctx, thread);
        });
        if (loaded[0]) invalidate(); // loading ran code in the thread, which invalidates the frame
        if (t == null) throw new EvalError("Unknown type '" + name + "': not imported by " + Invoker.simple(here.name())
                + "'s source, not in its package or java.lang, and not a loaded class.");
        return t;
    }

    private String typeName(com.github.javaparser.ast.type.Type t) throws IncompatibleThreadStateException {
        if (t.isPrimitiveType()) return t.asPrimitiveType().asString();
        if (t.isArrayType()) return typeName(t.asArrayType().getComponentType()) + "[]";
        if (t.isClassOrInterfaceType()) return type(t.asClassOrInterfaceType().getNameWithScope()).name();
        throw new EvalError("Unsupported type " + t + ".");
    }

    /**
     * A scope before a dot: a value, or a type (for static members). A name is a variable first,
     * a type second (JLS 6.5.2); a dotted name whose head is no variable may be a qualified type.
     */
    private Object valueOrType(Expression e) throws IncompatibleThreadStateException {
        if (e instanceof NameExpr n) {
            Variable v = variable(n.getNameAsString());
            if (v != null) return new Holder(v.get());
            return type(n.getNameAsString());
        }
        if (e instanceof FieldAccessExpr fa && Expressions.isDottedName(fa) && variable(Expressions.head(fa)) == null) {
            ReferenceType t = d.types.resolve(fa.toString(), here(), null);
            if (t != null) return t;
            Object scope = valueOrTypeLenient(fa.getScope());
            if (scope == null) return type(fa.toString());
            return held(member(scope, fa.getNameAsString(), fa));
        }
        return new Holder(eval(e));
    }

    /** Like valueOrType, but null where the scope is a package name. */
    private Object valueOrTypeLenient(Expression e) throws IncompatibleThreadStateException {
        if (e instanceof NameExpr n) {
            Variable v = variable(n.getNameAsString());
            if (v != null) return new Holder(v.get());
            return d.types.resolve(n.getNameAsString(), here(), null);
        }
        if (e instanceof FieldAccessExpr fa && Expressions.isDottedName(fa)) {
            ReferenceType t = d.types.resolve(fa.toString(), here(), null);
            if (t != null) return t;
            Object scope = valueOrTypeLenient(fa.getScope());
            return scope == null ? null : held(member(scope, fa.getNameAsString(), fa));
        }
        return new Holder(eval(e));
    }

    private record Holder(Value value) {}

    private static Object held(Object member) {
        return member instanceof Variable v ? new Holder(v.get()) : member;
    }

    private Value fieldAccess(FieldAccessExpr x) throws IncompatibleThreadStateException {
        return valueOf(memberOf(x), x);
    }

    private Object memberOf(FieldAccessExpr x) throws IncompatibleThreadStateException {
        if (x.getScope() instanceof SuperExpr) {
            ObjectReference self = frame().thisObject();
            ClassType sup = ((ClassType) here()).superclass();
            Field f = sup.fieldByName(x.getNameAsString());
            if (f == null) throw new EvalError(Invoker.simple(sup.name()) + " has no field '" + x.getNameAsString() + "'.");
            return field(f.isStatic() ? null : self, f);
        }
        Object scope = valueOrType(x.getScope());
        return member(scope, x.getNameAsString(), x);
    }

    private static Value valueOf(Object member, Expression x) {
        if (member instanceof Variable v) return v.get();
        if (member instanceof Holder h) return h.value();
        throw new EvalError("'" + x + "' is a type, not a value.");
    }

    /** scope.name: a field (Variable), an array length (Holder) or a nested type. */
    private Object member(Object scope, String name, FieldAccessExpr x) throws IncompatibleThreadStateException {
        if (scope instanceof Variable v) scope = new Holder(v.get());
        if (scope instanceof ReferenceType t) {
            Field f = t.fieldByName(name);
            if (f != null) {
                if (!f.isStatic()) throw new EvalError("'" + name + "' is an instance field of " + Invoker.simple(t.name()) + "; it needs an object, not the type.");
                return field(null, f);
            }
            ReferenceType nested = d.types.loaded(t.name() + "$" + name, t);
            if (nested != null) return nested;
            throw new EvalError(Invoker.simple(t.name()) + " has no static field '" + name + "'.");
        }
        Value v = ((Holder) scope).value();
        if (v instanceof ArrayReference a) {
            if (name.equals("length")) return new Holder(d.vm.mirrorOf(a.length()));
            throw new EvalError("Arrays have no field '" + name + "'; only length.");
        }
        if (v == null) throw npe("read field '" + name + "'", x.getScope());
        if (!(v instanceof ObjectReference o)) throw new EvalError("'" + x.getScope() + "' is a " + v.type().name() + "; it has no fields.");
        ReferenceType lookup = staticType(x.getScope(), o);
        Field f = lookup.fieldByName(name);
        if (f == null) throw new EvalError(Invoker.simple(lookup.name()) + " has no field '" + name + "'.");
        return field(f.isStatic() ? null : o, f);
    }

    /**
     * The type whose fields a receiver shows: the cast's type or the frame's class for this,
     * so shadowed fields read as Java reads them; otherwise the object's own class.
     */
    private ReferenceType staticType(Expression scope, ObjectReference o) throws IncompatibleThreadStateException {
        while (scope instanceof EnclosedExpr en) scope = en.getInner();
        if (scope instanceof CastExpr c && !c.getType().isPrimitiveType() && !c.getType().isArrayType()) {
            return type(c.getType().asClassOrInterfaceType().getNameWithScope());
        }
        if (scope instanceof ThisExpr t && t.getTypeName().isEmpty()) return here();
        return o.referenceType();
    }

    private static ThrownByDebuggee npe(String what, Expression scope) {
        return new ThrownByDebuggee("java.lang.NullPointerException: cannot " + what + " because '" + scope + "' is null", null);
    }

    // ---------------------------------------------------------------- arrays

    private Value arrayAccess(ArrayAccessExpr x) throws IncompatibleThreadStateException {
        return arrayElement(x).get();
    }

    private Variable arrayElement(ArrayAccessExpr x) throws IncompatibleThreadStateException {
        Value a = eval(x.getName());
        Value i = eval(x.getIndex());
        if (a == null) throw npe("read an element", x.getName());
        if (!(a instanceof ArrayReference arr)) throw new EvalError("'" + x.getName() + "' is a " + a.type().name() + ", not an array.");
        PrimitiveValue p = Conversions.primitive(i);
        if (p == null || !Arithmetic.isNumeric(Conversions.java(p)) || !Arithmetic.promote(Conversions.java(p)).equals("int")) {
            throw new EvalError("An array index must be an int, but '" + x.getIndex() + "' is " + Conversions.typeName(i) + ".");
        }
        int index = (int) Arithmetic.cast(Conversions.java(p), "int");
        if (index < 0 || index >= arr.length()) {
            throw new ThrownByDebuggee("java.lang.ArrayIndexOutOfBoundsException: Index " + index + " out of bounds for length " + arr.length(), null);
        }
        return new Variable() {
            public Value get() { return arr.getValue(index); }
            public String typeName() { return ((ArrayType) arr.type()).componentTypeName(); }
            public void set(Value v) throws Exception { arr.setValue(index, v); }
        };
    }

    private Value createArray(ArrayCreationExpr x) throws IncompatibleThreadStateException {
        needCalls("create arrays");
        String elem = typeName(x.getElementType());
        int dims = x.getLevels().size();
        String typeName = elem + "[]".repeat(dims);
        if (x.getInitializer().isPresent()) return initArray(typeName, x.getInitializer().get());
        List<Integer> sizes = new ArrayList<>();
        for (var level : x.getLevels()) {
            if (level.getDimension().isEmpty()) break;
            Value n = eval(level.getDimension().get());
            PrimitiveValue p = Conversions.primitive(n);
            if (p == null || !Arithmetic.promote(Conversions.java(p)).equals("int")) throw new EvalError("An array size must be an int.");
            int size = (int) Arithmetic.cast(Conversions.java(p), "int");
            if (size < 0) throw new ThrownByDebuggee("java.lang.NegativeArraySizeException: " + size, null);
            sizes.add(size);
        }
        return newArray(typeName, sizes, 0);
    }

    private ArrayReference newArray(String typeName, List<Integer> sizes, int level) {
        ArrayReference a = d.invoker.newArray(typeName, sizes.get(level), thread);
        invalidate();
        if (level + 1 < sizes.size()) {
            String comp = typeName.substring(0, typeName.length() - 2);
            for (int i = 0; i < sizes.get(level); i++) {
                try {
                    a.setValue(i, newArray(comp, sizes, level + 1));
                } catch (InvalidTypeException | ClassNotLoadedException e) {
                    throw new EvalError("Cannot create " + typeName + ": " + e.getMessage());
                }
            }
        }
        return a;
    }

    private ArrayReference initArray(String typeName, ArrayInitializerExpr init) throws IncompatibleThreadStateException {
        String comp = typeName.substring(0, typeName.length() - 2);
        List<Value> values = new ArrayList<>();
        for (Expression e : init.getValues()) {
            values.add(e instanceof ArrayInitializerExpr inner ? initArray(comp, inner) : eval(e));
        }
        ArrayReference a = d.invoker.newArray(typeName, values.size(), thread);
        invalidate();
        for (int i = 0; i < values.size(); i++) {
            Value v = convertFor(values.get(i), comp, init.getValues().get(i));
            try {
                a.setValue(i, v);
            } catch (InvalidTypeException | ClassNotLoadedException e) {
                throw new EvalError("Cannot store " + Conversions.typeName(values.get(i)) + " in " + typeName + ": " + e.getMessage());
            }
        }
        return a;
    }

    // ---------------------------------------------------------------- operators

    private boolean bool(Value v, Expression e) {
        PrimitiveValue p = Conversions.primitive(v);
        if (p instanceof BooleanValue b) return b.value();
        if (v == null && e != null) throw new ThrownByDebuggee("java.lang.NullPointerException: '" + e + "' is null", null);
        throw new EvalError("'" + e + "' must be boolean, but it is " + Conversions.typeName(v) + ".");
    }

    private Value binary(BinaryExpr x) throws IncompatibleThreadStateException {
        BinaryExpr.Operator op = x.getOperator();
        if (op == BinaryExpr.Operator.AND) {
            return d.vm.mirrorOf(bool(eval(x.getLeft()), x.getLeft()) && bool(eval(x.getRight()), x.getRight()));
        }
        if (op == BinaryExpr.Operator.OR) {
            return d.vm.mirrorOf(bool(eval(x.getLeft()), x.getLeft()) || bool(eval(x.getRight()), x.getRight()));
        }
        Value l = eval(x.getLeft());
        Value r = eval(x.getRight());
        return operate(op, l, r, x.getLeft(), x.getRight());
    }

    private Value operate(BinaryExpr.Operator op, Value l, Value r, Expression le, Expression re) throws IncompatibleThreadStateException {
        if (op == BinaryExpr.Operator.PLUS && (isString(l, le) || isString(r, re))) {
            return d.vm.mirrorOf(str(l) + str(r));
        }
        if ((op == BinaryExpr.Operator.EQUALS || op == BinaryExpr.Operator.NOT_EQUALS)
                && !(l instanceof PrimitiveValue) && !(r instanceof PrimitiveValue)) {
            boolean same = l == null ? r == null : l.equals(r);
            return d.vm.mirrorOf(op == BinaryExpr.Operator.EQUALS == same);
        }
        PrimitiveValue a = Conversions.primitive(l), b = Conversions.primitive(r);
        if (a == null || b == null) {
            if ((l == null && a == null) || (r == null && b == null)) {
                throw new ThrownByDebuggee("java.lang.NullPointerException: cannot unbox null in '" + (l == null ? le : re) + "'", null);
            }
            throw new EvalError("The operator " + op.asString() + " is undefined for the argument types "
                    + Conversions.typeName(l) + ", " + Conversions.typeName(r) + ".");
        }
        try {
            return d.conv.mirror(Arithmetic.binary(op, Conversions.java(a), Conversions.java(b)));
        } catch (EvalError e) {
            if (e.getMessage().startsWith("java.lang.ArithmeticException")) throw new ThrownByDebuggee(e.getMessage(), null);
            throw e;
        }
    }

    /** True when a value is a String, or null where the expression's declared type is String. */
    private boolean isString(Value v, Expression e) throws IncompatibleThreadStateException {
        if (v instanceof StringReference) return true;
        if (v != null || e == null) return false;
        while (e instanceof EnclosedExpr en) e = en.getInner();
        if (e instanceof NameExpr n) {
            Variable var = variable(n.getNameAsString());
            return var != null && var.typeName().equals("java.lang.String");
        }
        if (e instanceof CastExpr c) return c.getType().asString().equals("String") || c.getType().asString().equals("java.lang.String");
        return false;
    }

    private String str(Value v) throws IncompatibleThreadStateException {
        if (v == null) return "null";
        if (v instanceof StringReference s) return s.value();
        if (v instanceof PrimitiveValue p) return String.valueOf(Conversions.java(p));
        if (Conversions.isBox(v)) return String.valueOf(Conversions.java(Conversions.unbox((ObjectReference) v)));
        needCalls("call toString()");
        ObjectReference o = (ObjectReference) v;
        Method m = ((ClassType) (o.referenceType() instanceof ClassType ? o.referenceType() : d.vm.classesByName("java.lang.Object").get(0)))
                .concreteMethodByName("toString", "()Ljava/lang/String;");
        if (o instanceof ArrayReference) {
            m = ((ClassType) d.vm.classesByName("java.lang.Object").get(0)).concreteMethodByName("toString", "()Ljava/lang/String;");
        }
        Value s = d.invoker.invoke(thread, o, m, List.of(), false);
        invalidate();
        return s == null ? "null" : ((StringReference) s).value();
    }

    private Value unary(UnaryExpr x) throws IncompatibleThreadStateException {
        UnaryExpr.Operator op = x.getOperator();
        if (op == UnaryExpr.Operator.MINUS && x.getExpression() instanceof IntegerLiteralExpr
                || op == UnaryExpr.Operator.MINUS && x.getExpression() instanceof LongLiteralExpr) {
            Value v = Literals.mirror(d.vm, (LiteralExpr) x.getExpression(), true);
            if (v instanceof IntegerValue i && i.value() == Integer.MIN_VALUE) return v;
            if (v instanceof LongValue l && l.value() == Long.MIN_VALUE) return v;
            return d.conv.mirror(Arithmetic.unary(op, Conversions.java((PrimitiveValue) v)));
        }
        if (x.getOperator().isPrefix() && (op == UnaryExpr.Operator.PREFIX_INCREMENT || op == UnaryExpr.Operator.PREFIX_DECREMENT)
                || op == UnaryExpr.Operator.POSTFIX_INCREMENT || op == UnaryExpr.Operator.POSTFIX_DECREMENT) {
            needAssign(x);
            Variable var = target(x.getExpression());
            Value old = var.get();
            BinaryExpr.Operator bop = op == UnaryExpr.Operator.PREFIX_INCREMENT || op == UnaryExpr.Operator.POSTFIX_INCREMENT
                    ? BinaryExpr.Operator.PLUS : BinaryExpr.Operator.MINUS;
            Value updated = d.conv.cast(operate(bop, old, d.vm.mirrorOf(1), x.getExpression(), null), var.typeName(), this::box);
            store(var, updated, x);
            return op.isPostfix() ? old : var.get();
        }
        Value v = eval(x.getExpression());
        PrimitiveValue p = Conversions.primitive(v);
        if (p == null) {
            if (v == null) throw new ThrownByDebuggee("java.lang.NullPointerException: cannot unbox null in '" + x.getExpression() + "'", null);
            throw new EvalError("The operator " + op.asString() + " is undefined for " + Conversions.typeName(v) + ".");
        }
        return d.conv.mirror(Arithmetic.unary(op, Conversions.java(p)));
    }

    // ---------------------------------------------------------------- casts and instanceof

    private Value cast(CastExpr x) throws IncompatibleThreadStateException {
        Value v = eval(x.getExpression());
        return d.conv.cast(v, typeName(x.getType()), this::box);
    }

    private Value instanceOf(InstanceOfExpr x) throws IncompatibleThreadStateException {
        Value v = eval(x.getExpression());
        String target = typeName(x.getType());
        boolean is = v instanceof ObjectReference o && Conversions.isSubtype(o.referenceType(), target);
        if (is && x.getPattern().isPresent()) {
            PatternExpr p = x.getPattern().get();
            if (p instanceof TypePatternExpr tp) bindings.put(tp.getNameAsString(), v);
            else throw new EvalError("Record patterns are not evaluated; use a type pattern (o instanceof T t).");
        }
        return d.vm.mirrorOf(is);
    }

    // ---------------------------------------------------------------- calls and creation

    private void needCalls(String what) {
        if (mode == Mode.READ_ONLY) {
            throw new EvalError("Hover does not " + what + " (it could change the program); evaluate it in Watch or the Debug Console.");
        }
    }

    private void needAssign(Expression x) {
        if (mode != Mode.ASSIGN) {
            throw new EvalError("'" + x + "' changes the program; assignments run only in the Debug Console (repl).");
        }
    }

    private ObjectReference box(PrimitiveValue p) {
        needCalls("box values");
        invalidate();
        return d.invoker.box(p, thread);
    }

    private List<Value> args(MethodCallExpr x) throws IncompatibleThreadStateException {
        List<Value> out = new ArrayList<>();
        for (Expression a : x.getArguments()) out.add(eval(a));
        return out;
    }

    private Value call(MethodCallExpr x) throws IncompatibleThreadStateException {
        String name = x.getNameAsString();
        needCalls("call methods like " + name + "()");
        Value result;
        if (x.getScope().isEmpty()) {
            List<Value> args = args(x);
            ReferenceType type = here();
            ObjectReference self = frame().thisObject();
            List<Method> candidates = type.methodsByName(name);
            if (candidates.isEmpty()) {
                // import static a.B.name (or a.B.*) in the frame's source file
                for (ReferenceType holder : d.types.staticImports(type, name)) {
                    List<Method> statics = holder.methodsByName(name).stream().filter(Method::isStatic).toList();
                    if (!statics.isEmpty()) {
                        Method m = d.invoker.choose(statics, args, name, holder.name());
                        result = d.invoker.invokeStatic(thread, holder, m, d.invoker.convert(m, args, thread));
                        invalidate();
                        return result;
                    }
                }
            }
            Method m = d.invoker.choose(candidates, args, name, type.name());
            List<Value> conv = d.invoker.convert(m, args, thread);
            if (m.isStatic()) {
                result = d.invoker.invokeStatic(thread, m.declaringType(), m, conv);
            } else {
                if (self == null) throw new EvalError(Invoker.signature(m) + " is an instance method, and this frame is static.");
                result = d.invoker.invoke(thread, self, m, conv, false);
            }
        } else if (x.getScope().get() instanceof SuperExpr) {
            List<Value> args = args(x);
            ObjectReference self = frame().thisObject();
            ClassType sup = ((ClassType) here()).superclass();
            Method m = d.invoker.choose(sup.methodsByName(name), args, name, sup.name());
            List<Value> conv = d.invoker.convert(m, args, thread);
            result = m.isStatic() ? d.invoker.invokeStatic(thread, m.declaringType(), m, conv) : d.invoker.invoke(thread, self, m, conv, true);
        } else {
            Object scope = valueOrType(x.getScope().get());
            List<Value> args = args(x);
            if (scope instanceof ReferenceType t) {
                List<Method> statics = new ArrayList<>();
                for (Method m : t.methodsByName(name)) if (m.isStatic()) statics.add(m);
                if (statics.isEmpty() && !t.methodsByName(name).isEmpty()) {
                    throw new EvalError(name + "() of " + Invoker.simple(t.name()) + " is an instance method; call it on an object.");
                }
                Method m = d.invoker.choose(statics, args, name, t.name());
                result = d.invoker.invokeStatic(thread, t, m, d.invoker.convert(m, args, thread));
            } else {
                Value v = ((Holder) scope).value();
                if (v == null) throw npe("call " + name + "()", x.getScope().get());
                if (v instanceof PrimitiveValue) throw new EvalError("'" + x.getScope().get() + "' is a " + v.type().name() + "; it has no methods.");
                ObjectReference o = (ObjectReference) v;
                ReferenceType t = o instanceof ArrayReference ? d.vm.classesByName("java.lang.Object").get(0) : o.referenceType();
                Method m = d.invoker.choose(t.methodsByName(name), args, name, t.name());
                List<Value> conv = d.invoker.convert(m, args, thread);
                result = m.isStatic() ? d.invoker.invokeStatic(thread, m.declaringType(), m, conv) : d.invoker.invoke(thread, o, m, conv, false);
            }
        }
        invalidate();
        return result;
    }

    private Value create(ObjectCreationExpr x) throws IncompatibleThreadStateException {
        needCalls("create objects");
        if (x.getAnonymousClassBody().isPresent()) throw new EvalError("Anonymous classes are not evaluated.");
        ClassOrInterfaceType ct = x.getType();
        ReferenceType t = type(ct.getNameWithScope());
        if (!(t instanceof ClassType cls) || cls.isAbstract()) throw new EvalError(Invoker.simple(t.name()) + " cannot be instantiated (abstract class or interface).");
        List<Value> args = new ArrayList<>();
        for (Expression a : x.getArguments()) args.add(eval(a));
        Method ctor = d.invoker.choose(cls.methodsByName("<init>"), args, "<init>", cls.name());
        ObjectReference o = d.invoker.newInstance(thread, cls, ctor, d.invoker.convert(ctor, args, thread));
        invalidate();
        return o;
    }

    private Value classLiteral(ClassExpr x) throws IncompatibleThreadStateException {
        String n = typeName(x.getType());
        if (TypeNames.PRIMITIVES.contains(n)) {
            ClassType box = d.conv.boxType(n);
            return box.getValue(box.fieldByName("TYPE"));
        }
        List<ReferenceType> ts = d.vm.classesByName(n);
        if (ts.isEmpty()) throw new EvalError("The type " + n + " is not loaded.");
        return ts.get(0).classObject();
    }

    // ---------------------------------------------------------------- assignment

    private Variable target(Expression e) throws IncompatibleThreadStateException {
        while (e instanceof EnclosedExpr en) e = en.getInner();
        if (e instanceof NameExpr n) {
            Variable v = variable(n.getNameAsString());
            if (v == null) throw new EvalError("'" + n + "' is not a local variable or field visible here.");
            return v;
        }
        if (e instanceof FieldAccessExpr fa) {
            Object m = memberOf(fa);
            if (m instanceof Variable v) return v;
            throw new EvalError("'" + fa + "' cannot be assigned.");
        }
        if (e instanceof ArrayAccessExpr aa) return arrayElement(aa);
        throw new EvalError("'" + e + "' cannot be assigned: only variables, fields and array elements can.");
    }

    private Value assign(AssignExpr x) throws IncompatibleThreadStateException {
        needAssign(x);
        Variable var = target(x.getTarget());
        Value v = eval(x.getValue());
        Value result;
        if (x.getOperator() == AssignExpr.Operator.ASSIGN) {
            result = convertFor(v, var.typeName(), x.getValue());
        } else {
            BinaryExpr.Operator op = x.getOperator().toBinaryOperator().orElseThrow();
            Value combined = operate(op, var.get(), v, x.getTarget(), x.getValue());
            result = var.typeName().equals("java.lang.String") ? combined : d.conv.cast(combined, var.typeName(), this::box);
        }
        store(var, result, x);
        return var.get();
    }

    /** Assignment conversion, refusing with both types named. */
    private Value convertFor(Value v, String target, Expression e) {
        Value c = d.conv.assign(v, target, this::box);
        if (c == null) {
            throw new EvalError("Type mismatch: cannot convert " + Conversions.typeName(v) + " to " + target
                    + (e == null ? "" : " ('" + e + "')") + ".");
        }
        return c == Conversions.NULL_OK ? null : c;
    }

    private void store(Variable var, Value v, Expression x) {
        try {
            var.set(v);
        } catch (EvalError e) {
            throw e;
        } catch (Exception e) {
            throw new EvalError("Cannot assign '" + x + "': " + e.getMessage());
        }
        invalidate();
    }

    /**
     * setExpression: assigns the value of {@code valueText} to what {@code targetText} names (a
     * local, a field or an array element), converted to its type as Java assignment would.
     */
    public Value assign(String targetText, String valueText) {
        Expression target = Expressions.parse(targetText);
        Expression value = Expressions.parse(valueText);
        try {
            Variable var = target(target);
            Value v = convertFor(eval(value), var.typeName(), value);
            store(var, v, target);
            return var.get();
        } catch (IncompatibleThreadStateException | InvalidStackFrameException err) {
            throw new EvalError("The thread is running; evaluation needs it stopped.");
        }
    }

    /** A value for a variable of the named type (setVariable): assignment conversion, or an error naming both types. */
    public Value convertTo(Value v, String target) {
        return convertFor(v, target, null);
    }
}
