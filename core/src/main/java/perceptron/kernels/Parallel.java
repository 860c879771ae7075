package perceptron.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads for splitting kernels across cores, safe to live inside a host service.
 *
 * <p>{@link #forEach} runs {@code body(t)} for every task index and returns when all are done; the calling
 * thread works too. Kernels split their work into tasks whose boundaries do not depend on the thread count, so
 * results are bitwise identical on 1 or 64 threads.
 *
 * <p>What an embedding application can rely on:
 * <ul>
 *   <li><b>Many callers at once.</b> Any number of threads may call kernels concurrently. One call at a time
 *   uses the pool; a call that finds it busy (another host thread's, or a kernel called from inside a task) runs
 *   all its tasks on its own thread. Results are the same bits either way.
 *   <li><b>Daemon threads.</b> The workers ({@code perceptron-kernel-N}) never keep a JVM alive.
 *   <li><b>No CPU while idle.</b> After its last task a worker spins for at most {@link #spinMicros()}
 *   microseconds (so that the next kernel of a training step finds it awake), then parks until the next call:
 *   a service that stops calling uses no CPU. {@code -Dperceptron.spinMicros=0} parks at once.
 *   <li><b>Thread count.</b> {@code -Dperceptron.threads=N} or {@link #setThreads} sets it for the process, capped
 *   at the available processors (more never helps these kernels and made an epoch 100 times slower);
 *   {@link #limitThreads} lowers it for the calls of one thread, {@code limitThreads(1)} turns parallelism off.
 * </ul>
 */
public final class Parallel {
    /**
     * How long an idle worker spins before parking. A training step of d2l's MLP issues about twenty parallel
     * kernels, most under 100 microseconds apart, and waking a parked worker costs tens of microseconds
     * (bench/RESULTS.md, "Thread pool": measured with 0, 50 and 200).
     */
    private static final long SPIN_NANOS = 1000L * readSpinMicros();
    private static volatile Pool pool = new Pool(cap(defaultThreads()));
    /** Per host thread: the most threads its calls may use ({@link #limitThreads}); 0 = no limit. */
    private static final ThreadLocal<int[]> LIMIT = ThreadLocal.withInitial(() -> new int[1]);

    private Parallel() {
    }

    private static int defaultThreads() {
        String s = System.getProperty("perceptron.threads");
        if (s != null) {
            try {
                return Math.max(1, Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-Dperceptron.threads must be a positive integer, got '" + s + "'");
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static long readSpinMicros() {
        String s = System.getProperty("perceptron.spinMicros", "200");
        try {
            long v = Long.parseLong(s.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("-Dperceptron.spinMicros must be a non-negative integer, got '" + s + "'");
    }

    private static int cap(int n) {
        return Math.min(n, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    /** Number of threads kernels use, including the caller (the pool's size; see {@link #limitThreads}). */
    public static int threads() {
        return pool.size;
    }

    /** Microseconds an idle worker spins before it parks ({@code -Dperceptron.spinMicros}, default 200). */
    public static long spinMicros() {
        return SPIN_NANOS / 1000;
    }

    /**
     * Sets the number of threads (&gt;= 1), capped at {@link Runtime#availableProcessors()}, and returns the
     * number now in use, which callers should report when it is less than they asked. Safe while other threads
     * run kernels: a call in progress finishes on the old pool (its caller does what the stopped workers leave).
     */
    public static synchronized int setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        int size = cap(n);
        if (size != pool.size) {
            Pool old = pool;
            pool = new Pool(size);
            old.shutdown();
        }
        return size;
    }

    /**
     * Limits the kernels called by this thread to at most {@code n} threads (the caller included) until the
     * returned scope is closed; {@code n = 1} runs them all on the calling thread. Scopes nest; closing one
     * restores the limit before it. Other threads are not affected.
     *
     * <pre>{@code
     * try (Parallel.Limit one = Parallel.limitThreads(1)) {
     *     logits = model.forward(image);       // a request thread that leaves the cores to the others
     * }
     * }</pre>
     */
    public static Limit limitThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("limitThreads: n must be >= 1, got " + n);
        }
        int[] slot = LIMIT.get();
        Limit scope = new Limit(slot, slot[0]);
        slot[0] = slot[0] == 0 ? n : Math.min(slot[0], n);
        return scope;
    }

    /** The scope of {@link #limitThreads}: close it (try-with-resources) on the thread that opened it. */
    public static final class Limit implements AutoCloseable {
        private final int[] slot;
        private final int previous;

        private Limit(int[] slot, int previous) {
            this.slot = slot;
            this.previous = previous;
        }

        @Override
        public void close() {
            slot[0] = previous;
        }
    }

    /** Runs body(0) ... body(tasks - 1), in parallel when the pool is free and there is more than one task. */
    public static void forEach(int tasks, IntConsumer body) {
        forEach(tasks, body, false);
    }

    /**
     * Like {@link #forEach}, for a call repeated with the same tasks, one per thread ({@link #threads()} of them
     * or fewer), each reading its own data: the caller runs task 0 and worker {@code i} runs task {@code i},
     * call after call, so each task's data stays in the cache of the core that ran it the time before. A task
     * whose worker has not started it when the caller has finished its own is run by the caller, so a worker
     * that is parked or descheduled delays nothing. Tasks beyond the thread count go to whoever is free.
     *
     * <p>Why: one image through d2l's MLP reads the 800 KB weight of the first layer; each core's half (400 KB)
     * fits its 512 KB L2 only if the same core reads the same half every time. With tasks taken in index order a
     * worker that woke first took task 0, the halves changed cores, and both streamed from L3.
     */
    public static void forEachPerThread(int tasks, IntConsumer body) {
        forEach(tasks, body, true);
    }

    private static void forEach(int tasks, IntConsumer body, boolean perThread) {
        if (tasks <= 0) {
            return;
        }
        Pool p = pool;
        int limit = LIMIT.get()[0];
        int helpers = Math.min(p.workers.length, (limit == 0 ? p.size : limit) - 1);
        if (tasks == 1 || helpers <= 0 || !p.tryAcquire()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        p.run(tasks, helpers, body, perThread);
    }

    /** One call of forEach: immutable apart from its counters, so a late worker can never mix two calls. */
    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        /** Workers that may still join this call (a {@link #limitThreads} below the pool's size). */
        final AtomicInteger seats;
        volatile Throwable failure;
        /** The caller, once it has parked to wait for the tasks still running elsewhere; else null. */
        volatile Thread waiter;
        /** For {@link #forEachPerThread}: 1 once a task is taken; null when tasks go in index order. */
        final AtomicIntegerArray taken;
        /** For {@link #forEachPerThread}: tasks below this index belong to the thread of that number. */
        final int owners;

        Job(IntConsumer body, int tasks, int helpers, boolean perThread, int owners) {
            this.body = body;
            this.tasks = tasks;
            this.seats = new AtomicInteger(helpers);
            this.taken = perThread ? new AtomicIntegerArray(tasks) : null;
            this.owners = owners;
        }

        /**
         * Runs tasks until none is left; {@code self} is 0 for the caller and i for worker i. For
         * {@link #forEachPerThread} task i runs on thread i, or on the caller if worker i has not taken it when the
         * caller gets to it.
         */
        void work(int self) {
            if (taken == null) {
                int t;
                while ((t = next.getAndIncrement()) < tasks) {
                    run(t);
                }
                return;
            }
            if (self < tasks && taken.compareAndSet(self, 0, 1)) {
                run(self);
            }
            // Then the tasks nobody owns (beyond the thread count); the caller also takes those of absent workers.
            for (int t = self == 0 ? 1 : owners; t < tasks; t++) {
                if (taken.get(t) == 0 && taken.compareAndSet(t, 0, 1)) {
                    run(t);
                }
            }
        }

        private void run(int t) {
            try {
                body.accept(t);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                if (done.incrementAndGet() == tasks) {
                    Thread w = waiter;
                    if (w != null) {
                        LockSupport.unpark(w);
                    }
                }
            }
        }

        /**
         * Waits until every task has finished: spins for up to {@code spinNanos} (a task already running on a
         * worker usually ends within a task's time), then parks until the thread that finishes the last task
         * unparks it. Parking matters on a machine shared with other processes: a worker descheduled in the
         * middle of a task would otherwise keep the caller spinning on its core for a whole time slice, and a
         * parked caller frees the core that the scheduler can then give to that worker.
         */
        void awaitDone(long spinNanos) {
            long start = System.nanoTime();
            while (done.get() < tasks) {
                if (System.nanoTime() - start < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    // Set before the check: the worker sets done before it reads waiter, so one of the two
                    // sees the other's write and the last task's unpark is never lost.
                    waiter = Thread.currentThread();
                    while (done.get() < tasks) {
                        LockSupport.park(this);
                    }
                    waiter = null;
                    return;
                }
            }
        }
    }

    private static final class Pool {
        final int size;
        final Thread[] workers;
        /** Per worker: set before it parks, so a dispatch pays for unpark only when someone sleeps. */
        final AtomicInteger[] sleeping;
        final AtomicInteger busy = new AtomicInteger();
        /** The call in progress, or null: cleared at the end so a finished call's arrays can be collected. */
        volatile Job job;
        volatile boolean stopped;

        Pool(int size) {
            this.size = size;
            this.workers = new Thread[size - 1];
            this.sleeping = new AtomicInteger[size - 1];
            for (int i = 0; i < workers.length; i++) {
                AtomicInteger flag = new AtomicInteger();
                sleeping[i] = flag;
                int self = i + 1;
                Thread t = new Thread(() -> workLoop(flag, self), "perceptron-kernel-" + self);
                t.setDaemon(true);
                workers[i] = t;
                t.start();
            }
        }

        boolean tryAcquire() {
            return busy.compareAndSet(0, 1);
        }

        void run(int n, int helpers, IntConsumer body, boolean perThread) {
            Job j = new Job(body, n, helpers, perThread, size);
            try {
                job = j;
                for (int i = 0, woken = 0; i < workers.length && woken < helpers; i++) {
                    if (sleeping[i].get() != 0) {
                        LockSupport.unpark(workers[i]);
                        woken++;
                    }
                }
                j.work(0);
                j.awaitDone(SPIN_NANOS);
            } finally {
                job = null;
                busy.set(0);
            }
            Throwable f = j.failure;
            if (f instanceof RuntimeException re) {
                throw re;
            } else if (f instanceof Error err) {
                throw err;
            } else if (f != null) {
                throw new IllegalStateException(f);
            }
        }

        private void workLoop(AtomicInteger sleepFlag, int self) {
            Job seen = null;
            while (!stopped) {
                long start = System.nanoTime();
                Job j;
                while (((j = job) == null || j == seen) && !stopped) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        // Announce the sleep, then look once more: a job published in between is not missed,
                        // because its publisher reads the flag after writing the job. No timeout: an idle
                        // pool wakes for nothing (shutdown unparks).
                        sleepFlag.set(1);
                        Job late = job;
                        if ((late == null || late == seen) && !stopped) {
                            LockSupport.park(this);
                        }
                        sleepFlag.set(0);
                        // Woken by a caller: spin a window again. Parking at once when the caller had already
                        // done this call's tasks left the worker asleep for every later call too, each of them
                        // paying a wake-up it did not wait for (one image: 7 of 8 calls ran on one thread).
                        start = System.nanoTime();
                    }
                }
                if (stopped) {
                    return;
                }
                seen = j;
                if (j.seats.getAndDecrement() > 0) {
                    j.work(self);
                }
            }
        }

        void shutdown() {
            stopped = true;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }
    }
}
