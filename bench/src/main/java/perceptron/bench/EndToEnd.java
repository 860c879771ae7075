package perceptron.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import perceptron.autograd.Autograd;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.kernels.Kernels;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.Trainer;
import perceptron.train.TrainingSettings;
import perceptron.train.JitWarmup;

/**
 * The end-to-end benchmark of the issue: d2l's MLP (784-256-10, ReLU, SGD lr 0.1, batch 256) on Fashion-MNIST,
 * through the same Trainer that {@code perceptron train} uses.
 *
 * <p>Prints seconds per epoch (training only: evaluation runs after the timed epochs), first epoch and median of
 * the rest, test accuracy, bytes allocated per training step in steady state (epochs after the first, on the
 * training thread), peak RSS, and the latency of predicting one image. One JSON line at the end for scripts.
 * Like {@code perceptron train}, it runs the {@link JitWarmup} while the data loads ({@code --no-jit-warmup}: without).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/perceptron-bench.jar perceptron.bench.EndToEnd \
 *      [--epochs 10] [--threads N] [--data DIR] [--hidden 256] [--seed 42] [--no-jit-warmup]
 * </pre>
 */
public final class EndToEnd {
    private EndToEnd() {
    }

    public static void main(String[] args) throws IOException {
        int epochs = 10;
        Integer threads = null;
        Path data = null;
        int[] hidden = {256};
        long seed = 42;
        boolean warm = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--threads": threads = Integer.parseInt(args[++i]); break;
                case "--data": data = Path.of(args[++i]); break;
                case "--hidden": hidden = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                case "--no-jit-warmup": warm = false; break;
                default:
                    System.err.println("EndToEnd: unknown option " + args[i]
                            + " (--epochs N, --threads N, --data DIR, --hidden W[,W], --seed N, --no-jit-warmup)");
                    System.exit(2);
            }
        }
        if (threads != null) {
            Parallel.setThreads(threads);
        }
        ModelSpec spec = new ModelSpec(new int[] {1, 28, 28}, hidden, "relu", new double[0], false, 10);
        TrainingSettings settings = new TrainingSettings(TrainingSettings.OptimizerType.SGD, 0.1, 0, 0, 256, epochs,
                perceptron.nn.init.Initializer.NORMAL, seed, TrainingSettings.ScheduleType.CONSTANT, 0);
        JitWarmup warmup = warm ? JitWarmup.start(spec, settings) : null;   // as perceptron train: while the data loads
        FashionMnist fashion = FashionMnist.load(data);
        Layer model = settings.buildModel(spec);
        Optimizer opt = settings.optimizerFor(model);
        if (warmup != null) {
            warmup.await();
        }
        AllocationMeter meter = new AllocationMeter();
        List<EpochMetrics> history;
        try (DataLoader train = DataLoader.builder(fashion.train()).batchSize(256).shuffle(true).seed(seed).build()) {
            Trainer trainer = Trainer.builder(model, opt).epochs(epochs).progress(Progress.silent()).callback(meter)
                    .build();
            history = trainer.fit(train, null);
        }
        double testAccuracy;
        try (DataLoader test = DataLoader.sequential(fashion.test(), 1000)) {
            Trainer evaluator = Trainer.builder(model, opt).progress(Progress.silent()).build();
            testAccuracy = evaluator.accuracy(test);
        }
        double[] seconds = history.stream().mapToDouble(EpochMetrics::seconds).toArray();
        double first = seconds[0];
        double median = median(Arrays.copyOfRange(seconds, Math.min(1, seconds.length - 1), seconds.length));
        double latencyMicros = predictionLatency(model);
        long rssMb = peakRssMb();

        System.out.printf(Locale.ROOT, "perceptron (Java %s, %s kernels, %d thread%s), d2l MLP %s, batch 256%n",
                Runtime.version(), Kernels.get().name(), Parallel.threads(), Parallel.threads() == 1 ? "" : "s",
                Arrays.toString(hidden));
        for (EpochMetrics m : history) {
            System.out.printf(Locale.ROOT, "epoch %d  train loss %.4f  train acc %.4f  %.3f s%n", m.epoch(),
                    m.trainLoss(), m.trainAccuracy(), m.seconds());
        }
        System.out.printf(Locale.ROOT, "first epoch %.3f s, median of the rest %.3f s, test acc %.4f%n", first, median,
                testAccuracy);
        System.out.printf(Locale.ROOT, "allocated per step (steady state): %,d bytes; peak RSS %d MB; "
                + "predict one image: %.1f us%n", meter.bytesPerStep(), rssMb, latencyMicros);
        System.out.printf(Locale.ROOT, "{\"framework\": \"perceptron\", \"threads\": %d, \"kernels\": \"%s\", "
                        + "\"first_epoch_s\": %.4f, \"median_epoch_s\": %.4f, \"test_acc\": %.4f, "
                        + "\"bytes_per_step\": %d, \"peak_rss_mb\": %d, \"predict_us\": %.2f, "
                        + "\"cpu_epoch_s\": %.4f}%n",
                Parallel.threads(), Kernels.get().name(), first, median, testAccuracy, meter.bytesPerStep(), rssMb,
                latencyMicros, meter.medianCpuSeconds());
    }

    /**
     * Bytes the training thread allocates per step, measured over every epoch after the first; and the CPU time
     * of the whole process per epoch (all threads, spinning included), which a machine shared with other jobs
     * disturbs far less than the wall time.
     */
    private static final class AllocationMeter implements Callback {
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final List<Double> cpuSeconds = new java.util.ArrayList<>();
        private long cpuStart;
        private long start = -1;
        private long steps;
        private long bytes;

        @Override
        public void onEpochStart(int epoch) {
            start = epoch >= 2 ? threads.getCurrentThreadAllocatedBytes() : -1;
            cpuStart = os.getProcessCpuTime();
        }

        @Override
        public void afterBackward(Layer model, int epoch, long step) {
            if (start >= 0) {
                steps++;
            }
        }

        @Override
        public boolean onEpochEnd(Layer model, EpochMetrics metrics) {
            if (start >= 0) {
                bytes += threads.getCurrentThreadAllocatedBytes() - start;
            }
            cpuSeconds.add((os.getProcessCpuTime() - cpuStart) / 1e9);
            return false;
        }

        /** Median CPU seconds of the epochs after the first (the first when there is only one). */
        double medianCpuSeconds() {
            double[] c = cpuSeconds.stream().mapToDouble(Double::doubleValue).toArray();
            return median(Arrays.copyOfRange(c, Math.min(1, c.length - 1), c.length));
        }

        long bytesPerStep() {
            return steps == 0 ? -1 : bytes / steps;
        }
    }

    /** Median time of one forward pass on one image, after warm-up, in microseconds. */
    private static double predictionLatency(Layer model) {
        model.eval();
        Tensor image = Tensor.rand(new java.util.SplittableRandom(1), 1, 1, 28, 28);
        double[] times = new double[2000];
        try (Autograd.Scope g = Autograd.noGrad()) {
            for (int i = 0; i < 20_000; i++) {
                model.forward(image).argmax(1);
            }
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                model.forward(image).argmax(1);
                times[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        return median(times);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** VmHWM from /proc/self/status (Linux), in MB; -1 elsewhere. */
    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
