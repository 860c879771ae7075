package perceptron.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.Trainer;
import perceptron.train.TrainingSettings;

/**
 * One epoch of d2l's MLP (784-256-10, SGD 0.1, batch 256) on 1 and 2 threads, with and without the data loader's
 * prefetch thread, alternating in one JVM after a warm-up epoch, so that the four settings see the same machine.
 * Prints the median and the fastest epoch of each, and the two-thread speed-up.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xms64m --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *      perceptron.bench.EpochScaling [--rounds 5] [--prefetch 1,0] [--data DIR]
 * </pre>
 */
public final class EpochScaling {
    private EpochScaling() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = 5;
        Path data = null;
        int[] prefetch = {1, 0};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                case "--prefetch" -> prefetch = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("EpochScaling: unknown option " + args[i]);
            }
        }
        FashionMnist fashion = FashionMnist.load(data);
        ModelSpec spec = new ModelSpec(new int[] {1, 28, 28}, new int[] {256}, "relu", new double[0], false, 10);
        TrainingSettings settings = new TrainingSettings(TrainingSettings.OptimizerType.SGD, 0.1, 0, 0, 256, 1,
                perceptron.nn.init.Initializer.NORMAL, 42, TrainingSettings.ScheduleType.CONSTANT, 0);
        Layer model = settings.buildModel(spec);
        Optimizer opt = settings.optimizerFor(model);
        int[] threads = {1, 2};
        List<List<Double>> seconds = new ArrayList<>();
        for (int i = 0; i < threads.length * prefetch.length; i++) {
            seconds.add(new ArrayList<>());
        }
        for (int round = -1; round < rounds; round++) {
            for (int ti = 0; ti < threads.length; ti++) {
                Parallel.setThreads(threads[ti]);
                for (int pi = 0; pi < prefetch.length; pi++) {
                    double s = epoch(fashion, model, opt, prefetch[pi], round);
                    if (round >= 0) {
                        seconds.get(ti * prefetch.length + pi).add(s);
                    }
                }
            }
        }
        for (int pi = 0; pi < prefetch.length; pi++) {
            double one = median(seconds.get(pi));
            double two = median(seconds.get(prefetch.length + pi));
            double oneMin = min(seconds.get(pi));
            double twoMin = min(seconds.get(prefetch.length + pi));
            System.out.printf(Locale.ROOT, "prefetch %d: epoch %.3f s on 1 thread, %.3f s on 2 (medians; fastest"
                    + " %.3f and %.3f); 2T speed-up %.2f%n", prefetch[pi], one, two, oneMin, twoMin, one / two);
        }
    }

    private static double epoch(FashionMnist fashion, Layer model, Optimizer opt, int prefetch, long seed) {
        try (DataLoader train = DataLoader.builder(fashion.train()).batchSize(256).shuffle(true).seed(seed)
                .prefetch(prefetch).build()) {
            Trainer trainer = Trainer.builder(model, opt).epochs(1).progress(Progress.silent()).build();
            List<EpochMetrics> history = trainer.fit(train, null);
            return history.get(0).seconds();
        }
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[s.length / 2];
    }
}
