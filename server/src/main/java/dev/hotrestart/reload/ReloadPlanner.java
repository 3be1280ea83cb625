package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.base.ClassIndex;
import dev.hotrestart.base.ErrorId;
import dev.hotrestart.base.SourceLocator;
import dev.hotrestart.base.Stages;
import dev.hotrestart.base.UserError;
import dev.hotrestart.reload.MethodSplicer.Found;
import dev.hotrestart.reload.MethodSplicer.MethodId;
import dev.hotrestart.wrap.ClassFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * Plans a reload, changing nothing: read the edit, splice it (method scope), compile, check the
 * structure. Each step is a method below, in that order. A plan that comes back can be applied
 * by {@link ClassSwapper}; every failure on the way is a {@link UserError} the user can act on.
 */
public final class ReloadPlanner {
    private final VirtualMachine vm;
    private final SourceLocator sources;
    private final SourceSnapshots snapshots;
    private final ClassFiles classFiles;
    private final ClassIndex index;
    private final Versions versions;
    private final Compilers compilers;
    /** A reload is coming: practice stops after the compile under way (see {@link Rehearsal}). */
    private final Runnable reloadStarts;
    /** Whether a restart of the method re-calls it with its original arguments (the agent wraps it). */
    private final Predicate<Method> keepsArguments;
    /** Members the edits add, kept outside their loaded classes. */
    private final AddedMembers added;
    /** Breakpoint conditions compiled into the classes of a file (see {@link ConditionSites}). */
    private volatile ConditionCode conditions = ConditionCode.NONE;

    /**
     * The breakpoints' side of compiled conditions: the sites each file's classes should carry,
     * and, once the JVM runs a compile, which of them it carries.
     */
    public interface ConditionCode {
        ConditionCode NONE = new ConditionCode() {
            @Override
            public List<ConditionSites.Site> sitesOf(String key) {
                return List.of();
            }

            @Override
            public void carried(String key, ConditionSites.Instrumented result) {}

            @Override
            public boolean viaHook(ReferenceType anchor) {
                return false;
            }
        };

        /** The conditions to compile into the classes of the file with this source key. */
        List<ConditionSites.Site> sitesOf(String key);

        /** The JVM now runs the file's classes with {@code result.placed()} compiled in; the others, with why. */
        void carried(String key, ConditionSites.Instrumented result);

        /** Whether the classes of the anchor's file reach the agent's hook, so the markers can call it (see {@link HookMarks}). */
        boolean viaHook(ReferenceType anchor);

        /** Whether the JVM runs the file's classes with some condition compiled in (a swap to take it out may have been refused). */
        default boolean carriesAny(String key) {
            return false;
        }
    }

    public void conditionCode(ConditionCode code) {
        this.conditions = code;
    }

    ReloadPlanner(VirtualMachine vm, SourceLocator sources, SourceSnapshots snapshots, ClassFiles classFiles, ClassIndex index,
                  Versions versions, Compilers compilers, Runnable reloadStarts, Predicate<Method> keepsArguments, AddedMembers added) {
        this.vm = vm;
        this.sources = sources;
        this.snapshots = snapshots;
        this.classFiles = classFiles;
        this.index = index;
        this.versions = versions;
        this.compilers = compilers;
        this.reloadStarts = reloadStarts;
        this.keepsArguments = keepsArguments;
        this.added = added;
    }

    Versions versions() {
        return versions;
    }

    /** The bytes the JVM runs for a class as far as reloads know: those last sent to it, else its class file. */
    byte[] runningBytes(ReferenceType type) {
        byte[] sent = added.sentBytes(type);
        return sent != null ? sent : versions.bytesOf(type);
    }

    /** Plans reloading the method a frame runs: its body only, or (class scope) the whole file. */
    public ReloadPlan plan(Method m, String scope) {
        ReferenceType type = m.declaringType();
        MethodId id = MethodId.of(type.name(), m.name(), m.argumentTypeNames());
        List<String> warnings = new ArrayList<>();
        if (scope.equals("method") && !id.inNamedTypes()) {
            warnings.add(id.label() + " belongs to an anonymous or local class, which cannot be found by name: reloading the whole file.");
            scope = "class";
        } else if (scope.equals("method") && (m.isConstructor() || m.isStaticInitializer())) {
            warnings.add("A constructor or initializer is reloaded with its whole file.");
            scope = "class";
        }
        ReloadPlan plan = plan(type, id, scope, warnings, compilers.forReloads(), false);
        if (!keepsArguments.test(m)) warnReassigned(plan, id);
        return plan;
    }

    /** Plans applying every method-body change in a file (hot code replace, nothing popped). */
    public ReloadPlan planFile(Path file) {
        String key = SourceLocator.keyOf(file);
        List<ReferenceType> types = index.typesOf(key);
        if (types.isEmpty()) {
            throw new UserError(ErrorId.NOTHING_TO_RELOAD, "No loaded class comes from " + file + ": there is nothing to reload yet.");
        }
        return plan(types.get(0), null, "class", new ArrayList<>(), compilers.forReloads(), false);
    }

