package perceptron.bench;

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
 * Wall time of inference with d2l's MLP (784-256-10, ReLU, eval, no-grad), calls back to back, on 1 and 2
 * threads: one image (and where its time goes: the first layer, ReLU, the second layer, argmax, each timed
 * alone on the tensors of a real call) and a batch of 1000 (images per second). Uses the public API only, so the
 * same class runs against the classes of an older build for a before/after comparison:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC \
 *      -cp bench/target/classes:core/target/classes perceptron.bench.InferenceLatency [rounds]
 * </pre>
 *
 * Each round measures every figure once: each call is timed alone (System.nanoTime around it, ~25 ns), 20,000
 * calls after as many for warm-up, and the median (and 90th and 99th percentile for one image) is printed; a
 * batch of 1000 takes the median of 7 calls. Per-call percentiles rather than a mean: on a machine shared with
 * other jobs, a worker that the OS deschedules in the middle of a task makes a few calls wait milliseconds, which
 * a mean over many calls spreads onto all of them. Rounds alternate the thread counts. Prints one JSON line per
 * round and thread count.
 */
public final class InferenceLatency {
    private InferenceLatency() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        SplittableRandom rng = new SplittableRandom(1);
        Linear first = new Linear(784, 256);
        Linear second = new Linear(256, 10);
        Sequential net = new Sequential(new Flatten(), first, new ReLU(), second);
        Initializer.NORMAL.apply(net, rng);
        net.eval();
        Tensor image = Tensor.rand(rng, 1, 1, 28, 28);
        Tensor row = image.reshape(1, 784);
        Tensor thousand = Tensor.rand(rng, 1000, 1, 28, 28);
        try (Autograd.Scope g = Autograd.noGrad()) {
            Tensor hidden = first.forward(row);
            Tensor relu = hidden.relu();
            Tensor logits = second.forward(relu);
            for (int round = 0; round < rounds; round++) {
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    double[] one = percentiles(() -> net.forward(image).argmax(1), 20_000);
                    double layer1 = percentiles(() -> first.forward(row), 20_000)[0];
                    double activation = percentiles(() -> hidden.relu(), 20_000)[0];
                    double layer2 = percentiles(() -> second.forward(relu), 20_000)[0];
                    double argmax = percentiles(() -> logits.argmax(1), 20_000)[0];
                    double batch = percentiles(() -> net.forward(thousand).argmax(1), 7)[0];
                    System.out.printf(Locale.ROOT, "{\"round\": %d, \"threads\": %d, \"one_image_us\": %.2f, "
                                    + "\"one_image_p90_us\": %.2f, \"one_image_p99_us\": %.2f, \"linear1_us\": %.2f, "
                                    + "\"relu_us\": %.2f, \"linear2_us\": %.2f, \"argmax_us\": %.2f, \"batch1000_ms\": %.3f, "
                                    + "\"images_per_s\": %.0f}%n", round, threads, one[0], one[1], one[2], layer1,
                            activation, layer2, argmax, batch / 1e3, 1000 / (batch / 1e6));
                }
            }
        }
    }

    /** Median, 90th and 99th percentile of the wall time of one call in microseconds, after as many warm-up calls. */
    private static double[] percentiles(Runnable call, int calls) {
        double[] t = new double[calls];
        for (int c = -calls; c < calls; c++) {
            long t0 = System.nanoTime();
            call.run();
            long t1 = System.nanoTime();
            if (c >= 0) {
                t[c] = (t1 - t0) / 1e3;
            }
        }
        Arrays.sort(t);
        return new double[] {t[calls / 2], t[calls * 9 / 10], t[calls * 99 / 100]};
    }
}
