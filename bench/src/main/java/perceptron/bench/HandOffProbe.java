package perceptron.bench;

import java.util.Locale;
import java.util.Random;
import perceptron.internal.kernels.ColumnPanels;
import perceptron.internal.kernels.KernelOps;
import perceptron.kernels.Parallel;

/**
 * The hand-off of one image's first layer between the two threads, as {@code Parallel.forEachPerThread} does it:
 * two tasks, each one row times its own half (128 columns, 400 KB) of a 784 x 256 weight in column panels.
 * Prints, per round of 20,000 calls back to back: the wall time per call, each task's time, how long after the
 * call the worker started its task, and how many of the worker's tasks the caller took because the worker had
 * not started it in time.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/classes:core/target/classes perceptron.bench.HandOffProbe
 * </pre>
 */
public final class HandOffProbe {
    private HandOffProbe() {
    }

    public static void main(String[] args) {
        Parallel.setThreads(2);
        KernelOps kernels = KernelOps.get();
        Random r = new Random(1);
        int k = 784;
        int n = 256;
        float[] w = new float[n * k];
        float[] x = new float[k];
        float[] c = new float[n];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat();
        }
        for (int i = 0; i < k; i++) {
            x[i] = r.nextFloat();
        }
        int width = kernels.gemmPanelWidth();
        float[] panels = ColumnPanels.pack(true, w, 0, k, k, n, width);
        int half = n / 2;
        Thread caller = Thread.currentThread();
        // [0] tasks the caller took from the worker, [1] caller's task ns, [2] worker's task ns, [3] worker start ns
        long[] sums = new long[4];
        long[] published = new long[1];
        int calls = 20_000;
        for (int round = 0; round < 8; round++) {
            java.util.Arrays.fill(sums, 0);
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                published[0] = System.nanoTime();
                Parallel.forEachPerThread(2, t -> {
                    long s = System.nanoTime();
                    // A nested call finds the pool busy and runs on this thread.
                    kernels.gemmPanels(false, 1, half, k, 1f, x, 0, k, panels, t * half * k, width, 0f, c, t * half, n);
                    long e = System.nanoTime();
                    if (t == 0) {
                        sums[1] += e - s;
                    } else if (Thread.currentThread() == caller) {
                        sums[0]++;
                    } else {
                        sums[2] += e - s;
                        sums[3] += s - published[0];
                    }
                });
            }
            long t1 = System.nanoTime();
            long byWorker = Math.max(1, calls - sums[0]);
            System.out.printf(Locale.ROOT, "per call %.2f us; caller's task %.2f us; worker's task %.2f us, started "
                            + "%.2f us after the call; %d of %d worker tasks run by the caller%n",
                    (t1 - t0) / 1e3 / calls, sums[1] / 1e3 / calls, sums[2] / 1e3 / byWorker, sums[3] / 1e3 / byWorker,
                    sums[0], calls);
        }
    }
}
