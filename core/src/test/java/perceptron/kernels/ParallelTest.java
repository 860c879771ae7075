package perceptron.kernels;

import perceptron.internal.kernels.KernelOps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel pool as an embedding service sees it: daemon workers, no CPU while idle, a per-thread limit, the
 * cap at the available processors, and the same bits when many host threads call kernels at once.
 */
class ParallelTest {
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(CORES);
    }

    private static List<Thread> workers() {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("perceptron-kernel-") && t.isAlive()) {
                found.add(t);
            }
        }
        return found;
    }

    @Test
    void workersAreDaemonThreadsSoTheyNeverKeepTheJvmAlive() {
        assumeTrue(CORES >= 2, "needs two processors");
        Parallel.setThreads(2);
        Parallel.forEach(4, t -> { });
        List<Thread> w = workers();
        assertFalse(w.isEmpty());
        for (Thread t : w) {
            assertTrue(t.isDaemon(), t.getName() + " is not a daemon");
        }
    }

    @Test
    void idleWorkersUseNoCpuOnceTheSpinWindowHasPassed() throws InterruptedException {
        assumeTrue(CORES >= 2, "needs two processors");
        Parallel.setThreads(2);
        for (int i = 0; i < 100; i++) {
            Parallel.forEach(4, t -> { });
        }
        Thread.sleep(20 + Parallel.spinMicros() / 1000);     // past the spin window: every worker is parked
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<Thread> w = workers();
        long before = 0;
        for (Thread t : w) {
            before += mx.getThreadCpuTime(t.getId());
        }
        Thread.sleep(300);
        long after = 0;
        for (Thread t : w) {
            after += mx.getThreadCpuTime(t.getId());
        }
        // A spinning worker would burn the whole 300 ms; a parked one nothing (1 ms of slack for the scheduler).
        assertTrue(after - before < 1_000_000, "idle workers used " + (after - before) / 1000 + " us of CPU in 300 ms");
    }

    @Test
    void limitThreadsOneRunsEveryTaskOnTheCallingThreadAndClosingRestoresTheLimit() {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        try (Parallel.Limit off = Parallel.limitThreads(1)) {
            Parallel.forEach(64, t -> ran.add(Thread.currentThread()));
            try (Parallel.Limit inner = Parallel.limitThreads(4)) {    // a nested scope cannot raise the limit
                Parallel.forEach(64, t -> ran.add(Thread.currentThread()));
            }
        }
        assertEquals(Set.of(Thread.currentThread()), ran);
        assertThrows(IllegalArgumentException.class, () -> Parallel.limitThreads(0));
    }

    @Test
    void limitThreadsTwoStillUsesTheWorkersAfterAnInnerScopeCloses() throws InterruptedException {
        assumeTrue(CORES >= 2, "needs two processors");
        Parallel.setThreads(2);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        try (Parallel.Limit two = Parallel.limitThreads(2)) {
            try (Parallel.Limit one = Parallel.limitThreads(1)) {
                Parallel.forEach(2, t -> ran.add(Thread.currentThread()));
            }
            assertEquals(Set.of(Thread.currentThread()), ran);
            // Tasks that wait for each other can only finish if a worker takes one of them.
            for (int attempt = 0; attempt < 50 && ran.size() < 2; attempt++) {
                CountDownLatch both = new CountDownLatch(2);
                Parallel.forEach(2, t -> {
                    ran.add(Thread.currentThread());
                    both.countDown();
                    try {
                        both.await(20, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
        assertEquals(2, ran.size(), "a worker should have joined once the inner limit was closed");
    }

    @Test
    void setThreadsIsCappedAtTheAvailableProcessorsAndSaysWhatItUses() {
        assertEquals(CORES, Parallel.setThreads(1000));
        assertEquals(CORES, Parallel.threads());
        assertEquals(1, Parallel.setThreads(1));
        assertEquals(1, Parallel.threads());
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
    }

    @Test
    void aFailingTaskRethrowsOnTheCaller() {
        Parallel.setThreads(CORES);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.forEach(8, t -> {
                    if (t == 5) {
                        throw new IllegalStateException("task 5");
                    }
                }));
        assertEquals("task 5", e.getMessage());
        Parallel.forEach(8, t -> { });                          // and the pool still works
    }

    @Test
    void forEachPerThreadRunsTaskZeroOnTheCallerAndEveryTaskOnce() {
        assumeTrue(CORES >= 2, "needs two processors");
        Parallel.setThreads(2);
        Thread caller = Thread.currentThread();
        for (int tasks : new int[] {1, 2, 3, 7}) {
            for (int call = 0; call < 200; call++) {
                int[] ran = new int[tasks];
                Thread[] by = new Thread[tasks];
                Parallel.forEachPerThread(tasks, t -> {
                    ran[t]++;
                    by[t] = Thread.currentThread();
                });
                int[] once = new int[tasks];
                java.util.Arrays.fill(once, 1);
                assertArrayEquals(once, ran);
                assertSame(caller, by[0], "task 0 left the caller");
            }
        }
        // A worker that never comes (limitThreads(1)) or a busy pool: the caller runs everything.
        try (Parallel.Limit one = Parallel.limitThreads(1)) {
            Thread[] by = new Thread[2];
            Parallel.forEachPerThread(2, t -> by[t] = Thread.currentThread());
            assertSame(caller, by[0]);
            assertSame(caller, by[1]);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.forEachPerThread(2, t -> {
                    if (t == 1) {
                        throw new IllegalStateException("task 1");
                    }
                }));
        assertEquals("task 1", e.getMessage());
    }

    @Test
    void aCallerWaitingPastTheSpinWindowIsWokenByTheLastTask() {
        assumeTrue(CORES >= 2, "needs two processors");
        Parallel.setThreads(2);
        for (int call = 0; call < 20; call++) {
            // Each task outlasts the caller's spin window (200 us), so the caller parks for the worker's.
            int[] ran = new int[4];
            long start = System.nanoTime();
            Parallel.forEach(ran.length, t -> {
                LockSupport.parkNanos(2_000_000);
                ran[t]++;
            });
            assertArrayEquals(new int[] {1, 1, 1, 1}, ran);
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "the caller was not woken");
        }
    }

    /** A product, a sum and softmax rows, each big enough to be split into tasks. */
    private static float[] work(KernelOps k, float[] a, float[] b) {
        int m = 96;
        int n = 80;
        int kk = 300;
        float[] out = new float[m * n + 1 + 200 * 300];
        k.gemm(false, true, m, n, kk, 1f, a, 0, kk, b, 0, kk, 0f, out, 0, n);
        out[m * n] = (float) k.sum(a, 0, a.length);
        k.softmax(false, a, 0, 200, 300, out, m * n + 1);
        return out;
    }

    @Test
    void manyHostThreadsCallingAtOnceGetTheBitsOfOneThread() throws Exception {
        KernelOps k = KernelOps.get();
        Random r = new Random(3);
        float[] a = new float[300_000];
        float[] b = new float[80 * 300];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        float[] expected;
        try (Parallel.Limit one = Parallel.limitThreads(1)) {
            expected = work(k, a, b);
        }
        ExecutorService host = Executors.newFixedThreadPool(8);
        AtomicBoolean resizing = new AtomicBoolean(true);
        try {
            // Meanwhile the pool is resized under the callers' feet, which must not change a bit either.
            Future<?> resizer = host.submit(() -> {
                for (int i = 0; resizing.get() && i < 50; i++) {
                    Parallel.setThreads(1 + i % 2);
                    Thread.onSpinWait();
                }
            });
            List<Future<float[]>> calls = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int call = c;
                calls.add(host.submit(() -> {
                    if (call % 3 == 0) {
                        try (Parallel.Limit one = Parallel.limitThreads(1)) {
                            return work(k, a, b);
                        }
                    }
                    return work(k, a, b);
                }));
            }
            for (Future<float[]> f : calls) {
                float[] got = f.get(60, TimeUnit.SECONDS);
                assertArrayEquals(expected, got);
            }
            resizing.set(false);
            resizer.get(60, TimeUnit.SECONDS);
        } finally {
            resizing.set(false);
            host.shutdown();
            assertTrue(host.awaitTermination(60, TimeUnit.SECONDS));
        }
        assertSame(k, KernelOps.get());
    }
}
