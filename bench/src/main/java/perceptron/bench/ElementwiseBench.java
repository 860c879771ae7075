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
import perceptron.internal.kernels.BinaryOp;
import perceptron.internal.kernels.KernelOps;
import perceptron.kernels.Parallel;
import perceptron.internal.kernels.ReduceOp;
import perceptron.internal.kernels.ScalarKernels;
import perceptron.internal.kernels.UnaryOp;
import perceptron.internal.kernels.VectorKernels;

/**
 * Elementwise ops, rows and reductions at the sizes of a 784-256-256-10 MLP on a batch of 256: hidden activations
 * [256, 256] (65,536 floats), logits [256, 10].
 *
 * <p>Scores are GB/s of the arrays each call reads and writes: one "operation" is a byte and the time unit the
 * nanosecond, so ops/ns = 10^9 B/s. A unary op moves 8 bytes per element, a binary op 12, a sum 4.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ElementwiseBench {
    private static final int N = 256 * 256;
    private static final int UNARY_BYTES = 8 * N;
    private static final int BINARY_BYTES = 12 * N;
    private static final int SUM_BYTES = 4 * N;
    /** Softmax of [256, 10] logits: read and write 2560 floats. */
    private static final int SOFTMAX_BYTES = 8 * 256 * 10;
    /** Softmax of [256, 784] rows. */
    private static final int SOFTMAX_WIDE_BYTES = 8 * 256 * 784;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private KernelOps k;
    private float[] x;
    private float[] y;
    private float[] out;
    private float[] bias;
    private float[] columnSums;
    private float[] logits;
    private float[] probs;
    private float[] wide;
    private float[] wideOut;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        k = kernels.equals("vector") ? new VectorKernels() : new ScalarKernels();
        Random r = new Random(1);
        x = random(r, N);
        y = random(r, N);
        out = new float[N];
        bias = random(r, 256);
        columnSums = new float[256];
        logits = random(r, 256 * 10);
        probs = new float[256 * 10];
        wide = random(r, 256 * 784);
        wideOut = new float[256 * 784];
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Benchmark
    @OperationsPerInvocation(UNARY_BYTES)
    public float[] relu() {
        k.unary(UnaryOp.RELU, 0, 0, x, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(UNARY_BYTES)
    public float[] sigmoid() {
        k.unary(UnaryOp.SIGMOID, 0, 0, x, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(UNARY_BYTES)
    public float[] tanh() {
        k.unary(UnaryOp.TANH, 0, 0, x, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(UNARY_BYTES)
    public float[] exp() {
        k.unary(UnaryOp.EXP, 0, 0, x, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(UNARY_BYTES)
    public float[] mulScalar() {
        k.unary(UnaryOp.MUL_SCALAR, 0.5, 0, x, 0, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BINARY_BYTES)
    public float[] add() {
        k.binary(BinaryOp.ADD, x, 0, 1, y, 0, 1, out, 0, N);
        return out;
    }

    /** [256, 256] + bias [256], as the broadcast driver calls it: one kernel call per row. */
    @Benchmark
    @OperationsPerInvocation(BINARY_BYTES)
    public float[] biasAddByRows() {
        for (int r = 0; r < 256; r++) {
            k.binary(BinaryOp.ADD, x, r * 256, 1, bias, 0, 1, out, r * 256, 256);
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BINARY_BYTES)
    public float[] reluBackward() {
        k.binary(BinaryOp.RELU_BACKWARD, x, 0, 1, y, 0, 1, out, 0, N);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(SUM_BYTES)
    public double sum() {
        return k.sum(x, 0, N);
    }

    /** Column sums of [256, 256]: the bias gradient. */
    @Benchmark
    @OperationsPerInvocation(SUM_BYTES)
    public float[] columnSum() {
        k.reduce(ReduceOp.SUM, x, 0, 1, 256, 256, columnSums, 0);
        return columnSums;
    }

    @Benchmark
    @OperationsPerInvocation(SOFTMAX_BYTES)
    public float[] softmaxLogits() {
        k.softmax(false, logits, 0, 256, 10, probs, 0);
        return probs;
    }

    @Benchmark
    @OperationsPerInvocation(SOFTMAX_WIDE_BYTES)
    public float[] softmaxWide() {
        k.softmax(false, wide, 0, 256, 784, wideOut, 0);
        return wideOut;
    }
}
