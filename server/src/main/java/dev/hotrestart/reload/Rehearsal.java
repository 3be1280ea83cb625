package dev.hotrestart.reload;

import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import dev.hotrestart.base.AfterUnlock;
import dev.hotrestart.base.Niceness;
import dev.hotrestart.base.Stages;
import dev.hotrestart.base.UserError;
import dev.hotrestart.reload.MethodSplicer.MethodId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Gets the reload cycle ready before the user asks for it: the warm-up loads and runs the parser
 * and javac once per session, and practice plans the reload the user is about to ask for while
 * they edit, so that the JIT has compiled that code by then. The session tells it what happens
 * through the methods below, and nothing else starts either.
 */
public final class Rehearsal {
    /**
     * How many times a reload is practised, once per session. The reload's code (the parser,
     * javac, the checks) runs in the JVM's interpreter until the JIT compiles it, after a hundred
     * runs or so: a warm reload spends 9-10 ms in javac before that and 4-5 ms after, and the
     * first reload of a session 67-82 ms in all, against 23 ms after practice.
     */
    static final int PRACTICE_RUNS = 150;
    /**
     * The most time practice takes per session, whatever the count, the first run aside (it parses
     * the file and sets up practice's javac, once): a large file compiles slower, and each of its
     * compiles runs javac's code more often, so fewer of them teach the JIT as much.
     */
    static final long PRACTICE_BUDGET_MS = 2_500;
    /**
     * A file this long is not parsed whole at each practice run: the plan parses it once, which
     * runs the parser's code as much as many runs over a small file (a 10,000-line file took over a
     * second there, the whole budget).
     */
    static final int LARGE_FILE_CHARS = 100_000;
    /**
     * How many times the quiet warm-up compiles and parses the program's first file (one over
     * {@value #LARGE_FILE_CHARS} characters once: then a class of the shapes below alone), while
     * the program runs and until a thread stops and runs on or a reload starts. javac's code runs in
     * the interpreter until the JIT has seen it run a few dozen times: a reload adding a helper and
     * a lambda spent 14-20 ms in javac at a session's first reloads and 7-8 ms at its fiftieth.
     */
    static final int QUIET_RUNS = 30;
    /** How many of those runs also put the agent's handler into the class (its first reload's "prewrap" stage: 12-18 ms cold). */
    static final int HANDLER_RUNS = 10;
    /**
     * What the quiet warm-up's compiles add to the program's file, so that they also run javac's
     * code for what edits add: lambdas, a method reference, an anonymous class, a generic helper,
     * a record (a class of its own after the file's, named as no program names one).
     */
    static final String SHAPES = """

            class HotRestartWarmUpShapes {
                private int count;
                static <T> T helper(java.util.function.Supplier<T> s) {
                    return s.get();
                }
                String run(java.util.List<String> items) {
                    java.util.function.Function<String, Integer> length = String::length;
                    Runnable r = new Runnable() {
                        public void run() {
                            count++;
                        }
                    };
                    r.run();
                    int total = 0;
                    for (String s : items) total += length.apply(s);
                    String v = helper(() -> "v" + count);
                    items.sort(java.util.Comparator.comparing(s -> s.length()));
                    try {
                        return v + total + new Pair(total, count);
                    } catch (RuntimeException e) {
                        throw new IllegalStateException(e);
                    }
                }
                record Pair(int a, int b) {}
            }
            """;
    /** A stop shorter than this is not an edit: a step, a client continuing, a benchmark. */
    static final long PRACTICE_AFTER_MS = 250;
    /** A practice thread that waits this long for a stop ends (a later stop starts another). */
    static final long PRACTICE_IDLE_MS = 30_000;

    private final ReloadPlanner planner;
    private final Compilers compilers;
    private final Versions versions;
    private final SourceSnapshots snapshots;

    /** What a swap does to a class's bytes before they go (see ClassSwapper), practised on the class as it runs; may be null. */
    private final java.util.function.Consumer<ReferenceType> swapPractice;

