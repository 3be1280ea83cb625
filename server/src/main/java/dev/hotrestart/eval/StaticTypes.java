package dev.hotrestart.eval;

import com.github.javaparser.ast.expr.*;
import com.sun.jdi.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static type of an expression at a place in the code, found without running anything in
 * the program: what a completion after a dot lists, and whether a breakpoint condition can work
 * before it is ever hit. It fails only where the evaluator would fail on every hit; where it
 * cannot tell (a class not loaded yet, a generic result, a receiver whose runtime class may
 * have more members than its declared type) the type is unknown and nothing is refused.
 */
public final class StaticTypes {
    /**
     * A type by its JDI name ("int", "java.lang.String", "a.B$C", "int[]", "null"); a type name
     * itself when {@code isType}. {@code generic} is the parameterized type when it is known
     * ({@code List<String>}), so that members of it are typed as Java types them.
     */
    public record T(String name, boolean isType, GenericSignatures.G generic) {
        static final T UNKNOWN = new T(null, false);

        T(String name, boolean isType) {
            this(name, isType, null);
        }

        boolean known() {
            return name != null;
        }

        static T of(String name) {
            return new T(name, false);
        }
    }

    private final Debuggee d;
    private final ReferenceType here;
    private final boolean staticFrame;
    private final String where;
    /** A local's declared type; null when no local has that name. */
    private final java.util.function.Function<String, T> locals;
    private final boolean localsKnown;
    private final Map<String, T> patterns = new HashMap<>();

    private StaticTypes(Debuggee d, Method method, java.util.function.Function<String, T> locals, boolean localsKnown) {
        this.d = d;
        this.here = method.declaringType();
        this.staticFrame = method.isStatic();
        this.where = Invoker.simple(here.name()) + "." + method.name();
        this.locals = locals;
        this.localsKnown = localsKnown;
    }

    /** At a code location (a breakpoint's): locals of the method by name, whatever their scope. */
    public static StaticTypes at(Debuggee d, Location loc) {
        Method m = loc.method();
        boolean known = true;
        try {
            m.variables();
        } catch (AbsentInformationException e) {
            known = false;
        }
        return new StaticTypes(d, m, n -> {
            List<LocalVariable> lvs;
            try {
                lvs = m.variablesByName(n);
            } catch (AbsentInformationException e) {
                return null;
            }
            if (lvs.isEmpty()) return null;
            T t = declared(lvs.get(0));
            for (LocalVariable lv : lvs) if (!lv.signature().equals(lvs.get(0).signature())) return T.UNKNOWN;
            return t;
        }, known);
    }

    /** In a suspended frame: the locals visible there. */
    public static StaticTypes in(Debuggee d, StackFrame f) {
        boolean known = true;
        try {
            f.visibleVariables();
        } catch (AbsentInformationException e) {
            known = false;
        }
        return new StaticTypes(d, f.location().method(), n -> {
            try {
                LocalVariable lv = f.visibleVariableByName(n);
                return lv == null ? null : declared(lv);
            } catch (AbsentInformationException e) {
                return null;
            }
        }, known);
    }

    private static T declared(LocalVariable lv) {
        return declaredAs(lv.typeName(), lv.genericSignature());
    }

    /** A declared type: unknown when it is a type variable, with its arguments when it has some. */
    private static T declaredAs(String erased, String signature) {
        if (signature == null) return T.of(erased);
        GenericSignatures.G g = GenericSignatures.concrete(GenericSignatures.type(signature));
        return g == null ? T.UNKNOWN : new T(erased, false, g);
    }

    /** Refuses a condition that cannot compute a boolean here; says why as the evaluator would. */
    public void checkCondition(Expression e) {
        T t = typeOf(e);
        if (t.known() && exact(t) && !t.name().equals("boolean") && !t.name().equals("java.lang.Boolean")) {
            throw new EvalError("The condition must be boolean, but '" + e + "' is " + t.name() + ".");
        }
    }

