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
import perceptron.cli.experiments.DashboardServer;
import perceptron.data.Csv;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.data.FashionMnist;
import perceptron.kernels.Kernels;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.plot.analysis.MonitorFigure;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.RunDirectory;
import perceptron.train.Trainer;
import perceptron.train.JitWarmup;
import perceptron.train.TrainingSettings;
import perceptron.data.ValidationSplit;
import perceptron.nn.init.Initializer;
import perceptron.train.BestEpoch;
import perceptron.train.EarlyStopping;
import perceptron.train.TrainingSettings.OptimizerType;
import perceptron.train.TrainingSettings.ScheduleType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code perceptron train}: with no options, d2l's MLP of section 5.2 on Fashion-MNIST (784-256-10, ReLU,
 * N(0, 0.01) weights, SGD lr 0.1, batch 256, 10 epochs). Writes runs/NAME/ with the model, its description,
 * metrics.csv and a checkpoint after every epoch, the training curves at most every 10 s and at the end;
 * {@code --resume} continues a run.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an MLP on Fashion-MNIST. With no options: d2l's MLP (784-256-10, ReLU, "
                + "N(0, 0.01) init, SGD lr 0.1, batch 256, 10 epochs).",
                "With --csv FILE --target COLUMN: a regression on a table, as d2l 5.7 (default: linear, SGD lr 0.01, "
                        + "batch 64).",
                "Writes runs/NAME/: model.safetensors, model.json, metrics.csv, curves.png, curves.svg."})
