package perceptron.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.Trainer;
import perceptron.train.TrainingSettings;
import perceptron.train.JitWarmup;

/**
 * Where the first epoch's time goes: a timeline of d2l's MLP training (the order of {@code perceptron train}),
 * with the JVM's uptime at each phase and the steps of the first epoch in groups of 10, with or without the
 * {@link JitWarmup}. Run it with {@code -Xlog:jit+compilation=debug:file=c.log:uptime} to line the steps up with
 * the compilations.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xms64m -cp bench/target/benchmarks.jar \
 *      perceptron.bench.WarmupProbe [--warmup on|off] [--epochs 3] [--threads 2] [--data DIR]
 * </pre>
 */
public final class WarmupProbe {
    private WarmupProbe() {
    }

    private static double uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
    }

    public static void main(String[] args) throws IOException {
        double entered = uptime();
        boolean warm = true;
        int epochs = 3;
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup": warm = args[++i].equals("on"); break;
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                case "--threads": Parallel.setThreads(Integer.parseInt(args[++i])); break;
                case "--data": data = Path.of(args[++i]); break;
                default:
                    System.err.println("WarmupProbe: unknown option " + args[i]
                            + " (--warmup on|off, --epochs N, --threads N, --data DIR)");
                    System.exit(2);
            }
        }
        ModelSpec spec = ModelSpec.d2lMlp();
        TrainingSettings settings = TrainingSettings.d2l().withEpochs(epochs);
        JitWarmup warmup = warm ? JitWarmup.start(spec, settings) : null;
        double started = uptime();
        FashionMnist fashion = FashionMnist.load(data);
        double loaded = uptime();
        Layer model = settings.buildModel(spec);
        Optimizer opt = settings.optimizerFor(model);
        double built = uptime();
        int warmSteps = warmup != null ? warmup.await() : 0;
        double stopped = uptime();
        List<String> groups = new ArrayList<>();
        long[] last = {System.nanoTime()};
        Callback timeline = new Callback() {
            @Override
            public void afterStep(int epoch, int batch, int batches, double loss) {
                if (epoch == 1 && (batch % 10 == 0 || batch == batches)) {
                    long now = System.nanoTime();
                    groups.add(String.format(Locale.ROOT, "%.0f", (now - last[0]) / 1e6));
                    last[0] = now;
                }
            }
        };
        List<EpochMetrics> history;
        try (DataLoader train = DataLoader.builder(fashion.train()).batchSize(256).shuffle(true).seed(settings.seed())
                .build();
             DataLoader test = DataLoader.sequential(fashion.test(), 1000)) {
            Trainer trainer = Trainer.builder(model, opt).epochs(epochs).progress(Progress.silent())
                    .callback(timeline).build();
            last[0] = System.nanoTime();
            history = trainer.fit(train, test);
        }
        double ended = uptime();
        System.out.printf(Locale.ROOT, "warm-up %s, %d threads; JVM uptime (s): main %.2f, warm-up started %.2f, "
                        + "data loaded %.2f, model built %.2f, warm-up ended %.2f (%d steps), end %.2f%n",
                warm ? "on" : "off", Parallel.threads(), entered, started, loaded, built, stopped, warmSteps, ended);
        System.out.println("first epoch, ms per 10 steps: " + String.join(" ", groups));
        StringBuilder epochsLine = new StringBuilder("epochs (s, evaluation included):");
        for (EpochMetrics m : history) {
            epochsLine.append(String.format(Locale.ROOT, " %.2f", m.seconds()));
        }
        System.out.println(epochsLine + String.format(Locale.ROOT, "; test acc %.4f",
                history.get(history.size() - 1).testAccuracy()));
    }
}
