package dev.hotrestart.session;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import dev.hotrestart.base.ClassIndex;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.eval.BreakpointRule;
import dev.hotrestart.jvm.Requests;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.Source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Line breakpoints by source file. Each client breakpoint maps to a JDI request in every
 * loaded class compiled from its file; one in a class not loaded yet waits for the class to
 * be prepared, and the client is told when it becomes verified.
 */
public final class Breakpoints implements BreakpointTable.Kind {
    /** One line breakpoint as the client knows it. */
    static final class LineBreakpoint extends ClientBreakpoint {
        final FileBreakpoints file;
        final int line;
        int actualLine;

        LineBreakpoint(int id, FileBreakpoints file, int line, Object rule) {
            super(id, rule);
            this.file = file;
            this.line = line;
            this.actualLine = line;
        }

        @Override
        String reason() {
            return "breakpoint";
        }

        @Override
        Breakpoint toDap() {
            Breakpoint bp = new Breakpoint();
            bp.setId(id);
            bp.setVerified(verified);
            bp.setLine(actualLine);
            bp.setMessage(message);
            Source s = new Source();
            s.setPath(file.path.toString());
            s.setName(file.path.getFileName().toString());
            bp.setSource(s);
            return bp;
        }

        @Override
        EventRequest renew(EventRequestManager erm, EventRequest spent) {
            return tag(erm.createBreakpointRequest(((BreakpointRequest) spent).location()));
        }
    }

    private static final class FileBreakpoints {
        final String key;
        final Path path;
        final List<LineBreakpoint> list = new ArrayList<>();
        ClassPrepareRequest prepare;

        FileBreakpoints(String key, Path path) {
            this.key = key;
            this.path = path;
        }
    }

    private final Map<String, FileBreakpoints> files = new LinkedHashMap<>();
    private final ClassIndex index;
    private SourceLocator sources;
    private final BreakpointTable table;
    private VirtualMachine vm;
    private BiFunction<BreakpointRule, Location, String> conditionCheck = (r, l) -> null;

    Breakpoints(ClassIndex index, SourceLocator sources, BreakpointTable table) {
        this.index = index;
        this.sources = sources;
        this.table = table;
    }

    public synchronized void useSources(SourceLocator sources) {
        this.sources = sources;
    }

    /** The VM is connected: set every breakpoint the client sent before. */
    @Override
    public synchronized void attach(VirtualMachine vm, BiFunction<BreakpointRule, Location, String> conditionCheck) {
        this.vm = vm;
        this.conditionCheck = conditionCheck;
        for (FileBreakpoints f : files.values()) {
            resolveAll(f);
        }
    }

    /** {@code rules[i]} is the i-th breakpoint's BreakpointRule, null, or a String saying why it was refused. */
    public synchronized List<Breakpoint> set(Path path, int[] lines, Object[] rules) {
        String key = SourceLocator.keyOf(path);
        sources.remember(key, path);
        FileBreakpoints old = files.remove(key);
        if (old != null) clear(old);
        FileBreakpoints f = new FileBreakpoints(key, path);
        for (int i = 0; i < lines.length; i++) {
            f.list.add(table.add(new LineBreakpoint(table.nextId(), f, lines[i], rules == null ? null : rules[i])));
        }
        if (!f.list.isEmpty()) files.put(key, f);
        if (vm != null) resolveAll(f);
        List<Breakpoint> out = new ArrayList<>();
        for (LineBreakpoint b : f.list) out.add(b.toDap());
        return out;
    }

    private void clear(FileBreakpoints f) {
        for (LineBreakpoint b : f.list) table.remove(b);
        if (vm == null) return;
        EventRequestManager erm = vm.eventRequestManager();
        for (LineBreakpoint b : f.list) b.clear(erm);
        if (f.prepare != null) erm.deleteEventRequest(f.prepare);
    }

    private void resolveAll(FileBreakpoints f) {
        EventRequestManager erm = vm.eventRequestManager();
        List<ReferenceType> types = index.typesOf(f.key);
        List<String> text = readLines(f.path);
        for (LineBreakpoint b : f.list) {
            erm.deleteEventRequests(b.requests);
            b.requests.clear();
            b.verified = false;
            b.conditionProblem = null;
            b.actualLine = chooseLine(types, b.line, text);
            if (b.refused != null) {
                b.message = b.refused;
                continue;
            }
            for (ReferenceType t : types) addRequests(b, t);
            b.arm();
            b.verified = !b.requests.isEmpty();
            b.message = b.verified ? null : b.conditionProblem != null ? b.conditionProblem : types.isEmpty()
                    ? "Deferred: no class of this file is loaded yet; it is set when one loads."
                    : "No code at line " + b.line + " in the loaded classes yet; set when a class with code there loads.";
        }
        if (f.prepare == null) {
            // Suspends the loading thread so a breakpoint is in place before the class runs.
            String top = f.key.replace('/', '.');
            top = top.substring(0, top.length() - ".java".length());
            f.prepare = erm.createClassPrepareRequest();
            f.prepare.addClassFilter(top + "*");
            Requests.suspendingThread(f.prepare, null);
        }
    }

