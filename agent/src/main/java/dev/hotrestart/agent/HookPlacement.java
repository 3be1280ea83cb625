package dev.hotrestart.agent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Makes sure the class loader of a class about to be wrapped can see {@link Hook}. The agent
 * jar is on the system class path, which most loaders reach; for one that does not, the hook
 * alone goes onto the boot class path (only then: appending to it turns off class data
 * sharing for application classes).
 */
final class HookPlacement {
    private static final String HOOK = "dev.hotrestart.agent.Hook";

    private final Instrumentation inst;
    private final Map<ClassLoader, Boolean> seen = new WeakHashMap<ClassLoader, Boolean>();
    private boolean onBootPath;

    HookPlacement(Instrumentation inst) {
        this.inst = inst;
    }

    /** True when classes of this loader can call the hook. */
    synchronized boolean reachableFrom(ClassLoader loader) {
        Boolean known = seen.get(loader);
        if (known != null) return known;
        boolean ok = sees(loader) || (putOnBootPath() && sees(loader));
        seen.put(loader, ok);
        return ok;
    }

    private static boolean sees(ClassLoader loader) {
        try {
            Class.forName(HOOK, false, loader);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }

    private boolean putOnBootPath() {
        if (onBootPath) return true;
        try {
            File jar = File.createTempFile("hotrestart-hook-", ".jar");
            jar.deleteOnExit();
            InputStream in = HookPlacement.class.getResourceAsStream("Hook.class");
            if (in == null) return false;
            JarOutputStream out = new JarOutputStream(new FileOutputStream(jar));
            try {
                out.putNextEntry(new JarEntry("dev/hotrestart/agent/Hook.class"));
                byte[] buf = new byte[4096];
                int n;
                while ((n = in.read(buf)) != -1) out.write(buf, 0, n);
                out.closeEntry();
            } finally {
                out.close();
                in.close();
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            onBootPath = true;
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
