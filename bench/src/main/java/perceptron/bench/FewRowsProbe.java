package perceptron.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import perceptron.internal.kernels.ColumnPanels;
import perceptron.internal.kernels.KernelOps;
import perceptron.kernels.Parallel;
import perceptron.internal.kernels.VectorKernels;

/**
 * One row through a layer, in the same JVM and interleaved (so that a shared machine's load falls on all alike):
 * the batch-invariant few-rows GEMM with W^T in column panels (as ops.Linalg keeps it since "One image
 * (2)"), the same GEMM with W^T row-major (as ops.Linalg kept it before), and dot products along the rows of W
 * (the path before issue 15, which sums in another order than a batch). On one thread, the median CPU time of
 * one call of each; on two threads (panels and row-major only), the median wall time, in microseconds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/perceptron-bench.jar:core/target/classes \
 *      perceptron.bench.FewRowsProbe [n k ...]          # default: 256 784 10 256 (d2l's MLP)
 * </pre>
 */
public final class FewRowsProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FewRowsProbe() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {256, 784, 10, 256}
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        KernelOps kernels = new VectorKernels();
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            for (int s = 0; s + 1 < sizes.length; s += 2) {
                probe(kernels, sizes[s], sizes[s + 1], threads);
            }
        }
    }

    private static void probe(KernelOps kernels, int n, int k, int threads) {
        Random r = new Random(1);
        float[] x = new float[k];
        float[] w = new float[n * k];
        float[] wt = new float[k * n];
        float[] c = new float[n];
        for (int p = 0; p < k; p++) {
            x[p] = (float) r.nextGaussian();
        }
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                w[j * k + p] = (float) r.nextGaussian();
                wt[p * n + j] = w[j * k + p];
            }
        }
        int width = kernels.gemmPanelWidth();
        float[] panels = ColumnPanels.pack(true, w, 0, k, k, n, width);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int variants = threads == 1 ? 3 : 2;
        int calls = Math.max(10, 20_000_000 / (n * k));
        double[][] t = new double[variants][41];
        for (int sample = -100; sample < 41; sample++) {
            for (int v = 0; v < variants; v++) {
                long t0 = threads == 1 ? bean.getCurrentThreadCpuTime() : System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    if (v == 0) {
                        kernels.gemmPanels(false, 1, n, k, 1f, x, 0, k, panels, 0, width, 0f, c, 0, n);
                    } else if (v == 1) {
                        kernels.gemm(false, false, 1, n, k, 1f, x, 0, k, wt, 0, n, 0f, c, 0, n);
                    } else {
                        for (int j = 0; j < n; j++) {
                            c[j] = dot(x, w, j * k, k);
                        }
                    }
                }
                long t1 = threads == 1 ? bean.getCurrentThreadCpuTime() : System.nanoTime();
                if (sample >= 0) {
                    t[v][sample] = (t1 - t0) / 1e3 / calls;
                }
            }
        }
        for (double[] v : t) {
            Arrays.sort(v);
        }
        System.out.printf(Locale.ROOT, "1 x %d x %d, %d thread%s (%s): panels %.2f us, row-major %.2f us%s%n", n, k,
                threads, threads == 1 ? "" : "s", threads == 1 ? "CPU" : "wall", t[0][20], t[1][20],
                threads == 1 ? String.format(Locale.ROOT, ", dot products %.2f us", t[2][20]) : "");
    }

    /** The dot product the few-rows path used to take: two vectors of partial sums, lanes added at the end. */
    private static float dot(float[] x, float[] y, int yi, int k) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        int p = 0;
        for (; p + 2 * L <= k; p += 2 * L) {
            s0 = FloatVector.fromArray(S, x, p).fma(FloatVector.fromArray(S, y, yi + p), s0);
            s1 = FloatVector.fromArray(S, x, p + L).fma(FloatVector.fromArray(S, y, yi + p + L), s1);
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            sum = Math.fma(x[p], y[yi + p], sum);
        }
        return sum;
    }
}
