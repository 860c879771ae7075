package perceptron.internal.kernels;

import perceptron.kernels.Kernels;
import perceptron.kernels.Parallel;

/**
 * The numerical work behind every op. Two implementations: {@link ScalarKernels}, plain Java and the
 * reference, and {@code VectorKernels}, SIMD through {@code jdk.incubator.vector}, tested against the reference.
 *
 * <p>The choice is made once, at start-up ({@link #get()}), never inside a hot loop. Arrays are addressed by
 * offset; "strided" arguments take a stride of 0 (broadcast a single element) or 1 (contiguous), which is all
 * NumPy broadcasting needs once the outer dimensions are looped over by the caller.
 *
 * <p>Every kernel must give bitwise the same result whatever {@link Parallel#threads()} is: work is split
 * along independent outputs, and reductions combine fixed-size chunks in a fixed order.
 */
public interface KernelOps extends Kernels {

    /** The kernels chosen at start-up (see {@link KernelSelection}); {@link Kernels#get()} returns the same. */
    static KernelOps get() {
        return KernelSelection.INSTANCE;
    }

    // ---- elementwise ----------------------------------------------------------------------------------

    /** out[i] = op(x[i]; p, q) for i in [0, n). */
    void unary(UnaryOp op, double p, double q, float[] x, int xOff, float[] out, int outOff, int n);

    void unary(UnaryOp op, double p, double q, double[] x, int xOff, double[] out, int outOff, int n);

