package perceptron.internal.kernels;

import perceptron.kernels.Parallel;

/**
 * The reference kernels: plain Java, one obvious loop per operation, math in float64.
 *
 * <p>Every faster kernel is tested against these. Float32 elementwise results are computed in float64 and
 * rounded once, so they are as accurate as float32 allows. This class is also the fallback when the Vector API
 * is not available, so the matrix product is blocked enough to be usable (and split across threads by rows).
 */
public sealed class ScalarKernels implements KernelOps permits VectorKernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String toString() {
        return name();
    }

    // ---- the definitions ----------------------------------------------------------------------------------

    /** The value of a unary op at x: the mathematical definition every kernel must agree with. */
    public static double apply(UnaryOp op, double x, double p, double q) {
        switch (op) {
            case NEG: return -x;
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case SQRT: return Math.sqrt(x);
            case ABS: return Math.abs(x);
            case SIGN: return Math.signum(x);
            case SQUARE: return x * x;
            case RECIPROCAL: return 1.0 / x;
            case ADD_SCALAR: return x + p;
            case MUL_SCALAR: return x * p;
            case RSUB_SCALAR: return p - x;
            case RDIV_SCALAR: return p / x;
            case POW_SCALAR: return Math.pow(x, p);
            case RPOW_SCALAR: return Math.pow(p, x);
            case CLAMP: return Double.isNaN(x) ? x : Math.min(Math.max(x, p), q);
            case RELU: return x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
            case SIGMOID: return sigmoid(x);
            case TANH: return Math.tanh(x);
            case STEP: return x > 0 ? 1.0 : 0.0;
            case GT_SCALAR: return x > p ? 1.0 : 0.0;
            case GE_SCALAR: return x >= p ? 1.0 : 0.0;
            case LT_SCALAR: return x < p ? 1.0 : 0.0;
            case LE_SCALAR: return x <= p ? 1.0 : 0.0;
            case EQ_SCALAR: return x == p ? 1.0 : 0.0;
            case NE_SCALAR: return x != p ? 1.0 : 0.0;
            case BETWEEN: return (x >= p && x <= q) ? 1.0 : 0.0;
            case LOG1P: return Math.log1p(x);
            case EXPM1: return Math.expm1(x);
            case SIN: return Math.sin(x);
            case COS: return Math.cos(x);
            case NON_FINITE: return (Double.isNaN(x) || Double.isInfinite(x)) ? 1.0 : 0.0;
            default: return ActivationMath.apply(op, x, p, q);
        }
    }

    /** The value of a binary op at (a, b). */
    public static double apply(BinaryOp op, double a, double b) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case POW: return Math.pow(a, b);
            case MAXIMUM: return (Double.isNaN(a) || Double.isNaN(b)) ? Double.NaN : Math.max(a, b);
            case MINIMUM: return (Double.isNaN(a) || Double.isNaN(b)) ? Double.NaN : Math.min(a, b);
            case EQ: return a == b ? 1.0 : 0.0;
            case NE: return a != b ? 1.0 : 0.0;
            case LT: return a < b ? 1.0 : 0.0;
            case LE: return a <= b ? 1.0 : 0.0;
            case GT: return a > b ? 1.0 : 0.0;
            case GE: return a >= b ? 1.0 : 0.0;
            case RELU_BACKWARD: return b <= 0 ? 0.0 : a;
            case SIGMOID_BACKWARD: return a * b * (1.0 - b);
            case TANH_BACKWARD: return a * (1.0 - b * b);
            default: throw new UnsupportedOperationException(op.name());
        }
    }

    /** 1 / (1 + e^-x) without overflow for either sign. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    // ---- elementwise ----------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, double p, double q, float[] x, int xOff, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) apply(op, x[xOff + i], p, q);
        }
    }

    @Override
    public void unary(UnaryOp op, double p, double q, double[] x, int xOff, double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = apply(op, x[xOff + i], p, q);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    @Override
    public void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                       double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    @Override
    public void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
                      int bStride, float[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    @Override
    public void where(double[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b,
                      int bOff, int bStride, double[] out, int outOff, int n) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = cond[cOff + i * cStride] != 0 ? a[aOff + i * aStride] : b[bOff + i * bStride];
        }
    }

    // ---- reductions -----------------------------------------------------------------------------------

    @Override
    public void reduce(ReduceOp op, float[] x, int xOff, int outer, int len, int inner, float[] out, int outOff) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xOff + o * len * inner + i;
                double acc = start(op);
                for (int j = 0; j < len; j++) {
                    acc = combine(op, acc, x[base + j * inner]);
                }
                out[outOff + o * inner + i] = (float) acc;
            }
        }
    }

    @Override
    public void reduce(ReduceOp op, double[] x, int xOff, int outer, int len, int inner, double[] out,
                       int outOff) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xOff + o * len * inner + i;
                double acc = start(op);
                for (int j = 0; j < len; j++) {
                    acc = combine(op, acc, x[base + j * inner]);
                }
                out[outOff + o * inner + i] = acc;
            }
        }
    }

    private static double start(ReduceOp op) {
        switch (op) {
            case SUM: return 0.0;
            case MAX: return Double.NEGATIVE_INFINITY;
            case MIN: return Double.POSITIVE_INFINITY;
            default: throw new UnsupportedOperationException(op.name());
        }
    }

    private static double combine(ReduceOp op, double acc, double v) {
        switch (op) {
            case SUM: return acc + v;
            case MAX: return (Double.isNaN(acc) || Double.isNaN(v)) ? Double.NaN : Math.max(acc, v);
            case MIN: return (Double.isNaN(acc) || Double.isNaN(v)) ? Double.NaN : Math.min(acc, v);
            default: throw new UnsupportedOperationException(op.name());
        }
    }

    @Override
    public void argReduce(boolean max, float[] x, int xOff, int outer, int len, int inner, int[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xOff + o * len * inner + i;
                int best = 0;
                double bestValue = x[base];
                for (int j = 1; j < len && !Double.isNaN(bestValue); j++) {
                    double v = x[base + j * inner];
                    if (Double.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                        best = j;
                        bestValue = v;
                    }
                }
                out[o * inner + i] = best;
            }
        }
    }

    @Override
    public void argReduce(boolean max, double[] x, int xOff, int outer, int len, int inner, int[] out) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = xOff + o * len * inner + i;
                int best = 0;
                double bestValue = x[base];
                for (int j = 1; j < len && !Double.isNaN(bestValue); j++) {
                    double v = x[base + j * inner];
                    if (Double.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                        best = j;
                        bestValue = v;
                    }
                }
                out[o * inner + i] = best;
            }
        }
    }

    @Override
    public double sum(float[] x, int off, int n) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += x[off + i];
        }
        return acc;
    }

    @Override
    public double sum(double[] x, int off, int n) {
        return pairwiseSum(x, off, n);
    }

    /** Pairwise summation: error grows like log(n) instead of n. */
    private static double pairwiseSum(double[] x, int off, int n) {
        if (n <= 128) {
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += x[off + i];
            }
            return acc;
        }
        int half = n / 2;
        return pairwiseSum(x, off, half) + pairwiseSum(x, off + half, n - half);
    }

    // ---- rows -----------------------------------------------------------------------------------------

    @Override
    public void softmax(boolean log, float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                m = Math.max(m, x[base + c]);
            }
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += Math.exp(x[base + c] - m);
            }
            double logS = Math.log(s);
            for (int c = 0; c < cols; c++) {
                double z = x[base + c] - m;
                out[outOff + r * cols + c] = (float) (log ? z - logS : Math.exp(z) / s);
            }
        }
    }

    @Override
    public void softmax(boolean log, double[] x, int xOff, int rows, int cols, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int base = xOff + r * cols;
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                m = Math.max(m, x[base + c]);
            }
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += Math.exp(x[base + c] - m);
            }
            double logS = Math.log(s);
            for (int c = 0; c < cols; c++) {
                double z = x[base + c] - m;
                out[outOff + r * cols + c] = log ? z - logS : Math.exp(z) / s;
            }
        }
    }

    @Override
    public void logSumExp(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = (float) rowLogSumExp(x, xOff + r * cols, cols);
        }
    }

    @Override
    public void logSumExp(double[] x, int xOff, int rows, int cols, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            out[outOff + r] = rowLogSumExp(x, xOff + r * cols, cols);
        }
    }

    private static double rowLogSumExp(float[] x, int base, int cols) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            m = Math.max(m, x[base + c]);
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (int c = 0; c < cols; c++) {
            s += Math.exp(x[base + c] - m);
        }
        return m + Math.log(s);
    }

    private static double rowLogSumExp(double[] x, int base, int cols) {
        double m = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            m = Math.max(m, x[base + c]);
        }
        if (Double.isInfinite(m)) {
            return m;
        }
        double s = 0;
        for (int c = 0; c < cols; c++) {
            s += Math.exp(x[base + c] - m);
        }
        return m + Math.log(s);
    }

    @Override
    public void crossEntropy(float[] logits, int off, int rows, int cols, int[] targets, double eps, float[] loss,
                             float[] lse) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            double l = rowLogSumExp(logits, base, cols);
            double rowSum = 0;
            if (eps != 0) {
                for (int c = 0; c < cols; c++) {
                    rowSum += logits[base + c];
                }
            }
            lse[r] = (float) l;
            loss[r] = (float) (l - (1 - eps) * logits[base + targets[r]] - eps / cols * rowSum);
        }
    }

    @Override
    public void crossEntropy(double[] logits, int off, int rows, int cols, int[] targets, double eps,
                             double[] loss, double[] lse) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            double l = rowLogSumExp(logits, base, cols);
            double rowSum = 0;
            if (eps != 0) {
                for (int c = 0; c < cols; c++) {
                    rowSum += logits[base + c];
                }
            }
            lse[r] = l;
            loss[r] = l - (1 - eps) * logits[base + targets[r]] - eps / cols * rowSum;
        }
    }

    @Override
    public void crossEntropyBackward(float[] logits, int off, int rows, int cols, int[] targets, double eps,
                                     float[] lse, float[] g, int gOff, int gStride, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            double scale = g[gOff + r * gStride];
            for (int c = 0; c < cols; c++) {
                double q = eps / cols + (c == targets[r] ? 1 - eps : 0);
                double p = Math.exp(logits[off + r * cols + c] - lse[r]);
                out[outOff + r * cols + c] = (float) (scale * (p - q));
            }
        }
    }

    @Override
    public void crossEntropyBackward(double[] logits, int off, int rows, int cols, int[] targets, double eps,
                                     double[] lse, double[] g, int gOff, int gStride, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            double scale = g[gOff + r * gStride];
            for (int c = 0; c < cols; c++) {
                double q = eps / cols + (c == targets[r] ? 1 - eps : 0);
                double p = Math.exp(logits[off + r * cols + c] - lse[r]);
                out[outOff + r * cols + c] = scale * (p - q);
            }
        }
    }

    // ---- matrix products ------------------------------------------------------------------------------

    /** Rows of C per parallel task; fixed so that the split never depends on the thread count. */
    private static final int GEMM_ROWS_PER_TASK = 16;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long GEMM_PARALLEL_WORK = 1L << 18;
    /** Reused per thread: op(B) copied into rows, and four rows of accumulators. */
    private static final ThreadLocal<GemmSpace> GEMM_SPACE = ThreadLocal.withInitial(GemmSpace::new);

    /** Scratch rows that grow to the largest product seen on the thread. */
    private static final class GemmSpace {
        float[][] bRows = new float[0][];
        final float[][] acc = {new float[0], new float[0], new float[0], new float[0]};
        double[][] bRowsD = new double[0][];
        final double[][] accD = {new double[0], new double[0], new double[0], new double[0]};

        float[][] bRows(int k, int n) {
            if (bRows.length < k) {
                bRows = java.util.Arrays.copyOf(bRows, k);
            }
            for (int p = 0; p < k; p++) {
                if (bRows[p] == null || bRows[p].length < n) {
                    bRows[p] = new float[n];
                }
            }
            return bRows;
        }

        double[][] bRowsD(int k, int n) {
            if (bRowsD.length < k) {
                bRowsD = java.util.Arrays.copyOf(bRowsD, k);
            }
            for (int p = 0; p < k; p++) {
                if (bRowsD[p] == null || bRowsD[p].length < n) {
                    bRowsD[p] = new double[n];
                }
            }
            return bRowsD;
        }
    }

    /**
     * Row by row: four rows of C at a time are accumulated as acc_r[j] += A[i + r, p] * B[p, j] over p, one row
     * of op(B) at a time, then C = alpha acc + beta C (with beta == 0, C is not read).
     *
     * <p>Why it is shaped so: the inner loop over j is vectorised by C2 itself (SuperWord) only when every array
     * in it is indexed by plain j; an offset such as {@code b[row + j]} could alias {@code acc[j]} and C2 then
     * keeps the loop scalar (2.5 instead of 14 GFLOP/s, measured on JDK 25). So op(B) is first copied into one
     * array per row, and the four accumulator rows are separate arrays; four rows share each load of B.
     */
    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        float[][] bRows = GEMM_SPACE.get().bRows(k, n);
        for (int p = 0; p < k; p++) {
            float[] row = bRows[p];
            for (int j = 0; j < n; j++) {
                row[j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        int tasks = (m + GEMM_ROWS_PER_TASK - 1) / GEMM_ROWS_PER_TASK;
        java.util.function.IntConsumer rows = t -> {
            float[][] acc = GEMM_SPACE.get().acc;
            for (int r = 0; r < 4; r++) {
                if (acc[r].length < n) {
                    acc[r] = new float[n];
                }
            }
            float[] acc0 = acc[0];
            float[] acc1 = acc[1];
            float[] acc2 = acc[2];
            float[] acc3 = acc[3];
            int end = Math.min(m, (t + 1) * GEMM_ROWS_PER_TASK);
            for (int i = t * GEMM_ROWS_PER_TASK; i < end; i += 4) {
                int count = Math.min(4, end - i);
                for (int r = 0; r < 4; r++) {
                    java.util.Arrays.fill(acc[r], 0, n, 0f);
                }
                for (int p = 0; p < k; p++) {
                    // Rows past the end of C multiply by zero rather than needing a loop of their own.
                    float a0 = a[aOff + (transA ? p * lda + i : i * lda + p)];
                    float a1 = count > 1 ? a[aOff + (transA ? p * lda + i + 1 : (i + 1) * lda + p)] : 0f;
                    float a2 = count > 2 ? a[aOff + (transA ? p * lda + i + 2 : (i + 2) * lda + p)] : 0f;
                    float a3 = count > 3 ? a[aOff + (transA ? p * lda + i + 3 : (i + 3) * lda + p)] : 0f;
                    float[] bRow = bRows[p];
                    for (int j = 0; j < n; j++) {
                        float bpj = bRow[j];
                        acc0[j] += a0 * bpj;
                        acc1[j] += a1 * bpj;
                        acc2[j] += a2 * bpj;
                        acc3[j] += a3 * bpj;
                    }
                }
                for (int r = 0; r < count; r++) {
                    int cRow = cOff + (i + r) * ldc;
                    float[] accR = acc[r];
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] = beta == 0 ? alpha * accR[j] : alpha * accR[j] + beta * c[cRow + j];
                    }
                }
            }
        };
        if ((long) m * n * k < GEMM_PARALLEL_WORK) {
            for (int t = 0; t < tasks; t++) {
                rows.accept(t);
            }
        } else {
            Parallel.forEach(tasks, rows);
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                     int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        double[][] bRows = GEMM_SPACE.get().bRowsD(k, n);
        for (int p = 0; p < k; p++) {
            double[] row = bRows[p];
            for (int j = 0; j < n; j++) {
                row[j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            }
        }
        int tasks = (m + GEMM_ROWS_PER_TASK - 1) / GEMM_ROWS_PER_TASK;
        java.util.function.IntConsumer rows = t -> {
            double[][] acc = GEMM_SPACE.get().accD;
            for (int r = 0; r < 4; r++) {
                if (acc[r].length < n) {
                    acc[r] = new double[n];
                }
            }
            double[] acc0 = acc[0];
            double[] acc1 = acc[1];
            double[] acc2 = acc[2];
            double[] acc3 = acc[3];
            int end = Math.min(m, (t + 1) * GEMM_ROWS_PER_TASK);
            for (int i = t * GEMM_ROWS_PER_TASK; i < end; i += 4) {
                int count = Math.min(4, end - i);
                for (int r = 0; r < 4; r++) {
                    java.util.Arrays.fill(acc[r], 0, n, 0.0);
                }
                for (int p = 0; p < k; p++) {
                    double a0 = a[aOff + (transA ? p * lda + i : i * lda + p)];
                    double a1 = count > 1 ? a[aOff + (transA ? p * lda + i + 1 : (i + 1) * lda + p)] : 0.0;
                    double a2 = count > 2 ? a[aOff + (transA ? p * lda + i + 2 : (i + 2) * lda + p)] : 0.0;
                    double a3 = count > 3 ? a[aOff + (transA ? p * lda + i + 3 : (i + 3) * lda + p)] : 0.0;
                    double[] bRow = bRows[p];
                    for (int j = 0; j < n; j++) {
                        double bpj = bRow[j];
                        acc0[j] += a0 * bpj;
                        acc1[j] += a1 * bpj;
                        acc2[j] += a2 * bpj;
                        acc3[j] += a3 * bpj;
                    }
                }
                for (int r = 0; r < count; r++) {
                    int cRow = cOff + (i + r) * ldc;
                    double[] accR = acc[r];
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] = beta == 0 ? alpha * accR[j] : alpha * accR[j] + beta * c[cRow + j];
                    }
                }
            }
        };
        if ((long) m * n * k < GEMM_PARALLEL_WORK) {
            for (int t = 0; t < tasks; t++) {
                rows.accept(t);
            }
        } else {
            Parallel.forEach(tasks, rows);
        }
    }

    /** Any width works; 64 columns keep a panel's rows a few cache lines long. */
    @Override
    public int gemmPanelWidth() {
        return 64;
    }

    /** One {@link #gemm} per panel: C's columns are independent in gemm, so the bits are the same. */
    @Override
    public void gemmPanels(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] panels, int bOff, int width, float beta, float[] c, int cOff, int ldc) {
        forEachPanel(n, k, width, (panel, j0, w) -> gemm(transA, false, m, w, k, alpha, a, aOff, lda, panels,
                bOff + panel, w, beta, c, cOff + j0, ldc));
    }

    @Override
    public void gemmPanels(boolean transA, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                           double[] panels, int bOff, int width, double beta, double[] c, int cOff, int ldc) {
        forEachPanel(n, k, width, (panel, j0, w) -> gemm(transA, false, m, w, k, alpha, a, aOff, lda, panels,
                bOff + panel, w, beta, c, cOff + j0, ldc));
    }

    /** What to do with one column panel: its offset in the copy, its first column and its width. */
    private interface PanelAction {
        void apply(int panel, int j0, int width);
    }

    private static void forEachPanel(int n, int k, int width, PanelAction action) {
        if (width < 1) {
            throw new IllegalArgumentException("gemmPanels: width must be >= 1, got " + width);
        }
        for (int q = 0, j0 = 0; j0 < n; q++, j0 += width) {
            action.apply(ColumnPanels.offset(q, k, width), j0, Math.min(width, n - j0));
        }
    }

    // ---- optimiser updates ----------------------------------------------------------------------------------

    @Override
    public void sgdStep(float[] p, float[] g, float[] velocity, int n, double lr, double momentum,
                        double dampening, double weightDecay, boolean nesterov, boolean first) {
        for (int i = 0; i < n; i++) {
            double d = g[i] + weightDecay * p[i];
            if (momentum != 0) {
                double v = first ? d : momentum * velocity[i] + (1 - dampening) * d;
                velocity[i] = (float) v;
                d = nesterov ? d + momentum * v : v;
            }
            p[i] = (float) (p[i] - lr * d);
        }
    }

    @Override
    public void sgdStep(double[] p, double[] g, double[] velocity, int n, double lr, double momentum,
                        double dampening, double weightDecay, boolean nesterov, boolean first) {
        for (int i = 0; i < n; i++) {
            double d = g[i] + weightDecay * p[i];
            if (momentum != 0) {
                double v = first ? d : momentum * velocity[i] + (1 - dampening) * d;
                velocity[i] = v;
                d = nesterov ? d + momentum * v : v;
            }
            p[i] = p[i] - lr * d;
        }
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, int n, double lr, double beta1,
                         double beta2, double eps, double weightDecay, boolean decoupled, long t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        for (int i = 0; i < n; i++) {
            double pi = p[i];
            double gi = g[i];
            if (decoupled) {
                pi *= 1 - lr * weightDecay;
            } else {
                gi += weightDecay * pi;
            }
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = (float) mi;
            v[i] = (float) vi;
            p[i] = (float) (pi - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps));
        }
    }

    @Override
    public void adamStep(double[] p, double[] g, double[] m, double[] v, int n, double lr, double beta1,
                         double beta2, double eps, double weightDecay, boolean decoupled, long t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        for (int i = 0; i < n; i++) {
            double pi = p[i];
            double gi = g[i];
            if (decoupled) {
                pi *= 1 - lr * weightDecay;
            } else {
                gi += weightDecay * pi;
            }
            double mi = beta1 * m[i] + (1 - beta1) * gi;
            double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps);
        }
    }

    // ---- conversions ------------------------------------------------------------------------------------

    @Override
    public void bytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (src[srcOff + i] & 0xff) * scale;
        }
    }

    @Override
    public void convert(float[] src, int srcOff, double[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = src[srcOff + i];
        }
    }

    @Override
    public void convert(double[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (float) src[srcOff + i];
        }
    }
}