    public T typeOf(Expression e) {
        if (e instanceof EnclosedExpr x) return typeOf(x.getInner());
        if (e instanceof NullLiteralExpr) return T.of("null");
        if (e instanceof BooleanLiteralExpr) return T.of("boolean");
        if (e instanceof CharLiteralExpr) return T.of("char");
        if (e instanceof StringLiteralExpr || e instanceof TextBlockLiteralExpr) return T.of("java.lang.String");
        if (e instanceof LongLiteralExpr) return T.of("long");
        if (e instanceof IntegerLiteralExpr) return T.of("int");
        if (e instanceof DoubleLiteralExpr x) return T.of(x.getValue().toLowerCase().endsWith("f") ? "float" : "double");
        if (e instanceof NameExpr x) return value(x.getNameAsString());
        if (e instanceof ThisExpr x) {
            if (staticFrame) throw new EvalError("'this' does not exist in a static method.");
            return x.getTypeName().isEmpty() ? T.of(here.name()) : T.UNKNOWN;
        }
        if (e instanceof FieldAccessExpr x) {
            T t = scope(x);
            if (t.isType()) throw new EvalError("'" + x + "' is a type, not a value.");
            return t;
        }
        if (e instanceof ArrayAccessExpr x) return element(x);
        if (e instanceof MethodCallExpr x) return call(x);
        if (e instanceof BinaryExpr x) return binary(x);
        if (e instanceof UnaryExpr x) return unary(x);
        if (e instanceof ConditionalExpr x) {
            requireBoolean(x.getCondition());
            T a = typeOf(x.getThenExpr()), b = typeOf(x.getElseExpr());
            return a.equals(b) ? a : T.UNKNOWN;
        }
        if (e instanceof CastExpr x) {
            typeOf(x.getExpression());
            return typeNamed(x.getType());
        }
        if (e instanceof InstanceOfExpr x) {
            typeOf(x.getExpression());
            if (x.getPattern().orElse(null) instanceof TypePatternExpr p) patterns.put(p.getNameAsString(), typeNamed(p.getType()));
            return T.of("boolean");
        }
        if (e instanceof ObjectCreationExpr x) {
            for (Expression a : x.getArguments()) typeOf(a);
            return typeNamed(x.getType());
        }
        if (e instanceof ArrayCreationExpr x) {
            T elem = typeNamed(x.getElementType());
            return elem.known() ? T.of(elem.name() + "[]".repeat(x.getLevels().size())) : T.UNKNOWN;
        }
        if (e instanceof ClassExpr) return T.of("java.lang.Class");
        if (e instanceof AssignExpr) {
            throw new EvalError("'" + e + "' changes the program; assignments run only in the Debug Console (repl).");
        }
        return T.UNKNOWN;
    }

    // ---------------------------------------------------------------- names and members

    /** A simple name used as a value: pattern variable, local, field; else it names nothing here. */
    private T value(String n) {
        T v = variable(n);
        if (v != null) return v;
        if (!localsKnown) return T.UNKNOWN;
        if (d.types.resolve(n, here, null) != null) {
            throw new EvalError("'" + n + "' is a type, not a value; use a static member of it (" + n + ".NAME) or " + n + ".class.");
        }
        throw new EvalError("'" + n + "' is not a local variable, parameter or field visible here (" + where + ").");
    }

    /** A variable's type, or null when no variable has that name (as the evaluator looks them up). */
    private T variable(String n) {
        if (patterns.containsKey(n)) return patterns.get(n);
        if (n.equals("$exception") || n.equals("$return")) return T.UNKNOWN;
        T local = locals.apply(n);
        if (local != null) return local;
        boolean self = !staticFrame;
        for (ReferenceType type = here; type != null; ) {
            Field f = type.fieldByName(n);
            if (f == null && self) f = type.fieldByName("val$" + n);
            if (f != null) {
                if (!f.isStatic() && !self) {
                    throw new EvalError("'" + n + "' is an instance field of " + Invoker.simple(type.name()) + ", and this frame is static.");
                }
                return fieldType(f, null);
            }
            self &= type.fieldByName("this$0") != null;
            int dollar = type.name().lastIndexOf('$');
            type = dollar < 0 ? null : d.types.loaded(type.name().substring(0, dollar), type);
        }
        for (ReferenceType holder : d.types.staticImports(here, n)) {
            Field f = holder.fieldByName(n);
            if (f != null && f.isStatic()) return fieldType(f, null);
        }
        return null;
    }

    /** A field's type as seen through a receiver of static type {@code of} (null: no receiver's arguments apply). */
    private T fieldType(Field f, T of) {
        String g = f.genericSignature();
        if (g == null || of == null) return declaredAs(f.typeName(), g);
        return typed(GenericSignatures.type(g), bindingsAt(of, f.declaringType(), List.of()));
    }

