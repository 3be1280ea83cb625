package dev.hotrestart.eval;

import com.sun.jdi.*;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.*;

/**
 * Method calls in the debuggee: overload resolution on the runtime types of the arguments
 * (JLS 15.12.2's three phases), conversion of the arguments, and the call itself, single
 * threaded and under a time limit.
 */
final class Invoker {
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hotrestart-eval-call");
        t.setDaemon(true);
        return t;
    });

    private final VirtualMachine vm;
    private final Conversions conv;
    private final long timeoutMs;
    /** Thrown into a call that overran its time: made once, ahead, because nothing can be made then. */
    private ObjectReference stopper;
    /** Threads running a method for an evaluation now: their breakpoints must not stop them. */
    final Set<ThreadReference> calling = ConcurrentHashMap.newKeySet();
    private volatile CallWaiter waiter = CallWaiter.PLAIN;
    /**
     * Threads on which a call can be interrupted or stopped now. The JDWP agent holds back an
     * interrupt or a stop of a thread that is handling an event (stopped at a breakpoint, a step,
     * an exception) until that handling ends, and a call made at the stop runs inside it: a
     * runaway call could never be ended. Any later event of the thread ends that handling, so
     * before its first call after an event the thread passes a breakpoint of ours (see prime).
     */
    private final Set<ThreadReference> primed = ConcurrentHashMap.newKeySet();
    /** Where prime's call passes: a breakpoint that never reports (count filter), or null when unusable. */
    private Method primer;
    private boolean primerTried;

    void waitWith(CallWaiter w) {
        this.waiter = w;
    }

    Invoker(VirtualMachine vm, Conversions conv, long timeoutMs) {
        this.vm = vm;
        this.conv = conv;
        this.timeoutMs = timeoutMs;
    }

    /** Chooses among the methods of that name, or explains what exists. */
    Method choose(List<Method> candidates, List<Value> args, String name, String owner) {
        for (int phase = 1; phase <= 3; phase++) {
            Method best = null;
            for (Method m : candidates) {
                if (!applicable(m, args, phase)) continue;
                if (best == null || moreSpecific(m, best)) best = m;
            }
            if (best != null) return best;
        }
        if (candidates.isEmpty()) {
            throw new EvalError(owner + " has no " + (name.equals("<init>") ? "constructor" : "method named '" + name + "'") + ".");
        }
        StringBuilder have = new StringBuilder();
        for (Method m : candidates) {
            if (have.length() > 0) have.append(", ");
            have.append(signature(m));
        }
        List<String> argTypes = new ArrayList<>();
        for (Value a : args) argTypes.add(simple(Conversions.typeName(a)));
        String called = (name.equals("<init>") ? simple(owner) : name) + "(" + String.join(", ", argTypes) + ")";
        throw new EvalError("No " + (name.equals("<init>") ? "constructor " : "method ") + called + " in " + simple(owner)
                + "; it has " + have + ".");
    }

    static String signature(Method m) {
        List<String> ps = new ArrayList<>();
        for (String p : m.argumentTypeNames()) ps.add(simple(p));
        if (m.isVarArgs() && !ps.isEmpty()) {
            String last = ps.get(ps.size() - 1);
            ps.set(ps.size() - 1, last.substring(0, last.length() - 2) + "...");
        }
        String n = m.isConstructor() ? simple(m.declaringType().name()) : m.name();
        return n + "(" + String.join(", ", ps) + ")";
    }

    static String simple(String name) {
        int i = name.lastIndexOf('.');
        return (i < 0 ? name : name.substring(i + 1)).replace('$', '.');
    }

    private boolean applicable(Method m, List<Value> args, int phase) {
        List<String> ps = m.argumentTypeNames();
        if (phase < 3 || !m.isVarArgs()) {
            if (ps.size() != args.size()) return false;
            for (int i = 0; i < ps.size(); i++) if (!fits(args.get(i), ps.get(i), phase >= 2)) return false;
            return true;
        }
        int fixed = ps.size() - 1;
        if (args.size() < fixed) return false;
        for (int i = 0; i < fixed; i++) if (!fits(args.get(i), ps.get(i), true)) return false;
        String comp = ps.get(fixed).substring(0, ps.get(fixed).length() - 2);
        for (int i = fixed; i < args.size(); i++) if (!fits(args.get(i), comp, true)) return false;
        return true;
    }

    private boolean fits(Value arg, String param, boolean boxing) {
        if (TypeNames.PRIMITIVES.contains(param)) {
            if (arg instanceof PrimitiveValue p) return Arithmetic.widens(p.type().name(), param);
            if (boxing && Conversions.isBox(arg)) return Arithmetic.widens(Conversions.unbox((ObjectReference) arg).type().name(), param);
            return false;
        }
        if (arg == null) return true;
        if (arg instanceof PrimitiveValue p) return boxing && conv.isSubtype(Conversions.BOX_OF.get(p.type().name()), param);
        return Conversions.isSubtype(((ObjectReference) arg).referenceType(), param);
    }

    private boolean moreSpecific(Method a, Method b) {
        List<String> pa = a.argumentTypeNames(), pb = b.argumentTypeNames();
        if (pa.size() != pb.size()) return pa.size() > pb.size();
        for (int i = 0; i < pa.size(); i++) if (!conv.isSubtype(pa.get(i), pb.get(i))) return false;
        return true;
    }

    /** The arguments converted to the parameter types, varargs packed into an array. */
    List<Value> convert(Method m, List<Value> args, ThreadReference thread) {
        List<String> ps = m.argumentTypeNames();
        boolean packVarargs = m.isVarArgs() && !(args.size() == ps.size() && (args.get(args.size() - 1) == null
                || fits(args.get(args.size() - 1), ps.get(ps.size() - 1), true)));
        List<Value> out = new ArrayList<>();
        int fixed = packVarargs ? ps.size() - 1 : ps.size();
        for (int i = 0; i < fixed; i++) out.add(convertOne(args.get(i), ps.get(i), thread));
        if (packVarargs) {
            String arrayName = ps.get(fixed);
            String comp = arrayName.substring(0, arrayName.length() - 2);
            ArrayReference arr = newArray(arrayName, args.size() - fixed, thread);
            for (int i = fixed; i < args.size(); i++) {
                try {
                    arr.setValue(i - fixed, convertOne(args.get(i), comp, thread));
                } catch (InvalidTypeException | ClassNotLoadedException e) {
                    throw new EvalError("Cannot pass " + Conversions.typeName(args.get(i)) + " as " + comp + ": " + e.getMessage());
                }
            }
            out.add(arr);
        }
        return out;
    }

    private Value convertOne(Value arg, String param, ThreadReference thread) {
        if (TypeNames.PRIMITIVES.contains(param)) {
            PrimitiveValue p = Conversions.primitive(arg);
            return conv.mirror(Arithmetic.cast(Conversions.java(p), param));
        }
        if (arg instanceof PrimitiveValue p) return box(p, thread);
        return arg;
    }

    ObjectReference box(PrimitiveValue p, ThreadReference thread) {
        String prim = p.type().name();
        ClassType box = conv.boxType(prim);
        String sig = "(" + p.type().signature() + ")L" + box.name().replace('.', '/') + ";";
        Method valueOf = box.concreteMethodByName("valueOf", sig);
        return (ObjectReference) invokeStatic(thread, box, valueOf, List.of(p), false);
    }

    /** A new array of the named array type: through JDI when the type is loaded, else reflection. */
    ArrayReference newArray(String arrayTypeName, int length, ThreadReference thread) {
        List<ReferenceType> ts = vm.classesByName(arrayTypeName);
        if (!ts.isEmpty()) return ((ArrayType) ts.get(0)).newInstance(length);
        String comp = arrayTypeName.substring(0, arrayTypeName.length() - 2);
        ClassObjectReference compClass = classObject(comp, thread);
        ClassType reflect = (ClassType) vm.classesByName("java.lang.reflect.Array").get(0);
        Method m = reflect.concreteMethodByName("newInstance", "(Ljava/lang/Class;I)Ljava/lang/Object;");
        return (ArrayReference) invokeStatic(thread, reflect, m, List.of(compClass, vm.mirrorOf(length)), false);
    }

    private ClassObjectReference classObject(String name, ThreadReference thread) {
        if (TypeNames.PRIMITIVES.contains(name)) {
            ClassType box = conv.boxType(name);
            return (ClassObjectReference) box.getValue(box.fieldByName("TYPE"));
        }
        if (name.endsWith("[]")) return newArray(name, 0, thread).referenceType().classObject();
        List<ReferenceType> ts = vm.classesByName(name);
        if (ts.isEmpty()) throw new EvalError("The type " + name + " is not loaded in the program.");
        return ts.get(0).classObject();
    }

    /** Loads a class through the context's class loader, or returns null when there is no such class. */
    ReferenceType load(String binaryName, ReferenceType context, ThreadReference thread) {
        ClassType classClass = (ClassType) vm.classesByName("java.lang.Class").get(0);
        Method forName = classClass.concreteMethodByName("forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;");
        StringReference n = vm.mirrorOf(binaryName);
        n.disableCollection();
        try {
            Value c = invokeStatic(thread, classClass, forName, List.of(n, vm.mirrorOf(false), context.classLoader()), false);
            return c instanceof ClassObjectReference co ? co.reflectedType() : null;
        } catch (ThrownByDebuggee e) {
            return null;
        } finally {
            n.enableCollection();
        }
    }

    Value invoke(ThreadReference thread, ObjectReference receiver, Method m, List<Value> args, boolean nonVirtual) {
        int opts = ObjectReference.INVOKE_SINGLE_THREADED | (nonVirtual ? ObjectReference.INVOKE_NONVIRTUAL : 0);
        return call(thread, () -> receiver.invokeMethod(thread, m, args, opts), m, true);
    }

    /** A static method the expression calls. */
    Value invokeStatic(ThreadReference thread, ReferenceType type, Method m, List<Value> args) {
        return invokeStatic(thread, type, m, args, true);
    }

    /** {@code mayRunLong} is false only for the evaluator's own calls into the JDK (boxing, arrays, class loading). */
    private Value invokeStatic(ThreadReference thread, ReferenceType type, Method m, List<Value> args, boolean mayRunLong) {
        int opts = ObjectReference.INVOKE_SINGLE_THREADED;
        if (type instanceof ClassType ct) return call(thread, () -> ct.invokeMethod(thread, m, args, opts), m, mayRunLong);
        InterfaceType it = (InterfaceType) type;
        return call(thread, () -> it.invokeMethod(thread, m, args, opts), m, mayRunLong);
    }

    ObjectReference newInstance(ThreadReference thread, ClassType type, Method ctor, List<Value> args) {
        return (ObjectReference) call(thread, () -> type.newInstance(thread, ctor, args, ObjectReference.INVOKE_SINGLE_THREADED), ctor, true);
    }

    /** The thread stopped for a new event: its next call must be primed again. */
    void eventOn(ThreadReference thread) {
        primed.remove(thread);
    }

    /**
     * Ends the JDWP agent's handling of the thread's event, so that an interrupt or a stop sent
     * to a call that overruns reaches it: one call of {@code Boolean.logicalXor}, whose
     * breakpoint (never reported, and suspending nothing) is an event of the thread's own.
     */
    private void prime(ThreadReference thread) {
        if (!primerTried) {
            primerTried = true;
            try {
                ClassType bool = (ClassType) vm.classesByName("java.lang.Boolean").get(0);
                Method m = bool.concreteMethodByName("logicalXor", "(ZZ)Z");
                BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(m.location());
                r.setSuspendPolicy(EventRequest.SUSPEND_NONE);
                r.addCountFilter(Integer.MAX_VALUE);
                r.enable();
                primer = m;
            } catch (RuntimeException e) {
                // without it, a call at a stop that overruns can only be left to run
            }
        }
        if (primer == null) return;
        try {
            ((ClassType) primer.declaringType()).invokeMethod(thread, primer, List.of(vm.mirrorOf(true), vm.mirrorOf(false)),
                    ObjectReference.INVOKE_SINGLE_THREADED);
            primed.add(thread);
        } catch (Exception e) {
            // the call itself will report what is wrong with the thread
        }
    }

    private Value call(ThreadReference thread, Callable<Value> work, Method m, boolean mayRunLong) {
        if (stopper == null && !m.declaringType().name().startsWith("java.lang.")) makeStopper(thread);
        if (mayRunLong && !primed.contains(thread)) prime(thread);
        calling.add(thread);
        // the thread leaves 'calling' before the result is seen: once the evaluator has it, the
        // thread may run on and hit a breakpoint, which must then stop it
        CompletableFuture<Value> f = CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            } finally {
                calling.remove(thread);
            }
        }, CALLS);
        try {
            return waiter.await(f, timeoutMs);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof InvocationException ie) {
                ObjectReference ex = ie.exception();
                throw new ThrownByDebuggee(described(m) + " threw " + describe(ex), ex);
            }
            if (c instanceof IncompatibleThreadStateException) {
                throw new EvalError("Methods can be called only in a thread stopped at a breakpoint, a step or an exception; "
                        + "this thread was paused, or is busy with another evaluation.");
            }
            if (c instanceof InvalidTypeException || c instanceof ClassNotLoadedException) {
                throw new EvalError("Cannot call " + described(m) + ": " + c.getMessage());
            }
            if (c instanceof RuntimeException re) throw re;
            throw new EvalError("Cannot call " + described(m) + ": " + c);
        } catch (TimeoutException e) {
            String how = stopRunaway(thread, f);
            throw new EvalError(described(m) + " did not return within " + timeoutMs + " ms (launch attribute 'evaluateTimeout'); " + how);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EvalError("The evaluation was interrupted.");
        }
    }

    private void makeStopper(ThreadReference thread) {
        try {
            ClassType error = (ClassType) vm.classesByName("java.lang.Error").get(0);
            Method ctor = error.concreteMethodByName("<init>", "(Ljava/lang/String;)V");
            StringReference msg = vm.mirrorOf("hotrestart: evaluation stopped after its time limit");
            ObjectReference o = error.newInstance(thread, ctor, List.of(msg), ObjectReference.INVOKE_SINGLE_THREADED);
            o.disableCollection();
            stopper = o;
        } catch (Exception e) {
            // without it a runaway call can only be interrupted
        }
    }

    /** How an error names the called method (built only when there is an error: calls run per breakpoint hit). */
    private static String described(Method m) {
        return m.isConstructor() ? "new " + signature(m) : Invoker.simple(m.declaringType().name()) + "." + signature(m).replaceFirst("^[^(]*", m.name());
    }

    /** Interrupts the call; if that does not end it, throws an Error into it. Says what happened. */
    private String stopRunaway(ThreadReference thread, CompletableFuture<Value> f) {
        try {
            thread.interrupt();
        } catch (RuntimeException ignored) {
            // try the harder way
        }
        if (ended(f, 1000)) return "it was interrupted.";
        if (stopper != null) {
            try {
                thread.stop(stopper);
            } catch (Exception ignored) {
                // cannot stop it
            }
            if (ended(f, 3000)) {
                clearInterrupt(thread);
                return "it was stopped by an Error thrown into it.";
            }
        }
        return "it is still running in the program, and this thread cannot evaluate until it ends.";
    }

    /** True when the call has ended, with a value or an exception, within the time. */
    private boolean ended(CompletableFuture<Value> f, long ms) {
        try {
            waiter.await(f, ms);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private void clearInterrupt(ThreadReference thread) {
        try {
            ClassType t = (ClassType) vm.classesByName("java.lang.Thread").get(0);
            Method m = t.concreteMethodByName("interrupted", "()Z");
            t.invokeMethod(thread, m, List.of(), ObjectReference.INVOKE_SINGLE_THREADED);
        } catch (Exception ignored) {
            // best effort
        }
    }

    /** "IllegalStateException: boom" from the exception's fields, without running code. */
    static String describe(ObjectReference ex) {
        String type = ex.referenceType().name();
        Field f = ex.referenceType().fieldByName("detailMessage");
        Value msg = f == null ? null : ex.getValue(f);
        return type + (msg instanceof StringReference s ? ": " + s.value() : "");
    }
}
