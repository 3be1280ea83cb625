package dev.hotrestart.session;

import dev.hotrestart.agent.WrapPolicy;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import dev.hotrestart.jvm.AgentJar;
import dev.hotrestart.wrap.ClassFiles;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The debuggee's command line, from the launch attributes, checked before anything starts: a
 * missing JDK, folder, class path entry or main class is named with what to fix.
 */
record LaunchCommand(Path java, List<String> options, String mainClass, List<String> programArgs) {

    static LaunchCommand of(Config cfg) {
        Path java = Paths.get(cfg.javaHome(), "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "'javaHome' " + cfg.javaHome()
                    + " has no bin/java: point it at a JDK folder (the one that holds bin/ and lib/).");
        }
        Path cwd = cfg.cwd();
        if (!Files.isDirectory(cwd)) throw new UserError(ErrorId.BAD_CONFIGURATION, "'cwd' " + cwd + " is not a folder.");
        List<Path> cp = cfg.classPaths();
        for (Path p : cp) {
            if (!Files.exists(p)) {
                throw new UserError(ErrorId.BAD_CONFIGURATION, "Class path entry " + p + " does not exist. Fix 'classPaths' (build the project first?).");
            }
        }
        String mainClass = cfg.string(Attribute.MAIN_CLASS);
        if (!cfg.has(Attribute.MODULE_PATHS) && !mainClass.contains("/") && !cp.isEmpty() && ClassFiles.find(cp, mainClass) == null) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "Main class " + mainClass + " was not found on the class path " + cp
                    + ". Check 'mainClass' (fully qualified, e.g. com.acme.App) and 'classPaths'.");
        }
        List<String> options = new ArrayList<>();
        if ("handler".equals(cfg.string(Attribute.STOP_AT))) {
            String agent = AgentJar.path() + "=" + WrapPolicy.encode(cfg.list(Attribute.WRAP), cfg.list(Attribute.NO_WRAP));
            // -javaagent adds java.instrument to the root modules, which turns off the archived
            // module graph (CDS): about 60 ms more JVM start. A class path program has that module
            // anyway, so load the same agent as a plain JVMTI library; a module launch (or one that
            // limits modules) keeps -javaagent, which makes sure the module is there.
            boolean limited = cfg.list(Attribute.VM_ARGS).stream().anyMatch(a -> a.startsWith("--limit-modules"));
            options.add(mainClass.contains("/") || limited ? "-javaagent:" + agent : "-agentlib:instrument=" + agent);
        }
        options.addAll(cfg.list(Attribute.VM_ARGS));
        if (!cp.isEmpty()) {
            options.add("-cp");
            options.add(String.join(File.pathSeparator, cp.stream().map(Path::toString).toList()));
        }
        List<String> mp = cfg.list(Attribute.MODULE_PATHS);
        if (!mp.isEmpty()) {
            options.add("--module-path");
            options.add(String.join(File.pathSeparator, mp));
        }
        return new LaunchCommand(java, options, mainClass, cfg.list(Attribute.ARGS));
    }

    /** The whole command line, with JDWP's {@code jdwp} options (who listens, where). */
    List<String> line(String jdwp) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-agentlib:jdwp=transport=dt_socket," + jdwp);
        cmd.addAll(options);
        if (mainClass.contains("/")) cmd.add("-m");
        cmd.add(mainClass);
        cmd.addAll(programArgs);
        return cmd;
    }

    /** The class whose main runs, from 'mainClass': for a module launch ({@code module/class}), the class. */
    static String mainClassName(String mainClass) {
        return mainClass.contains("/") ? mainClass.substring(mainClass.indexOf('/') + 1) : mainClass;
    }
}
