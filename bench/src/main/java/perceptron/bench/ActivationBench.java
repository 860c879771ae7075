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
import perceptron.internal.kernels.UnaryOp;
import perceptron.internal.kernels.VectorKernels;

/**
 * The smooth activations and their derivatives on a [256, 256] hidden layer (a batch of 256), vector against the
 * scalar reference. Score: elements per nanosecond (one op = one element), so the ratio of two rows is the
 * speed-up. A training step of a 784-256-10 MLP applies the activation once forward and its derivative once
 * backward to these 65,536 elements.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
public class ActivationBench {
    private static final int N = 256 * 256;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"GELU", "GELU_DERIVATIVE", "SILU", "SILU_DERIVATIVE", "MISH", "MISH_DERIVATIVE", "ELU",
            "ELU_DERIVATIVE", "SOFTPLUS"})
    public UnaryOp op;

    @Param({"1"})
    public int threads;

    private KernelOps k;
    private float[] x;
    private float[] out;
    private double p;
    private double q;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        k = kernels.equals("vector") ? new VectorKernels() : new ScalarKernels();
        Random r = new Random(1);
        x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        out = new float[N];
        p = 1;
        q = op == UnaryOp.SOFTPLUS ? 20 : 1;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] activation() {
        k.unary(op, p, q, x, 0, out, 0, N);
        return out;
    }
}
