package dev.hotrestart.reload;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import dev.hotrestart.dap.UserError;
import dev.hotrestart.reload.MethodSplicer.Found;
import dev.hotrestart.reload.MethodSplicer.MethodId;
import dev.hotrestart.session.ClassIndex;
import dev.hotrestart.session.IdTable;
import dev.hotrestart.session.SourceLocator;
import dev.hotrestart.wrap.ClassFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * The reload cycle: edited source → splice (method scope) → javac → line shift → structure
 * check → redefine. {@link #plan} does every check and changes nothing; {@link #apply}
 * redefines and then records the new state, so a failure leaves the JVM on the old code.
 */
public final class Reloader {
    /** Everything needed to redefine, already compiled and checked. */
    public record Plan(Map<ReferenceType, byte[]> classes, List<String> reloaded, List<String> warnings,
                       Set<ReferenceType> redefinedTypes, Runnable commit, MethodId only) {}

    private final VirtualMachine vm;
    private final SourceLocator sources;
    private final SourceSnapshots snapshots;
    private final ClassFiles classFiles;
    private final ClassIndex index;
    private final List<Path> classPath;
    private final Path javaHome;
    /** Made on first use (the warm-up, usually): setting javac up costs about 100 ms a launch should not wait for. */
    private JavaCompilerService compiler;
    private final Object compilerLock = new Object();
    /** What we last redefined each class with (per loaded class: two loaders' copies differ). */
    private final Map<ReferenceType, byte[]> currentBytes = new ConcurrentHashMap<>();
    private final IdTable<String> oldVersions = new IdTable<>();
    private final Map<String, Integer> lastOldVersion = new HashMap<>();

    public Reloader(VirtualMachine vm, SourceLocator sources, SourceSnapshots snapshots, ClassFiles classFiles,
                    List<Path> classPath, Path javaHome, ClassIndex index) {
        this.vm = vm;
        this.sources = sources;
        this.snapshots = snapshots;
        this.classFiles = classFiles;
        this.index = index;
        this.classPath = classPath;
        this.javaHome = javaHome;
    }

    private JavaCompilerService compiler() {
        synchronized (compilerLock) {
            if (compiler == null) compiler = new JavaCompilerService(classPath, javaHome);
            return compiler;
        }
    }

    private final AtomicBoolean warmedWithProgram = new AtomicBoolean();

    /**
     * Warm-up work waiting for {@link #release}: javac and the parser take both cores for a
     * few hundred ms, which a program that is starting up would otherwise wait for.
     */
    private List<Runnable> held = new ArrayList<>();

    /** Loads and warms the parser and javac in the background, so the first reload is quick. */
    public void warmUp() {
        background(() -> {
            compiler().warmUp();
            MethodSplicer.parse("class Warm { int f(int x) { return x + 1; } }", "Warm.java");
        });
    }

    /**
     * Once per session, parses and compiles the first program file that loads, in the
     * background and thrown away: javac then has the program's class path open and its own
     * classes for real code loaded before the first reload needs them.
     */
    public void warmWith(String key, ReferenceType type) {
        if (warmedWithProgram.get()) return; // once per session; this runs for every class that loads
        SourceSnapshots.Snapshot snap = snapshots.get(key);
        if (snap == null || !warmedWithProgram.compareAndSet(false, true)) return;
        String text = snap.text;
        String fileName = snap.path.getFileName().toString();
        int release = Math.max(8, type.majorVersion() - 44);
        background(() -> {
            MethodSplicer.parse(text, fileName);
            compiler().compile(fileName, text, release, l -> l, fileName);
        });
    }

    /** Runs the warm-up work held so far, and any that comes later, at once. */
    public void release() {
        List<Runnable> work;
        synchronized (this) {
            work = held;
            held = null;
        }
        if (work != null) work.forEach(Reloader::start);
    }

    private void background(Runnable work) {
        synchronized (this) {
            if (held != null) {
                held.add(work);
                return;
            }
        }
        start(work);
    }

    private static void start(Runnable work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (RuntimeException ignored) {
                // warming is best effort
            }
        }, "javac-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    // ---------------------------------------------------------------- practice

    /**
     * How many times a reload is practised, once per session. The reload's code (the parser,
     * javac, the checks) runs in the JVM's interpreter until the JIT compiles it, after a hundred
     * runs or so: a warm reload spends 9-10 ms in javac before that and 4-5 ms after, and the
     * first reload of a session 67-82 ms in all, against 23 ms after practice.
     */
    static final int PRACTICE_RUNS = 150;
    /**
     * The most time practice takes per session, whatever the count: a large file compiles slower,
     * and each of its compiles runs javac's code more often, so fewer of them teach the JIT as much.
     */
    static final long PRACTICE_BUDGET_MS = 2_500;
    /** A stop shorter than this is not an edit: a step, a client continuing, a benchmark. */
    static final long PRACTICE_AFTER_MS = 250;
    /** A practice thread that waits this long for a stop ends (a later stop starts another). */
    static final long PRACTICE_IDLE_MS = 30_000;

    /** What to practise on: a reload of {@code id} (null: none can be planned) in the class's file. */
    private record PracticeFile(ReferenceType type, MethodId id, String fileName, String text, int release) {}

    private final Object practiceLock = new Object();
    /** Guarded by practiceLock: when practice may go on (nanoTime), or 0 when it may not. */
    private long practiceFrom;
    private PracticeFile practiceFile;
    private Thread practiceThread;
    private final AtomicInteger practised = new AtomicInteger();
    private final AtomicLong practiceNanos = new AtomicLong();
    private volatile boolean closed;

    private boolean practiceLeft() {
        return practised.get() < PRACTICE_RUNS && practiceNanos.get() < TimeUnit.MILLISECONDS.toNanos(PRACTICE_BUDGET_MS);
    }

    /**
     * Where a reload of {@code method} may come next (an escape stop, a restarted method), the
     * adapter practises that reload in the background, from {@value #PRACTICE_AFTER_MS} ms after
     * the stop until {@link #pausePractice}: it plans it (the file as it is now: parse, splice,
     * compile, checks) and throws the plan away; where the file being edited does not compile
     * yet, it compiles the class's source as the JVM runs it instead. The user needs seconds to
     * edit, and the reload that follows finds that code compiled by the JIT. Practice uses its own javac beside the reloads' (a reload never waits for it), runs
     * {@value #PRACTICE_RUNS} times (at most {@value #PRACTICE_BUDGET_MS} ms) per session in
     * all, and never while a reload is under way or the stopped thread runs.
     */
    public void practise(Method method) {
        if (closed || !practiceLeft()) return;
        ReferenceType type = method.declaringType();
        Origin origin = origin(type);
        if (origin.key() == null || !JavaCompilerService.inProcess(origin.release())) return;
        SourceSnapshots.Snapshot snap = snapshots.get(origin.key());
        if (snap == null) return;
        synchronized (practiceLock) {
            MethodId id = MethodId.of(type.name(), method.name(), method.argumentTypeNames());
            boolean plannable = id.inNamedTypes() && !method.isConstructor() && !method.isStaticInitializer();
            practiceFile = new PracticeFile(type, plannable ? id : null, snap.path.getFileName().toString(), snap.text, origin.release());
            if (practiceFrom == 0) practiceFrom = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PRACTICE_AFTER_MS);
            practiceLock.notifyAll();
            if (practiceThread == null) {
                practiceThread = new Thread(this::practice, "reload-practice");
                practiceThread.setDaemon(true);
                practiceThread.start();
            }
        }
    }

    /** The session ends: practice stops, and javac lets go of what it holds (a worker JVM among it). */
    public void close() {
        closed = true;
        pausePractice();
        synchronized (compilerLock) {
            if (compiler != null) compiler.close();
            compiler = null;
        }
    }

    /** A reload is coming, or the program runs on: practice stops after the compile under way. */
    public void pausePractice() {
        synchronized (practiceLock) {
            practiceFrom = 0;
        }
    }

    private void practice() {
        JavaCompilerService javac = null;
        try {
            while (practiceLeft()) {
                PracticeFile file = nextPractice();
                if (file == null) return;
                long start = System.nanoTime();
                if (javac == null) javac = new JavaCompilerService(classPath, javaHome);
                MethodSplicer.parseForPractice(file.text()); // the parser's code, for the splice
                if (!practisePlan(file, javac)) {
                    try {
                        javac.compile(file.fileName(), file.text(), file.release(), l -> l, file.fileName());
                    } catch (UserError e) {
                        return; // the file as it runs does not compile (it was built otherwise): nothing to practise on
                    }
                }
                practised.incrementAndGet();
                practiceNanos.addAndGet(System.nanoTime() - start);
            }
        } catch (InterruptedException | RuntimeException e) {
            // practice is best effort
        } finally {
            if (javac != null) javac.close();
            synchronized (practiceLock) {
                if (practiceThread == Thread.currentThread()) practiceThread = null;
            }
        }
    }

    /** Plans the reload and throws the plan away; false when it cannot be planned (the file being edited does not compile yet). */
    private boolean practisePlan(PracticeFile file, JavaCompilerService javac) {
        if (file.id() == null) return false;
        try {
            planSource(file.type(), file.id(), "method", new ArrayList<>(), javac, true);
            return true;
        } catch (UserError e) {
            return false;
        }
    }

    /** Waits until practice may go on; null when none was allowed for {@value #PRACTICE_IDLE_MS} ms. */
    private PracticeFile nextPractice() throws InterruptedException {
        long idleUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PRACTICE_IDLE_MS);
        synchronized (practiceLock) {
            while (true) {
                long now = System.nanoTime();
                if (practiceFrom != 0 && practiceFrom - now <= 0) return practiceFile;
                long until = practiceFrom != 0 ? practiceFrom : idleUntil;
                if (practiceFrom == 0 && idleUntil - now <= 0) {
                    practiceThread = null; // under the lock: a stop from now on starts another
                    return null;
                }
                practiceLock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - now)));
            }
        }
    }

    /** Plans reloading the method a frame runs: its body only, or (class scope) the whole file. */
    public Plan plan(Method m, String scope) {
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
        return planSource(type, id, scope, warnings);
    }

    /** Plans applying every method-body change in a file (hot code replace, nothing popped). */
    public Plan planFile(Path file) {
        String key = SourceLocator.keyOf(file);
        List<ReferenceType> types = index.typesOf(key);
        if (types.isEmpty()) throw new UserError("No loaded class comes from " + file + ": there is nothing to reload yet.");
        return planSource(types.get(0), null, "class", new ArrayList<>());
    }

    public Plan planClass(String className) {
        List<ReferenceType> types = vm.classesByName(className);
        if (types.isEmpty()) throw new UserError("Class " + className + " is not loaded: there is nothing to reload yet.");
        return planSource(types.get(0), null, "class", new ArrayList<>());
    }

    private Origin origin(ReferenceType type) {
        return origins.computeIfAbsent(type, t -> new Origin(SourceLocator.keyOf(t), Math.max(8, t.majorVersion() - 44)));
    }

    private Plan planSource(ReferenceType anchor, MethodId id, String scope, List<String> warnings) {
        return planSource(anchor, id, scope, warnings, compiler(), false);
    }

    /** {@code practice}: a plan made only to be thrown away, with practice's own javac (see {@link #practise}). */
    private Plan planSource(ReferenceType anchor, MethodId id, String scope, List<String> warnings, JavaCompilerService javac,
                            boolean practice) {
        if (!practice) pausePractice();
        Origin origin = origin(anchor);
        String key = origin.key();
        if (key == null) throw new UserError(anchor.name() + " has no source file name (compiled without -g?); it cannot be reloaded.");
        Path path = sources.find(key);
        if (path == null) {
            throw new UserError("The source of " + anchor.name() + " (" + key + ") is not under 'sourcePaths' " + sources.sourcePaths()
                    + ". Add the folder that holds it to 'sourcePaths'.");
        }
        String fileName = path.getFileName().toString();
        Future<?> loadedShape = askAhead(anchor);
        String edited = read(path);
        SourceSnapshots.Snapshot snap = snapshots.get(key);
        if (snap == null && scope.equals("method")) {
            warnings.add("The source " + key + " was not read when its class loaded: reloading the whole file.");
            scope = "class";
        }
        boolean methodScope = id != null && scope.equals("method");
        if (methodScope && snap.savedAt > 0) {
            long compiled = classFiles.modified(anchor.name());
            if (compiled > 0 && snap.savedAt > compiled) {
                warnings.add(fileName + " was saved after " + anchor.name() + " was compiled, and before the class loaded: the text "
                        + "read then is what " + id.label() + " is spliced into, so edits made in that time outside it go in too.");
            }
        }
        Found old = null;
        Found neu = null;
        String newText = null;
        if (methodScope) {
            old = oldMethod(snap, id, path);
            neu = MethodSplicer.editedInPlace(snap.text, old, edited, id);
            if (neu != null) newText = edited; // only the method changed: the edited text is the splice
        }
        Found inPlace = neu;
        CompilationUnit editedCu = newText != null ? null : MethodSplicer.parse(edited, path.toString());
        if (methodScope && neu == null) {
            neu = MethodSplicer.findOne(editedCu, edited, id, path.toString());
        } else if (id != null && !methodScope) {
            // the whole file goes in; the method is looked at only for its parameters (if it can be named)
            List<Found> found = MethodSplicer.find(editedCu, edited, id);
            neu = found.size() == 1 ? found.get(0) : null;
        }
        Map<MethodId, Integer> newShifts = new HashMap<>();
        IntUnaryOperator lineMap = l -> l;
        List<String> reloaded = new ArrayList<>();
        String pkg = SourceLocator.packageFolder(anchor.name()).replace('/', '.');
        if (methodScope) {
            if (newText == null) {
                CompilationUnit baseCu = MethodSplicer.parse(snap.text, path + " (as loaded)");
                newText = MethodSplicer.splice(snap.text, old, edited, neu, baseCu, editedCu);
            }
            int delta = neu.beginLine() - old.beginLine();
            int end = old.beginLine() + (neu.endLine() - neu.beginLine());
            int begin = old.beginLine();
            lineMap = l -> l >= begin && l <= end ? l + delta : l;
            newShifts.putAll(shiftsOf(snap));
            newShifts.put(id, delta);
            reloaded.add(pkg + id.label());
        } else {
            newText = edited;
            if (snap != null) reloaded.addAll(changedMethods(snap.text, edited, path.toString(), pkg));
            else if (id != null) reloaded.add(pkg + id.label());
        }
        int release = origin.release();
        Map<String, byte[]> compiled = javac.compile(fileName, newText, release, lineMap, path.toString());
        awaitQuietly(loadedShape); // done long since; waited for so no answer lands after the redefinition
        List<LineShifter.Shift> shifts = scope.equals("method") ? lineShifts(newText, newShifts, path.toString()) : List.of();
        Map<ReferenceType, byte[]> classes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<ReferenceType, byte[]> newBytes = new HashMap<>();
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            byte[] bytes = LineShifter.shift(e.getValue(), shifts);
            for (ReferenceType t : vm.classesByName(e.getKey())) {
                if (!Objects.equals(t.classLoader(), anchor.classLoader())) continue;
                byte[] before = bytesOf(t);
                // (practice checks a class that did not change too: the check is what it practises)
                if (before != null && Arrays.equals(before, bytes) && !practice) continue;
                problems.addAll(StructureCheck.problems(t, bytes, before));
                classes.put(t, bytes);
                newBytes.put(t, bytes);
            }
        }
        if (!problems.isEmpty()) {
            throw new UserError("Cannot hot-swap this edit: " + String.join("; ", problems) + ". The JVM can only replace method bodies. "
                    + "Undo that change to reload the rest, or restart the program to run it; scope \"class\" does not help here, "
                    + "a JVM with enhanced class redefinition does (JetBrains Runtime with -XX:+AllowEnhancedClassRedefinition).");
        }
        if (neu != null) {
            for (String p : MethodSplicer.reassignedParameters(neu.decl())) {
                warnings.add(id.label() + " assigns to its parameter '" + p + "': the re-run starts with the value '" + p
                        + "' has now, not the one it was called with (the JVM keeps reassigned arguments when it pops a frame).");
            }
        }
        String oldText = snap == null ? null : snap.text;
        Map<MethodId, Integer> finalShifts = newShifts;
        MethodId replacedId = methodScope ? id : UNKNOWN;
        String committedText = newText;
        Runnable commit = () -> {
            currentBytes.putAll(newBytes);
            for (ReferenceType t : classes.keySet()) {
                replaced.computeIfAbsent(t, k -> ConcurrentHashMap.newKeySet())
                        .add(t.equals(anchor) ? replacedId : UNKNOWN);
            }
            if (snap != null) {
                if (oldText != null) lastOldVersion.put(key, oldVersions.id(oldText));
                snap.text = committedText;
                snap.savedAt = -1; // the JVM now runs this text
                snap.lineShifts.clear();
                if (methodScope) finalShifts.forEach((k, v) -> snap.lineShifts.put(encode(k), v));
                snap.placedId = inPlace == null ? null : id;
                snap.placed = inPlace;
                snap.placedIn = inPlace == null ? null : committedText;
            }
        };
        return new Plan(classes, reloaded, warnings, classes.keySet(), commit, methodScope ? id : null);
    }

    /** Where the method lies in the snapshot: known from the last reload that edited it in place, else parsed. */
    private static Found oldMethod(SourceSnapshots.Snapshot snap, MethodId id, Path path) {
        if (snap.placedIn == snap.text && id.equals(snap.placedId)) return snap.placed;
        CompilationUnit baseCu = MethodSplicer.parse(snap.text, path + " (as loaded)");
        return MethodSplicer.findOne(baseCu, snap.text, id, path + " (as loaded)");
    }

    /**
     * A loaded class's source key and the Java release it was compiled for, asked once: JDI forgets
     * both when the class is redefined, and a reload changes neither.
     */
    private record Origin(String key, int release) {}

    private final Map<ReferenceType, Origin> origins = new ConcurrentHashMap<>();

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

    private final Set<ReferenceType> redefined = ConcurrentHashMap.newKeySet();
    /** Per redefined class, the methods whose code was replaced; null inside: unknown (a whole file was reloaded). */
    private final Map<ReferenceType, Set<MethodId>> replaced = new ConcurrentHashMap<>();

    /**
     * The method the frame at {@code depth} runs, as the class declares it now. A frame still
     * running code that a reload replaced shows an obsolete method, which JDI reports without
     * name or arguments. When only one method of its class was ever replaced, that is the one;
     * else the call instruction its caller stands at names it.
     */
    public Method currentVersion(ThreadReference thread, int depth, Location loc) {
        Method m = loc.method();
        ReferenceType type = loc.declaringType();
        if (!mayRunObsoleteCode(type) || !m.isObsolete()) return m;
        Method only = onlyReplaced(type);
        if (only != null) return only;
        Method called = calledBy(thread, depth + 1, type);
        if (called != null) return called;
        Method main = launchedMain(thread, depth, type);
        return main != null ? main : m;
    }

    /**
     * A bottom frame has no caller whose call names its method: the launcher called it, so it runs
     * the class's main, when a reload may have replaced that. Null for any other frame.
     */
    private Method launchedMain(ThreadReference thread, int depth, ReferenceType type) {
        Set<MethodId> ids = replaced.get(type);
        if (ids == null || !(ids.contains(UNKNOWN) || ids.stream().anyMatch(id -> id.name().equals("main")))) return null;
        try {
            if (depth + 1 < thread.frameCount()) return null;
        } catch (IncompatibleThreadStateException | RuntimeException e) {
            return null;
        }
        Method noArgs = null;
        for (Method c : type.methodsByName("main")) {
            if (c.argumentTypeNames().equals(List.of("java.lang.String[]"))) return c;
            if (c.argumentTypeNames().isEmpty()) noArgs = c; // Java 21+ launches main() when there is no main(String[])
        }
        return noArgs;
    }

    /** The one method of the class a reload replaced, or null when there were several (or it is not known). */
    private Method onlyReplaced(ReferenceType type) {
        Set<MethodId> ids = replaced.get(type);
        if (ids == null || ids.size() != 1 || ids.contains(UNKNOWN)) return null;
        MethodId id = ids.iterator().next();
        for (Method c : type.methodsByName(id.name())) {
            if (MethodId.of(type.name(), c.name(), c.argumentTypeNames()).equals(id)) return c;
        }
        return null;
    }

    /** The method of {@code type} that the frame at {@code callerDepth} is calling, or null. */
    private Method calledBy(ThreadReference thread, int callerDepth, ReferenceType type) {
        try {
            if (!vm.canGetBytecodes() || !vm.canGetConstantPool() || callerDepth >= thread.frameCount()) return null;
            Location at = thread.frame(callerDepth).location();
            Method caller = at.method();
            if (caller.isNative() || caller.isObsolete()) return null; // no code, or code whose constant pool is gone
            ReferenceType owner = caller.declaringType();
            String[] called = CallSite.called(caller.bytecodes(), (int) at.codeIndex(), owner.constantPool(), owner.constantPoolCount());
            if (called == null) return null;
            for (Method c : type.methodsByName(called[0], called[1])) {
                if (c.declaringType().equals(type)) return c;
            }
            return null;
        } catch (IncompatibleThreadStateException | RuntimeException e) {
            return null; // the frame stays unnamed
        }
    }

    private static final MethodId UNKNOWN = new MethodId(List.of(), "", List.of());

    /**
     * Whether frames of this class can run obsolete code: only classes we redefined. Asking
     * JDI's Method.isObsolete costs a round trip to the JVM, too much for every frame of a stack.
     */
    public boolean mayRunObsoleteCode(ReferenceType type) {
        return redefined.contains(type);
    }

    /**
     * Redefines the planned classes; on success the plan's new state becomes current. Frames of
     * the stopped threads that may go on running the code replaced are remembered first (see
     * {@link #oldFrame}): {@code stopped} gives each thread's shallowest frame that stays (one
     * below the frame a restart pops, else 0).
     */
    public List<String> apply(Plan plan, Map<ThreadReference, Integer> stopped) {
        Map<ThreadReference, Map<Integer, OldFrame>> remembered = plan.classes().isEmpty() ? Map.of() : framesIn(plan, stopped);
        if (!plan.classes().isEmpty()) {
            try {
                vm.redefineClasses(plan.classes());
            } catch (UnsupportedOperationException e) {
                throw new UserError("The JVM refused the swap (" + e.getMessage() + "); it still runs the old code. "
                        + "Undo the structural change, or restart the program.");
            } catch (LinkageError | RuntimeException e) {
                throw new UserError("The JVM refused the new class (" + e + "); it still runs the old code.");
            }
        }
        redefined.addAll(plan.classes().keySet());
        remembered.forEach((t, frames) -> oldFrames.computeIfAbsent(t, k -> new ConcurrentHashMap<>()).putAll(frames));
        plan.commit().run();
        return plan.reloaded();
    }

    /**
     * What a frame that a reload left running replaced code runs: that version's text (an id of
     * {@link #sourceText}) and its method's lines by code index, as the JVM had them before the
     * reload. JDWP names no method for such a frame, so neither can be asked afterwards.
     */
    public record OldFrame(int textRef, long[] codeIndexes, int[] lines) {
        /** The line of the code at {@code codeIndex}: the entry that starts last at or before it; 0 when none does. */
        public int lineAt(long codeIndex) {
            int line = 0;
            long from = -1;
            for (int i = 0; i < codeIndexes.length; i++) {
                if (codeIndexes[i] <= codeIndex && codeIndexes[i] > from) {
                    from = codeIndexes[i];
                    line = lines[i];
                }
            }
            return line;
        }
    }

    /** Per thread, by distance from the bottom of its stack (a frame keeps it while it lives). */
    private final Map<ThreadReference, Map<Integer, OldFrame>> oldFrames = new ConcurrentHashMap<>();

    /** The frame {@code fromBottom} frames above the bottom of the thread's stack, if a reload left it running old code. */
    public OldFrame oldFrame(ThreadReference thread, int fromBottom) {
        Map<Integer, OldFrame> frames = oldFrames.get(thread);
        return frames == null ? null : frames.get(fromBottom);
    }

    public void threadEnded(ThreadReference thread) {
        oldFrames.remove(thread);
    }

    /**
     * The frames of the stopped threads in these classes, before they are redefined: each
     * method's lines (JDI has them already for a frame whose line was shown) and the text of the
     * file as the JVM runs it. A frame already running old code keeps what was remembered for it.
     */
    private Map<ThreadReference, Map<Integer, OldFrame>> framesIn(Plan plan, Map<ThreadReference, Integer> stopped) {
        Map<ThreadReference, Map<Integer, OldFrame>> out = new HashMap<>();
        Map<Method, Optional<OldFrame>> byMethod = new HashMap<>(); // a recursion: one method, many frames
        for (Map.Entry<ThreadReference, Integer> stays : stopped.entrySet()) {
            ThreadReference t = stays.getKey();
            try {
                List<StackFrame> frames = t.frames();
                for (int depth = stays.getValue(); depth < frames.size(); depth++) {
                    Location loc = frames.get(depth).location();
                    if (!plan.classes().containsKey(loc.declaringType())) continue;
                    Optional<OldFrame> old = byMethod.computeIfAbsent(loc.method(), m -> replaces(plan, m)
                            ? Optional.ofNullable(linesNow(m)) : Optional.empty());
                    if (old.isPresent()) out.computeIfAbsent(t, k -> new HashMap<>()).put(frames.size() - 1 - depth, old.get());
                }
            } catch (IncompatibleThreadStateException | RuntimeException e) {
                // a thread that runs again or is gone: its frames cannot run old code we could show
            }
        }
        return out;
    }

    /** Whether the plan replaces this method's code (in method scope only its one method; a method already replaced is not again). */
    private boolean replaces(Plan plan, Method m) {
        if (m.isNative() || plan.only() != null && !plan.only().equals(MethodId.of(m.declaringType().name(), m.name(), m.argumentTypeNames()))) {
            return false;
        }
        return !(redefined.contains(m.declaringType()) && m.isObsolete());
    }

    private OldFrame linesNow(Method m) {
        try {
            SourceSnapshots.Snapshot snap = snapshots.get(origin(m.declaringType()).key());
            if (snap == null) return null;
            List<Location> locations = m.allLineLocations();
            long[] at = new long[locations.size()];
            int[] lines = new int[locations.size()];
            for (int i = 0; i < at.length; i++) {
                at[i] = locations.get(i).codeIndex();
                lines[i] = locations.get(i).lineNumber();
            }
            return new OldFrame(oldVersions.id(snap.text), at, lines);
        } catch (AbsentInformationException | RuntimeException e) {
            return null;
        }
    }

    /** The text of an older version of a file, served for frames that still run it. */
    public String sourceText(int ref) {
        return oldVersions.get(ref);
    }

    /** The sourceReference of the version before the last reload of a file, or 0. */
    public int previousVersion(String key) {
        return lastOldVersion.getOrDefault(key, 0);
    }

    /**
     * The bytes the JVM runs for a class: those of our last redefinition, else its class file,
     * unless that was rebuilt since the session began (then unknown, null: the class is
     * redefined even when the new bytes equal the file's).
     */
    public byte[] bytesOf(ReferenceType type) {
        byte[] b = currentBytes.get(type);
        return b != null ? b : classFiles.readIfOlderThan(type.name(), sessionStart);
    }

    private final long sessionStart = System.currentTimeMillis();

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("Cannot read " + p + ": " + e.getMessage());
        }
    }

    private static String encode(MethodId id) {
        return String.join("$", id.typePath()) + "#" + id.name() + "#" + String.join(",", id.paramTypes());
    }

    private static Map<MethodId, Integer> shiftsOf(SourceSnapshots.Snapshot snap) {
        Map<MethodId, Integer> out = new HashMap<>();
        snap.lineShifts.forEach((k, v) -> {
            String[] parts = k.split("#", -1);
            List<String> params = parts[2].isEmpty() ? List.of() : List.of(parts[2].split(","));
            out.put(new MethodId(List.of(parts[0].split("\\$")), parts[1], params), v);
        });
        return out;
    }

    /** Where each shifted method now lies in the new text, with its shift. */
    private static List<LineShifter.Shift> lineShifts(String text, Map<MethodId, Integer> shifts, String name) {
        List<LineShifter.Shift> out = new ArrayList<>();
        if (shifts.values().stream().allMatch(d -> d == 0)) return out;
        CompilationUnit cu = MethodSplicer.parse(text, name);
        shifts.forEach((id, delta) -> {
            if (delta == 0) return;
            for (Found f : MethodSplicer.find(cu, text, id)) out.add(new LineShifter.Shift(f.beginLine(), f.endLine(), delta));
        });
        return out;
    }

    /** Methods whose text differs between two versions of a file, as qualified names. */
    private static List<String> changedMethods(String before, String after, String name, String pkg) {
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