    public ReloadPlan planClass(String className) {
        List<ReferenceType> types = vm.classesByName(className);
        if (types.isEmpty()) {
            throw new UserError(ErrorId.NOTHING_TO_RELOAD, "Class " + className + " is not loaded: there is nothing to reload yet.");
        }
        return plan(types.get(0), null, "class", new ArrayList<>(), compilers.forReloads(), false);
    }

    /** A practice run (see {@link Rehearsal}): the whole plan with practice's own javac, thrown away. */
    void practise(ReferenceType type, MethodId id, JavaCompilerService javac) {
        plan(type, id, "method", new ArrayList<>(), javac, true);
    }

    /**
     * {@code practice}: a plan made only to be thrown away, which also checks classes whose bytes
     * did not change (the check is what it practises).
     */
    private ReloadPlan plan(ReferenceType anchor, MethodId id, String scope, List<String> warnings, JavaCompilerService javac,
                            boolean practice) {
        if (!practice) reloadStarts.run();
        Future<?> shapeAsked = askAhead(anchor);
        Edit edit = readEdit(anchor, id, scope, warnings);
        if (!practice) Stages.mark("read");
        Splice splice = edit.methodScope() ? spliceMethod(edit, id, javac, practice) : wholeFile(edit, id, javac, practice);
        if (!practice) Stages.mark("splice");
        return compileAndCheck(anchor, id, edit, splice, warnings, javac, practice, shapeAsked);
    }

    private ReloadPlan compileAndCheck(ReferenceType anchor, MethodId id, Edit edit, Splice splice, List<String> warnings,
                                       JavaCompilerService javac, boolean practice, Future<?> shapeAsked) {
        ConditionSites.Instrumented withConditions = practice ? null : instrument(edit, splice);
        Map<String, byte[]> compiled = null;
        if (withConditions != null) {
            try {
                compiled = javac.compile(edit.fileName(), withConditions.text(), edit.origin().release(), splice.lineMap(),
                        edit.path().toString());
            } catch (CompileFailure failed) {
                // the code as the user wrote it is compiled below, and its errors (if any) are the ones reported
                Map<ConditionSites.Site, String> retried = new java.util.LinkedHashMap<>();
                String first = failed.getMessage() == null ? "" : failed.getMessage().strip().lines().findFirst().orElse("");
                for (ConditionSites.Site s : withConditions.placed()) {
                    retried.put(s, "javac does not take the file's conditions where they are (" + first + ")");
                }
                withConditions = new ConditionSites.Instrumented(splice.text(), List.of(), withConditions.refused(), retried);
            }
        }
        if (compiled != null && !withConditions.placed().isEmpty() && conditions.viaHook(anchor)) {
            java.util.Set<Integer> markers = new java.util.HashSet<>();
            for (ConditionSites.Site s : withConditions.placed()) markers.add(s.marker());
            compiled = HookMarks.rewrite(compiled, markers);
        }
        List<LineShifter.Shift> shifts = splice.shifts();
        boolean wasMerged = false;
        if (compiled == null && withConditions == null && splice.stubbed() != null) {
            Map<String, byte[]> merged = merged(anchor, edit, splice, javac);
            if (merged != null) {
                compiled = merged;
                wasMerged = true;
                shifts = List.of(); // the method has the file's lines; the others are the JVM's as they are
            }
        }
        if (compiled == null) {
            try {
                compiled = javac.compile(edit.fileName(), splice.text(), edit.origin().release(), splice.lineMap(), edit.path().toString());
            } catch (CompileFailure failed) {
                // the text compiled was the file as saved: the failure is true of it as it is
                if (splice.text() == edit.text() || practice) throw failed;
                throw spliceFailed(anchor, id, edit, javac, failed);
            }
        }
        if (!practice) Stages.mark("compiled");
        awaitQuietly(shapeAsked); // done long since; waited for so no answer lands after the redefinition
        Checked checked = checkStructure(anchor, compiled, shifts, practice, wasMerged);
        if (!practice) Stages.mark("checked");
        java.util.Set<String> defined = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Runnable commit = commit(anchor, id, edit, splice, checked, defined);
        // the JVM runs what this compile carries: no conditions at all when none were wanted
        ConditionSites.Instrumented carried = withConditions != null ? withConditions
                : new ConditionSites.Instrumented(splice.text(), List.of(), Map.of());
        ConditionCode code = conditions;
        Runnable all = practice ? commit : () -> {
            commit.run();
            code.carried(edit.key(), carried);
        };
        return new ReloadPlan(checked.classes(), checked.companions(), checked.defines(), anchor, defined, splice.reloaded(), warnings,
                all, edit.methodScope() ? id : null, splice.found());
    }

