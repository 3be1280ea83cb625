package dev.hotrestart.eval;

import dev.hotrestart.base.BinaryNames;
import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.sun.jdi.ClassType;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Type names as the frame's source file would read them: nested types of the class and its
 * outer classes, the file's imports, its package, java.lang, and fully qualified names.
 */
final class TypeNames {
    static final Set<String> PRIMITIVES = Set.of("int", "long", "short", "byte", "char", "boolean", "float", "double");

    /** Loads a class the VM has not loaded yet, through the frame's class loader; null when none is found. */
    interface Loader {
        ReferenceType load(String binaryName, ReferenceType context);
    }

    private record Imports(long modified, String pkg, List<String> single, List<String> onDemand,
                           List<String> staticSingle, List<String> staticOnDemand) {}

    private final VirtualMachine vm;
    private final Function<ReferenceType, Path> sourceOf;
    private final Map<Path, Imports> imports = new ConcurrentHashMap<>();
    private final Map<String, ReferenceType> resolved = new ConcurrentHashMap<>();
    /** Made on first use: loading JavaParser costs about 150 ms, which a launch should not wait for. */
    private JavaParser parser;

    TypeNames(VirtualMachine vm, Function<ReferenceType, Path> sourceOf) {
        this.vm = vm;
        this.sourceOf = sourceOf;
    }

    private synchronized JavaParser parser() {
        if (parser == null) parser = new JavaParser(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));
        return parser;
    }

    /** The type a (possibly dotted) name denotes from the context class, or null. */
    ReferenceType resolve(String name, ReferenceType context, Loader loader) {
        String key = context.name() + "|" + name;
        ReferenceType hit = resolved.get(key);
        if (hit != null) return hit;
        List<String> candidates = candidates(name, context);
        ReferenceType found = null;
        for (String c : candidates) {
            found = loaded(c, context);
            if (found != null) break;
        }
        if (found == null && loader != null) {
            for (String c : candidates) {
                found = loader.load(c, context);
                if (found != null) break;
            }
        }
        if (found != null) resolved.put(key, found);
        return found;
    }

    ReferenceType loaded(String binaryName, ReferenceType context) {
        List<ReferenceType> all = vm.classesByName(binaryName);
        if (all.isEmpty()) return null;
        for (ReferenceType t : all) {
            if (context != null && t.classLoader() != null && t.classLoader().equals(context.classLoader())) return t;
        }
        return all.get(0);
    }

    /**
     * The loaded types whose static member {@code member} the context's source file imports:
     * {@code import static a.B.member;} and {@code import static a.B.*;}, in that order.
     */
    List<ReferenceType> staticImports(ReferenceType context, String member) {
        Imports imp = importsOf(context);
        List<ReferenceType> out = new ArrayList<>();
        if (imp == null) return out;
        List<String> holders = new ArrayList<>();
        for (String s : imp.staticSingle()) if (s.endsWith("." + member)) holders.add(s.substring(0, s.length() - member.length() - 1));
        holders.addAll(imp.staticOnDemand());
        for (String h : holders) {
            for (String c : BinaryNames.of(h)) {
                ReferenceType t = loaded(c, context);
                if (t != null) {
                    out.add(t);
                    break;
                }
            }
        }
        return out;
    }

    private List<String> candidates(String name, ReferenceType context) {
        int dot = name.indexOf('.');
        String first = dot < 0 ? name : name.substring(0, dot);
        String rest = dot < 0 ? "" : "$" + name.substring(dot + 1).replace('.', '$');
        List<String> out = new ArrayList<>();
        // member types of the class, its outer classes and their superclasses
        for (String outer = context.name(); outer != null; outer = outerOf(outer)) {
            out.add(outer + "$" + first + rest);
            List<ReferenceType> ts = vm.classesByName(outer);
            if (!ts.isEmpty() && ts.get(0) instanceof ClassType ct) {
                for (ClassType s = ct.superclass(); s != null && !s.name().equals("java.lang.Object"); s = s.superclass()) {
                    out.add(s.name() + "$" + first + rest);
                }
            }
        }
        Imports imp = importsOf(context);
        String pkg = packageOf(context.name());
        if (imp != null) {
            for (String s : imp.single()) {
                if (s.equals(first) || s.endsWith("." + first)) out.addAll(BinaryNames.of(s + rest.replace('$', '.')));
            }
        }
        out.add(pkg.isEmpty() ? first + rest : pkg + "." + first + rest);
        if (imp != null) {
            for (String s : imp.onDemand()) out.addAll(BinaryNames.of(s + "." + first + rest.replace('$', '.')));
        }
        out.add("java.lang." + first + rest);
        if (dot > 0) out.addAll(BinaryNames.of(name));
        return out;
    }

    private static String outerOf(String binaryName) {
        int i = binaryName.lastIndexOf('$');
        return i < 0 ? null : binaryName.substring(0, i);
    }

    static String packageOf(String binaryName) {
        int i = binaryName.lastIndexOf('.');
        return i < 0 ? "" : binaryName.substring(0, i);
    }

    private Imports importsOf(ReferenceType context) {
        Path file;
        try {
            file = sourceOf.apply(context);
        } catch (RuntimeException e) {
            return null;
        }
        if (file == null) return null;
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (Exception e) {
            return null;
        }
        Imports cached = imports.get(file);
        if (cached != null && cached.modified() == modified) return cached;
        List<String> single = new ArrayList<>(), onDemand = new ArrayList<>();
        List<String> staticSingle = new ArrayList<>(), staticOnDemand = new ArrayList<>();
        String pkg = "";
        try {
            ParseResult<CompilationUnit> r = parser().parse(file);
            if (r.getResult().isPresent()) {
                CompilationUnit cu = r.getResult().get();
                pkg = cu.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
                for (ImportDeclaration d : cu.getImports()) {
                    if (d.isStatic()) (d.isAsterisk() ? staticOnDemand : staticSingle).add(d.getNameAsString());
                    else (d.isAsterisk() ? onDemand : single).add(d.getNameAsString());
                }
            }
        } catch (Exception e) {
            return null;
        }
        Imports imp = new Imports(modified, pkg, single, onDemand, staticSingle, staticOnDemand);
        imports.put(file, imp);
        return imp;
    }
}
