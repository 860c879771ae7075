package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import perceptron.analysis.ActivationVarianceMonitor;
import perceptron.analysis.DeadUnitMonitor;
import perceptron.analysis.GradientNormMonitor;
import perceptron.analysis.SaturationMonitor;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.kernels.Kernels;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.plot.TrainingCurves;
import perceptron.plot.analysis.MonitorFigure;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.RunDirectory;
import perceptron.train.Trainer;
import perceptron.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code perceptron train}: with no options, d2l's MLP of section 5.2 on Fashion-MNIST (784-256-10, ReLU,
 * N(0, 0.01) weights, SGD lr 0.1, batch 256, 10 epochs). Writes runs/NAME/ with the model, its description,
 * metrics.csv, training curves and a checkpoint after every epoch; {@code --resume} continues a run.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an MLP on Fashion-MNIST. With no options: d2l's MLP (784-256-10, ReLU, "
                + "N(0, 0.01) init, SGD lr 0.1, batch 256, 10 epochs).",
                "Writes runs/NAME/: model.safetensors, model.json, metrics.csv, curves.png, curves.svg."})
public final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    /** Options that define a run: a resumed run keeps those of its model.json. */
    private static final java.util.List<String> RUN_DEFINING = java.util.List.of("--hidden", "--activation",
            "--dropout", "--batch-norm", "--optimizer", "--lr", "--momentum", "--weight-decay", "--batch-size",
            "--init", "--schedule", "--warmup", "--seed");

    @Option(names = "--hidden", split = ",", paramLabel = "W[,W...]",
            description = "widths of the hidden layers (default: 256)")
    int[] hidden = {256};

    @Option(names = "--activation", paramLabel = "NAME",
            description = "activation after each hidden layer (default: relu)")
    String activation = "relu";

    @Option(names = "--dropout", split = ",", paramLabel = "P[,P...]",
            description = "dropout probability after each hidden layer, e.g. 0.2,0.5 (default: none)")
    double[] dropout = {};

    @Option(names = "--batch-norm", description = "batch normalisation before each activation")
    boolean batchNorm;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|adamw", description = "optimizer (default: sgd)")
    String optimizer = "sgd";

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: 0.1 for sgd, 0.001 for adam)")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: 0)")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "weight decay on the weights, not the biases (default: 0)")
    double weightDecay;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: 10)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "minibatch size (default: 256)")
    int batchSize = 256;

    @Option(names = "--init", paramLabel = "normal|xavier|kaiming|default",
            description = "weight initialisation (default: normal, N(0, 0.01) as d2l)")
    String init = "normal";

    @Option(names = "--schedule", paramLabel = "constant|cosine|step",
            description = "learning-rate schedule (default: constant)")
    String schedule = "constant";

    @Option(names = "--warmup", paramLabel = "EPOCHS", description = "linear learning-rate warm-up (default: 0)")
    double warmup;

    @Option(names = "--seed", paramLabel = "N", description = "seed for initialisation, shuffling, dropout (default: 42)")
    long seed = 42;

    @Option(names = "--threads", paramLabel = "N", description = "threads for the kernels (default: all cores)")
    Integer threads;

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/mlp-DATE-TIME)")
    Path out;

    @Option(names = "--monitors", description = "watch inside the network: dead ReLU units, saturated sigmoid/tanh "
            + "units, gradient norms and activation variances per layer and epoch (tables, and figures in the run)")
    boolean monitors;

    @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "continue the run in DIR (or --out) from its last checkpoint; --epochs N extends it")
    String resume;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train through Spark: local[N] or spark://host:port (docs/spark.md)")
    String spark;

    @Option(names = "--partitions", paramLabel = "N", description = "data-parallel partitions with --spark")
    int partitions;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        if (threads != null) {
            if (threads < 1) {
                throw new UserException("--threads must be at least 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        RunDirectory run;
        ModelSpec spec;
        TrainingSettings settings;
        int firstEpoch = 1;
        long step = 0;
        List<EpochMetrics> history = new ArrayList<>();
        if (resume != null) {
            for (String option : RUN_DEFINING) {
                if (commandSpec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new UserException(option + " cannot change a resumed run: it continues with the settings "
                            + "in its model.json (only --epochs, --threads and --data apply); start a new run instead");
                }
            }
            Path dir = !resume.isEmpty() ? Path.of(resume) : out;
            if (dir == null) {
                throw new UserException("--resume needs the run directory: --resume runs/NAME");
            }
            run = new RunDirectory(dir);
            RunDirectory.Description d = run.readDescription();
            spec = d.spec();
            settings = epochs == null ? d.settings() : d.settings().withEpochs(epochs);
            history.addAll(run.readMetrics());
        } else {
            run = new RunDirectory(out != null ? out : newRunName());
            if (run.exists()) {
                throw new UserException(run.path() + " already holds a run; continue it with --resume "
                        + run.path() + ", or choose another --out");
            }
            if (momentum != 0 && !optimizer.equalsIgnoreCase("sgd")) {
                throw new UserException("--momentum applies to sgd; " + optimizer + " has its own moment estimates");
            }
            spec = new ModelSpec(new int[] {1, 28, 28}, hidden, activation, dropout, batchNorm, 10);
            double rate = lr != null ? lr : (optimizer.toLowerCase(Locale.ROOT).equals("sgd") ? 0.1 : 0.001);
            settings = new TrainingSettings(optimizer, rate, momentum, weightDecay, batchSize,
                    epochs == null ? 10 : epochs, init, seed, schedule, warmup);
        }

        if (spark != null) {
            return SparkTraining.run(spark, partitions, resume != null, spec, settings, data, run.path());
        }
        FashionMnist fashion = FashionMnist.load(data);
        Layer model = settings.buildModel(spec);
        Optimizer opt = settings.optimizerFor(model);
        if (resume != null) {
            RunDirectory.Resumed r = run.restoreLatest(model, opt);
            firstEpoch = r.epoch() + 1;
            step = r.step();
            // Metrics of epochs after the checkpoint (a crash between the two writes) are dropped.
            history.removeIf(m -> m.epoch() > r.epoch());
        }
        Files.createDirectories(run.path());

        o.printf(Locale.ROOT, "data: Fashion-MNIST from %s (%,d training and %,d test images)%n",
                fashion.directory(), fashion.train().size(), fashion.test().size());
        o.printf(Locale.ROOT, "model: %s, %,d parameters%n", spec, model.parameterCount());
        o.printf(Locale.ROOT, "training: %s lr %s%s%s, batch %d, %d epoch%s, init %s, seed %d, %s schedule; "
                        + "%s kernels on %d thread%s%n",
                settings.optimizer(), num(settings.lr()), settings.momentum() > 0 ? ", momentum " + num(settings.momentum()) : "",
                settings.weightDecay() > 0 ? ", weight decay " + num(settings.weightDecay()) : "",
                settings.batchSize(), settings.epochs(), settings.epochs() == 1 ? "" : "s", settings.init(),
                settings.seed(), settings.schedule(),
                Kernels.get().name(), Parallel.threads(), Parallel.threads() == 1 ? "" : "s");
        if (resume != null) {
            o.printf("resuming %s after epoch %d%n", run.path(), firstEpoch - 1);
        }
        if (firstEpoch > settings.epochs()) {
            o.printf("nothing to do: the run already has %d epochs (use --epochs N to extend it)%n",
                    firstEpoch - 1);
            return 0;
        }

        TrainingCurves curves = new TrainingCurves("epoch", "train loss", "train acc", "test acc")
                .xlim(1, Math.max(settings.epochs(), 2));
        for (EpochMetrics m : history) {
            curves.add(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.testAccuracy());
        }
        Path curvesBase = run.file("curves");
        DeadUnitMonitor dead = new DeadUnitMonitor();
        SaturationMonitor saturation = new SaturationMonitor();
        GradientNormMonitor gradients = new GradientNormMonitor();
        ActivationVarianceMonitor variances = new ActivationVarianceMonitor();
        try (DataLoader train = DataLoader.builder(fashion.train()).batchSize(settings.batchSize()).shuffle(true)
                .seed(settings.seed()).build();
             DataLoader test = DataLoader.sequential(fashion.test(), 1000)) {
            Trainer.Builder builder = Trainer.builder(model, opt);
            if (monitors) {
                builder.callback(dead).callback(saturation).callback(gradients).callback(variances);
            }
            Trainer trainer = builder
                    .epochs(settings.epochs())
                    .schedule(settings.lrSchedule())
                    .progress(Progress.console(settings.epochs()))
                    .checkpointer((epoch, s, m) -> {
                        history.add(m);
                        run.saveCheckpoint(model, opt, spec, settings, epoch, s, history);
                        curves.add(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.testAccuracy());
                        curves.save(curvesBase);
                    })
                    .build();
            trainer.fit(train, test, firstEpoch, step);
        }
        if (monitors) {
            writeMonitors(run, dead, saturation, gradients, variances);
        }
        EpochMetrics last = history.get(history.size() - 1);
        o.printf(Locale.ROOT, "test accuracy %.4f after %d epoch%s%n", last.testAccuracy(), last.epoch(),
                last.epoch() == 1 ? "" : "s");
        o.printf("saved %s: %s, %s, %s, curves.png, curves.svg%n", run.path(), RunDirectory.MODEL,
                RunDirectory.DESCRIPTION, RunDirectory.METRICS);
        return 0;
    }

    private static void writeMonitors(RunDirectory run, DeadUnitMonitor dead, SaturationMonitor saturation,
                                      GradientNormMonitor gradients, ActivationVarianceMonitor variances)
            throws IOException {
        PrintStream o = System.out;
        o.println();
        if (!dead.rows().isEmpty()) {
            o.println("dead ReLU units (never active in an epoch):");
            o.print(dead.table());
            MonitorFigure.save(MonitorFigure.deadUnits(dead.rows()), run.file("monitor-dead-units.png"));
        }
        if (!saturation.rows().isEmpty()) {
            o.println("saturated sigmoid/tanh units:");
            o.print(saturation.table());
            MonitorFigure.save(MonitorFigure.saturation(saturation.rows()), run.file("monitor-saturation.png"));
        }
        o.println("gradient norms of the weights, per layer:");
        o.print(gradients.table());
        MonitorFigure.save(MonitorFigure.gradientNorms(gradients.rows()), run.file("monitor-gradient-norms.png"));
        o.println("activation variances, per layer:");
        o.print(variances.table());
        MonitorFigure.save(MonitorFigure.variances(variances.rows()), run.file("monitor-activation-variances.png"));
        o.printf("wrote the monitor figures to %s (monitor-*.png)%n", run.path());
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
    }

    private static Path newRunName() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = Path.of("runs", "mlp-" + stamp);
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("runs", "mlp-" + stamp + "-" + i);
        }
        return p;
    }
}
