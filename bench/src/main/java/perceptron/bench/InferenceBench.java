package perceptron.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import perceptron.autograd.Autograd;
import perceptron.kernels.Parallel;
import perceptron.nn.Flatten;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.tensor.Tensor;

/**
 * Inference with d2l's MLP (784-256-10, ReLU) in eval mode under no-grad: one image, and a batch of 1000 (the
 * Trainer's evaluation batch). Microseconds per call (average time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class InferenceBench {
    @Param({"1", "2"})
    public int threads;

    private Sequential net;
    private Tensor one;
    private Tensor thousand;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        SplittableRandom rng = new SplittableRandom(1);
        net = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Initializer.NORMAL.apply(net, rng);
        net.eval();
        one = Tensor.rand(rng, 1, 1, 28, 28);
        thousand = Tensor.rand(rng, 1000, 1, 28, 28);
    }

    @Benchmark
    public Tensor predictOne() {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return net.forward(one).argmax(1);
        }
    }

    @Benchmark
    public Tensor predictBatch1000() {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return net.forward(thousand).argmax(1);
        }
    }
}
