package perceptron.internal.kernels;

/**
 * A copy of a matrix op(B) of shape [k, n] laid out for products of one or two rows by it
 * ({@link KernelOps#gemmPanels}): the columns are cut into panels of {@code width} columns, and panel q (columns
 * q width to min(n, (q + 1) width) - 1) is a row-major [k, w] block at offset q k width, w being its own width
 * (the last panel may be narrower; nothing is padded, the copy has k n elements).
 *
 * <p>Why: such a product reads all of B once per call. In panels, a thread that computes a block of whole
 * panels reads one contiguous piece of memory from start to end, which the prefetchers follow and which, being
 * contiguous, can stay in the core's L2 from one call to the next (bench/RESULTS.md, "One image").
 */
public final class ColumnPanels {
    private ColumnPanels() {
    }

    /** Offset of panel q in the copy. */
    static int offset(int q, int k, int width) {
        return q * k * width;
    }

    /**
     * op(B) in panels of {@code width} columns; B row-major with leading dimension {@code ldb}, stored [n, k]
     * when {@code transB} (a Linear layer's weight [out, in], of which x W^T needs the transpose).
     */
    public static float[] pack(boolean transB, float[] b, int bOff, int ldb, int k, int n, int width) {
        int[] from = sources(transB, bOff, ldb, k, n, width);
        float[] dst = new float[from.length];
        for (int i = 0; i < from.length; i++) {
            dst[i] = b[from[i]];
        }
        return dst;
    }

    /** {@link #pack(boolean, float[], int, int, int, int, int)} in float64. */
    public static double[] pack(boolean transB, double[] b, int bOff, int ldb, int k, int n, int width) {
        int[] from = sources(transB, bOff, ldb, k, n, width);
        double[] dst = new double[from.length];
        for (int i = 0; i < from.length; i++) {
            dst[i] = b[from[i]];
        }
        return dst;
    }

    /** For each element of the copy, its index in B. */
    private static int[] sources(boolean transB, int bOff, int ldb, int k, int n, int width) {
        if (width < 1) {
            throw new IllegalArgumentException("column panels: width must be >= 1, got " + width);
        }
        int[] from = new int[k * n];
        for (int q = 0, j0 = 0; j0 < n; q++, j0 += width) {
            int w = Math.min(width, n - j0);
            int base = offset(q, k, width);
            for (int p = 0; p < k; p++) {
                for (int jj = 0; jj < w; jj++) {
                    from[base + p * w + jj] = transB ? bOff + (j0 + jj) * ldb + p : bOff + p * ldb + j0 + jj;
                }
            }
        }
        return from;
    }
}
