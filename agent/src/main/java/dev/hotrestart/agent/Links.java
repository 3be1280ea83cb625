package dev.hotrestart.agent;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodHandles.Lookup;
import java.lang.invoke.MethodType;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the members a reload adds live. The JVM can only replace the bodies of a loaded class's
 * methods, so the debugger moves each method the edit adds (helpers, lambda bodies, methods
 * with a changed signature) into a companion class: a hidden class that is a nestmate of the
 * edited one, defined here from bytes the debugger leaves in {@link #companions}. The
 * redefined code reaches companion methods, and fields the edit adds, through
 * {@code invokedynamic} call sites whose bootstrap methods are below. Fields added by a reload
 * are kept here: static ones in a cell per field, instance ones beside their object (weakly,
 * by identity). All of this needs Java 15 (hidden classes); it is reached only through reflection
 * so that the agent still loads into older JVMs.
 */
public final class Links {
    /**
     * Written by the debugger before a redefinition: pairs of {@code "owner#version"} and the
     * companion's class file (as a string of chars 0 to 255, one per byte: the debugger makes a
     * string in one step), for every class a reload extended, latest versions only.
     */
    public static volatile Object[] companions;

    private static Object[] drained;
    /** Per owner (internal name), its latest {@code "owner#version"} and class file. */
    private static final Map<String, Object[]> latest = new HashMap<String, Object[]>();
    /** Per {@code "owner#version"}, the companion defined from it (a lookup with full privilege on it). */
    private static final Map<String, Lookup> defined = new HashMap<String, Lookup>();
    private static final Map<String, Cell> statics = new HashMap<String, Cell>();
    private static final Map<String, Store> instances = new HashMap<String, Store>();

    /** Prefix of the companion method that returns a static field's initial value, boxed. */
    public static final String INIT = "hotrestart$init$";

    /** The handles fields are read and written through; made on first use, so loading this class at start-up costs nothing. */
    private static final class Handles {
        static final MethodHandle CELL_GET, CELL_SET, STORE_GET, STORE_SET, PROXY;

        static {
            try {
                Lookup l = MethodHandles.lookup();
                CELL_GET = l.findVirtual(Cell.class, "get", MethodType.methodType(Object.class));
                CELL_SET = l.findVirtual(Cell.class, "set", MethodType.methodType(void.class, Object.class));
                STORE_GET = l.findVirtual(Store.class, "get", MethodType.methodType(Object.class, Object.class));
                STORE_SET = l.findVirtual(Store.class, "set", MethodType.methodType(void.class, Object.class, Object.class));
                PROXY = l.findStatic(Links.class, "proxy", MethodType.methodType(Object.class, Class.class, MethodHandle.class,
                        Object[].class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private Links() {}

    /**
     * A call of a method a reload added to {@code owner}: {@code desc} is the companion method's
     * descriptor (an instance method takes its receiver first).
     */
    public static CallSite call(Lookup caller, String name, MethodType type, String owner, String desc) throws Throwable {
        Lookup companion = companion(caller, owner);
        Class<?> c = companion.lookupClass();
        MethodHandle mh = companion.findStatic(c, name, MethodType.fromMethodDescriptorString(desc, c.getClassLoader()));
        return new ConstantCallSite(mh.asType(type));
    }

    /**
     * A lambda or method reference whose implementation a reload added: the call site
     * {@code LambdaMetafactory} would have made, with the companion's method as implementation.
     * {@code rest} holds the metafactory's arguments other than the implementation.
     */
    public static CallSite lambda(Lookup caller, String name, MethodType type, String owner, String implName, String implDesc,
                                  int alt, Object... rest) throws Throwable {
        Lookup companion = companion(caller, owner);
        Class<?> c = companion.lookupClass();
        MethodHandle impl = companion.findStatic(c, implName, MethodType.fromMethodDescriptorString(implDesc, c.getClassLoader()));
        if (!lambdasReachHiddenClasses()) {
            // a JVM whose lambda classes name their implementation's class: an interface proxy calls it instead
            MethodHandle make = MethodHandles.insertArguments(Handles.PROXY, 0, type.returnType(), impl);
            return new ConstantCallSite(make.asCollector(Object[].class, type.parameterCount()).asType(type));
        }
        if (alt == 0) return LambdaMetafactory.metafactory(companion, name, type, (MethodType) rest[0], impl, (MethodType) rest[1]);
        Object[] args = new Object[rest.length + 1];
        args[0] = rest[0];
        args[1] = impl;
        System.arraycopy(rest, 1, args, 2, rest.length - 1);
        return LambdaMetafactory.altMetafactory(companion, name, type, args);
    }

    /**
     * Defines a class a reload adds, in the package and loader of {@code host} (called by the
     * debugger, on a thread stopped at an event, before it redefines the classes that use it);
     * the class file comes as a string, one char per byte.
     */
    public static Class<?> define(Class<?> host, String classFile) throws Throwable {
        Lookup lookup = privateLookup(host, MethodHandles.lookup());
        return (Class<?>) unwrap(Lookup.class.getMethod("defineClass", byte[].class), lookup, (Object) bytes(classFile));
    }

    /** A class file the debugger sent as a string, one char per byte. */
    private static byte[] bytes(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) b[i] = (byte) s.charAt(i);
        return b;
    }

    /**
     * A use of a member the JVM's access rules keep from code a reload placed: a private member of
     * the nest a class added outside it was compiled into, or a protected member from another
     * package used by a companion. The access is made through a full-privilege lookup on the owner.
     * {@code op}: 0 getstatic, 1 putstatic, 2 getfield, 3 putfield, 4 a static method, 5 a private
     * instance method, 6 an instance method called virtually (a protected one, from a companion).
     */
    public static CallSite access(Lookup caller, String name, MethodType type, String owner, String desc, int op) throws Throwable {
        ClassLoader loader = caller.lookupClass().getClassLoader();
        Class<?> c = Class.forName(owner.replace('/', '.'), false, loader);
        Lookup l = privateLookup(c, caller);
        MethodHandle mh;
        if (op < 4) {
            Class<?> t = MethodType.fromMethodDescriptorString("()" + desc, loader).returnType();
            switch (op) {
                case 0: mh = l.findStaticGetter(c, name, t); break;
                case 1: mh = l.findStaticSetter(c, name, t); break;
                case 2: mh = l.findGetter(c, name, t); break;
                default: mh = l.findSetter(c, name, t); break;
            }
        } else {
            MethodType mt = MethodType.fromMethodDescriptorString(desc, loader);
            mh = op == 4 ? l.findStatic(c, name, mt) : op == 5 ? l.findSpecial(c, name, mt, c) : l.findVirtual(c, name, mt);
        }
        return new ConstantCallSite(mh.asType(type));
    }

    /** An instance of {@code iface} calling {@code impl} with the captured values first. */
    static Object proxy(Class<?> iface, MethodHandle impl, Object[] captured) {
        return MethodHandleProxies.asInterfaceInstance(iface, MethodHandles.insertArguments(impl, 0, captured));
    }

    private static Boolean lambdasReachHidden;

    /**
     * Whether this JVM's {@code LambdaMetafactory} can call a static method of a hidden class
     * (Java 17 makes a lambda class that names it, which fails): tried once, on a method that does nothing.
     */
    private static synchronized boolean lambdasReachHiddenClasses() {
        if (lambdasReachHidden == null) {
            try {
                Lookup probe = defineHidden(MethodHandles.lookup(), ProbeClass.bytes());
                MethodHandle nothing = probe.findStatic(probe.lookupClass(), "run", MethodType.methodType(void.class));
                Runnable r = (Runnable) LambdaMetafactory.metafactory(probe, "run", MethodType.methodType(Runnable.class),
                        MethodType.methodType(void.class), nothing, MethodType.methodType(void.class)).getTarget().invoke();
                r.run();
                lambdasReachHidden = true;
            } catch (Throwable t) {
                lambdasReachHidden = false;
            }
        }
        return lambdasReachHidden;
    }

    /** Reads or writes a field a reload added: {@code op} 0 getstatic, 1 putstatic, 2 getfield, 3 putfield. */
    public static CallSite field(Lookup caller, String name, MethodType type, String owner, String field, String desc, int op)
            throws Throwable {
        String key = owner + "." + field + ":" + desc;
        MethodHandle mh;
        if (op < 2) {
            Cell cell = staticCell(caller, owner, field, key, desc);
            mh = (op == 0 ? Handles.CELL_GET : Handles.CELL_SET).bindTo(cell);
        } else {
            Store store;
            synchronized (Links.class) {
                store = instances.get(key);
                if (store == null) instances.put(key, store = new Store(defaultOf(desc)));
            }
            mh = (op == 2 ? Handles.STORE_GET : Handles.STORE_SET).bindTo(store);
        }
        return new ConstantCallSite(MethodHandles.explicitCastArguments(mh, type));
    }

    /** A static field's cell; made on first use, with the value of the field's initializer when it has one. */
    private static Cell staticCell(Lookup caller, String owner, String field, String key, String desc) throws Throwable {
        Cell cell;
        synchronized (Links.class) {
            cell = statics.get(key);
            if (cell != null) return cell;
            statics.put(key, cell = new Cell(defaultOf(desc)));
        }
        Lookup companion = companion(caller, owner);
        Class<?> c = companion.lookupClass();
        MethodHandle init;
        try {
            init = companion.findStatic(c, INIT + field, MethodType.methodType(Object.class));
        } catch (NoSuchMethodException e) {
            return cell; // no initializer: the type's default value
        }
        cell.set(init.invoke());
        return cell;
    }

    private static synchronized Lookup companion(Lookup caller, String owner) throws Throwable {
        Object[] in = companions;
        if (in != null && in != drained) {
            for (int i = 0; i + 1 < in.length; i += 2) {
                String key = (String) in[i];
                latest.put(key.substring(0, key.indexOf('#')), new Object[]{key, in[i + 1]});
            }
            drained = in;
        }
        Object[] entry = latest.get(owner);
        if (entry == null) throw new IncompatibleClassChangeError("hotrestart: no member was added to " + owner.replace('/', '.'));
        Lookup companion = defined.get((String) entry[0]);
        if (companion == null) {
            Class<?> host = Class.forName(owner.replace('/', '.'), false, caller.lookupClass().getClassLoader());
            companion = defineHidden(privateLookup(host, caller), bytes((String) entry[1]));
            defined.put((String) entry[0], companion);
        }
        return companion;
    }

    private static Lookup privateLookup(Class<?> host, Lookup caller) throws Throwable {
        if (caller.lookupClass() == host && (caller.lookupModes() & Lookup.PRIVATE) != 0) return caller;
        Method m = MethodHandles.class.getMethod("privateLookupIn", Class.class, Lookup.class);
        return (Lookup) unwrap(m, null, host, caller);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Lookup defineHidden(Lookup host, byte[] bytes) throws Throwable {
        Class option = Class.forName("java.lang.invoke.MethodHandles$Lookup$ClassOption");
        Object options = Array.newInstance(option, 1);
        Array.set(options, 0, Enum.valueOf(option, "NESTMATE"));
        Method m = Lookup.class.getMethod("defineHiddenClass", byte[].class, boolean.class, options.getClass());
        return (Lookup) unwrap(m, host, bytes, true, options);
    }

    private static Object unwrap(Method m, Object target, Object... args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Object defaultOf(String desc) {
        switch (desc.charAt(0)) {
            case 'Z': return Boolean.FALSE;
            case 'B': return (byte) 0;
            case 'C': return (char) 0;
            case 'S': return (short) 0;
            case 'I': return 0;
            case 'J': return 0L;
            case 'F': return 0f;
            case 'D': return 0d;
            default: return null;
        }
    }

    /** The value of a static field a reload added. */
    static final class Cell {
        private volatile Object value;

        Cell(Object value) {
            this.value = value;
        }

        Object get() {
            return value;
        }

        void set(Object v) {
            value = v;
        }
    }

    /** The values of an instance field a reload added, per object, by identity; an object's value goes with it. */
    static final class Store {
        private final Object dflt;
        private final Map<Key, Object[]> values = new HashMap<Key, Object[]>();
        private final ReferenceQueue<Object> gone = new ReferenceQueue<Object>();

        Store(Object dflt) {
            this.dflt = dflt;
        }

        synchronized Object get(Object o) {
            if (o == null) throw new NullPointerException();
            Object[] v = values.get(new Key(o, null));
            return v == null ? dflt : v[0];
        }

        synchronized void set(Object o, Object value) {
            if (o == null) throw new NullPointerException();
            for (Object k; (k = gone.poll()) != null; ) values.remove(k);
            Object[] v = values.get(new Key(o, null));
            if (v == null) values.put(new Key(o, gone), new Object[]{value});
            else v[0] = value;
        }
    }

    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object o, ReferenceQueue<Object> q) {
            super(o, q);
            hash = System.identityHashCode(o);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) return true;
            if (!(other instanceof Key)) return false;
            Object mine = get();
            return mine != null && mine == ((Key) other).get();
        }
    }
}
