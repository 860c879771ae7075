package perceptron.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import perceptron.internal.kernels.KernelOps;
import perceptron.kernels.Parallel;
import perceptron.internal.kernels.VectorKernels;

/**
 * One row through a layer, on one thread, in the same JVM and interleaved (so that a shared machine's load
 * falls on both alike): the batch-invariant few-rows GEMM (x times W^T stored row-major, as ops.Linalg keeps it)
 * against dot products along the rows of W, the path it replaced, which sums in another order than a batch.
 * Prints the median CPU time of one call of each, in microseconds.
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
        Parallel.setThreads(1);
        KernelOps kernels = new VectorKernels();
        for (int s = 0; s + 1 < sizes.length; s += 2) {
            int n = sizes[s];
            int k = sizes[s + 1];
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
            com.sun.management.ThreadMXBean bean =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            int calls = Math.max(10, 20_000_000 / (n * k));
            double[][] t = new double[2][41];
            for (int sample = -100; sample < 41; sample++) {
                for (int v = 0; v < 2; v++) {
                    long t0 = bean.getCurrentThreadCpuTime();
                    for (int i = 0; i < calls; i++) {
                        if (v == 0) {
                            kernels.gemm(false, false, 1, n, k, 1f, x, 0, k, wt, 0, n, 0f, c, 0, n);
                        } else {
                            for (int j = 0; j < n; j++) {
                                c[j] = dot(x, w, j * k, k);
                            }
                        }
                    }
                    long t1 = bean.getCurrentThreadCpuTime();
                    if (sample >= 0) {
                        t[v][sample] = (t1 - t0) / 1e3 / calls;
                    }
                }
            }
            Arrays.sort(t[0]);
            Arrays.sort(t[1]);
            System.out.printf(Locale.ROOT, "1 x %d x %d: few-rows GEMM %.2f us, dot products %.2f us%n", n, k,
                    t[0][20], t[1][20]);
        }
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
