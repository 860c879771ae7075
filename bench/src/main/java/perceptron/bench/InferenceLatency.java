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
 * Each round measures every figure once (median over 31 samples of 2000 calls, 7 of one batch); rounds
 * alternate the thread counts, so a machine that another job loads for a while spoils one round, not one
 * column. Prints one JSON line per round and thread count.
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
                    double one = median(() -> net.forward(image).argmax(1), 2000, 31);
                    double layer1 = median(() -> first.forward(row), 2000, 31);
                    double activation = median(() -> hidden.relu(), 2000, 31);
                    double layer2 = median(() -> second.forward(relu), 2000, 31);
                    double argmax = median(() -> logits.argmax(1), 2000, 31);
                    double batch = median(() -> net.forward(thousand).argmax(1), 1, 7);
                    System.out.printf(Locale.ROOT, "{\"round\": %d, \"threads\": %d, \"one_image_us\": %.2f, "
                                    + "\"linear1_us\": %.2f, \"relu_us\": %.2f, \"linear2_us\": %.2f, \"argmax_us\": %.2f, "
                                    + "\"batch1000_ms\": %.3f, \"images_per_s\": %.0f}%n", round, threads, one, layer1,
                            activation, layer2, argmax, batch / 1e3, 1000 / (batch / 1e6));
                }
            }
        }
    }

    /**
     * Median over samples of the wall time per call in microseconds, after as many warm-up samples (the first
     * round also warms the JIT up: 31 samples of 2000 calls before the first measured one).
     */
    private static double median(Runnable call, int calls, int samples) {
        double[] perCall = new double[samples];
        for (int s = -samples; s < samples; s++) {
            long t0 = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                call.run();
            }
            long t1 = System.nanoTime();
            if (s >= 0) {
                perCall[s] = (t1 - t0) / 1e3 / calls;
            }
        }
        Arrays.sort(perCall);
        return perCall[samples / 2];
    }
}