    /** A member's declared type with the receiver's type arguments put in; unknown when a type variable is left. */
    private static T typed(GenericSignatures.G declared, Map<String, GenericSignatures.G> vars) {
        GenericSignatures.G g = GenericSignatures.concrete(GenericSignatures.substitute(declared, vars));
        return g == null ? T.UNKNOWN : new T(GenericSignatures.name(g), false, g);
    }

    /**
     * The type variables of {@code target} as a receiver of static type {@code of} binds them,
     * found by following the receiver class's generic supertypes; {@code hidden} are a method's
     * own variables, which shadow the class's.
     */
    private Map<String, GenericSignatures.G> bindingsAt(T of, ReferenceType target, List<String> hidden) {
        if (!(of.generic() instanceof GenericSignatures.Cls use)) return Map.of();
        ReferenceType start = loaded(use.name());
        Map<String, GenericSignatures.G> found = start == null ? null : bindingsAt(start, use, target, 0);
        if (found == null) return Map.of();
        found.keySet().removeAll(hidden);
        return found;
    }

    private Map<String, GenericSignatures.G> bindingsAt(ReferenceType t, GenericSignatures.Cls use, ReferenceType target, int depth) {
        String sig = t.genericSignature();
        Map<String, GenericSignatures.G> vars = GenericSignatures.bindings(GenericSignatures.typeParameters(sig), use);
        if (t.equals(target)) return vars;
        if (sig == null || depth > 16) return null;
        for (GenericSignatures.G sup : GenericSignatures.supertypes(sig)) {
            if (!(GenericSignatures.substitute(sup, vars) instanceof GenericSignatures.Cls c)) continue;
            ReferenceType st = d.types.loaded(c.name(), t);
            Map<String, GenericSignatures.G> found = st == null ? null : bindingsAt(st, c, target, depth + 1);
            if (found != null) return found;
        }
        return null;
    }

    /** What stands before a dot (or a dotted name itself): a value's type, or a type for static members. */
    public T scope(Expression e) {
        if (e instanceof NameExpr n) {
            T v = variable(n.getNameAsString());
            if (v != null) return v;
            ReferenceType t = d.types.resolve(n.getNameAsString(), here, null);
            return t == null ? T.UNKNOWN : new T(t.name(), true);
        }
        if (e instanceof FieldAccessExpr fa) {
            if (Expressions.isDottedName(fa) && variable(Expressions.head(fa)) == null) {
                ReferenceType t = d.types.resolve(fa.toString(), here, null);
                if (t != null) return new T(t.name(), true);
            }
            return member(scope(fa.getScope()), fa.getNameAsString(), fa.getScope());
        }
        return typeOf(e);
    }

    private T member(T scope, String name, Expression scopeExpr) {
        if (!scope.known() || scope.name().equals("null")) return T.UNKNOWN;
        if (scope.isType()) {
            ReferenceType t = loaded(scope.name());
            if (t == null) return T.UNKNOWN;
            Field f = t.fieldByName(name);
            if (f != null) {
                if (!f.isStatic()) {
                    throw new EvalError("'" + name + "' is an instance field of " + Invoker.simple(t.name()) + "; it needs an object, not the type.");
                }
                return fieldType(f, null);
            }
            ReferenceType nested = d.types.loaded(t.name() + "$" + name, t);
            if (nested != null) return new T(nested.name(), true);
            throw new EvalError(Invoker.simple(t.name()) + " has no static field '" + name + "'.");
        }
        if (scope.name().endsWith("[]")) {
            if (name.equals("length")) return T.of("int");
            throw new EvalError("Arrays have no field '" + name + "'; only length.");
        }
        if (TypeNames.PRIMITIVES.contains(scope.name())) {
            throw new EvalError("'" + scopeExpr + "' is a " + scope.name() + "; it has no fields.");
        }
        ReferenceType t = loaded(scope.name());
        if (t == null) return T.UNKNOWN;
        Field f = t.fieldByName(name);
        if (f != null) return fieldType(f, scope);
        if (exact(scope)) throw new EvalError(Invoker.simple(t.name()) + " has no field '" + name + "'.");
        return T.UNKNOWN;
    }

