package dev.hotrestart.session;

import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.UserError;
import dev.hotrestart.project.BuildProject;
import dev.hotrestart.project.ClassPath;
import dev.hotrestart.project.MainClasses;
import dev.hotrestart.project.Scope;

import java.nio.file.Path;
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

    static Config complete(Config cfg, ClientEvents events, boolean progressShown) {
        boolean ownPaths = cfg.has(Attribute.CLASS_PATHS) || cfg.has(Attribute.MODULE_PATHS);
        BuildProject project = ownPaths ? null : BuildProject.in(cfg.cwd());
        Map<String, Object> added = new LinkedHashMap<>();
        String mainClass = cfg.string(Attribute.MAIN_CLASS);
        if (mainClass == null) {
            List<Path> roots = project != null ? project.sourceRoots(Scope.RUNTIME) : cfg.sourcePaths();
            mainClass = onlyMainClass(roots);
            added.put(Attribute.MAIN_CLASS.key, mainClass);
        }
        // the class whose module gives the class path
        String anchor = LaunchCommand.mainClassName(mainClass);
        if (project != null) {
            ClassPath cp = project.classPath(Scope.RUNTIME, anchor, events.progress(progressShown));
            added.put(Attribute.CLASS_PATHS.key, cp.entries().stream().map(Path::toString).toList());
            if (!cfg.has(Attribute.SOURCE_PATHS)) {
                added.put(Attribute.SOURCE_PATHS.key, project.sourceRoots(Scope.TEST).stream().map(Path::toString).toList());
            }
            if (cp.fromBuildTool()) {
                events.output("console", String.format("hotrestart: class path of %s from Maven in %.1f s (kept until a pom.xml changes)%n",
                        project.buildFile(), cp.millis() / 1000.0));
            }
            LOG.info(() -> "project class path of " + project.buildFile() + (cp.fromBuildTool() ? " from the build tool in " : " from the cache in ")
                    + cp.millis() + " ms");
        }
        return added.isEmpty() ? cfg : cfg.with(added);
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
