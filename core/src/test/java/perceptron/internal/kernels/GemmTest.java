package perceptron.internal.kernels;

import perceptron.kernels.Parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both GEMMs (vector and scalar) against a float64 reference, on shapes that hit every edge of the blocking
 * (1, 7, 783; depths across the {@link FloatGemm#KC} boundary; rows across task blocks), all four transpose
 * combinations, offsets, leading dimensions larger than the matrix, and alpha/beta cases including beta = 0 over
 * a C full of NaN. Elements of the arrays outside the matrices must be left alone.
 */
class GemmTest {
    private static final KernelOps VECTOR = new VectorKernels();
    private static final KernelOps SCALAR = new ScalarKernels();
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 783}, {7, 783, 1}, {783, 1, 7}, {783, 7, 7}, {7, 7, 783}, {3, 17, 15}, {5, 33, 257},
        {49, 17, 300}, {100, 130, 530}, {13, 250, 40}, {64, 16, 256}, {2, 3, 0}, {2, 300, 70}, {1, 1000, 300},
        {3, 40, 33},
    };
    private static final float[][] ALPHA_BETA = {{1, 0}, {0.5f, 2}, {-1, 1}, {2, 0}};

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** A stored operand: rows x cols at offset off with leading dimension ld, random values, NaN elsewhere. */
    private static final class Stored {
        final int off;
        final int ld;
        final float[] f;
        final double[] d;

        Stored(Random r, int rows, int cols, float fill) {
            off = 3 + r.nextInt(4);
            ld = cols + r.nextInt(3);
            int size = off + rows * ld + 5;
            f = new float[size];
            d = new double[size];
            java.util.Arrays.fill(f, fill);
            java.util.Arrays.fill(d, fill);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    float v = (float) r.nextGaussian();
                    f[off + i * ld + j] = v;
                    d[off + i * ld + j] = v;
                }
            }
        }
    }

    @Test
    void float32MatchesReferenceOnAwkwardShapes() {
        Random r = new Random(42);
        for (int[] s : SHAPES) {
            for (int trans = 0; trans < 4; trans++) {
                float[] ab = ALPHA_BETA[(s[0] + trans) % ALPHA_BETA.length];
                checkFloat(VECTOR, r, s[0], s[1], s[2], (trans & 1) != 0, (trans & 2) != 0, ab[0], ab[1]);
                checkFloat(SCALAR, r, s[0], s[1], s[2], (trans & 1) != 0, (trans & 2) != 0, ab[0], ab[1]);
            }
        }
    }

    @Test
    void float64MatchesReferenceOnAwkwardShapes() {
        Random r = new Random(43);
        for (int[] s : SHAPES) {
            for (int trans = 0; trans < 4; trans++) {
                float[] ab = ALPHA_BETA[(s[1] + trans) % ALPHA_BETA.length];
                checkDouble(VECTOR, r, s[0], s[1], s[2], (trans & 1) != 0, (trans & 2) != 0, ab[0], ab[1]);
                checkDouble(SCALAR, r, s[0], s[1], s[2], (trans & 1) != 0, (trans & 2) != 0, ab[0], ab[1]);
            }
        }
    }

    @Test
    void everyAlphaBetaCaseOnOneShape() {
        Random r = new Random(44);
        for (float[] ab : ALPHA_BETA) {
            for (int trans = 0; trans < 4; trans++) {
                // 19 rows take the packed path, 1 row the few-rows path.
                for (int m : new int[] {19, 1}) {
                    checkFloat(VECTOR, r, m, 37, 70, (trans & 1) != 0, (trans & 2) != 0, ab[0], ab[1]);
                    checkDouble(VECTOR, r, m, 37, 70, (trans & 1) != 0, (trans & 2) != 0, ab[0], ab[1]);
                }
            }
        }
    }

    private static void checkFloat(KernelOps kern, Random r, int m, int n, int k, boolean ta, boolean tb,
                                   float alpha, float beta) {
        Stored a = ta ? new Stored(r, k, m, Float.NaN) : new Stored(r, m, k, Float.NaN);
        Stored b = tb ? new Stored(r, n, k, Float.NaN) : new Stored(r, k, n, Float.NaN);
        // beta == 0: C starts as NaN and must not leak; otherwise random.
        Stored c = new Stored(r, m, n, -7f);
        if (beta == 0) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c.f, c.off + i * c.ld, c.off + i * c.ld + n, Float.NaN);
            }
        }
        float[] before = c.f.clone();
        kern.gemm(ta, tb, m, n, k, alpha, a.f, a.off, a.ld, b.f, b.off, b.ld, beta, c.f, c.off, c.ld);
        String what = kern.name() + " float32 m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                + " alpha=" + alpha + " beta=" + beta;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = a.f[a.off + (ta ? p * a.ld + i : i * a.ld + p)];
                    double y = b.f[b.off + (tb ? j * b.ld + p : p * b.ld + j)];
                    ref += x * y;
                    mag += Math.abs(x * y);
                }
                double c0 = before[c.off + i * c.ld + j];
                double expected = alpha * ref + (beta == 0 ? 0 : beta * c0);
                double scale = Math.abs(alpha) * mag + (beta == 0 ? 0 : Math.abs(beta * c0));
                double got = c.f[c.off + i * c.ld + j];
                double tol = 2.0 * (k + 2) * Math.ulp(1f) * scale + 1e-30;
                if (!(Math.abs(got - expected) <= tol)) {
                    fail(what + ": C[" + i + "," + j + "] = " + got + ", expected " + expected + " +- " + tol);
                }
            }
        }
        assertOutsideUntouched(before, c.f, c.off, c.ld, m, n, what);
    }

    private static void checkDouble(KernelOps kern, Random r, int m, int n, int k, boolean ta, boolean tb,
                                    double alpha, double beta) {
        Stored a = ta ? new Stored(r, k, m, Float.NaN) : new Stored(r, m, k, Float.NaN);
        Stored b = tb ? new Stored(r, n, k, Float.NaN) : new Stored(r, k, n, Float.NaN);
        Stored c = new Stored(r, m, n, -7f);
        if (beta == 0) {
            for (int i = 0; i < m; i++) {
                java.util.Arrays.fill(c.d, c.off + i * c.ld, c.off + i * c.ld + n, Double.NaN);
            }
        }
        double[] before = c.d.clone();
        kern.gemm(ta, tb, m, n, k, alpha, a.d, a.off, a.ld, b.d, b.off, b.ld, beta, c.d, c.off, c.ld);
        String what = kern.name() + " float64 m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb
                + " alpha=" + alpha + " beta=" + beta;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                // The inputs are floats, so each product is exact in double and the reference is as good as
                // a sum in float64 can be; compare with a bound for float64 rounding.
                double ref = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = a.d[a.off + (ta ? p * a.ld + i : i * a.ld + p)];
                    double y = b.d[b.off + (tb ? j * b.ld + p : p * b.ld + j)];
                    ref += x * y;
                    mag += Math.abs(x * y);
                }
                double c0 = before[c.off + i * c.ld + j];
                double expected = alpha * ref + (beta == 0 ? 0 : beta * c0);
                double scale = Math.abs(alpha) * mag + (beta == 0 ? 0 : Math.abs(beta * c0));
                double got = c.d[c.off + i * c.ld + j];
                double tol = 4.0 * (k + 2) * Math.ulp(1.0) * scale + 1e-300;
                if (!(Math.abs(got - expected) <= tol)) {
                    fail(what + ": C[" + i + "," + j + "] = " + got + ", expected " + expected + " +- " + tol);
                }
            }
        }
        for (int i = 0; i < before.length; i++) {
            int row = (i - c.off) / c.ld;
            int col = (i - c.off) % c.ld;
            boolean inside = i >= c.off && row < m && col < n;
            if (!inside && Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(c.d[i])) {
                fail(what + ": wrote outside C at index " + i);
            }
        }
    }

    private static void assertOutsideUntouched(float[] before, float[] after, int off, int ld, int m, int n,
                                               String what) {
        for (int i = 0; i < before.length; i++) {
            int row = (i - off) / ld;
            int col = (i - off) % ld;
            boolean inside = i >= off && row < m && col < n;
            if (!inside && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                fail(what + ": wrote outside C at index " + i);
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveBitwiseTheSameProduct() {
        Random r = new Random(7);
        int[][] shapes = {{130, 100, 530}, {100, 130, 300}, {7, 783, 90}, {1, 1000, 300}};
        for (int[] s : shapes) {
            for (int trans = 0; trans < 4; trans++) {
                boolean ta = (trans & 1) != 0;
                boolean tb = (trans & 2) != 0;
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = new float[m * k];
                float[] b = new float[k * n];
                double[] ad = new double[m * k];
                double[] bd = new double[k * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) r.nextGaussian();
                    ad[i] = r.nextGaussian();
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) r.nextGaussian();
                    bd[i] = r.nextGaussian();
                }
                int lda = ta ? m : k;
                int ldb = tb ? k : n;
                for (KernelOps kern : new KernelOps[] {VECTOR, SCALAR}) {
                    Parallel.setThreads(1);
                    float[] c1 = new float[m * n];
                    double[] d1 = new double[m * n];
                    kern.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c1, 0, n);
                    kern.gemm(ta, tb, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, d1, 0, n);
                    Parallel.setThreads(2);
                    float[] c2 = new float[m * n];
                    double[] d2 = new double[m * n];
                    kern.gemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c2, 0, n);
                    kern.gemm(ta, tb, m, n, k, 1.0, ad, 0, lda, bd, 0, ldb, 0.0, d2, 0, n);
                    String what = kern.name() + " " + m + "x" + n + "x" + k + " transA=" + ta + " transB=" + tb;
                    assertArrayEquals(c1, c2, what);
                    assertArrayEquals(d1, d2, what);
                }
            }
        }
    }

    @Test
    void columnPanelsGiveBitwiseTheProductOfGemmOnOneAndTwoThreads() {
        Random r = new Random(11);
        int[][] shapes = {{1, 256, 784}, {2, 256, 784}, {1, 10, 256}, {1, 1, 1}, {2, 65, 257}, {1, 200, 513},
            {3, 63, 40}, {1, 7, 0}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                Stored a = ta ? new Stored(r, k, m, Float.NaN) : new Stored(r, m, k, Float.NaN);
                Stored w = new Stored(r, n, k, Float.NaN);          // B stored transposed, as a Linear weight
                Stored c0 = new Stored(r, m, n, 0f);
                for (KernelOps kern : new KernelOps[] {VECTOR, SCALAR}) {
                    for (int width : new int[] {kern.gemmPanelWidth(), 1, 3, 64, 1000}) {
                        float[] pf = ColumnPanels.pack(true, w.f, w.off, w.ld, k, n, width);
                        double[] pd = ColumnPanels.pack(true, w.d, w.off, w.ld, k, n, width);
                        for (float[] ab : ALPHA_BETA) {
                            float[] expected = c0.f.clone();
                            double[] expectedD = c0.d.clone();
                            Parallel.setThreads(1);
                            kern.gemm(ta, true, m, n, k, ab[0], a.f, a.off, a.ld, w.f, w.off, w.ld, ab[1], expected,
                                    c0.off, c0.ld);
                            kern.gemm(ta, true, m, n, k, ab[0], a.d, a.off, a.ld, w.d, w.off, w.ld, ab[1],
                                    expectedD, c0.off, c0.ld);
                            for (int threads = 1; threads <= 2; threads++) {
                                Parallel.setThreads(threads);
                                float[] c = c0.f.clone();
                                double[] d = c0.d.clone();
                                kern.gemmPanels(ta, m, n, k, ab[0], a.f, a.off, a.ld, pf, 0, width, ab[1], c, c0.off,
                                        c0.ld);
                                kern.gemmPanels(ta, m, n, k, ab[0], a.d, a.off, a.ld, pd, 0, width, ab[1], d, c0.off,
                                        c0.ld);
                                String what = kern.name() + " " + m + "x" + n + "x" + k + " transA=" + ta + " width "
                                        + width + " alpha " + ab[0] + " beta " + ab[1] + ", " + threads + " threads";
                                assertArrayEquals(expected, c, what);
                                assertArrayEquals(expectedD, d, what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void nanInAPropagatesToItsRowOnly() {
        float[] a = {1, 2, Float.NaN, 4};
        float[] b = {1, 0, 0, 1};
        float[] c = new float[4];
        VECTOR.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertEquals(1f, c[0]);
        assertEquals(2f, c[1]);
        assertTrue(Float.isNaN(c[2]) && Float.isNaN(c[3]));
    }
}
