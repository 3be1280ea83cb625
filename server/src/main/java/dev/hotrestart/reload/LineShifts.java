package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import dev.hotrestart.reload.MethodSplicer.Found;
import dev.hotrestart.reload.MethodSplicer.MethodId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line shifts of methods a method-scope reload moved: the class file keeps the lines of the
 * text the JVM runs, and each reloaded method's line table is moved to where it lies in the edited
 * file. The shifts are kept in the snapshot by method key, so the next reload keeps them.
 */
final class LineShifts {
    private LineShifts() {}

    static Map<String, Integer> encode(Map<MethodId, Integer> shifts) {
        Map<String, Integer> out = new HashMap<>();
        shifts.forEach((id, delta) -> out.put(String.join("$", id.typePath()) + "#" + id.name() + "#" + String.join(",", id.paramTypes()), delta));
        return out;
    }

    static Map<MethodId, Integer> decode(Map<String, Integer> stored) {
        Map<MethodId, Integer> out = new HashMap<>();
        stored.forEach((k, v) -> {
            String[] parts = k.split("#", -1);
            List<String> params = parts[2].isEmpty() ? List.of() : List.of(parts[2].split(","));
            out.put(new MethodId(List.of(parts[0].split("\\$")), parts[1], params), v);
        });
        return out;
    }

    /** Where each shifted method now lies in the text to compile, with its shift. */
    static List<LineShifter.Shift> where(String text, Map<MethodId, Integer> shifts, String name) {
        List<LineShifter.Shift> out = new ArrayList<>();
        if (shifts.values().stream().allMatch(d -> d == 0)) return out;
        CompilationUnit cu = MethodSplicer.parse(text, name);
        shifts.forEach((id, delta) -> {
            if (delta == 0) return;
            for (Found f : MethodSplicer.find(cu, text, id)) out.add(new LineShifter.Shift(f.beginLine(), f.endLine(), delta));
        });
        return out;
    }
}