    /** out[i] = op(a[aOff + i*aStride], b[bOff + i*bStride]), strides 0 or 1. */
    void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                float[] out, int outOff, int n);

    void binary(BinaryOp op, double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
                double[] out, int outOff, int n);

    /** out[i] = cond[i] != 0 ? a[i] : b[i], each input with stride 0 or 1. */
    void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
               int bStride, float[] out, int outOff, int n);

    void where(double[] cond, int cOff, int cStride, double[] a, int aOff, int aStride, double[] b, int bOff,
               int bStride, double[] out, int outOff, int n);

    // ---- reductions -----------------------------------------------------------------------------------

    /**
     * Reduces the middle axis of a contiguous [outer, len, inner] block:
     * out[o*inner + i] = op over j of x[xOff + (o*len + j)*inner + i]. Sums of float32 accumulate in float64.
     */
    void reduce(ReduceOp op, float[] x, int xOff, int outer, int len, int inner, float[] out, int outOff);

    void reduce(ReduceOp op, double[] x, int xOff, int outer, int len, int inner, double[] out, int outOff);

    /** Like {@link #reduce} but writes the index (first occurrence; NaN counts as the maximum and the minimum). */
    void argReduce(boolean max, float[] x, int xOff, int outer, int len, int inner, int[] out);

    void argReduce(boolean max, double[] x, int xOff, int outer, int len, int inner, int[] out);

    /** Sum of n contiguous floats, accumulated accurately (float64, fixed chunk order). */
    double sum(float[] x, int off, int n);

    double sum(double[] x, int off, int n);

    // ---- rows of a contiguous [rows, cols] block ----------------------------------------------------------

    /** Softmax (or log-softmax) of each row, stable for any finite input. */
    void softmax(boolean log, float[] x, int xOff, int rows, int cols, float[] out, int outOff);

    void softmax(boolean log, double[] x, int xOff, int rows, int cols, double[] out, int outOff);

    /** out[r] = log(sum_c exp(x[r, c])), stable: max + log(sum exp(x - max)). */
    void logSumExp(float[] x, int xOff, int rows, int cols, float[] out, int outOff);

    void logSumExp(double[] x, int xOff, int rows, int cols, double[] out, int outOff);

    /**
     * Softmax cross-entropy of each row against a class index, with label smoothing eps:
     * loss[r] = lse[r] - (1 - eps) * x[r, t] - (eps / cols) * sum_c x[r, c]. Also writes lse[r] for backward.
     */
    void crossEntropy(float[] logits, int off, int rows, int cols, int[] targets, double eps, float[] loss,
                      float[] lse);

    void crossEntropy(double[] logits, int off, int rows, int cols, int[] targets, double eps, double[] loss,
                      double[] lse);

    /**
     * Gradient of {@link #crossEntropy} with respect to the logits:
     * out[r, c] = g[r * gStride] * (exp(x[r, c] - lse[r]) - q[r, c]) with q = (1 - eps) onehot(t) + eps / cols.
     */
    void crossEntropyBackward(float[] logits, int off, int rows, int cols, int[] targets, double eps,
                              float[] lse, float[] g, int gOff, int gStride, float[] out, int outOff);

    void crossEntropyBackward(double[] logits, int off, int rows, int cols, int[] targets, double eps,
                              double[] lse, double[] g, int gOff, int gStride, double[] out, int outOff);

    // ---- matrix products ------------------------------------------------------------------------------

    /**
     * Products with at most this many rows are fastest when op(B) is stored row-major (B not transposed): they
     * then skip packing. With B transposed they must pack it (a transpose, 5 to 10 times the product itself)
     * to keep {@link #gemm}'s order of summation, so a caller that multiplies one row at a time by the same
     * transposed matrix does better to keep a copy of it in column panels for {@link #gemmPanels} (ops.Linalg
     * does, for weights).
     */
    int GEMM_FEW_ROWS = 2;

    /**
     * C = alpha * op(A) op(B) + beta * C, where op(A) is m x k and op(B) is k x n, all row-major with leading
     * dimensions lda, ldb, ldc; transA means A is stored k x m (and likewise B stored n x k). With beta == 0,
     * C is not read (NaN in C does not leak), as in BLAS.
     *
     * <p>Batch-invariant: element (i, j) of C is computed by the same operations in the same order whatever m,
     * i, the other rows of A, the transpose flags and the thread count are; it depends only on row i of op(A),
     * column j of op(B), k, alpha, beta and C's old value. So a row of a batch gives bitwise the row computed
     * alone.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc);

    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc);

    /** The panel width at which {@link #gemmPanels} runs fastest (any width &gt;= 1 gives the same result). */
    int gemmPanelWidth();

    /**
     * {@link #gemm} with op(A) as there and B = op(B), [k, n], in column panels of {@code width} columns starting
     * at {@code panels[bOff]} (layout: {@link ColumnPanels}). Every element of C is bitwise what {@link #gemm}
     * gives for the same row of op(A) and column of op(B). For products of one or two rows by a matrix used call
     * after call (ops.Linalg keeps a weight in panels for them); any m is correct.
     */
    void gemmPanels(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] panels,
                    int bOff, int width, float beta, float[] c, int cOff, int ldc);

    void gemmPanels(boolean transA, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                    double[] panels, int bOff, int width, double beta, double[] c, int cOff, int ldc);

    // ---- optimiser updates: one pass over each parameter ----------------------------------------------------

    /**
     * SGD with PyTorch's semantics: d = g + wd * p; if momentum != 0: v = first ? d : momentum * v + (1 -
     * dampening) * d, and d = nesterov ? d + momentum * v : v; p -= lr * d. {@code velocity} may be null when
     * momentum is 0.
     */
    void sgdStep(float[] p, float[] g, float[] velocity, int n, double lr, double momentum, double dampening,
                 double weightDecay, boolean nesterov, boolean first);

    void sgdStep(double[] p, double[] g, double[] velocity, int n, double lr, double momentum, double dampening,
                 double weightDecay, boolean nesterov, boolean first);

    /**
     * Adam (decoupled == false: L2 added to the gradient) or AdamW (decoupled: p *= 1 - lr * wd), step t &gt;= 1,
     * bias corrections as in PyTorch: p -= lr / (1 - beta1^t) * m / (sqrt(v / (1 - beta2^t)) + eps).
     */
    void adamStep(float[] p, float[] g, float[] m, float[] v, int n, double lr, double beta1, double beta2,
                  double eps, double weightDecay, boolean decoupled, long t);

    void adamStep(double[] p, double[] g, double[] m, double[] v, int n, double lr, double beta1, double beta2,
                  double eps, double weightDecay, boolean decoupled, long t);

    // ---- conversions ------------------------------------------------------------------------------------

    /** dst[i] = (src[i] &amp; 0xff) * scale: unsigned bytes (IDX images) to floats. */
    void bytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale);

    /** Narrowing and widening copies. */
    void convert(float[] src, int srcOff, double[] dst, int dstOff, int n);

    void convert(double[] src, int srcOff, float[] dst, int dstOff, int n);
}