    Rehearsal(ReloadPlanner planner, Compilers compilers, Versions versions, SourceSnapshots snapshots,
              java.util.function.Consumer<ReferenceType> swapPractice) {
        this.planner = planner;
        this.compilers = compilers;
        this.versions = versions;
        this.snapshots = snapshots;
        this.swapPractice = swapPractice;
    }

    // ---------------------------------------------------------------- what the session tells

    /**
     * The session is connected: the warm-up starts. It never takes the cores from a program at work
     * (javac and the parser take both cores for a few hundred ms, which cost a busy program a fifth
     * of its speed when they ran beside it at the same priority). Javac's and the parser's code warm
     * up on a thread of the lowest priority the system gives (nice 19 on Linux) with a javac of its
     * own, which no reload waits for, once a launched program has run {@value #QUIET_AFTER_MS} ms
     * (or idles, or stops). The reloads' own javac is set up once the program idles (its
     * CPU use, sampled every {@value #IDLE_SAMPLE_MS} ms, below a quarter of a core twice in a row,
     * after it has started running) or a thread stops, whichever comes first. {@code program}: the program's process, null when its CPU use
     * cannot be read (an attached JVM): then the first stop; {@code programWaits}: the program stops
     * on entry and waits for the user, which is that first stop.
     */
    public void connected(boolean programWaits, ProcessHandle program) {
        quietly(javac -> {
            javac.warmUp();
            MethodSplicer.parse("class Warm { int f(int x) { return x + 1; } }", "Warm.java");
        });
        background(() -> compilers.forReloads().warmUp());
        if (!programWaits && program != null) releaseWhenIdle(program);
        else quietGate.countDown();
    }

    /**
     * How long a launched program runs before the quiet warm-up begins (unless it idles or stops
     * first): a JVM's start-up, when it loads and compiles most of its code, is the busiest time of
     * many programs, and even a thread of the lowest priority beside it (with the compiler and
     * collector threads of the adapter's JVM that work for it) cost a program that spent its first
     * 200 ms on 20,000 virtual threads a fifth of its speed.
     */
    static final long QUIET_AFTER_MS = 500;

    /** Opened once the program has had its start-up (see {@link #QUIET_AFTER_MS}), idles, or stops. */
    private final java.util.concurrent.CountDownLatch quietGate = new java.util.concurrent.CountDownLatch(1);

    /** How often the program's CPU use is sampled while the warm-up waits for it to idle. */
    static final long IDLE_SAMPLE_MS = 100;

    private void releaseWhenIdle(ProcessHandle program) {
        Thread watch = new Thread(() -> {
            long last = cpuNanos(program);
            long quarter = TimeUnit.MILLISECONDS.toNanos(IDLE_SAMPLE_MS) / 4;
            // idle only once it has run: a launched JVM waits for configurationDone first, doing nothing
            boolean ran = false;
            long ranFrom = 0;
            long since = System.nanoTime();
            int idle = 0;
            while (last >= 0 && !closed && !released()) {
                try {
                    Thread.sleep(IDLE_SAMPLE_MS);
                } catch (InterruptedException e) {
                    return;
                }
                long now = cpuNanos(program);
                boolean quiet = now >= 0 && now - last < quarter;
                if (!ran && !quiet) ranFrom = System.nanoTime();
                ran |= !quiet;
                if (ran && System.nanoTime() - ranFrom >= TimeUnit.MILLISECONDS.toNanos(QUIET_AFTER_MS)) quietGate.countDown();
                // a program that waits from its start (input, a socket) never counts as running: it has no start-up to spare
                if (!ran && System.nanoTime() - since >= TimeUnit.MILLISECONDS.toNanos(4 * QUIET_AFTER_MS)) quietGate.countDown();
                idle = ran && quiet ? idle + 1 : 0;
                if (idle >= 2) release();
                last = now;
            }
            quietGate.countDown(); // the program ended, or its CPU use cannot be read
        }, "warm-up-when-idle");
        watch.setDaemon(true);
        watch.start();
    }