    /**
     * The edited method's class compiled from the stubbed text and merged into the bytes the JVM
     * runs (see {@link StubbedCompile}); null when it cannot be, and the whole file is compiled:
     * also when the stubbed text does not compile, so that errors are reported of the file as saved.
     */
    private Map<String, byte[]> merged(ReferenceType anchor, Edit edit, Splice splice, JavaCompilerService javac) {
        Stubbed st = splice.stubbed();
        if (!st.merge()) return null;
        // before Java 11 javac reaches a nestmate's private members through access$NNN methods, numbered by the bodies it compiles
        if (edit.origin().release() < 11) return null;
        // the other methods are taken as the JVM runs them: so they must be what a compile of the file gives
        if (conditions.carriesAny(edit.key())) return null; // tests of conditions no longer wanted would stay
        if (edit.savedAfterCompiled()) return null; // the text read at load holds edits the JVM lacks
        ReferenceType type = loadedBeside(anchor, st.className());
        byte[] running = type == null ? null : versions.bytesOf(type);
        if (running == null) return null;
        Map<String, byte[]> out;
        try {
            out = javac.compile(edit.fileName(), st.text(), edit.origin().release(), splice.lineMap(), edit.path().toString());
        } catch (CompileFailure e) {
            return null;
        }
        byte[] merged = StubbedCompile.merge(running, out, st.className(), st.method(), st.firstLine(), st.lastLine());
        return merged == null ? null : Map.of(st.className(), merged);
    }

    /** The text with the file's breakpoint conditions compiled in; null when the file has none. */
    private ConditionSites.Instrumented instrument(Edit edit, Splice splice) {
        List<ConditionSites.Site> sites = conditions.sitesOf(edit.key());
        if (sites.isEmpty()) return null;
        if (!splice.shifts().isEmpty()) {
            Map<ConditionSites.Site, String> refused = new java.util.LinkedHashMap<>();
            for (ConditionSites.Site s : sites) {
                refused.put(s, "the file has edits around the reloaded method that are not reloaded yet, so its lines are not the ones the JVM runs");
            }
            return new ConditionSites.Instrumented(splice.text(), List.of(), refused);
        }
        try {
            return ConditionSites.instrument(MethodSplicer.parse(splice.text(), edit.path().toString()), splice.text(), sites);
        } catch (CompileFailure e) {
            return null; // javac reports what is wrong with the file
        }
    }