    /** A class was prepared: set the breakpoints of its file in it; tell the client what changed. */
    @Override
    public synchronized void classPrepared(ReferenceType type) {
        String key = SourceLocator.keyOf(type);
        FileBreakpoints f = key == null ? null : files.get(key);
        if (f == null || vm == null) return;
        List<String> text = readLines(f.path);
        for (LineBreakpoint b : f.list) {
            if (b.refused != null) continue;
            boolean was = b.verified;
            if (!was) b.actualLine = chooseLine(List.of(type), b.line, text);
            addRequests(b, type);
            b.arm();
            if (!b.requests.isEmpty() && !was) {
                b.verified = true;
                b.message = null;
                table.changed(b);
            } else if (!b.verified && b.conditionProblem != null && !b.conditionProblem.equals(b.message)) {
                b.message = b.conditionProblem;
                table.changed(b);
            }
        }
    }

    /** After a redefinition the JVM dropped the requests in these classes: set them again. */
    @Override
    public synchronized void redefined(Set<ReferenceType> types) {
        Set<String> keys = new HashSet<>();
        for (ReferenceType t : types) keys.add(SourceLocator.keyOf(t));
        for (String k : keys) {
            FileBreakpoints f = files.get(k);
            if (f == null) continue;
            for (LineBreakpoint b : f.list) {
                if (b.refused != null) continue;
                b.requests.removeIf(r -> types.contains(((BreakpointRequest) r).location().declaringType())
                        || !vm.eventRequestManager().breakpointRequests().contains(r));
                for (ReferenceType t : types) addRequests(b, t);
                b.arm();
            }
        }
    }

    private void addRequests(LineBreakpoint b, ReferenceType type) {
        List<Location> locs;
        try {
            locs = type.locationsOfLine(b.actualLine);
        } catch (AbsentInformationException | RuntimeException e) {
            return;
        }
        Set<Method> seen = new HashSet<>();
        for (Location loc : locs) {
            if (!seen.add(loc.method())) continue; // one stop per method and line
            String problem = b.rule == null ? null : conditionCheck.apply(b.rule, loc);
            if (problem != null) {
                b.conditionProblem = problem;
                continue;
            }
            boolean exists = false;
            for (EventRequest r : b.requests) exists |= ((BreakpointRequest) r).location().equals(loc);
            if (exists) continue;
            b.requests.add(b.tag(vm.eventRequestManager().createBreakpointRequest(loc))); // enabled by arm()
        }
    }

    /**
     * The line a breakpoint is set on: its own when a loaded class has code there; the next
     * line with code when its own line holds none (blank, comment, brace, declaration).
     */
    static int chooseLine(List<ReferenceType> types, int line, List<String> text) {
        TreeSet<Integer> codeLines = new TreeSet<>();
        for (ReferenceType t : types) {
            try {
                for (Location l : t.allLineLocations()) codeLines.add(l.lineNumber());
            } catch (AbsentInformationException | RuntimeException ignored) {
                // no line table
            }
        }
        if (codeLines.contains(line) || codeLines.isEmpty()) return line;
        String src = line - 1 < text.size() && line >= 1 ? text.get(line - 1) : "";
        if (!holdsNoCode(src)) return line;
        Integer next = codeLines.higher(line);
        return next == null ? line : next;
    }

    private static final Pattern NO_CODE = Pattern.compile(
            "\\s*(|//.*|/\\*.*|\\*.*|[{}\\s]*|@\\w+.*|(}\\s*)?(else|try|finally|do)\\b[\\s{]*"
                    + "|(?!\\s*(return|throw|break|continue|yield|assert|new|else|case)\\b)[\\w<>\\[\\],.?\\s]+\\s+[A-Za-z_$][\\w$]*\\s*;\\s*)");
    private static final Pattern HEADER = Pattern.compile(
            "\\s*(?!(if|while|for|switch|synchronized|catch|return|else)\\b)[\\w<>\\[\\],.?@\\s]*\\([^=;]*\\)\\s*(throws[\\w\\s,.]+)?\\{\\s*");

    static boolean holdsNoCode(String line) {
        String l = line.replaceAll("//.*$", "");
        return NO_CODE.matcher(l).matches() || HEADER.matcher(l).matches()
                || l.matches("\\s*(public|private|protected|static|final|abstract|class|interface|enum|record|\\s)*\\s*(class|interface|enum|record)\\b.*");
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