    /** The CPU time the program's process has used so far, or -1 when the system does not tell. */
    private static long cpuNanos(ProcessHandle program) {
        return program.isAlive() ? program.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L) : -1;
    }

    /**
     * A class loaded. The first program file with a source is parsed and compiled once, in the
     * background, and thrown away: by the quiet thread's javac as soon as it can (javac's code for
     * real programs loaded and compiled), and by the reloads' javac once the warm-up is released
     * (the program's class path open in it) before the first reload needs them.
     */
    public void classLoaded(ReferenceType type, String key) {
        if (warmedWithProgram.get() || key == null) return; // once per session; this runs for every class that loads
        SourceSnapshots.Snapshot snap = snapshots.get(key);
        if (snap == null || !warmedWithProgram.compareAndSet(false, true)) return;
        String text = snap.text;
        String fileName = snap.path.getFileName().toString();
        int release = Math.max(8, type.majorVersion() - 44);
        if (JavaCompilerService.inProcess(release)) { // else the debuggee JDK's javac, in a worker JVM of the reloads' javac
            quietly(javac -> {
                WholeRedefine.available(); // its look-up of JDI's members: not in the first reload, nor in the launch
                MethodSplicer.parse(text, fileName);
                javac.compile(fileName, text, release, l -> l, fileName);
                int at = resumes.get();
                // what each run compiles: the file with the shapes beside it (records from Java 16 on); a large file takes
                // tens of ms a compile, which its first reload would wait for: the shapes alone (not public: any file name)
                boolean large = text.length() > LARGE_FILE_CHARS;
                String run = release < 16 ? (large ? null : text) : (large ? SHAPES : text + SHAPES);
                for (int i = 1; run != null && i < QUIET_RUNS && !closed && resumes.get() == at; i++) {
                    if (!large) MethodSplicer.parseForPractice(text);
                    try {
                        javac.compile(fileName, run, release, l -> l, fileName);
                    } catch (UserError e) {
                        run = run == text || large ? null : text; // the file does not take a class beside its own: the file alone
                    }
                    // the agent's handler put into the class as it runs, as a swap does (the adapter's copy of the agent's code)
                    if (swapPractice != null && i <= HANDLER_RUNS && resumes.get() == at) swapPractice.accept(type);
                }
            });
        }
        background(() -> compilers.forReloads().compile(fileName, text, release, l -> l, fileName));
    }

    /** A thread stopped: the program no longer needs the cores, the held warm-up runs. */
    public void threadStopped() {
        release();
    }

    /**
     * A reload of {@code method} may come next (an escape stop, a restarted method): it is
     * practised in the background from {@value #PRACTICE_AFTER_MS} ms on, until the thread runs
     * again or a reload starts. Each run plans that reload from the file as it is now (parse,
     * splice, compile, checks) and throws the plan away; where the file being edited does not
     * compile yet, it compiles the class's source as the JVM runs it instead. Practice has its own
     * javac (a reload never waits for it) and runs {@value #PRACTICE_RUNS} times, at most
     * {@value #PRACTICE_BUDGET_MS} ms, per session in all.
     */
    public void editExpected(Method method) {
        // on the JDI event thread, once it lets go of the session's lock (the client's next request
        // does not wait for it), and not when the thread has run on or a reload started by then
        int before = resumes.get();
        AfterUnlock.run(() -> editExpected(method, before));
    }

    /** How many times a stopped thread ran on or a reload started: what happened since a stop. */
    public int resumes() {
        return resumes.get();
    }

    private void editExpected(Method method, int resumesBefore) {
        if (closed || !practiceLeft()) return;
        ReferenceType type = method.declaringType();
        Versions.Origin origin = versions.origin(type);
        if (origin.key() == null || !JavaCompilerService.inProcess(origin.release())) return;
        SourceSnapshots.Snapshot snap = snapshots.get(origin.key());
        if (snap == null) return;
        synchronized (practiceLock) {
            if (resumes.get() != resumesBefore) return; // (threadResumed counts before it takes the lock)
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

    /** The stopped thread runs on, or a reload starts: practice stops after the compile under way. */
    public void threadResumed() {
        resumes.incrementAndGet(); // the warm-up under way leaves what it has not begun to the reload that comes
        synchronized (practiceLock) {
            practiceFrom = 0;
        }
    }

    /** The session ends: practice stops for good, and javac lets go of what it holds (a worker JVM among it). */
    public void ended() {
        closed = true;
        threadResumed();
        quietGate.countDown();
        quietWork.add(javac -> { }); // wakes the quiet thread, which then ends after the compile under way (never interrupted:
        compilers.close();            // an interrupt closes the file systems javac reads, which other sessions share)
    }

    // ---------------------------------------------------------------- warm-up

    private final AtomicBoolean warmedWithProgram = new AtomicBoolean();
    /** Warm-up work waiting for {@link #release}: javac and the parser take both cores for a few hundred ms. */
    private List<Runnable> held = new ArrayList<>();

    /** Warm-up work for the thread of the lowest priority, each given that thread's own javac. */
    private final BlockingQueue<Consumer<JavaCompilerService>> quietWork = new LinkedBlockingQueue<>();
    private Thread quietThread;

    private void quietly(Consumer<JavaCompilerService> work) {
        quietWork.add(work);
        synchronized (this) {
            if (quietThread != null || closed) return;
            quietThread = new Thread(this::quietWarmUp, "javac-warmup");
            quietThread.setDaemon(true);
            quietThread.start();
        }
    }

    private void quietWarmUp() {
        Niceness.lowerThisThread();
        JavaCompilerService javac = null;
        try {
            quietGate.await();
            while (!closed) {
                Consumer<JavaCompilerService> work = quietWork.poll(PRACTICE_IDLE_MS, TimeUnit.MILLISECONDS);
                if (work == null) {
                    synchronized (this) {
                        if (quietWork.isEmpty()) { // under the lock: work added from now on starts another thread
                            quietThread = null;
                            break;
                        }
                    }
                    continue;
                }
                if (javac == null) javac = compilers.fresh();
                try {
                    work.accept(javac);
                } catch (RuntimeException ignored) {
                    // warming is best effort
                }
            }
        } catch (InterruptedException e) {
            // the session ended
        } finally {
            if (javac != null) javac.close();
            synchronized (this) {
                if (quietThread == Thread.currentThread()) quietThread = null;
            }
        }
    }

    /** How often the program ran on or a reload started: the released warm-up stops between steps when it changes. */
    private final AtomicInteger resumes = new AtomicInteger();

    private synchronized boolean released() {
        return held == null;
    }

    /** Runs the warm-up work held so far, and any that comes later, at once. */
    private void release() {
        quietGate.countDown();
        List<Runnable> work;
        synchronized (this) {
            work = held;
            held = null;
        }
        // one after the other, in the order they came: the reloads' javac compiles the program's file last
        if (work == null) return;
        int at = resumes.get();
        start(() -> {
            for (Runnable w : work) {
                if (resumes.get() != at) return; // the program runs again, or a reload started: it sets javac up itself
                quietlyRun(w);
            }
        });
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

    private static void quietlyRun(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException ignored) {
            // warming is best effort
        }
    }

    private static void start(Runnable work) {
        Thread t = new Thread(() -> quietlyRun(work), "reload-javac-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    // ---------------------------------------------------------------- practice

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

    private void practice() {
        JavaCompilerService javac = null;
        try {
            while (practiceLeft()) {
                PracticeFile file = nextPractice();
                if (file == null) return;
                long start = System.nanoTime();
                if (javac == null) javac = compilers.fresh();
                // the parser's code, for the splice; in a large file the plan's own parse (once) runs it as much
                if (file.text().length() <= LARGE_FILE_CHARS) MethodSplicer.parseForPractice(file.text());
                if (!practisePlan(file, javac)) {
                    try {
                        javac.compile(file.fileName(), file.text(), file.release(), l -> l, file.fileName());
                    } catch (UserError e) {
                        return; // the file as it runs does not compile (it was built otherwise): nothing to practise on
                    }
                }
                // a session's first run also parses the file and sets up practice's javac, once: not practice
                if (practised.incrementAndGet() > 1) practiceNanos.addAndGet(System.nanoTime() - start);
                if (Stages.ON) Stages.note("practice run " + practised.get() + " took " + (System.nanoTime() - start) / 1_000_000 + " ms");
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
            planner.practise(file.type(), file.id(), javac);
            if (swapPractice != null) swapPractice.accept(file.type());
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
}