public final class TrainCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    /** The options that define a run: stored in its model.json, so a resumed run cannot change them. */
    @Mixin(name = "run")
    RunOptions runOptions = new RunOptions();

    static final class RunOptions {
        @Option(names = "--hidden", split = ",", paramLabel = "W[,W...]",
                description = "widths of the hidden layers (default: 256)")
        int[] hidden = {256};

        @Option(names = "--activation", paramLabel = "NAME",
                description = "activation after each hidden layer (default: relu)")
        String activation = "relu";

        @Option(names = "--dropout", split = ",", paramLabel = "P[,P...]",
                description = "dropout probability after each hidden layer, e.g. 0.5,0.5 (default: none)")
        double[] dropout = {};

        @Option(names = "--batch-norm", description = "batch normalisation before each activation")
        boolean batchNorm;

        @Option(names = "--optimizer", paramLabel = "sgd|adam|adamw", description = "optimizer (default: sgd)")
        OptimizerType optimizer = OptimizerType.SGD;

        @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: 0.1 for sgd, 0.001 for adam)")
        Double lr;

        @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default: 0)")
        double momentum;

        @Option(names = "--weight-decay", paramLabel = "WD",
                description = "weight decay on the weights, not the biases (default: 0)")
        double weightDecay;

            @Option(names = "--batch-size", paramLabel = "N", description = "minibatch size (default: 256)")
        int batchSize = 256;

        @Option(names = "--init", paramLabel = "normal|xavier|kaiming|default|constant",
                description = "weight initialisation (default: normal, N(0, 0.01) as d2l; constant: every weight 0.01)")
        Initializer init = Initializer.NORMAL;

        @Option(names = "--schedule", paramLabel = "constant|cosine|step",
                description = "learning-rate schedule (default: constant)")
        ScheduleType schedule = ScheduleType.CONSTANT;

        @Option(names = "--warmup", paramLabel = "EPOCHS", description = "linear learning-rate warm-up (default: 0)")
        double warmup;

        @Option(names = "--seed", paramLabel = "N",
                description = "seed for initialisation, shuffling, dropout and the validation split (default: 42)")
        long seed = 42;

        @Option(names = "--validation", paramLabel = "FRACTION",
                description = "hold out this fraction of the training set (stratified by class, seeded) to validate "
                        + "on, keep the best epoch and stop early (default: 0, the book's setting: no validation "
                        + "set; the test set is measured)")
        double validation;

        @Option(names = "--early-stopping", paramLabel = "PATIENCE",
                description = "stop when the validation metric has not improved for PATIENCE epochs (needs "
                        + "--validation)")
        int earlyStopping;

        @Option(names = "--clip-grad-norm", paramLabel = "MAX",
                description = "scale the gradients down to a global norm of at most MAX before each step")
        double clipGradNorm;

        /** The settings these options give, with {@code epochs} epochs. */
        TrainingSettings settings(int epochs) {
            if (momentum != 0 && optimizer != OptimizerType.SGD) {
                throw new UserException("--momentum applies to sgd; " + optimizer + " has its own moment estimates");
            }
            if (earlyStopping > 0 && validation == 0) {
                throw new UserException("--early-stopping watches a validation set: add --validation FRACTION (e.g. "
                        + "0.1); stopping on the test set would select the model on the test set");
            }
            if (!(validation >= 0 && validation < 1)) {
                throw new UserException("--validation must be a fraction in [0, 1), e.g. 0.1; got " + validation);
            }
            return new TrainingSettings(optimizer, lr != null ? lr : optimizer.defaultLearningRate(), momentum,
                    weightDecay, batchSize, epochs, init, seed, schedule, warmup, validation, clipGradNorm,
                    earlyStopping);
        }
    }

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: 10)")
    Integer epochs;

    @Option(names = "--threads", paramLabel = "N", description = "threads for the kernels (default: all cores)")
    Integer threads;

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/mlp-DATE-TIME)")
    Path out;

    @Option(names = "--monitors", description = "watch inside the network: dead ReLU units, saturated sigmoid/tanh "
            + "units, gradient norms and activation variances per layer and epoch (tables, and figures in the run)")
    boolean monitors;

    @Option(names = "--no-jit-warmup", description = "start the first epoch without compiling the kernels first on a "
            + "throwaway copy of the model while the data loads (the run computes the same bits either way; the first "
            + "epoch then takes about 4 times a steady one)")
    boolean noJitWarmup;

    @Option(names = "--dashboard", arity = "0..1", fallbackValue = "8080", paramLabel = "PORT",
            description = "serve the live dashboard of the runs beside this one on 127.0.0.1 while it trains "
                    + "(port 8080, or any free one if taken; see perceptron dashboard)")
    Integer dashboard;

    @Option(names = "--resume", arity = "0..1", fallbackValue = "", paramLabel = "DIR",
            description = "continue the run in DIR (or --out) from its last checkpoint; --epochs N extends it")
    String resume;

    @Option(names = "--csv", paramLabel = "FILE", description = "train a regression on a table instead (d2l 5.7): "
            + "a CSV file with a header line; needs --target")
    Path csv;

    @Option(names = "--target", paramLabel = "COLUMN", description = "with --csv: the column to predict")
    String target;

    @Option(names = "--id", paramLabel = "COLUMN", description = "with --csv: an identifier column, left out of the "
            + "features and written beside each prediction")
    String id;

    @Option(names = "--log-target", description = "with --csv: train on the logarithm of the target (relative "
            + "errors, as the Kaggle score)")
    boolean logTarget;

    @Option(names = "--kfold", paramLabel = "K", description = "with --csv: k-fold cross-validation first (a table "
            + "of training and validation log-RMSE, fold curves), then the fit on all rows")
    int kfold;

    @Option(names = "--no-standardize", description = "with --csv: leave numeric columns as they are")
    boolean noStandardize;

    @Option(names = "--missing", paramLabel = "zero|mean|indicator", description = "with --csv: missing numbers "
            + "become 0 after standardising (default, the book), the training mean, or 0 plus an indicator feature")
    Csv.MissingNumbers missing = Csv.MissingNumbers.ZERO;

    @Option(names = "--no-na-category", description = "with --csv: missing text cells get all zeros instead of "
            + "their own one-hot category")
    boolean noMissingCategory;
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
            if (Parallel.setThreads(threads) < threads) { System.err.println("perceptron: --threads " + threads + " capped at " + Parallel.threads() + ", the available processors (more threads than cores only slow the kernels down)"); }
        }
        if (epochs != null && epochs < 1) {
            throw new UserException("--epochs must be at least 1, got " + epochs);
        }
        if (csv != null) {
            return TabularTraining.train(this);
        }
        for (String tableOnly : new String[] {"--target", "--id", "--log-target", "--kfold", "--no-standardize",
                "--missing", "--no-na-category"}) {
            if (commandSpec.commandLine().getParseResult().hasMatchedOption(tableOnly)) {
                throw new UserException(tableOnly + " applies to tables: add --csv FILE");
            }
        }
        RunDirectory run;
        ModelSpec spec;
        TrainingSettings settings;
        int firstEpoch = 1;
        long step = 0;
        List<EpochMetrics> history = new ArrayList<>();
        if (resume != null) {
            refuseRunDefiningOptions();
            Path dir = !resume.isEmpty() ? Path.of(resume) : out;
            if (dir == null) {
                throw new UserException("--resume needs the run directory: --resume runs/NAME");
            }
            run = new RunDirectory(dir);
            if (Files.exists(run.file(TabularTraining.FILE))) {
                throw new UserException(dir + " was trained on a table: resume it with --resume " + dir
                        + " --csv FILE");
            }
            RunDirectory.Description d = run.readDescription();
            spec = d.spec();
            if (epochs != null && epochs < 0) {
                throw new UserException("--epochs must be >= 0, got " + epochs);
            }
            settings = epochs == null ? d.settings() : d.settings().withEpochs(epochs);
            history.addAll(run.readMetrics());
        } else {
            run = new RunDirectory(out != null ? out : newRunName());
            if (run.exists()) {
                throw new UserException(run.path() + " already holds a run; continue it with --resume "
                        + run.path() + ", or choose another --out");
            }
            RunOptions r = runOptions;
            try {
                spec = new ModelSpec(new int[] {1, 28, 28}, r.hidden, r.activation, r.dropout, r.batchNorm, 10);
                settings = r.settings(epochs == null ? 10 : epochs);
            } catch (IllegalArgumentException e) {
                // The records validate the options; what they refuse is the user's to fix.
                throw new UserException(e.getMessage(), e);
            }
        }
        Memory.checkTraining(spec, optimizerStates(settings), settings.batchSize(),
                resume != null ? "" : "choose smaller --hidden widths");

        if (spark != null) {
            return SparkTraining.run(spark, partitions, resume != null, spec, settings, data, run.path());
        }
        // Started before the data loads, so that the JIT compiles the training step meanwhile (bench/RESULTS.md,
        // "Warm-up"); it trains a twin of the model on random images and never touches this run's state.
        JitWarmup warmup = noJitWarmup ? null : JitWarmup.start(spec, settings);
        FashionMnist fashion = FashionMnist.load(data);
        Runs.requireFits(fashion.train(), "training", fashion, spec);
        Runs.requireFits(fashion.test(), "test", fashion, spec);
        Layer model = settings.buildModel(spec);
        Optimizer opt = settings.optimizerFor(model);
        if (resume != null) {
            RunDirectory.Resumed r = run.restoreLatest(model, opt);
            firstEpoch = r.epoch() + 1;
            step = r.step();
            // Metrics of epochs after the checkpoint (a crash between the two writes) are dropped.
            history.removeIf(m -> m.epoch() > r.epoch());
        }
        // A new run's directory is created by its first checkpoint, so a run that fails before it leaves nothing.
        // A resumed run (or an --out that exists) is checked before any training: a read-only run or a file fails
        // now, and a crash's leftover temporary files are removed.
        if (Files.exists(run.path())) {
            run.prepareForWriting();
        }

        Dataset trainSet = fashion.train();
        Dataset validationSet = null;
        if (settings.validation() > 0) {
            ValidationSplit split = ValidationSplit.stratified(fashion.train(), settings.validation(), settings.seed());
            trainSet = split.train();
            validationSet = split.validation();
        }
        o.printf(Locale.ROOT, "data: Fashion-MNIST from %s (%,d training and %,d test images)%n",
                fashion.directory(), fashion.train().size(), fashion.test().size());
        o.printf(Locale.ROOT, "model: %s, %,d parameters%n", spec, model.parameterCount());
        printSettings(settings);
        String held = validationSet != null
                ? String.format(Locale.ROOT, "%,d training images held out (%s, stratified by class, seed %d)",
                validationSet.size(), percent(settings.validation()), settings.seed())
                : String.format(Locale.ROOT, "the %,d test images", fashion.test().size());
        o.println(RunCurves.describe(validationSet != null, true,
                String.format(Locale.ROOT, "the %,d training images%s", trainSet.size(),
                        validationSet != null ? " kept for training" : ""), held));
        if (resume != null) {
            o.printf("resuming %s after epoch %d%n", run.path(), firstEpoch - 1);
        }
        if (firstEpoch > settings.epochs()) {
            o.printf("nothing to do: the run already has %d epochs (use --epochs N to extend it)%n",
                    firstEpoch - 1);
            return 0;
        }

        RunCurves curves = new RunCurves(validationSet != null, true, settings.epochs(), run.file("curves"));
        curves.addHistory(history);
        DeadUnitMonitor dead = new DeadUnitMonitor();
        SaturationMonitor saturation = new SaturationMonitor();
        GradientNormMonitor gradients = new GradientNormMonitor();
        ActivationVarianceMonitor variances = new ActivationVarianceMonitor();
        // Closed last: draws the curves of the last epochs, also when training fails.
        try (curves; DataLoader train = DataLoader.builder(trainSet).batchSize(settings.batchSize()).shuffle(true)
                .seed(settings.seed()).build();
             DataLoader validation = validationSet != null ? DataLoader.sequential(validationSet, 1000) : null;
             DataLoader test = DataLoader.sequential(fashion.test(), 1000);
             DashboardServer board = dashboard != null ? DashboardCommand.besideRun(run.path(), dashboard, data) : null) {
            Trainer.Builder builder = trainerFor(model, opt, settings, history).callback(curves);
            if (monitors) {
                builder.callback(dead).callback(saturation).callback(gradients).callback(variances);
            }
            Trainer trainer = builder
                    .checkpointer((epoch, s, m) -> {
                        history.add(m);
                        run.saveCheckpoint(model, opt, spec, settings, epoch, s, history);
                        curves.save();
                    })
                    .build();
            if (warmup != null) {
                warmup.await();
            }
            trainer.fit(train, validation, test, firstEpoch, step);
        }
        if (monitors) {
            writeMonitors(run, dead, saturation, gradients, variances);
        }
        reportKept(history);
        o.printf("saved %s: %s, %s, %s, curves.png, curves.svg%n", run.path(), RunDirectory.MODEL,
                RunDirectory.DESCRIPTION, RunDirectory.METRICS);
        return 0;
    }

    /** A resumed run continues with the settings of its model.json: the options that define a run are refused. */
    void refuseRunDefiningOptions() {
        for (OptionSpec option : commandSpec.mixins().get("run").options()) {
            if (commandSpec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UserException(option.longestName() + " cannot change a resumed run: it continues with "
                        + "the settings in its model.json (only --epochs, --threads and --data apply); start a "
                        + "new run instead");
            }
        }
    }

    /** A trainer with the run's epochs, schedule, clipping and early stopping (continued from the history). */
    static Trainer.Builder trainerFor(Layer model, Optimizer opt, TrainingSettings settings,
                                      List<EpochMetrics> history) {
        Trainer.Builder builder = Trainer.builder(model, opt)
                .epochs(settings.epochs())
                .schedule(settings.lrSchedule())
                .progress(Progress.console(settings.epochs()));
        if (settings.clipGradNorm() > 0) {
            builder.clipGradNorm(settings.clipGradNorm());
        }
        if (settings.earlyStopping() > 0) {
            builder.callback(new EarlyStopping(settings.earlyStopping(), 0).resumeFrom(history));
        }
        return builder;
    }

    static void printSettings(TrainingSettings settings) {
        System.out.printf(Locale.ROOT, "training: %s lr %s%s%s, batch %d, %d epoch%s, init %s, seed %d, %s schedule%s%s; "
                        + "%s kernels on %d thread%s%n",
                settings.optimizer(), num(settings.lr()),
                settings.momentum() > 0 ? ", momentum " + num(settings.momentum()) : "",
                settings.weightDecay() > 0 ? ", weight decay " + num(settings.weightDecay()) : "",
                settings.batchSize(), settings.epochs(), settings.epochs() == 1 ? "" : "s", settings.init(),
                settings.seed(), settings.schedule(),
                settings.clipGradNorm() > 0 ? ", gradient norm clipped at " + num(settings.clipGradNorm()) : "",
                settings.earlyStopping() > 0 ? ", early stopping after " + settings.earlyStopping()
                        + " epochs without improvement" : "",
                Kernels.get().name(), Parallel.threads(), Parallel.threads() == 1 ? "" : "s");
    }

    /** Says which epoch's weights the run keeps in model.safetensors, and why; then that epoch's test score. */
    static void reportKept(List<EpochMetrics> history) {
        PrintStream o = System.out;
        EpochMetrics last = history.get(history.size() - 1);
        BestEpoch best = BestEpoch.of(history);
        EpochMetrics kept = last;
        if (best == null) {
            o.printf(Locale.ROOT, "kept the weights of the last epoch, %d (no validation set to choose another by)%n",
                    last.epoch());
        } else {
            kept = history.stream().filter(m -> m.epoch() == best.epoch()).findFirst().orElseThrow();
            o.printf(Locale.ROOT, "kept the weights of epoch %d of %d: the best %s on the validation set, %.4f%n",
                    best.epoch(), last.epoch(), best.metric(), best.value());
        }
        if (!Double.isNaN(kept.testAccuracy())) {
            o.printf(Locale.ROOT, "test accuracy %.4f after %d epoch%s%n", kept.testAccuracy(), kept.epoch(),
                    kept.epoch() == 1 ? "" : "s");
        } else if (!Double.isNaN(kept.testLoss())) {
            o.printf(Locale.ROOT, "test loss %.4f after %d epoch%s%n", kept.testLoss(), kept.epoch(),
                    kept.epoch() == 1 ? "" : "s");
        }
    }

    static String percent(double fraction) {
        return new java.math.BigDecimal(Double.toString(fraction)).movePointRight(2).stripTrailingZeros()
                .toPlainString() + "%";
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

    /** Tensors of optimizer state per weight: a momentum buffer for SGD with momentum, two moments for Adam(W). */
    private static int optimizerStates(TrainingSettings settings) {
        if (settings.optimizer() == TrainingSettings.OptimizerType.SGD) {
            return settings.momentum() > 0 ? 1 : 0;
        }
        return 2;
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
    }

    static Path newRunName() {
        String stamp = LocalDateTime.now(java.time.ZoneId.systemDefault()).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = Path.of("runs", "mlp-" + stamp);
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("runs", "mlp-" + stamp + "-" + i);
        }
        return p;
    }
}