    private T element(ArrayAccessExpr x) {
        T a = typeOf(x.getName());
        typeOf(x.getIndex());
        if (!a.known()) return T.UNKNOWN;
        if (a.name().endsWith("[]")) return T.of(a.name().substring(0, a.name().length() - 2));
        if (exact(a) && !a.name().equals("null")) throw new EvalError("'" + x.getName() + "' is a " + a.name() + ", not an array.");
        return T.UNKNOWN;
    }

    private T call(MethodCallExpr x) {
        for (Expression a : x.getArguments()) typeOf(a);
        String name = x.getNameAsString();
        int argc = x.getArguments().size();
        if (x.getScope().isEmpty()) {
            List<Method> ms = here.methodsByName(name);
            for (ReferenceType holder : ms.isEmpty() ? d.types.staticImports(here, name) : List.<ReferenceType>of()) {
                ms = holder.methodsByName(name).stream().filter(Method::isStatic).toList();
                if (!ms.isEmpty()) break;
            }
            if (ms.isEmpty()) throw new EvalError(here.name() + " has no method named '" + name + "'.");
            return returnType(ms, argc, null);
        }
        if (x.getScope().get() instanceof SuperExpr) return T.UNKNOWN;
        T scope = scope(x.getScope().get());
        if (!scope.known() || scope.name().equals("null")) return T.UNKNOWN;
        if (TypeNames.PRIMITIVES.contains(scope.name())) {
            throw new EvalError("'" + x.getScope().get() + "' is a " + scope.name() + "; it has no methods.");
        }
        ReferenceType t = loaded(scope.name().endsWith("[]") ? "java.lang.Object" : scope.name());
        if (t == null) return T.UNKNOWN;
        List<Method> ms = methodsNamed(t, name);
        if (scope.isType()) {
            if (ms.isEmpty()) throw new EvalError(t.name() + " has no method named '" + name + "'.");
            List<Method> statics = ms.stream().filter(Method::isStatic).toList();
            if (statics.isEmpty()) throw new EvalError(name + "() of " + Invoker.simple(t.name()) + " is an instance method; call it on an object.");
            return returnType(statics, argc, null);
        }
        if (ms.isEmpty()) {
            if (exact(scope)) throw new EvalError(t.name() + " has no method named '" + name + "'.");
            return T.UNKNOWN;
        }
        return returnType(ms, argc, scope);
    }

    /** Methods of a type by name, with Object's for interfaces (every object has them). */
    List<Method> methodsNamed(ReferenceType t, String name) {
        List<Method> ms = t.methodsByName(name);
        if (ms.isEmpty() && t instanceof InterfaceType) {
            ReferenceType object = loaded("java.lang.Object");
            if (object != null) ms = object.methodsByName(name);
        }
        return ms;
    }

    /**
     * The result type when every overload that fits the argument count returns the same type;
     * a type variable in it is bound through the receiver's static type {@code of}, when known.
     */
    private T returnType(List<Method> ms, int argc, T of) {
        T found = null;
        for (Method m : ms) {
            int n = m.argumentTypeNames().size();
            if (!(n == argc || (m.isVarArgs() && argc >= n - 1))) continue;
            String g = m.genericSignature();
            T t = g == null ? T.of(m.returnTypeName())
                    : typed(GenericSignatures.returnType(g),
                    of == null ? Map.of() : bindingsAt(of, m.declaringType(), GenericSignatures.typeParameters(g)));
            if (!t.known()) return T.UNKNOWN;
            if (found != null && !found.name().equals(t.name())) return T.UNKNOWN;
            if (found == null) found = t;
        }
        return found == null ? T.UNKNOWN : found;
    }

    // ---------------------------------------------------------------- operators

    private void requireBoolean(Expression e) {
        T t = typeOf(e);
        if (t.known() && exact(t) && !t.name().equals("boolean") && !t.name().equals("java.lang.Boolean")) {
            throw new EvalError("'" + e + "' must be boolean, but it is " + t.name() + ".");
        }
    }

