package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which methods a whole-file reload changes: those whose text differs between the two versions. */
final class ChangedMethods {
    private ChangedMethods() {}

    /** Methods whose text differs between two versions of a file, as qualified names. */
    static List<String> between(String before, String after, String name, String pkg) {
        CompilationUnit a = MethodSplicer.parse(before, name);
        CompilationUnit b = MethodSplicer.parse(after, name);
        Map<String, String> old = new HashMap<>();
        for (CallableDeclaration<?> m : a.findAll(CallableDeclaration.class)) old.put(signature(m), normalized(m));
        Set<String> out = new LinkedHashSet<>();
        for (CallableDeclaration<?> m : b.findAll(CallableDeclaration.class)) {
            String sig = signature(m);
            if (sig != null && !normalized(m).equals(old.get(sig))) out.add(pkg + sig);
        }
        return new ArrayList<>(out);
    }

    private static String signature(CallableDeclaration<?> m) {
        List<String> path = MethodSplicer.typePath(m);
        if (path == null) return null;
        List<String> params = new ArrayList<>();
        m.getParameters().forEach(p -> params.add(MethodSplicer.simpleType(p.getType().asString().replaceAll("<.*>", ""))
                + (p.isVarArgs() ? "[]" : "")));
        String name = m instanceof ConstructorDeclaration ? "<init>" : m.getNameAsString();
        return String.join(".", path) + "." + name + "(" + String.join(", ", params) + ")";
    }

    private static String normalized(CallableDeclaration<?> m) {
        return m.toString().replaceAll("\\s+", " ");
    }
}
