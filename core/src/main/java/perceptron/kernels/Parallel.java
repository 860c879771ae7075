package perceptron.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads for splitting kernels across cores.
 *
 * <p>{@link #forEach} runs {@code body(t)} for every task index and returns when all are done; the calling
 * thread works too. Kernels split their work into tasks whose boundaries do not depend on the thread count, so
 * results are bitwise identical on 1 or 64 threads. A call made while the pool is busy (a kernel called from
 * inside a task) runs inline on the caller.
 *
 * <p>The size defaults to the number of available processors, or {@code -Dperceptron.threads=N}; change it with
 * {@link #setThreads}. Idle workers spin for a few microseconds before parking, because a training step issues
 * many short parallel kernels back to back and waking a parked thread costs tens of microseconds.
 */
public final class Parallel {
    /**
     * How long an idle worker spins before parking. A training step of a 784-256-256-10 MLP issues about twenty
     * parallel kernels, most under 100 microseconds apart; a parked worker takes tens of microseconds to wake.
     */
    private static final long SPIN_NANOS = 200_000;
    private static volatile Pool pool = new Pool(defaultThreads());

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

    /** Number of threads kernels use, including the caller. */
    public static int threads() {
        return pool.size;
    }

    /** Sets the number of threads (&gt;= 1). Not to be called while kernels run on other threads. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != pool.size) {
            Pool old = pool;
            pool = new Pool(n);
            old.shutdown();
        }
    }

    /** Runs body(0) ... body(tasks - 1), in parallel when the pool is free and there is more than one task. */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        Pool p = pool;
        if (tasks == 1 || p.size == 1 || !p.tryAcquire()) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
            return;
        }
        p.run(tasks, body);
    }

    /** One call of forEach: immutable apart from its counters, so a late worker can never mix two calls. */
    private static final class Job {
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(IntConsumer body, int tasks) {
            this.body = body;
            this.tasks = tasks;
        }

        void work() {
            int t;
            while ((t = next.getAndIncrement()) < tasks) {
                try {
                    body.accept(t);
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    done.incrementAndGet();
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
                Thread t = new Thread(() -> workLoop(flag), "perceptron-kernel-" + (i + 1));
                t.setDaemon(true);
                workers[i] = t;
                t.start();
            }
        }

        boolean tryAcquire() {
            return busy.compareAndSet(0, 1);
        }

        void run(int n, IntConsumer body) {
            Job j = new Job(body, n);
            try {
                job = j;
                for (int i = 0; i < workers.length; i++) {
                    if (sleeping[i].get() != 0) {
                        LockSupport.unpark(workers[i]);
                    }
                }
                j.work();
                // Tasks already taken by workers are finishing; spinning beats parking for the short wait.
                while (j.done.get() < n) {
                    Thread.onSpinWait();
                }
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

        private void workLoop(AtomicInteger sleepFlag) {
            Job seen = null;
            while (!stopped) {
                long start = System.nanoTime();
                Job j;
                while (((j = job) == null || j == seen) && !stopped) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        // Announce the sleep, then look once more: a job published in between is not missed,
                        // because its publisher reads the flag after writing the job.
                        sleepFlag.set(1);
                        Job late = job;
                        if ((late == null || late == seen) && !stopped) {
                            LockSupport.parkNanos(this, 1_000_000_000L);
                        }
                        sleepFlag.set(0);
                    }
                }
                if (stopped) {
                    return;
                }
                seen = j;
                j.work();
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
