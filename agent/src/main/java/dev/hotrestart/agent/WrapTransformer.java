package dev.hotrestart.agent;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Gives every wrapped method a last catch-all handler: {@code catch (Throwable t) {
 * Hook.escaped(t); throw t; }} around the whole body. It is the last entry of the exception
 * table, so the method's own handlers (catch, finally, synchronized, try-with-resources) run
 * first and only a real escape reaches it. Runs on every load and every redefinition, so a
 * reload keeps the handler. This class decides which classes to look at; {@link HandlerWriter}
 * (and with it ASM) loads only when one may need the handler.
 */
final class WrapTransformer implements ClassFileTransformer {
    private static final byte[] HOT = WrapPolicy.HOT.getBytes();
    /** In the name of a class holding what a reload added (see {@link Links}): never wrapped. */
    private static final String COMPANION = "$$Added";

    private final WrapPolicy policy;
    private final HookPlacement hook;
    private final Map<ClassLoader, Map<String, Boolean>> packages = new WeakHashMap<ClassLoader, Map<String, Boolean>>();
    private final Map<Class<?>, byte[]> originals = new ConcurrentHashMap<Class<?>, byte[]>();
    /** Jars classes came from, opened once to look for package-info classes (as their loaders keep theirs). */
    private final Map<File, JarFile> jars = new HashMap<File, JarFile>();

    WrapTransformer(WrapPolicy policy, HookPlacement hook) {
        this.policy = policy;
        this.hook = hook;
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (internalName == null || loader == null || internalName.contains(COMPANION)) return null;
        if (redefined != null && !originals.isEmpty()) {
            // a class retransformed by wrapLoaded: the JVM hands over bytes without the
            // class-retention annotations, so rewrite the class file it was loaded from
            byte[] original = originals.remove(redefined);
            if (original != null) bytes = original;
        }
        // a redefinition whose bytes the debugger wrapped already (see Prewrap): as they are
        if (redefined != null && Prewrap.marked(bytes)) return null;
        String className = internalName.replace('/', '.');
        if (WrapPolicy.neverWrapped(className)) return null;
        try {
            boolean pkgWrapped = packageWrapped(loader, domain, internalName);
            if (!pkgWrapped && !policy.patternMayMatch(className) && !contains(bytes, HOT)) return null;
            byte[] out = HandlerWriter.rewrite(bytes, className, pkgWrapped, policy);
            return out != null && hook.reachableFrom(loader) ? out : null;
        } catch (Throwable t) {
            // never break class loading: leave the class as it is, and say so
            Agent.warn("cannot wrap " + className + " (" + t + "); exceptions escaping its methods do not stop there.");
            return null;
        }
    }

    /**
     * Wraps the classes loaded before the agent (it was loaded into a running JVM). A class is
     * retransformed only when its class file, read through its loader, has a method to wrap.
     */
    void wrapLoaded(Instrumentation inst) {
        List<Class<?>> todo = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader loader = c.getClassLoader();
            if (loader == null || c.isArray() || c.isPrimitive() || WrapPolicy.neverWrapped(c.getName())
                    || !inst.isModifiableClass(c)) {
                continue;
            }
            String internalName = c.getName().replace('.', '/');
            try {
                byte[] original = read(loader, internalName + ".class");
                if (original == null) continue;
                boolean pkgWrapped = packageWrapped(loader, domainOf(c), internalName);
                if (!pkgWrapped && !policy.patternMayMatch(c.getName()) && !contains(original, HOT)) continue;
                if (HandlerWriter.rewrite(original, c.getName(), pkgWrapped, policy) == null) continue;
                originals.put(c, original);
                todo.add(c);
            } catch (Throwable t) {
                // leave this class as it is
            }
        }
        for (Class<?> c : todo) {
            try {
                inst.retransformClasses(c);
            } catch (Throwable t) {
                // e.g. a class file that no longer matches the loaded class: it stays unwrapped
            } finally {
                originals.remove(c);
            }
        }
    }

    private static ProtectionDomain domainOf(Class<?> c) {
        try {
            return c.getProtectionDomain();
        } catch (SecurityException e) {
            return null;
        }
    }

    private boolean packageWrapped(ClassLoader loader, ProtectionDomain domain, String internalName) {
        int slash = internalName.lastIndexOf('/');
        if (slash < 0) return false;
        String pkg = internalName.substring(0, slash);
        Map<String, Boolean> known;
        synchronized (packages) {
            known = packages.get(loader);
            if (known == null) {
                known = new ConcurrentHashMap<String, Boolean>();
                packages.put(loader, known);
            }
        }
        Boolean b = known.get(pkg);
        if (b == null) {
            b = readPackageMark(loader, domain, pkg);
            known.put(pkg, b);
        }
        return b;
    }

    /**
     * The package's mark, from its package-info class in the folder or jar the class came from.
     * Asking the class loader instead costs about 0.3 ms a package here (every loader above it
     * searches its modules first), which an application with hundreds of packages pays at start.
     */
    private boolean readPackageMark(ClassLoader loader, ProtectionDomain domain, String pkg) {
        String entry = pkg + "/package-info.class";
        File where = codeSource(domain);
        byte[] bytes = where == null ? read(loader, entry) : read(where, entry);
        if (bytes == null) return false;
        try {
            return HandlerWriter.packageMarked(bytes);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The folder or jar file a class was loaded from, or null when it is not a plain file (then the loader is asked). */
    private static File codeSource(ProtectionDomain domain) {
        CodeSource cs = domain == null ? null : domain.getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        if (url == null || !"file".equals(url.getProtocol())) return null;
        try {
            File f = new File(url.toURI());
            return f.isDirectory() || f.isFile() ? f : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** An entry of a class folder or jar, or null when it is not there or cannot be read. */
    private byte[] read(File where, String entry) {
        try {
            if (where.isDirectory()) {
                File f = new File(where, entry);
                return f.isFile() ? readAll(new FileInputStream(f)) : null;
            }
            JarFile jar;
            synchronized (jars) {
                jar = jars.get(where);
                if (jar == null) {
                    jar = new JarFile(where);
                    jars.put(where, jar);
                }
            }
            ZipEntry e = jar.getEntry(entry);
            return e == null ? null : readAll(jar.getInputStream(e));
        } catch (IOException e) {
            return null;
        }
    }

    /** A resource's bytes, or null when the loader has none or it cannot be read. */
    private static byte[] read(ClassLoader loader, String resource) {
        InputStream in = loader.getResourceAsStream(resource);
        try {
            return in == null ? null : readAll(in);
        } catch (IOException e) {
            return null;
        }
    }

    /** All of a stream, which is closed after. */
    private static byte[] readAll(InputStream in) throws IOException {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) != -1) out.write(buf, 0, n);
            return out.toByteArray();
        } finally {
            in.close();
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
