package dev.hotrestart.session;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import dev.hotrestart.project.BuildProject;
import dev.hotrestart.project.ClassPath;
import dev.hotrestart.project.MainClasses;
import dev.hotrestart.project.Scope;
import dev.hotrestart.project.TestPlatform;
import dev.hotrestart.jvm.AgentJar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The launch attributes a project supplies when the user leaves them out, for every client
 * alike: the main class (the one class with main in the sources) and, when cwd holds a build file,
 * the class path and source folders of the project.
 */
final class ProjectDefaults {
    private static final Logger LOG = Logger.getLogger(ProjectDefaults.class.getName());

    private ProjectDefaults() {}

    /** The main class of a 'tests' launch, in the agent's jar (see agent/TestRunner). */
    static final String TEST_RUNNER = "dev.hotrestart.agent.TestRunner";

    static Config complete(Config cfg, ClientEvents events, boolean progressShown) {
        boolean ownPaths = cfg.has(Attribute.CLASS_PATHS) || cfg.has(Attribute.MODULE_PATHS);
        BuildProject project = ownPaths ? null : BuildProject.in(cfg.cwd());
        Map<String, Object> added = new LinkedHashMap<>();
        List<String> tests = cfg.list(Attribute.TESTS);
        String mainClass = cfg.string(Attribute.MAIN_CLASS);
        if (!tests.isEmpty() && mainClass != null) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "Invalid launch configuration: give either 'mainClass' or 'tests', not both.");
        }
        Scope scope = tests.isEmpty() ? Scope.RUNTIME : Scope.TEST;
        if (mainClass == null && tests.isEmpty()) {
            List<Path> roots = project != null ? project.sourceRoots(Scope.RUNTIME) : cfg.sourcePaths();
            mainClass = onlyMainClass(roots);
            added.put(Attribute.MAIN_CLASS.key, mainClass);
        }
        // the class whose module gives the class path: the main class, or the first test's
        String anchor = tests.isEmpty() ? LaunchCommand.mainClassName(mainClass) : tests.get(0).split("#")[0];
        List<Path> classPath = cfg.classPaths();
        if (project != null) {
            ClassPath cp = project.classPath(scope, anchor, events.progress(progressShown));
            classPath = cp.entries();
            added.put(Attribute.CLASS_PATHS.key, classPath.stream().map(Path::toString).toList());
            if (!cfg.has(Attribute.SOURCE_PATHS)) {
                added.put(Attribute.SOURCE_PATHS.key, project.sourceRoots(Scope.TEST).stream().map(Path::toString).toList());
            }
            if (cp.compiledBecause() != null) {
                events.output("console", String.format("hotrestart: compiled %s with Maven in %.1f s (%s)%n",
                        project.buildFile(), cp.millis() / 1000.0, cp.compiledBecause()));
            } else if (cp.fromBuildTool()) {
                events.output("console", String.format("hotrestart: compiled %s and took its class path from Maven in %.1f s (%s)%n",
                        project.buildFile(), cp.millis() / 1000.0, cp.notKept() == null ? "the class path is kept until a pom.xml changes"
                                : "the class path is not kept: " + cp.notKept() + "; every launch asks Maven until it can be. Set "
                                + "XDG_CACHE_HOME to a folder you can write"));
            }
            LOG.info(() -> "project class path of " + project.buildFile()
                    + (cp.compiledBecause() != null ? " from the cache, the build tool compiling first (" + cp.compiledBecause() + "), in "
                    : cp.fromBuildTool() ? " from the build tool in " : " from the cache in ") + cp.millis() + " ms");
        }
        if (!tests.isEmpty()) added.putAll(testLaunch(cfg, tests, classPath, project, events.progress(progressShown)));
        return added.isEmpty() ? cfg : cfg.with(added);
    }

    /**
     * A 'tests' launch runs the agent's TestRunner with the selectors as arguments, on the test class
     * path plus the JUnit Platform launcher and the agent's jar (which holds the runner; a launch with
     * the agent has it on the class path anyway). The tests' classes are wrapped, so that a failing
     * test stops where it failed and can be fixed and run again.
     */
    private static Map<String, Object> testLaunch(Config cfg, List<String> tests, List<Path> classPath, BuildProject project,
                                                  dev.hotrestart.project.Progress progress) {
        List<String> cp = new ArrayList<>(classPath.stream().map(Path::toString).toList());
        Path launcher = TestPlatform.launcherFor(classPath, project, progress);
        if (launcher != null) cp.add(launcher.toString());
        cp.add(AgentJar.path().toString());
        List<String> wrap = new ArrayList<>(cfg.list(Attribute.WRAP));
        for (String t : tests) {
            String cls = t.split("#")[0];
            if (!wrap.contains(cls)) wrap.add(cls);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(Attribute.MAIN_CLASS.key, TEST_RUNNER);
        out.put(Attribute.ARGS.key, tests);
        out.put(Attribute.CLASS_PATHS.key, cp);
        out.put(Attribute.WRAP.key, wrap);
        return out;
    }

    private static String onlyMainClass(List<Path> roots) {
        List<String> found = MainClasses.in(roots);
        if (found.size() == 1) return found.get(0);
        if (found.isEmpty()) {
            throw new UserError(ErrorId.BAD_CONFIGURATION, "Invalid launch configuration: 'mainClass' is required: the fully qualified "
                    + "name of the class with main, e.g. \"com.acme.App\" (no class with main was found in " + roots + ").");
        }
        throw new UserError(ErrorId.BAD_CONFIGURATION, "Set 'mainClass': the sources hold " + found.size()
                + " classes with main: " + String.join(", ", found) + ".");
    }
}
