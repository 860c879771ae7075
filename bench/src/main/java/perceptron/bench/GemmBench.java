package perceptron.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import perceptron.internal.kernels.KernelOps;
import perceptron.kernels.Parallel;
import perceptron.internal.kernels.ScalarKernels;
import perceptron.internal.kernels.VectorKernels;

/**
 * The three products of training a 784-256 layer on a batch of 256, and 1024^3.
 *
 * <p>Scores are GFLOP/s: one "operation" is a thousand floating-point operations (2 m n k / 1000 per call) and
 * the time unit is the microsecond, so ops/us = 10^9 FLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {
    /** 2 * 256 * 256 * 784 / 1000. */
    private static final int MLP_KFLOP = 102_760;
    /** 2 * 1024^3 / 1000. */
    private static final int CUBE_KFLOP = 2_147_484;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private KernelOps k;
    private float[] x;
    private float[] w;
    private float[] dy;
    private float[] y;
    private float[] dx;
    private float[] dw;
    private float[] a1024;
    private float[] b1024;
    private float[] c1024;
    private double[] xd;
    private double[] wd;
    private double[] yd;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        k = kernels.equals("vector") ? new VectorKernels() : new ScalarKernels();
        Random r = new Random(1);
        x = random(r, 256 * 784);
        w = random(r, 256 * 784);
        dy = random(r, 256 * 256);
        y = new float[256 * 256];
        dx = new float[256 * 784];
        dw = new float[256 * 784];
        a1024 = random(r, 1024 * 1024);
        b1024 = random(r, 1024 * 1024);
        c1024 = new float[1024 * 1024];
        xd = new double[x.length];
        wd = new double[w.length];
        for (int i = 0; i < x.length; i++) {
            xd[i] = x[i];
            wd[i] = w[i];
        }
        yd = new double[256 * 256];
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Linear forward: Y[256,256] = X[256,784] W[256,784]^T (W used as transB). */
    @Benchmark
    @OperationsPerInvocation(MLP_KFLOP)
    public float[] forwardXWt() {
        k.gemm(false, true, 256, 256, 784, 1f, x, 0, 784, w, 0, 784, 0f, y, 0, 256);
        return y;
    }

    /** Input gradient: dX[256,784] = dY[256,256] W[256,784]. */
    @Benchmark
    @OperationsPerInvocation(MLP_KFLOP)
    public float[] backwardDyW() {
        k.gemm(false, false, 256, 784, 256, 1f, dy, 0, 256, w, 0, 784, 0f, dx, 0, 784);
        return dx;
    }

    /** Weight gradient: dW[256,784] = dY[256,256]^T X[256,784] (dY used as transA). */
    @Benchmark
    @OperationsPerInvocation(MLP_KFLOP)
    public float[] backwardDyTX() {
        k.gemm(true, false, 256, 784, 256, 1f, dy, 0, 256, x, 0, 784, 0f, dw, 0, 784);
        return dw;
    }

    /** 1024 x 1024 x 1024, row-major, no transposes. */
    @Benchmark
    @OperationsPerInvocation(CUBE_KFLOP)
    public float[] cube1024() {
        k.gemm(false, false, 1024, 1024, 1024, 1f, a1024, 0, 1024, b1024, 0, 1024, 0f, c1024, 0, 1024);
        return c1024;
    }

    /** 2 * 784 * 256 / 1000: one row through a 784-256 layer. */
    private static final int ROW_KFLOP = 401;

    /**
     * One row by W^T read in place (transB): the kernel must pack (transpose) W to keep the batch's order of
     * summation. What a caller pays without the row-major copy that ops.Linalg keeps for weights.
     */
    @Benchmark
    @OperationsPerInvocation(ROW_KFLOP)
    public float[] oneRowXWt() {
        k.gemm(false, true, 1, 256, 784, 1f, x, 0, 784, w, 0, 784, 0f, y, 0, 256);
        return y;
    }

    /** One row by a row-major [784, 256] matrix (W^T as ops.Linalg keeps it for one-row products): no packing. */
    @Benchmark
    @OperationsPerInvocation(ROW_KFLOP)
    public float[] oneRowXB() {
        k.gemm(false, false, 1, 256, 784, 1f, x, 0, 784, w, 0, 256, 0f, y, 0, 256);
        return y;
    }

    /** The linear forward in float64 (gradcheck's type). */
    @Benchmark
    @OperationsPerInvocation(MLP_KFLOP)
    public double[] forwardXWtFloat64() {
        k.gemm(false, true, 256, 256, 784, 1.0, xd, 0, 784, wd, 0, 784, 0.0, yd, 0, 256);
        return yd;
    }
}
