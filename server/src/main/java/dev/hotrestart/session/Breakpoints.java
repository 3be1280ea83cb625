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
import dev.hotrestart.reload.ConditionSites;
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
        /** The value of the marker stores a compiled condition puts in the method (see {@code reload/ConditionSites}); -1: none. */
        private int marker = -1;
        /** The column the client gave (a column breakpoint, 1-based), moved to where its place starts; 0: none. */
        int column;
        /** What a column breakpoint stops in: the line's own code ({@link #OWN_CODE}), or the n-th lambda of the line; {@link #WHOLE_LINE} without a column. */
        int place = WHOLE_LINE;
        /** How many lambdas start on the line with their body there (see LinePositions). */
        int lambdasOnLine;
        /** One of them sits inside another: javac's numbers then follow no one source order. */
        boolean lambdasNest;
        static final int WHOLE_LINE = -2;
        static final int OWN_CODE = -1;

        LineBreakpoint(int id, FileBreakpoints file, int line, Object rule) {
            super(id, rule);
            this.file = file;
            this.line = line;
            this.actualLine = line;
        }

        @Override
        int marker() {
            return marker;
        }

        void marker(int m) {
            marker = m;
        }

        /** The condition to compile into the method, or null. */
        String condition() {
            return refused == null && rule != null ? rule.conditionText() : null;
        }

        @Override
        ConditionSites.Site site() {
            return marker >= 0 && condition() != null ? new ConditionSites.Site(actualLine, condition(), marker) : null;
        }

        @Override
        String siteKey() {
            return file.key;
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
            if (column > 0 && actualLine == line) bp.setColumn(column);
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

    static final class FileBreakpoints {
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
    /** Compiled conditions: which sites each file should carry, and which the JVM runs. */
    final CompiledConditions compiled = new CompiledConditions();
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
        return set(path, lines, null, rules);
    }

    /** As {@link #set(Path, int[], Object[])}; {@code columns[i]} > 0 makes the i-th a column breakpoint (null: none is). */
    public synchronized List<Breakpoint> set(Path path, int[] lines, int[] columns, Object[] rules) {
        String key = sources.keyOfFile(path);
        sources.remember(key, path);
        if (vm != null && index.typesOf(key).isEmpty()) indexLoaded(key);
        FileBreakpoints old = files.remove(key);
        if (old != null) clear(old);
        FileBreakpoints f = new FileBreakpoints(key, path);
        String text = columns == null ? null : readText(path);
        LinePositions positions = text == null ? null : LinePositions.of(text);
        for (int i = 0; i < lines.length; i++) {
            LineBreakpoint b = new LineBreakpoint(table.nextId(), f, lines[i], rules == null ? null : rules[i]);
            if (columns != null && columns[i] > 0 && positions != null) {
                LinePositions.Place at = positions.at(lines[i], columns[i]);
                b.column = at.column();
                b.place = at.lambda();
                b.lambdasOnLine = (int) positions.places(lines[i]).stream().filter(p -> p.lambda() >= 0).count();
                b.lambdasNest = positions.lambdasNest(lines[i]);
            }
            f.list.add(table.add(b));
        }
        if (!f.list.isEmpty()) files.put(key, f);
        compiled.assignMarkers(old == null ? List.of() : old.list, f.list);
        if (vm != null) {
            resolveAll(f);
            compiled.want(key, f.list, types(key), sharedWithFunction(key));
            compiled.apply(key, index.typesOf(key)); // a swap sets the requests again (redefined)
            for (LineBreakpoint b : f.list) b.message = message(b);
            table.lineBreakpointsSet.accept(key);
        } else {
            compiled.want(key, List.of(), l -> false, l -> false);
        }
        List<Breakpoint> out = new ArrayList<>();
        for (LineBreakpoint b : f.list) out.add(b.toDap());
        return out;
    }

    /**
     * The loaded classes of a file the session has not indexed: the JDK's (whose loads it does not
     * follow, for speed), when a breakpoint is set in one of its sources. Classes of the file that
     * load later are indexed as they load (its prepare request).
     */
    private void indexLoaded(String key) {
        if (!key.endsWith(".java")) return;
        String top = key.substring(0, key.length() - ".java".length()).replace('/', '.');
        for (ReferenceType t : vm.allClasses()) { // JDI keeps this list: no round trip
            String n = t.name();
            if ((n.equals(top) || n.startsWith(top + "$")) && key.equals(SourceLocator.keyOf(t))) index.add(t);
        }
    }

    /** The copy of a library's or the JDK's source a client names by its reference, or null. */
    public synchronized Path pathOf(int sourceReference) {
        dev.hotrestart.base.ArchiveSources a = sources.archives();
        dev.hotrestart.base.ArchiveSources.Found f = a == null ? null : a.byRef(sourceReference);
        return f == null ? null : f.file();
    }

    /** Whether a function breakpoint stops at a line of the file. */
    private java.util.function.IntPredicate sharedWithFunction(String key) {
        return line -> table.functionBreakpointAt.test(key, line);
    }

    /** The function breakpoints changed: the conditions of lines where one stops go out, or in where none stops any more. */
    synchronized void refreshConditions() {
        if (vm == null) return;
        for (FileBreakpoints f : files.values()) {
            compiled.want(f.key, f.list, types(f.key), sharedWithFunction(f.key));
            compiled.apply(f.key, index.typesOf(f.key)); // nothing to do, unless what is wanted changed
            tellNotes(f);
        }
    }

    /** Whether a line breakpoint of the file stops at the line. */
    synchronized boolean hasBreakpointAt(String key, int line) {
        FileBreakpoints f = files.get(key);
        if (f == null) return false;
        for (LineBreakpoint b : f.list) if (b.refused == null && b.actualLine == line) return true;
        return false;
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
        compiled.want(key, f.list, types(key), sharedWithFunction(key));
        if (compiled.missing(key)) {
            compiled.apply(key, index.typesOf(key)); // its swap sets the requests again (redefined)
            tellNotes(f);
        }
    }

    /** What a verified breakpoint says: why its condition is evaluated by the debugger, when it could not be compiled in. */
    private String message(LineBreakpoint b) {
        if (!b.verified) return b.message;
        String note = compiled.note(b);
        return note == null ? null : "The condition is evaluated by the debugger, a round trip per hit: " + note + ".";
    }

    private void tellNotes(FileBreakpoints f) {
        for (LineBreakpoint b : f.list) {
            String m = message(b);
            if (b.verified && !java.util.Objects.equals(m, b.message)) {
                b.message = m;
                table.changed(b);
            }
        }
    }

    /** After a redefinition the JVM dropped the requests in these classes: set them again. */
    @Override
    public synchronized void redefined(Set<ReferenceType> types) {
        compiled.forget(types);
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
            tellNotes(f);
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
        List<Method> lambdas = b.place == LineBreakpoint.WHOLE_LINE ? List.of() : lambdasStartingAt(locs, b.actualLine);
        for (Location loc : locs) {
            if (!seen.add(loc.method())) continue; // one stop per method and line
            if (!inPlace(b, loc.method(), lambdas)) continue;
            if (compiled.carries(b) && addCompiled(b, loc.method())) continue;
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
     * Whether a column breakpoint stops in this method. The lambdas of a line are the methods javac
     * made of them that have code there and none before (their bodies start on the line), in the
     * order of their numbers ({@code lambda$main$0}, {@code lambda$main$1}), which is the source
     * order of lambdas side by side. Lambdas nested on one line are numbered inner first by one
     * javac and outer first by another, and the class and the source can disagree on how many a
     * line has: then a lambda's breakpoint stops in each of the line's lambdas.
     */
    private static boolean inPlace(LineBreakpoint b, Method m, List<Method> lambdas) {
        if (b.place == LineBreakpoint.WHOLE_LINE || b.lambdasOnLine == 0) return true;
        if (b.place == LineBreakpoint.OWN_CODE) return !lambdas.contains(m);
        if (lambdas.size() != b.lambdasOnLine || b.lambdasNest) return lambdas.contains(m);
        return lambdas.get(b.place).equals(m);
    }

    /** The lambda methods with code at the line and none before it, by their numbers. */
    private static List<Method> lambdasStartingAt(List<Location> locs, int line) {
        List<Method> out = new ArrayList<>();
        for (Location loc : locs) {
            Method m = loc.method();
            if (out.contains(m) || !m.name().startsWith("lambda$")) continue;
            try {
                boolean before = false;
                for (Location l : m.allLineLocations()) before |= l.lineNumber() < line;
                if (!before) out.add(m);
            } catch (AbsentInformationException e) {
                // no lines: not one of the line's
            }
        }
        out.sort(java.util.Comparator.comparingInt(Breakpoints::lambdaNumber));
        return out;
    }

    private static int lambdaNumber(Method m) {
        String n = m.name();
        try {
            return Integer.parseInt(n.substring(n.lastIndexOf('$') + 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The requests of a condition compiled into the method (see CompiledConditions.addRequests); false when it has no such code. */
    private boolean addCompiled(LineBreakpoint b, Method m) {
        Location start = null;
        try {
            List<Location> line = m.locationsOfLine(b.actualLine);
            if (!line.isEmpty()) start = line.get(0);
        } catch (AbsentInformationException ignored) {
            // the marker is found by its line's code: there is a line table
        }
        return compiled.addRequests(b, b.marker(), m, start, vm);
    }

    /** The loaded classes of a file with code at each line, for the compiled conditions. */
    private java.util.function.IntPredicate types(String key) {
        List<ReferenceType> types = vm == null ? List.of() : index.typesOf(key);
        return line -> {
            for (ReferenceType t : types) {
                try {
                    if (!t.locationsOfLine(line).isEmpty()) return true;
                } catch (AbsentInformationException | RuntimeException ignored) {
                    // no line table
                }
            }
            return false;
        };
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

    /** The file's text, or null when it cannot be read. */
    static String readText(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Where on the lines of the file a breakpoint can stop (see LinePositions), read once; null when the file cannot be read. */
    public LinePositions positions(Path path) {
        String text = readText(path);
        return text == null ? null : LinePositions.of(text);
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
