package perceptron.internal.kernels;

import perceptron.kernels.Parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorKernels} against {@link ScalarKernels} on random inputs salted with NaN, infinities, signed zeros
 * and subnormals, at awkward lengths (0, 1, 3, 15, 17, 783, 785, and one long enough to be split over threads),
 * at offsets. Bitwise where the class javadoc promises it, within the documented ulps elsewhere.
 */
class VectorKernelsTest {
    private static final VectorKernels VECTOR = new VectorKernels();
    private static final ScalarKernels SCALAR = new ScalarKernels();
    private static final int[] SIZES = {0, 1, 3, 15, 17, 783, 785, 300_001};
    /** The smooth activations with a vector kernel: within a few ulp, tested by their own test below. */
    private static final EnumSet<UnaryOp> ACTIVATIONS = EnumSet.of(UnaryOp.GELU, UnaryOp.GELU_DERIVATIVE,
            UnaryOp.SILU, UnaryOp.SILU_DERIVATIVE, UnaryOp.MISH, UnaryOp.MISH_DERIVATIVE, UnaryOp.ELU,
            UnaryOp.ELU_DERIVATIVE, UnaryOp.CELU, UnaryOp.CELU_DERIVATIVE, UnaryOp.SOFTPLUS, UnaryOp.LOG_SIGMOID);
    private static final EnumSet<UnaryOp> APPROXIMATE = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH,
            UnaryOp.SIGMOID, UnaryOp.LOG1P, UnaryOp.EXPM1, UnaryOp.SIN, UnaryOp.COS);
    static {
        APPROXIMATE.addAll(ACTIVATIONS);
    }
    /**
     * Largest error of the activations: ulps of the reference, plus ulps of the larger term for the derivatives
     * that cross zero (silu' at -1.28, mish' at -1.19, gelu' at -0.75, where a difference of two terms near 1 is
     * small: float32 cannot carry more). Measured on these inputs: at most 6 ulp (gelu), 3-5 for the others.
     */
    private static final double ACTIVATION_ULPS = 8;
    private static final double DERIVATIVE_ABS = 4 * Math.ulp(1f);
    /** Largest error of the approximate ops, in ulps of the reference (measured: 1 for exp and log, 3 sigmoid). */
    private static final double TRANSCENDENTAL_ULPS = 2;
    private static final double SIGMOID_ULPS = 4;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    private static float[] randomFloats(Random r, int n, boolean specials) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextGaussian() * 4);
            if (specials) {
                switch (r.nextInt(40)) {
                    case 0: x[i] = Float.NaN; break;
                    case 1: x[i] = Float.POSITIVE_INFINITY; break;
                    case 2: x[i] = Float.NEGATIVE_INFINITY; break;
                    case 3: x[i] = -0f; break;
                    case 4: x[i] = 0f; break;
                    case 5: x[i] = Float.MIN_VALUE * r.nextInt(100); break;
                    case 6: x[i] = 0.5f; break;
                    case 7: x[i] = (float) (r.nextGaussian() * 1e30); break;
                    default: break;
                }
            }
        }
        return x;
    }

    private static boolean same(float a, float b) {
        return Float.isNaN(a) ? Float.isNaN(b) : Float.floatToIntBits(a) == Float.floatToIntBits(b);
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (!same(expected[i], actual[i])) {
                fail(what + ": at " + i + " expected " + expected[i] + " but got " + actual[i]);
            }
        }
    }

    /** |actual - expected| within ulps of expected (NaN and infinities must match exactly). */
    private static void assertUlps(float[] expected, float[] actual, double ulps, String what) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            if (Float.isNaN(e) || Float.isInfinite(e) || Float.isNaN(a) || Float.isInfinite(a)) {
                if (!same(e, a)) {
                    fail(what + ": at " + i + " expected " + e + " but got " + a);
                }
                continue;
            }
            if (Math.abs((double) a - e) > ulps * Math.ulp(e)) {
                fail(what + ": at " + i + " expected " + e + " but got " + a + " (" + Math.abs((double) a - e)
                        / Math.ulp(e) + " ulp)");
            }
        }
    }

    private interface FloatKernel {
        void run(KernelOps k, float[] out);
    }

    /** Runs the kernel on both implementations into arrays of length n + pad (pad slots must stay untouched). */
    private static float[][] both(int n, FloatKernel kernel) {
        float[] s = new float[n + 8];
        float[] v = new float[n + 8];
        Arrays.fill(s, 12345f);
        Arrays.fill(v, 12345f);
        kernel.run(SCALAR, s);
        kernel.run(VECTOR, v);
        return new float[][] {s, v};
    }

    // ---- unary ----------------------------------------------------------------------------------------------

    @Test
    void exactUnaryOpsMatchTheReferenceBitwise() {
        Random r = new Random(1);
        for (UnaryOp op : UnaryOp.values()) {
            if (APPROXIMATE.contains(op)) {
                continue;
            }
            for (int n : SIZES) {
                float[] x = randomFloats(r, n + 3, true);
                // 0.1 is not a float: the ops with a parameter must still round like the reference.
                for (double p : new double[] {0.5, 0.1, -2}) {
                    double q = p + 3;
                    float[][] out;
                    try {
                        out = both(n, (k, o) -> k.unary(op, p, q, x, 3, o, 5, n));
                    } catch (UnsupportedOperationException e) {
                        // An op without a scalar definition yet must fail the same way on the vector path.
                        assertThrows(UnsupportedOperationException.class,
                                () -> VECTOR.unary(op, p, q, x, 3, new float[n + 8], 5, n), op.name());
                        continue;
                    }
                    assertBitwise(out[0], out[1], op + " n=" + n + " p=" + p);
                }
            }
        }
    }

    // ---- activations beyond relu, sigmoid and tanh -----------------------------------------------------------

    /** Inputs for the activations: the odd sizes, a dense sweep of [-20, 20], the tails, and the specials. */
    private static float[] activationInputs(Random r) {
        float[] random = randomFloats(r, 30_003, true);
        int sweep = 20_001;
        float[] x = Arrays.copyOf(random, random.length + sweep + 400);
        for (int i = 0; i < sweep; i++) {
            x[random.length + i] = -20f + 40f * i / (sweep - 1);
        }
        for (int i = 0; i < 400; i++) {
            x[random.length + sweep + i] = -130f + 260f * i / 399;         // where e^-|x| is subnormal or zero
        }
        return x;
    }

    @Test
    void activationsStayWithinTheDocumentedTolerance() {
        Random r = new Random(12);
        float[] x = activationInputs(r);
        for (UnaryOp op : ACTIVATIONS) {
            warmUp(op, x);
            // (alpha, scale) of elu (selu's among them), alpha of celu, (beta, threshold) of softplus; the
            // others take no parameter. 3 and selu's are not powers of two: their products and quotients round.
            double[][] parameters = op == UnaryOp.ELU || op == UnaryOp.ELU_DERIVATIVE
                    ? new double[][] {{1, 1}, {1.6732632423543772, 1.0507009873554805}, {2, 20}}
                    : op == UnaryOp.CELU || op == UnaryOp.CELU_DERIVATIVE ? new double[][] {{1, 0}, {0.5, 0}, {3, 0}}
                    : op == UnaryOp.SOFTPLUS ? new double[][] {{1, 20}, {2, 20}, {3, 1.5}, {0.1, 20}}
                    : new double[][] {{0, 0}};
            for (double[] pq : parameters) {
                double p = pq[0];
                double q = pq[1];
                for (int n : new int[] {0, 1, 3, 17, 785, x.length - 3}) {
                    float[][] out = both(n, (k, o) -> k.unary(op, p, q, x, 3, o, 5, n));
                    for (int i = 0; i < n + 8; i++) {
                        float e = out[0][i];
                        float a = out[1][i];
                        if (Float.isNaN(e) || Float.isInfinite(e) || Float.isNaN(a) || Float.isInfinite(a)
                                || i < 5 || i >= 5 + n) {
                            if (!same(e, a)) {
                                fail(op + " p=" + p + " at x=" + (i >= 5 && i < 5 + n ? x[i - 2] : "pad")
                                        + ": expected " + e + " but got " + a);
                            }
                            continue;
                        }
                        double err = Math.abs((double) a - e);
                        double bound = ACTIVATION_ULPS * Math.ulp(e)
                                + (op.name().endsWith("_DERIVATIVE") ? DERIVATIVE_ABS * Math.max(1, Math.abs(q)) : 0);
                        if (err > bound) {
                            fail(op + " p=" + p + " q=" + q + " at x=" + x[i - 2] + ": expected " + e + " but got "
                                    + a + " (" + err / Math.ulp(e) + " ulp)");
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelsImplementExactlyTheseOpsAndTheRestRunTheReference() {
        // Pinned: adding an op to UnaryOp or BinaryOp means deciding here whether it gets a vector kernel.
        assertEquals(EnumSet.of(UnaryOp.NEG, UnaryOp.EXP, UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.ABS, UnaryOp.SQUARE,
                UnaryOp.RECIPROCAL, UnaryOp.ADD_SCALAR, UnaryOp.MUL_SCALAR, UnaryOp.RSUB_SCALAR, UnaryOp.RDIV_SCALAR,
                UnaryOp.CLAMP, UnaryOp.RELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.STEP, UnaryOp.GT_SCALAR,
                UnaryOp.GE_SCALAR, UnaryOp.LT_SCALAR, UnaryOp.LE_SCALAR, UnaryOp.EQ_SCALAR, UnaryOp.NE_SCALAR,
                UnaryOp.BETWEEN, UnaryOp.ELU, UnaryOp.ELU_DERIVATIVE, UnaryOp.CELU, UnaryOp.CELU_DERIVATIVE,
                UnaryOp.GELU, UnaryOp.GELU_DERIVATIVE, UnaryOp.SILU, UnaryOp.SILU_DERIVATIVE, UnaryOp.MISH,
                UnaryOp.MISH_DERIVATIVE, UnaryOp.SOFTPLUS, UnaryOp.LOG_SIGMOID), VectorKernels.VECTOR_UNARY);
        // The reference's loop on purpose: rare in training (sign, powers, log1p, expm1, sin, cos, the
        // non-finite test) or piecewise linear and cheap already (leaky relu, hardtanh, hard sigmoid and swish,
        // softsign), and the tanh form of gelu.
        assertEquals(EnumSet.complementOf(EnumSet.copyOf(VectorKernels.VECTOR_UNARY)), EnumSet.of(UnaryOp.SIGN,
                UnaryOp.POW_SCALAR, UnaryOp.RPOW_SCALAR, UnaryOp.LOG1P, UnaryOp.EXPM1, UnaryOp.SIN, UnaryOp.COS,
                UnaryOp.NON_FINITE, UnaryOp.LEAKY_RELU, UnaryOp.LEAKY_RELU_DERIVATIVE, UnaryOp.GELU_TANH,
                UnaryOp.GELU_TANH_DERIVATIVE, UnaryOp.SOFTSIGN, UnaryOp.SOFTSIGN_DERIVATIVE,
                UnaryOp.HARDTANH_DERIVATIVE, UnaryOp.HARD_SIGMOID, UnaryOp.HARD_SIGMOID_DERIVATIVE,
                UnaryOp.HARD_SWISH, UnaryOp.HARD_SWISH_DERIVATIVE));
        assertEquals(EnumSet.complementOf(EnumSet.copyOf(VectorKernels.VECTOR_BINARY)), EnumSet.of(BinaryOp.POW));
        // And every op of the set really has its loop (a missing case throws instead of falling back).
        float[] x = randomFloats(new Random(13), 33, true);
        for (UnaryOp op : VectorKernels.VECTOR_UNARY) {
            VECTOR.unary(op, 1, 2, x, 0, new float[33], 0, 33);
        }
        for (BinaryOp op : VectorKernels.VECTOR_BINARY) {
            VECTOR.binary(op, x, 0, 1, x, 0, 1, new float[33], 0, 33);
        }
    }

    /** Runs the kernel until C2 has compiled it: before that the Vector API computes lane by lane with Math. */
    private static void warmUp(UnaryOp op, float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < 3000; i++) {
            VECTOR.unary(op, 0, 0, x, 0, out, 0, Math.min(x.length, 2048));
        }
    }

    @Test
    void transcendentalOpsStayWithinTheDocumentedUlps() {
        Random r = new Random(2);
        for (UnaryOp op : APPROXIMATE) {
            if (ACTIVATIONS.contains(op)) {
                continue;                   // activationsStayWithinTheDocumentedTolerance
            }
            float[] x = randomFloats(r, 20_000, false);
            for (int i = 0; i < x.length; i++) {
                // Cover the whole useful range, up to where exp overflows and sigmoid saturates.
                x[i] = i % 2 == 0 ? x[i] : (float) ((r.nextDouble() * 2 - 1) * 100);
                if (op == UnaryOp.LOG) {
                    x[i] = Math.abs(x[i]) * (i % 3 == 0 ? 1e-30f : 1f);
                } else if (op == UnaryOp.LOG1P) {
                    x[i] = Math.max(x[i], -0.999f);
                }
            }
            warmUp(op, x);
            double ulps = op == UnaryOp.SIGMOID ? SIGMOID_ULPS : TRANSCENDENTAL_ULPS;
            for (int n : SIZES) {
                int len = Math.min(n, x.length);
                float[][] out = both(len, (k, o) -> k.unary(op, 0, 0, x, 0, o, 0, len));
                assertUlps(out[0], out[1], ulps, op + " n=" + len);
            }
            float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 89f, -89f,
                    -104f, 1e-40f, 88.7f, 1f, -1f, 0.5f, 3f, 9f, 20f, -20f};
            float[][] out = both(specials.length, (k, o) -> k.unary(op, 0, 0, specials, 0, o, 0, specials.length));
            // Subnormal results (sigmoid(-104), exp(-104)) are allowed a few subnormal ulps.
            for (int i = 0; i < specials.length; i++) {
                float e = out[0][i];
                float a = out[1][i];
                boolean ok = same(e, a) || Math.abs((double) a - e) <= ulps * Math.ulp(e) + 4 * Float.MIN_VALUE;
                assertTrue(ok, op + "(" + specials[i] + "): expected " + e + " but got " + a);
            }
        }
    }

    @Test
    void reluKeepsNaNAndSendsNegativeZeroToZero() {
        float[] x = {Float.NaN, -0f, -1f, 2f, Float.NEGATIVE_INFINITY, 0f, 3f, -5f, Float.NaN};
        float[] out = new float[x.length];
        VECTOR.unary(UnaryOp.RELU, 0, 0, x, 0, out, 0, x.length);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[8]));
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(out[1]));
        assertEquals(2f, out[3]);
        assertEquals(0f, out[4]);
    }

    // ---- binary and where -----------------------------------------------------------------------------

    @Test
    void everyBinaryOpMatchesTheReferenceBitwiseForEveryStrideCombination() {
        Random r = new Random(3);
        for (BinaryOp op : BinaryOp.values()) {
            for (int n : SIZES) {
                float[] a = randomFloats(r, n + 2, true);
                float[] b = randomFloats(r, n + 4, true);
                if (op == BinaryOp.SIGMOID_BACKWARD) {
                    for (int i = 0; i < b.length; i++) {
                        b[i] = (float) ScalarKernels.sigmoid(b[i]);
                    }
                }
                for (int strides = 0; strides < 4; strides++) {
                    int sa = strides & 1;
                    int sb = (strides >> 1) & 1;
                    float[][] out = both(n, (k, o) -> k.binary(op, a, 2, sa, b, 4, sb, o, 1, n));
                    assertBitwise(out[0], out[1], op + " n=" + n + " strides=" + sa + "," + sb);
                }
            }
        }
    }

    @Test
    void whereMatchesTheReferenceWithNaNConditionsTrue() {
        Random r = new Random(4);
        for (int n : SIZES) {
            float[] c = randomFloats(r, n + 1, true);
            for (int i = 0; i < c.length; i += 3) {
                c[i] = 0f;
            }
            float[] a = randomFloats(r, n + 1, true);
            float[] b = randomFloats(r, n + 1, true);
            for (int strides = 0; strides < 8; strides++) {
                int sc = strides & 1;
                int sa = (strides >> 1) & 1;
                int sb = (strides >> 2) & 1;
                float[][] out = both(n, (k, o) -> k.where(c, 1, sc, a, 1, sa, b, 1, sb, o, 0, n));
                assertBitwise(out[0], out[1], "where n=" + n + " strides=" + sc + sa + sb);
            }
        }
    }

    // ---- reductions -----------------------------------------------------------------------------------------

    private static final int[][] REDUCE_SHAPES = {
        {3, 17, 1}, {2, 785, 1}, {1, 256, 256}, {4, 15, 17}, {1, 0, 3}, {2, 0, 1}, {5, 3, 783}, {1, 300, 300},
        {300, 300, 1}, {7, 1, 9}, {1, 1, 1},
    };

    @Test
    void maxAndMinReductionsMatchBitwiseAndPropagateNaN() {
        Random r = new Random(5);
        for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
            for (int[] s : REDUCE_SHAPES) {
                int outer = s[0];
                int len = s[1];
                int inner = s[2];
                float[] x = randomFloats(r, 2 + outer * len * inner, true);
                float[][] out = both(outer * inner, (k, o) -> k.reduce(op, x, 2, outer, len, inner, o, 3));
                assertBitwise(out[0], out[1], op + " " + Arrays.toString(s));
            }
        }
    }

    @Test
    void columnSumsMatchBitwiseAndRowSumsWithinFloatRounding() {
        Random r = new Random(6);
        for (int[] s : REDUCE_SHAPES) {
            int outer = s[0];
            int len = s[1];
            int inner = s[2];
            float[] x = randomFloats(r, 2 + outer * len * inner, false);
            float[][] out = both(outer * inner, (k, o) -> k.reduce(ReduceOp.SUM, x, 2, outer, len, inner, o, 3));
            if (inner > 1) {
                // Column sums (the bias gradient) add in float64 in row order, exactly as the reference.
                assertBitwise(out[0], out[1], "SUM " + Arrays.toString(s));
            } else {
                for (int o = 0; o < outer; o++) {
                    double mag = 0;
                    for (int j = 0; j < len; j++) {
                        mag += Math.abs(x[2 + o * len + j]);
                    }
                    double err = Math.abs((double) out[1][3 + o] - out[0][3 + o]);
                    assertTrue(err <= Math.ulp(out[0][3 + o]) + 1e-6 * mag,
                            "SUM " + Arrays.toString(s) + " row " + o + ": " + out[1][3 + o] + " vs " + out[0][3 + o]);
                }
            }
        }
    }

    @Test
    void sumOfTenMillionFloatsIsAccurate() {
        int n = 10_000_000;
        float[] x = new float[n];
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() + (i % 7 == 0 ? -3.0 : 0.25));
        }
        // The float64 reference: Kahan-compensated, so its own error is far below what is tested.
        double ref = 0;
        double comp = 0;
        double mag = 0;
        for (float v : x) {
            double y = v - comp;
            double t = ref + y;
            comp = (t - ref) - y;
            ref = t;
            mag += Math.abs(v);
        }
        double got = VECTOR.sum(x, 0, n);
        // Blocks of 16 float32 additions per lane: bound 16 ulp of each block, far tighter in practice.
        assertTrue(Math.abs(got - ref) <= 1e-6 * mag, "sum " + got + " vs " + ref);
        assertTrue(Math.abs(got - ref) <= 1e-9 * mag, "typical error should be tiny: " + (got - ref) / mag);
        float[] one = new float[1];
        VECTOR.reduce(ReduceOp.SUM, x, 0, 1, n, 1, one, 0);
        assertEquals((float) ref, one[0], Math.ulp((float) ref));
    }

    @Test
    void sumsReductionsAndRowsAreBitwiseTheSameOnOneAndTwoThreads() {
        Random r = new Random(8);
        float[] x = randomFloats(r, 300_000, false);
        float[][] results = new float[2][];
        double[] sums = new double[2];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            float[] out = new float[300 + 1000 + 300 + 1000 * 300 + 1000];
            sums[threads - 1] = VECTOR.sum(x, 1, 299_999);
            VECTOR.reduce(ReduceOp.SUM, x, 0, 1000, 300, 1, out, 0);
            VECTOR.reduce(ReduceOp.SUM, x, 0, 1, 1000, 300, out, 1000);
            VECTOR.softmax(false, x, 0, 1000, 300, out, 1300);
            VECTOR.logSumExp(x, 0, 1000, 300, out, 1300 + 300_000);
            results[threads - 1] = out;
        }
        assertEquals(Double.doubleToLongBits(sums[0]), Double.doubleToLongBits(sums[1]));
        assertBitwise(results[0], results[1], "1 vs 2 threads");
    }

    // ---- rows -------------------------------------------------------------------------------------------

    @Test
    void softmaxLogSoftmaxAndLogSumExpAgreeWithTheReference() {
        Random r = new Random(9);
        for (int cols : new int[] {1, 3, 10, 17, 785}) {
            int rows = 7;
            float[] x = randomFloats(r, 1 + rows * cols, false);
            // Awkward rows: all -inf, one +inf, one NaN, huge values.
            Arrays.fill(x, 1, 1 + cols, Float.NEGATIVE_INFINITY);
            x[1 + cols] = Float.POSITIVE_INFINITY;
            x[1 + 2 * cols] = Float.NaN;
            for (int c = 0; c < cols; c++) {
                x[1 + 3 * cols + c] = 1e30f * (c % 3 - 1);
            }
            for (boolean log : new boolean[] {false, true}) {
                float[][] out = both(rows * cols, (k, o) -> k.softmax(log, x, 1, rows, cols, o, 2));
                assertClose(out[0], out[1], 1e-6, 1e-6, (log ? "logSoftmax" : "softmax") + " cols=" + cols);
            }
            float[][] lse = both(rows, (k, o) -> k.logSumExp(x, 1, rows, cols, o, 0));
            assertClose(lse[0], lse[1], 1e-6, 1e-6, "logSumExp cols=" + cols);
        }
    }

    /** Close within rel * |expected| + abs, with NaN and infinities matching exactly. */
    private static void assertClose(float[] expected, float[] actual, double rel, double abs, String what) {
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            boolean special = Float.isNaN(e) || Float.isInfinite(e) || Float.isNaN(a) || Float.isInfinite(a);
            boolean ok = special ? same(e, a) : Math.abs((double) a - e) <= rel * Math.abs(e) + abs;
            if (!ok) {
                fail(what + ": at " + i + " expected " + e + " but got " + a);
            }
        }
    }

    @Test
    void crossEntropyAndItsGradientAgreeWithTheReference() {
        Random r = new Random(10);
        for (int cols : new int[] {1, 3, 10, 17, 785}) {
            int rows = 9;
            float[] logits = randomFloats(r, 3 + rows * cols, false);
            int[] targets = new int[rows];
            for (int i = 0; i < rows; i++) {
                targets[i] = r.nextInt(cols);
            }
            float[] g = randomFloats(r, 2 * rows, false);
            for (double eps : new double[] {0, 0.1}) {
                float[] ls = new float[rows];
                float[] lv = new float[rows];
                float[] lseS = new float[rows];
                float[] lseV = new float[rows];
                SCALAR.crossEntropy(logits, 3, rows, cols, targets, eps, ls, lseS);
                VECTOR.crossEntropy(logits, 3, rows, cols, targets, eps, lv, lseV);
                assertClose(ls, lv, 1e-6, 1e-5, "crossEntropy cols=" + cols + " eps=" + eps);
                assertClose(lseS, lseV, 1e-6, 1e-6, "lse cols=" + cols);
                float[][] out = both(rows * cols, (k, o) -> k.crossEntropyBackward(logits, 3, rows, cols, targets,
                        eps, lseS, g, 1, 2, o, 4));
                assertClose(out[0], out[1], 1e-5, 1e-6, "crossEntropyBackward cols=" + cols + " eps=" + eps);
            }
        }
    }

    // ---- optimisers and conversions ---------------------------------------------------------------------------

    @Test
    void sgdStepsMatchBitwise() {
        Random r = new Random(11);
        for (int n : SIZES) {
            for (int variant = 0; variant < 4; variant++) {
                double momentum = variant == 0 ? 0 : 0.9;
                boolean nesterov = variant == 2;
                boolean first = variant == 3;
                float[] p = randomFloats(r, n, false);
                float[] g = randomFloats(r, n, false);
                float[] v = randomFloats(r, n, false);
                float[] p2 = p.clone();
                float[] v2 = v.clone();
                SCALAR.sgdStep(p, g, momentum == 0 ? null : v, n, 0.01, momentum, 0.1, 1e-4, nesterov, first);
                VECTOR.sgdStep(p2, g, momentum == 0 ? null : v2, n, 0.01, momentum, 0.1, 1e-4, nesterov, first);
                assertBitwise(p, p2, "sgd p n=" + n + " variant " + variant);
                assertBitwise(v, v2, "sgd v n=" + n + " variant " + variant);
            }
        }
    }

    @Test
    void adamStepsMatchBitwise() {
        Random r = new Random(12);
        for (int n : SIZES) {
            for (boolean decoupled : new boolean[] {false, true}) {
                float[] p = randomFloats(r, n, false);
                float[] g = randomFloats(r, n, false);
                float[] m = randomFloats(r, n, false);
                float[] v = randomFloats(r, n, false);
                for (int i = 0; i < n; i++) {
                    v[i] = Math.abs(v[i]);
                }
                float[] p2 = p.clone();
                float[] m2 = m.clone();
                float[] v2 = v.clone();
                SCALAR.adamStep(p, g, m, v, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, decoupled, 7);
                VECTOR.adamStep(p2, g, m2, v2, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, decoupled, 7);
                String what = "adam n=" + n + " decoupled=" + decoupled;
                assertBitwise(p, p2, what);
                assertBitwise(m, m2, what);
                assertBitwise(v, v2, what);
            }
        }
    }

    @Test
    void conversionsMatchBitwise() {
        Random r = new Random(13);
        for (int n : SIZES) {
            byte[] bytes = new byte[n + 3];
            r.nextBytes(bytes);
            float[][] out = both(n, (k, o) -> k.bytesToFloats(bytes, 3, o, 2, n, 1f / 255));
            assertBitwise(out[0], out[1], "bytesToFloats n=" + n);
            float[] f = randomFloats(r, n + 1, true);
            double[] ds = new double[n + 2];
            double[] dv = new double[n + 2];
            SCALAR.convert(f, 1, ds, 2, n);
            VECTOR.convert(f, 1, dv, 2, n);
            for (int i = 0; i < ds.length; i++) {
                assertTrue(Double.isNaN(ds[i]) ? Double.isNaN(dv[i]) : ds[i] == dv[i], "convert to double at " + i);
            }
            for (int i = 0; i < ds.length; i++) {
                ds[i] = r.nextGaussian() * (i % 5 == 0 ? 1e300 : 1);
            }
            float[][] back = both(n, (k, o) -> k.convert(ds, 1, o, 3, n));
            assertBitwise(back[0], back[1], "convert to float n=" + n);
        }
    }
}
