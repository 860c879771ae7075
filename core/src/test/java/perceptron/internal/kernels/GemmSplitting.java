package perceptron.internal.kernels;

import perceptron.kernels.Kernels;

/** For tests outside this package: whether a float GEMM is split into tasks that Parallel spreads over threads. */
public final class GemmSplitting {
    private GemmSplitting() {
    }

    /**
     * True if {@code C[m x n] = A[m x k] B[k x n]} takes FloatGemm's parallel path (the vector kernels' GEMM):
     * enough multiply-adds, and more rows than the few-rows path handles.
     */
    public static boolean splits(int m, int n, int k) {
        return Kernels.get().name().equals("vector") && m > FloatGemm.FEW_ROWS
                && (long) m * n * k >= FloatGemm.PARALLEL_WORK;
    }
}
