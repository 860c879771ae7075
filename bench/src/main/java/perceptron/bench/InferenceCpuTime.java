package perceptron.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.kernels.Parallel;
import perceptron.nn.Flatten;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.tensor.Tensor;

/**
 * Inference cost of d2l's MLP (784-256-10, ReLU, eval, no-grad) on one thread, as CPU time of the calling
 * thread rather than wall time: on a machine shared with other jobs, wall time counts the time the thread waited
 * for a core, CPU time only the work (cache interference from the other jobs remains). Prints the median over
 * samples of the CPU time per call, for one image (samples of 2000 calls) and a batch of 1000 (samples of 5).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/perceptron-bench.jar perceptron.bench.InferenceCpuTime
 * </pre>
 */
public final class InferenceCpuTime {
    private InferenceCpuTime() {
    }

    public static void main(String[] args) {
        Parallel.setThreads(1);
        SplittableRandom rng = new SplittableRandom(1);
        Sequential net = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Initializer.NORMAL.apply(net, rng);
        net.eval();
        Tensor one = Tensor.rand(rng, 1, 1, 28, 28);
        Tensor thousand = Tensor.rand(rng, 1000, 1, 28, 28);
        try (Autograd.Scope g = Autograd.noGrad()) {
            double oneUs = median(net, one, 2000, 30, 10);
            double batchUs = median(net, thousand, 5, 30, 10);
            System.out.printf(Locale.ROOT, "{\"predict_one_cpu_us\": %.2f, \"batch1000_cpu_us\": %.1f}%n", oneUs,
                    batchUs);
        }
    }

    /** Median over samples of the thread CPU time per call, after warm-up samples, in microseconds. */
    private static double median(Sequential net, Tensor input, int calls, int samples, int warmup) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double[] perCall = new double[samples];
        for (int s = -warmup * 20; s < samples; s++) {
            long t0 = bean.getCurrentThreadCpuTime();
            for (int c = 0; c < calls; c++) {
                net.forward(input).argmax(1);
            }
            long t1 = bean.getCurrentThreadCpuTime();
            if (s >= 0) {
                perCall[s] = (t1 - t0) / 1e3 / calls;
            }
        }
        Arrays.sort(perCall);
        return perCall[samples / 2];
    }
}