    private T binary(BinaryExpr x) {
        BinaryExpr.Operator op = x.getOperator();
        if (op == BinaryExpr.Operator.AND || op == BinaryExpr.Operator.OR) {
            requireBoolean(x.getLeft());
            requireBoolean(x.getRight());
            return T.of("boolean");
        }
        T l = typeOf(x.getLeft()), r = typeOf(x.getRight());
        boolean comparison = switch (op) {
            case EQUALS, NOT_EQUALS, LESS, GREATER, LESS_EQUALS, GREATER_EQUALS -> true;
            default -> false;
        };
        if (op == BinaryExpr.Operator.PLUS && (isString(l) || isString(r))) return T.of("java.lang.String");
        if (op == BinaryExpr.Operator.EQUALS || op == BinaryExpr.Operator.NOT_EQUALS) return T.of("boolean");
        String a = primitive(l), b = primitive(r);
        if (a == null || b == null) {
            // an operand is no primitive or box: certain only when its class is final
            boolean lBad = a == null && l.known() && exact(l), rBad = b == null && r.known() && exact(r);
            if (lBad || rBad) {
                throw new EvalError("The operator " + op.asString() + " is undefined for the argument types " + l.name() + ", "
                        + (r.known() ? r.name() : "?") + ".");
            }
            return comparison ? T.of("boolean") : T.UNKNOWN;
        }
        boolean logical = a.equals("boolean") || b.equals("boolean");
        if (logical) {
            boolean bitwise = op == BinaryExpr.Operator.BINARY_AND || op == BinaryExpr.Operator.BINARY_OR || op == BinaryExpr.Operator.XOR;
            if (!a.equals(b) || !bitwise) {
                throw new EvalError("The operator " + op.asString() + " is undefined for the argument types " + l.name() + ", " + r.name() + ".");
            }
            return T.of("boolean");
        }
        if (comparison) return T.of("boolean");
        if (op == BinaryExpr.Operator.LEFT_SHIFT || op == BinaryExpr.Operator.SIGNED_RIGHT_SHIFT
                || op == BinaryExpr.Operator.UNSIGNED_RIGHT_SHIFT) {
            return T.of(promote(a));
        }
        return T.of(promote(a, b));
    }

    private T unary(UnaryExpr x) {
        UnaryExpr.Operator op = x.getOperator();
        if (op == UnaryExpr.Operator.PREFIX_INCREMENT || op == UnaryExpr.Operator.PREFIX_DECREMENT
                || op == UnaryExpr.Operator.POSTFIX_INCREMENT || op == UnaryExpr.Operator.POSTFIX_DECREMENT) {
            throw new EvalError("'" + x + "' changes the program; assignments run only in the Debug Console (repl).");
        }
        if (op == UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
            requireBoolean(x.getExpression());
            return T.of("boolean");
        }
        T t = typeOf(x.getExpression());
        String p = primitive(t);
        if (p == null || p.equals("boolean")) {
            if (t.known() && exact(t)) throw new EvalError("The operator " + op.asString() + " is undefined for " + t.name() + ".");
            return T.UNKNOWN;
        }
        return T.of(promote(p));
    }

    private static boolean isString(T t) {
        return "java.lang.String".equals(t.name());
    }

    /** The primitive of a primitive or box type; null otherwise. */
    private static String primitive(T t) {
        if (!t.known() || t.isType()) return null;
        if (TypeNames.PRIMITIVES.contains(t.name())) return t.name();
        return Conversions.PRIMITIVE_OF.get(t.name());
    }

    private static String promote(String a) {
        return a.equals("long") || a.equals("float") || a.equals("double") ? a : "int";
    }

    private static String promote(String a, String b) {
        for (String wide : List.of("double", "float", "long")) if (a.equals(wide) || b.equals(wide)) return wide;
        return "int";
    }

    // ---------------------------------------------------------------- types

    /** True when every value of this static type has exactly its members: primitives, arrays, final classes. */
    private boolean exact(T t) {
        if (t.isType() || t.name().equals("null")) return true;
        if (TypeNames.PRIMITIVES.contains(t.name()) || t.name().endsWith("[]")) return true;
        ReferenceType rt = loaded(t.name());
        return rt instanceof ClassType ct && ct.isFinal();
    }

    private ReferenceType loaded(String name) {
        return d.types.loaded(name, here);
    }

    private T typeNamed(com.github.javaparser.ast.type.Type t) {
        if (t.isPrimitiveType()) return T.of(t.asPrimitiveType().asString());
        if (t.isArrayType()) {
            T c = typeNamed(t.asArrayType().getComponentType());
            return c.known() ? T.of(c.name() + "[]") : T.UNKNOWN;
        }
        if (t.isClassOrInterfaceType()) {
            ReferenceType rt = d.types.resolve(t.asClassOrInterfaceType().getNameWithScope(), here, null);
            return rt == null ? T.UNKNOWN : T.of(rt.name());
        }
        return T.UNKNOWN;
    }
}