    /**
     * Recompiles the classes of {@code anchor}'s file from the text the JVM runs, with the
     * breakpoint conditions compiled in (or none, to take them out again).
     */
    public ReloadPlan planConditions(ReferenceType anchor) {
        Future<?> shapeAsked = askAhead(anchor);
        Versions.Origin origin = versions.origin(anchor);
        SourceSnapshots.Snapshot snap = origin.key() == null ? null : snapshots.get(origin.key());
        if (snap == null) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, "the source of " + anchor.name() + " was not read when it loaded");
        }
        if (savedAfterCompiled(anchor, snap)) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, snap.path.getFileName() + " was saved after " + anchor.name()
                    + " was compiled, so it may not be the code the JVM runs (a reload of the file, or a rebuild and a new launch, "
                    + "lets the condition go in)");
        }
        if (snap.lineShifts.values().stream().anyMatch(n -> n != 0)) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, "a reload of one method moved the lines the JVM runs away from the text it "
                    + "was compiled from (a reload of the whole file, reloadClass, lets the condition go in)");
        }
        Edit edit = new Edit(snap.path, snap.path.getFileName().toString(), origin.key(), origin, snap.text, snap, false, false);
        Splice splice = new Splice(snap.text, l -> l, Map.of(), List.of(), List.of(), null, null, null);
        return compileAndCheck(anchor, null, edit, splice, new ArrayList<>(), compilers.forReloads(), false, shapeAsked);
    }

    /**
     * A method the agent does not wrap is restarted by popping its frame, and the JVM keeps what
     * the method assigned to its parameters: the user is told which ones.
     */
    private static void warnReassigned(ReloadPlan plan, MethodId id) {
        if (plan.edited() == null) return;
        for (String p : MethodSplicer.reassignedParameters(plan.edited().decl())) {
            plan.warnings().add(id.label() + " assigns to its parameter '" + p + "': the re-run starts with the value '" + p
                    + "' has now, not the one it was called with (the JVM keeps reassigned arguments when it pops a frame "
                    + "of a method the agent does not wrap).");
        }
    }

    // ---------------------------------------------------------------- 1. read the edit

    /** The edited file and what it is applied to: the text the JVM runs ({@code snap}, may be null). */
    private record Edit(Path path, String fileName, String key, Versions.Origin origin, String text,
                        SourceSnapshots.Snapshot snap, boolean methodScope, boolean savedAfterCompiled) {}

    private Edit readEdit(ReferenceType anchor, MethodId id, String scope, List<String> warnings) {
        Versions.Origin origin = versions.origin(anchor);
        String key = origin.key();
        if (key == null) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, anchor.name() + " has no source file name (compiled without -g?); it cannot be reloaded.");
        }
        Path path = sources.find(key);
        Path was = path == null ? sources.lastKnown(key) : null;
        if (was != null) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, "The source of " + anchor.name() + ", " + was + ", is gone: it was "
                    + "deleted, moved or renamed since this session read it. Put it back to reload it; the running code is unchanged.");
        }
        var archived = path == null && sources.archives() != null ? sources.archives().find(anchor.name(), key) : null;
        if (archived != null) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, anchor.name() + " is not the program's own code: its source comes from "
                    + archived.origin() + " and is shown read-only. A reload takes the program's own "
                    + "sources (those under 'sourcePaths'); the running code is unchanged.");
        }
        if (path == null) {
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, "The source of " + anchor.name() + " (" + key + ") is not under 'sourcePaths' "
                    + sources.sourcePaths() + ". Add the folder that holds it to 'sourcePaths'.");
        }
        String fileName = path.getFileName().toString();
        String text = read(path);
        SourceSnapshots.Snapshot snap = snapshots.get(key);
        if (snap == null && scope.equals("method")) {
            warnings.add("The source " + key + " was not read when its class loaded: reloading the whole file.");
            scope = "class";
        }
        boolean methodScope = id != null && scope.equals("method");
        boolean savedLate = savedAfterCompiled(anchor, snap);
        if (methodScope && savedLate) {
            warnings.add(fileName + " was saved after " + anchor.name() + " was compiled, and before the class loaded: the text "
                    + "read then is what " + id.label() + " is spliced into, so edits made in that time outside it go in too.");
        }
        return new Edit(path, fileName, key, origin, text, snap, methodScope, savedLate);
    }

    /** Whether the text read when the class loaded was saved after its class file was written: it may hold edits the JVM lacks. */
    private boolean savedAfterCompiled(ReferenceType anchor, SourceSnapshots.Snapshot snap) {
        if (snap == null || snap.savedAt <= 0) return false;
        long compiledAt = classFiles.modified(anchor.name());
        return compiledAt > 0 && snap.savedAt > compiledAt;
    }

    /**
     * The edited file parsed. Where the parser cannot read it, javac says what is wrong, in its
     * words and with the file's lines. When javac compiles it, the file is fine and the parser
     * is at fault, and the user reads that. (Practice, which runs while the user types, takes the
     * parser's word: no compile for a plan that is thrown away.)
     */
    private static CompilationUnit parseEdited(Edit edit, JavaCompilerService javac, boolean practice) {
        try {
            return MethodSplicer.parse(edit.text(), edit.path().toString());
        } catch (CompileFailure parser) {
            if (practice) throw parser;
            compileAsSaved(edit, javac); // throws javac's diagnostics when the file does not compile
            CompileFailure.Diagnostic first = parser.diagnostics().isEmpty() ? null : parser.diagnostics().get(0);
            throw new UserError(ErrorId.PARSER_CANNOT_READ, edit.fileName() + " compiles, but the adapter's Java parser cannot read it"
                    + (first == null ? "" : " at " + first.line() + ":" + first.column() + " (" + first.message() + ")")
                    + "; a reload needs it to find the methods. Restart the program to run the edit.");
        }
    }

    /** The file as saved, compiled whole; its compile errors as they are. */
    private static Map<String, byte[]> compileAsSaved(Edit edit, JavaCompilerService javac) {
        return javac.compile(edit.fileName(), edit.text(), edit.origin().release(), l -> l, edit.path().toString());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.charset.MalformedInputException ? "it is not UTF-8 text"
                    : e.getClass().getSimpleName() + (e.getMessage() == null || e.getMessage().equals(p.toString()) ? "" : ": " + e.getMessage());
            throw new UserError(ErrorId.SOURCE_NOT_FOUND, "Cannot read " + p + " (" + why + "): nothing was reloaded, the running code "
                    + "is unchanged. Make the file readable and reload again.");
        }
    }

    // ---------------------------------------------------------------- 2. splice

    /**
     * The text to compile and how its lines map to the edited file's. {@code found}: the method in
     * the edited file (null when it cannot be named); {@code inPlace}: set when only the method
     * changed, so the next reload of it needs no parse; {@code shifts}: the line tables to move.
     */
    private record Splice(String text, IntUnaryOperator lineMap, Map<MethodId, Integer> shiftsById, List<LineShifter.Shift> shifts,
                          List<String> reloaded, Found found, Found inPlace, Stubbed stubbed) {}

    /**
     * Method scope where only the method changed: the text with the other bodies stubbed, the
     * method's class and name (see {@link StubbedCompile}), and where the bodies are in the new text.
     */
    private record Stubbed(String text, String className, String method, int firstLine, int lastLine, SourceSnapshots.Snapshot.Bodies after,
                           boolean merge) {}

    /** Method scope: the edited method's text goes into the text the JVM runs; other edits wait. */
    private Splice spliceMethod(Edit edit, MethodId id, JavaCompilerService javac, boolean practice) {
        SourceSnapshots.Snapshot snap = edit.snap();
        Found old = oldMethod(snap, id, edit.path());
        Found neu = MethodSplicer.editedInPlace(snap.text, old, edit.text(), id);
        Found inPlace = neu;
        String text;
        Map<MethodId, Integer> shiftsById = LineShifts.decode(snap.lineShifts);
        List<String> reloaded = new ArrayList<>(List.of(packageOf(edit) + id.label()));
        List<int[]> broughtLines = new ArrayList<>(); // per brought member: first and last line in the splice, shift
        CompilationUnit baseCu = null;
        Map<MethodId, Integer> stored = Map.copyOf(shiftsById);
        if (neu != null) {
            text = edit.text(); // only the method changed: the edited text is the splice
        } else {
            CompilationUnit editedCu = parseEdited(edit, javac, practice);
            if (!practice) Stages.mark("parsedEdit");
            neu = MethodSplicer.findOne(editedCu, edit.text(), id, edit.path().toString());
            baseCu = MethodSplicer.parse(snap.text, edit.path() + " (as loaded)");
            text = MethodSplicer.splice(snap.text, old, edit.text(), neu, baseCu, editedCu);
            List<int[]> broughtRanges = new ArrayList<>();
            text = bring(text, snap.text, baseCu, editedCu, edit, neu, id, shiftsById, reloaded, broughtLines, broughtRanges);
            if (!practice) Stages.mark("brought");
            broughtRanges.add(new int[]{neu.beginOffset(), neu.endOffset()});
            // (not where javac numbers classes or access$ methods by where they stand: the brought members would move them)
            if (edit.origin().release() >= 11 && !MethodSplicer.declaresNumberedClasses(editedCu)
                    && MethodSplicer.sameTokensOutside(baseCu, snap.text, List.of(new int[]{old.beginOffset(), old.endOffset()}),
                    editedCu, edit.text(), broughtRanges)) {
                // the file as saved is the text the JVM runs with the method and what it brings: it is the splice, every
                // line where the file has it (no line table moves), and the next reload's base is a text parsed already
                return new Splice(edit.text(), l -> l, new HashMap<>(), List.of(), reloaded, neu, null, null);
            }
        }
        int delta = neu.beginLine() - old.beginLine();
        int begin = old.beginLine();
        int end = old.beginLine() + (neu.endLine() - neu.beginLine());
        shiftsById.put(id, delta);
        List<LineShifter.Shift> shifts;
        if (baseCu == null) {
            shifts = LineShifts.where(text, shiftsById, edit.path().toString());
        } else {
            // where the spliced text has each shifted method, known without parsing it: the edited method and the
            // members brought are where they were put, the rest where the text the JVM runs has them (moved by the edit's length)
            shifts = new ArrayList<>();
            shifts.add(new LineShifter.Shift(begin, end, delta));
            for (int[] b : broughtLines) shifts.add(new LineShifter.Shift(b[0], b[1], b[2]));
            int moved = (neu.endLine() - neu.beginLine()) - (old.endLine() - old.beginLine());
            List<MethodId> shifted = new ArrayList<>();
            for (Map.Entry<MethodId, Integer> e : stored.entrySet()) if (e.getValue() != 0 && !e.getKey().equals(id)) shifted.add(e.getKey());
            for (Map.Entry<MethodId, List<Found>> e : MethodSplicer.findEach(baseCu, snap.text, shifted).entrySet()) {
                for (Found f : e.getValue()) {
                    int by = f.beginLine() > old.endLine() ? moved : 0;
                    shifts.add(new LineShifter.Shift(f.beginLine() + by, f.endLine() + by, stored.get(e.getKey())));
                }
            }
        }
        IntUnaryOperator lineMap = l -> {
            if (l >= begin && l <= end) return l + delta;
            for (int[] b : broughtLines) if (l >= b[0] && l <= b[1]) return l + b[2];
            return l;
        };
        // an edit that changes the method's line count moves the lines of the code below it, which a compile of the file gives anew
        boolean sameLines = inPlace != null && inPlace.endLine() - inPlace.beginLine() == old.endLine() - old.beginLine();
        // (where the bodies are is kept either way, so the next edit of the method needs no parse)
        Stubbed stubbed = inPlace == null ? null : stubbed(edit, id, old, inPlace, text, sameLines);
        return new Splice(text, lineMap, shiftsById, shifts, reloaded, neu, inPlace, stubbed);
    }

    /** The stubbed text for an edit of the method alone; null when the bodies of the text the JVM runs are not known (no parse of it is kept). */
    private static Stubbed stubbed(Edit edit, MethodId id, Found old, Found neu, String text, boolean merge) {
        SourceSnapshots.Snapshot snap = edit.snap();
        SourceSnapshots.Snapshot.Bodies known = snap.bodies;
        List<int[]> before;
        if (known != null && known.text() == snap.text) {
            before = known.braces();
        } else {
            String base = snap.text;
            CompilationUnit cu = MethodSplicer.parseIfKnown(base);
            if (cu == null) return null; // parsing it here would cost what the stub saves: the next reload has it
            before = StubbedCompile.bodies(cu, base);
            if (before == null) return null;
            if (snap.text == base) snap.bodies = new SourceSnapshots.Snapshot.Bodies(base, before); // true of that text whoever asks (practice too)
        }
        // the bodies of the new text: the others moved, and (below) the method's own, its parse being of its text alone
        List<int[]> after = StubbedCompile.moved(before, old.beginOffset(), old.endOffset(), neu.endOffset() - neu.beginOffset());
        // the stubbed text only for a merge: the bodies alone are kept otherwise
        String stubbedText = merge ? StubbedCompile.stub(text, after, neu.beginOffset(), neu.endOffset()) : null;
        if (merge && stubbedText == null) return null;
        var body = neu.decl().getBody().flatMap(com.github.javaparser.ast.Node::getRange).orElse(null);
        if (body != null) {
            int[] starts = MethodSplicer.lineStarts(text.substring(neu.beginOffset(), neu.endOffset()));
            // never left out of later stubs, only stubbed (its parse alone does not say what its class extends)
            after.add(new int[]{neu.beginOffset() + MethodSplicer.offset(starts, body.begin.line, body.begin.column),
                    neu.beginOffset() + MethodSplicer.offset(starts, body.end.line, body.end.column), neu.beginOffset(), neu.beginOffset(),
                    neu.beginOffset(), 0});
            after.sort((a, b) -> Integer.compare(a[StubbedCompile.OPEN], b[StubbedCompile.OPEN]));
        }
        String className = packageOf(edit) + String.join("$", id.typePath());
        return new Stubbed(stubbedText, className, id.name(), neu.beginLine(), neu.endLine(), new SourceSnapshots.Snapshot.Bodies(text, after), merge);
    }

    /**
     * The splice with the members the edited method needs (see {@link NeededMembers}) added at the
     * end of its class, their lines shifted to where the edited file has them. When they cannot
     * go there without moving other code, the splice stays as it is (and its compile says what is missing).
     */
    private static String bring(String spliced, String baseText, CompilationUnit baseCu, CompilationUnit editedCu, Edit edit,
                                Found neu, MethodId id, Map<MethodId, Integer> shiftsById, List<String> reloaded,
                                List<int[]> broughtLines, List<int[]> broughtRanges) {
        List<NeededMembers.Member> needed = NeededMembers.of(baseCu, editedCu, edit.text(), neu, id);
        for (NeededMembers.Member m : needed) broughtRanges.add(new int[]{m.beginOffset(), m.beginOffset() + m.text().length()});
        if (needed.isEmpty()) return spliced;
        int at = NeededMembers.insertionPoint(baseCu, baseText, id, spliced.length() - baseText.length());
        if (at < 0) return spliced;
        StringBuilder b = new StringBuilder(spliced.substring(0, at));
        int line = (int) b.chars().filter(c -> c == '\n').count() + 1;
        for (NeededMembers.Member m : needed) {
            b.append('\n');
            line++;
            int lines = (int) m.text().chars().filter(c -> c == '\n').count();
            broughtLines.add(new int[]{line, line + lines, m.beginLine() - line});
            for (MethodId mid : m.methods()) shiftsById.put(mid, m.beginLine() - line);
            b.append(m.text());
            line += lines;
            reloaded.add(packageOf(edit) + m.label());
        }
        b.append('\n');
        return b.append(spliced.substring(at)).toString();
    }

    /** Class scope: the whole edited file goes in; the method is looked at only for its parameters (if it can be named). */
    private Splice wholeFile(Edit edit, MethodId id, JavaCompilerService javac, boolean practice) {
        CompilationUnit editedCu = parseEdited(edit, javac, practice);
        Found neu = null;
        if (id != null) {
            List<Found> found = MethodSplicer.find(editedCu, edit.text(), id);
            neu = found.size() == 1 ? found.get(0) : null;
        }
        List<String> reloaded = new ArrayList<>();
        String pkg = packageOf(edit);
        if (edit.snap() != null) reloaded.addAll(ChangedMethods.between(edit.snap().text, edit.text(), edit.path().toString(), pkg));
        else if (id != null) reloaded.add(pkg + id.label());
        return new Splice(edit.text(), l -> l, Map.of(), List.of(), reloaded, neu, null, null);
    }

    private static String packageOf(Edit edit) {
        return edit.key().substring(0, edit.key().lastIndexOf('/') + 1).replace('/', '.');
    }

    /**
     * Where the method lies in the snapshot: known from the last reload that edited it in place or
     * the last parse that looked for it (practice's among them), else parsed, and kept.
     */
    private static Found oldMethod(SourceSnapshots.Snapshot snap, MethodId id, Path path) {
        String text = snap.text;
        SourceSnapshots.Snapshot.Placed known = snap.placed;
        if (known != null && known.in() == text && id.equals(known.id())) return known.found();
        CompilationUnit baseCu = MethodSplicer.parse(text, path + " (as loaded)");
        Found found = MethodSplicer.findOne(baseCu, text, id, path + " (as loaded)");
        if (snap.text == text) snap.placed = new SourceSnapshots.Snapshot.Placed(id, found, text); // (a reload may have moved on)
        return found;
    }

    // ---------------------------------------------------------------- 3. compile: JavaCompilerService

    /**
     * The method spliced into the text the JVM runs does not compile. What the user reads must be
     * true of the file as saved: its own errors when it does not compile either; else the method
     * needs what other edits of the file add (new members, an import), which method scope leaves out.
     */
    private UserError spliceFailed(ReferenceType anchor, MethodId id, Edit edit, JavaCompilerService javac, CompileFailure spliced) {
        Map<String, byte[]> whole;
        try {
            whole = compileAsSaved(edit, javac);
        } catch (CompileFailure asSaved) {
            return asSaved;
        }
        List<String> problems = structure(anchor, whole, List.of(), false, false).problems();
        String needs = spliced.diagnostics().isEmpty() ? "" : " (in the file as the JVM runs it: "
                + spliced.diagnostics().get(0).message().replace("\n", ", ").replaceAll("\\s+", " ").strip() + ")";
        if (!problems.isEmpty()) {
            return new UserError(ErrorId.SWAP_REFUSED, "Cannot hot-swap this edit: " + id.label() + " needs other edits of "
                    + edit.fileName() + needs + ", and those edits change what the JVM cannot swap (it can only replace method "
                    + "bodies): " + String.join("; ", problems) + ". Undo the structural part of those edits to reload the method, "
                    + "or restart the program to run them.");
        }
        return new UserError(ErrorId.EDIT_NEEDS_MORE, id.label() + " needs other edits of " + edit.fileName()
                + ", which a method-scope reload leaves out" + needs + ". Reload with scope \"class\" to apply every change in the file.");
    }

    // ---------------------------------------------------------------- 4. check the structure

    /**
     * The loaded classes the compiled bytes replace (only those of the anchor's loader, only those
     * that changed), made to fit what the JVM can redefine: {@code classes} with the bytes to
     * send, {@code compiled} with javac's, and the companions to hand to the agent first.
     * {@code limit}: why members cannot be added at all here, or null.
     */
    private record Checked(Map<ReferenceType, byte[]> classes, Map<ReferenceType, byte[]> compiled, Map<String, byte[]> companions,
                           List<AddedMembers.NewClass> defines, Map<String, byte[]> unloaded, List<String> problems, Runnable commit,
                           String limit) {}

    private Checked checkStructure(ReferenceType anchor, Map<String, byte[]> compiled, List<LineShifter.Shift> shifts, boolean practice,
                                   boolean merged) {
        Checked checked = structure(anchor, compiled, shifts, practice, merged);
        if (!checked.problems().isEmpty()) {
            String problems = String.join("; ", checked.problems());
            if (checked.limit() == null) {
                throw new UserError(ErrorId.SWAP_REFUSED, "Cannot hot-swap this edit: " + problems + ". Undo that change to reload "
                        + "the rest, or restart the program to run it; scope \"class\" does not help here.");
            }
            throw new UserError(ErrorId.SWAP_REFUSED, "Cannot hot-swap this edit: " + problems + ". " + checked.limit()
                    + " Undo that change to reload the rest, or restart the program to run it; scope \"class\" does not help here, "
                    + "a JVM with enhanced class redefinition does (JetBrains Runtime with -XX:+AllowEnhancedClassRedefinition).");
        }
        return checked;
    }

    /** {@code merged}: the compiled class is the running one with one method's code replaced (see {@link StubbedCompile}). */
    private Checked structure(ReferenceType anchor, Map<String, byte[]> compiled, List<LineShifter.Shift> shifts, boolean practice,
                              boolean merged) {
        String limit = memberLimit();
        Map<ReferenceType, byte[]> changed = new LinkedHashMap<>();
        Map<String, byte[]> unloaded = new LinkedHashMap<>();
        java.util.Set<String> onDisk = new java.util.HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            byte[] bytes = added.asDefined(e.getKey(), LineShifter.shift(e.getValue(), shifts));
            ReferenceType t = loadedBeside(anchor, e.getKey());
            if (t == null) {
                // not loaded: a class the edit adds, or one not used yet, which its loader would read from a stale class file
                byte[] file = classFiles.readIfOlderThan(e.getKey(), versions.sessionStart());
                if (file == null || !Arrays.equals(file, bytes)) unloaded.put(e.getKey(), bytes);
                if (classFiles.modified(e.getKey()) > 0) onDisk.add(e.getKey());
                continue;
            }
            byte[] before = versions.bytesOf(t);
            if (before != null && Arrays.equals(before, bytes) && !practice) continue;
            // a merged class has the running class's members, flags and hierarchy (StubbedCompile checks the method's)
            if (!merged) problems.addAll(StructureCheck.problems(t, bytes, before, limit == null));
            changed.put(t, bytes);
        }
        if (limit != null) return new Checked(changed, changed, Map.of(), List.of(), Map.of(), problems, () -> {}, limit);
        AddedMembers.Fitted fitted = merged && unloaded.isEmpty() ? added.asRunning(changed, versions::bytesOf) : null;
        if (fitted == null) fitted = added.fit(changed, unloaded, onDisk, versions::bytesOf, name -> loadedBeside(anchor, name));
        problems.addAll(fitted.problems());
        return new Checked(fitted.classes(), changed, fitted.companions(), fitted.defines(), unloaded, problems, fitted.commit(), null);
    }

    /** The class of that name loaded by the anchor's loader, or null. */
    private ReferenceType loadedBeside(ReferenceType anchor, String binaryName) {
        for (ReferenceType t : vm.classesByName(binaryName)) if (Objects.equals(t.classLoader(), anchor.classLoader())) return t;
        return null;
    }

    /** Why this JVM cannot take added members, or null when it can (Java 15 or newer, the agent loaded). */
    private String memberLimit() {
        int feature = featureOf(vm.version());
        if (feature > 0 && feature < 15) {
            return "The program runs on Java " + feature + ", which has no hidden classes: a reload there can change method bodies only "
                    + "(Java 15 and newer take added methods, lambdas and fields).";
        }
        if (vm.classesByName(AddedMembers.LINKS.replace('/', '.')).isEmpty()) {
            return "The hotrestart agent is not loaded in the program: without it a reload can change method bodies only.";
        }
        return null;
    }

    /** 17 for "17.0.9", 8 for "1.8.0_392", 0 when unknown. */
    static int featureOf(String version) {
        try {
            String[] parts = version.split("[._+-]");
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- what becomes current once applied

    private Runnable commit(ReferenceType anchor, MethodId id, Edit edit, Splice splice, Checked checked, java.util.Set<String> defined) {
        SourceSnapshots.Snapshot snap = edit.snap();
        MethodId replacedId = edit.methodScope() ? id : Versions.UNKNOWN;
        return () -> {
            checked.commit().run();
            checked.compiled().forEach((t, bytes) -> versions.swapped(t, bytes, t.equals(anchor) ? replacedId : Versions.UNKNOWN));
            checked.unloaded().forEach((name, bytes) -> {
                ReferenceType t = defined.contains(name) ? loadedBeside(anchor, name) : null; // else left to its loader
                if (t != null) versions.swapped(t, added.asDefined(name, bytes), Versions.UNKNOWN);
            });
            if (snap == null) return;
            versions.textReplaced(edit.key(), snap.text);
            snap.text = splice.text();
            snap.savedAt = -1; // the JVM now runs this text
            snap.lineShifts.clear();
            if (edit.methodScope()) snap.lineShifts.putAll(LineShifts.encode(splice.shiftsById()));
            snap.bodies = splice.stubbed() == null ? null : splice.stubbed().after();
            snap.placed = splice.inPlace() == null ? null : new SourceSnapshots.Snapshot.Placed(id, splice.inPlace(), splice.text());
        };
    }

    // ---------------------------------------------------------------- asking the JVM ahead

    /** At most one daemon thread, which asks the JVM ahead while the parser and javac run; it ends when idle. */
    private final ExecutorService asker = new ThreadPoolExecutor(0, 1, 60,
            TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "reload-ask-ahead");
                t.setDaemon(true);
                return t;
            });

    /**
     * Fetches what the structure check asks the JVM about the class (its methods and fields;
     * a redefinition drops JDI's copy of the methods) while the edit is parsed and compiled.
     */
    private Future<?> askAhead(ReferenceType anchor) {
        return asker.submit(() -> {
            try {
                anchor.methods();
                anchor.fields();
            } catch (RuntimeException ignored) {
                // asked again, and reported, where it is needed
            }
        });
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (ExecutionException ignored) {
            // asked again where it is needed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
