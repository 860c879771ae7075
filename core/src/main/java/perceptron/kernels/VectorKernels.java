package perceptron.kernels;

/**
 * The fast kernels: SIMD through {@code jdk.incubator.vector}, loaded reflectively by {@link KernelSelection}
 * only when that module is present. Every operation not overridden here, including enum constants added later,
 * falls through to {@link ScalarKernels}, the reference these are tested against.
 */
public final class VectorKernels extends ScalarKernels {

    /** Public and without arguments: {@link KernelSelection} creates it by reflection. */
    public VectorKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String toString() {
        return "vector (" + FloatGemm.NR / 2 * 32 + "-bit)";
    }

    // ---- matrix products ------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        FloatGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                     int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        DoubleGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
