package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import perceptron.autograd.Autograd;
import perceptron.data.ArrayDataset;
import perceptron.data.Csv;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.data.KFold;
import perceptron.data.ValidationSplit;
import perceptron.io.AtomicFiles;
import perceptron.io.Json;
import perceptron.loss.Loss;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.plot.TrainingCurves;
import perceptron.tensor.Tensor;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.RunDirectory;
import perceptron.train.Trainer;
import perceptron.train.TrainingSettings;

/**
 * d2l section 5.7 on the command line: {@code train --csv train.csv --target SalePrice [--id Id] [--log-target]
 * [--kfold 5]} prepares the table as the book does, prints the k-fold table of training and validation log-RMSE
 * (RMSE without {@code --log-target})
 * and draws the fold curves, then fits on all rows and saves a run whose {@value #FILE} lets
 * {@code predict RUN --csv test.csv --out submission.csv} prepare a test file the same way.
 */
final class TabularTraining {
    /** The preprocessing of a tabular run, beside its model.json. */
    static final String FILE = "tabular.json";
    static final String FORMAT = "perceptron-tabular/1";

    private TabularTraining() {
    }

    /** What a tabular run needs besides its model: how to read and encode a table, and the target's scale. */
    record Description(Csv.Encoder encoder, String id, boolean logTarget, String source) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("source", source);
            m.put("id", id);
            m.put("log_target", logTarget);
            m.put("encoder", encoder.toJson());
            return m;
        }

        @SuppressWarnings("unchecked")
        static Description read(Path run) throws IOException {
            Path f = run.resolve(FILE);
            if (!Files.exists(f)) {
                throw new UserException(run + " is not a tabular run (" + f + " is missing): predict --csv needs a "
                        + "run trained with train --csv");
            }
            Object parsed;
            try {
                parsed = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
            } catch (Json.SyntaxError e) {
                throw new IOException(f + ": " + e.getMessage(), e);
            }
            if (!(parsed instanceof Map) || !FORMAT.equals(((Map<String, Object>) parsed).get("format"))) {
                throw new IOException(f + ": format must be \"" + FORMAT + "\"");
            }
            Map<String, Object> m = (Map<String, Object>) parsed;
            if (!(m.get("encoder") instanceof Map) || !(m.get("log_target") instanceof Boolean)) {
                throw new IOException(f + ": needs an \"encoder\" object and a boolean \"log_target\"");
            }
            return new Description(Csv.Encoder.fromJson((Map<String, Object>) m.get("encoder"), f.toString()),
                    m.get("id") instanceof String s ? s : null, (Boolean) m.get("log_target"),
                    String.valueOf(m.get("source")));
        }
    }

    /** Runs {@code train --csv}; the command's fields carry the options. */
    static int train(TrainCommand c) throws IOException {
        PrintStream o = System.out;
        if (c.resume != null) {
            return resume(c);
        }
        if (c.target == null) {
            throw new UserException("--csv needs --target COLUMN, the column to predict (e.g. --target SalePrice)");
        }
        if (c.kfold != 0 && (c.kfold < 2 || c.kfold > 20)) {
            throw new UserException("--kfold must be from 2 to 20, got " + c.kfold);
        }
        RunDirectory run = new RunDirectory(c.out != null ? c.out : TrainCommand.newRunName());
        if (run.exists()) {
            throw new UserException(run.path() + " already holds a run; continue it with --resume " + run.path()
                    + " --csv " + c.csv + ", or choose another --out");
        }
        Csv.Table table = Csv.read(c.csv);
        Csv.Preprocessing preprocessing = new Csv.Preprocessing(!c.noStandardize, c.missing, !c.noMissingCategory);
        Csv.Encoder encoder = c.id != null ? Csv.Encoder.fit(table, c.target, preprocessing, c.id)
                : Csv.Encoder.fit(table, c.target, preprocessing);
        Description description = new Description(encoder, c.id, c.logTarget, c.csv.getFileName().toString());
        Dataset data = encode(table, description);

        TrainCommand.RunOptions r = c.runOptions;
        var parsed = c.commandSpec.commandLine().getParseResult();
        // d2l 5.7's defaults where the options are not given: a linear model, SGD lr 0.01, batches of 64.
        int[] hidden = parsed.hasMatchedOption("--hidden") ? r.hidden : new int[0];
        if (!parsed.hasMatchedOption("--lr") && r.optimizer == TrainingSettings.OptimizerType.SGD) {
            r.lr = 0.01;
        }
        if (!parsed.hasMatchedOption("--batch-size")) {
            r.batchSize = 64;
        }
        ModelSpec spec = new ModelSpec(new int[] {encoder.featureCount()}, hidden, r.activation, r.dropout,
                r.batchNorm, 1);
        TrainingSettings settings = r.settings(c.epochs == null ? 10 : c.epochs);

        o.printf(Locale.ROOT, "data: %s, %,d rows; target %s%s; %,d features (%s)%n", c.csv, table.size(), c.target,
                c.logTarget ? " (trained on its logarithm)" : "", encoder.featureCount(), describe(preprocessing));
        o.printf(Locale.ROOT, "model: %s, %,d parameters%n", spec, settings.buildModel(spec).parameterCount());
        TrainCommand.printSettings(settings);

        if (c.kfold > 0) {
            crossValidate(c.kfold, data, spec, settings, c.logTarget, run.file("folds"));
        }

        o.printf(Locale.ROOT, "%nfitting on %s:%n", settings.validation() > 0 ? "all rows but the validation split"
                : "all " + data.size() + " rows");
        fit(run, data, description, spec, settings, new ArrayList<>(), 1, 0);
        o.printf("saved %s: %s, %s, %s, %s, curves.png, curves.svg%s%n", run.path(), RunDirectory.MODEL,
                RunDirectory.DESCRIPTION, FILE, RunDirectory.METRICS, c.kfold > 0 ? ", folds.png, folds.svg" : "");
        o.printf("predict: bin/perceptron predict %s --csv test.csv --out submission.csv%n", run.path());
        return 0;
    }

    /** Features and (log) targets of a table, encoded as the run describes. */
    private static Dataset encode(Csv.Table table, Description description) throws IOException {
        Csv.Encoder encoder = description.encoder();
        ArrayDataset encoded = encoder.encode(table);
        Tensor labels = encoded.labels();
        if (description.logTarget()) {
            int col = table.column(encoder.target());
            float[] y = labels.toFloatArray();
            for (int r = 0; r < y.length; r++) {
                if (!(y[r] > 0)) {
                    throw new UserException(table.source() + ": line " + table.line(r) + ", column " + (col + 1)
                            + " ('" + encoder.target() + "'): --log-target needs positive values, found " + y[r]);
                }
            }
            labels = labels.log();
        }
        return ArrayDataset.of(encoded.features(), labels);
    }

    /**
     * Continues a table run from its last checkpoint: {@code train --resume RUN --csv FILE [--epochs N]}. The
     * preprocessing is the run's (tabular.json), not fitted again, so the same file gives the same features.
     */
    private static int resume(TrainCommand c) throws IOException {
        c.refuseRunDefiningOptions();
        for (String option : new String[] {"--target", "--id", "--log-target", "--kfold", "--no-standardize",
                "--missing", "--no-na-category"}) {
            if (c.commandSpec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new UserException(option + " cannot change a resumed run: its preprocessing is in its "
                        + FILE + "; start a new run instead");
            }
        }
        RunDirectory run = new RunDirectory(!c.resume.isEmpty() ? Path.of(c.resume) : c.out);
        Description description = Description.read(run.path());
        RunDirectory.Description d = run.readDescription();
        TrainingSettings settings = c.epochs == null ? d.settings() : d.settings().withEpochs(c.epochs);
        Csv.Table table = Csv.read(c.csv);
        description.encoder().checkColumns(table);
        Dataset data = encode(table, description);
        List<EpochMetrics> history = new ArrayList<>(run.readMetrics());
        System.out.printf(Locale.ROOT, "data: %s, %,d rows; target %s, prepared as %s says%n", c.csv, table.size(),
                description.encoder().target(), run.file(FILE));
        TrainCommand.printSettings(settings);
        fit(run, data, description, d.spec(), settings, history, 0, 0);
        System.out.printf("saved %s%n", run.path());
        return 0;
    }

    /**
     * Trains the run's model on all rows (or all but a validation split) with a checkpoint after every epoch;
     * {@code firstEpoch} 0 means: resume from the run's latest checkpoint.
     */
    private static void fit(RunDirectory run, Dataset data, Description description, ModelSpec spec,
                            TrainingSettings settings, List<EpochMetrics> history, int firstEpoch, long step)
            throws IOException {
        PrintStream o = System.out;
        Dataset trainSet = data;
        Dataset validationSet = null;
        if (settings.validation() > 0) {
            ValidationSplit split = ValidationSplit.random(data, settings.validation(), settings.seed());
            trainSet = split.train();
            validationSet = split.validation();
        }
        o.println(RunCurves.describe(validationSet != null, false, String.format(Locale.ROOT, "the %,d training rows",
                trainSet.size()), validationSet != null ? String.format(Locale.ROOT, "%,d rows held out (%s, seed %d)",
                validationSet.size(), TrainCommand.percent(settings.validation()), settings.seed())
                : "no other set (a table has no test labels: use --validation or --kfold)"));
        Layer model = settings.buildModel(spec);
        Optimizer opt = settings.optimizerFor(model);
        if (firstEpoch == 0) {
            RunDirectory.Resumed r = run.restoreLatest(model, opt);
            firstEpoch = r.epoch() + 1;
            step = r.step();
            history.removeIf(m -> m.epoch() > r.epoch());
            o.printf("resuming %s after epoch %d%n", run.path(), r.epoch());
            if (firstEpoch > settings.epochs()) {
                o.printf("nothing to do: the run already has %d epochs (use --epochs N to extend it)%n", r.epoch());
                return;
            }
        }
        RunCurves curves = new RunCurves(validationSet != null, false, settings.epochs(), run.file("curves"));
        curves.addHistory(history);
        // Closed last: draws the curves of the last epochs, also when training fails.
        try (curves; DataLoader train = DataLoader.builder(trainSet).batchSize(settings.batchSize()).shuffle(true)
                .seed(settings.seed()).build();
             DataLoader validation = validationSet != null ? DataLoader.sequential(validationSet, 1024) : null) {
            TrainCommand.trainerFor(model, opt, settings, history).callback(curves)
                    .loss(Loss::mse).classification(false)
                    .checkpointer((epoch, s, m) -> {
                        history.add(m);
                        if (!Files.exists(run.file(FILE))) {
                            Files.createDirectories(run.path());
                            AtomicFiles.writeString(run.file(FILE), Json.pretty(description.toJson()));
                        }
                        run.saveCheckpoint(model, opt, spec, settings, epoch, s, history);
                        curves.save();
                    })
                    .build().fit(train, validation, null, firstEpoch, step);
        }
        TrainCommand.reportKept(history);
        o.printf(Locale.ROOT, "training %s of the kept model on all %,d rows: %.4f%n",
                description.logTarget() ? "log-RMSE" : "RMSE", data.size(), rmse(run.loadModel(), data));
    }

    private static String describe(Csv.Preprocessing p) {
        return (p.standardize() ? "numbers standardised" : "numbers as they are") + ", missing numbers "
                + switch (p.missingNumbers()) {
                    case ZERO -> p.standardize() ? "0 (the mean)" : "0";
                    case MEAN -> "the mean";
                    case INDICATOR -> "0 with a _missing indicator";
                } + ", text one-hot" + (p.missingCategory() ? " with missing as its own category" : "");
    }

    /** d2l's k-fold cross-validation: a fresh model per fold, the table of final log-RMSEs, the fold curves. */
    private static void crossValidate(int k, Dataset data, ModelSpec spec, TrainingSettings settings,
                                      boolean logTarget, Path figure) {
        PrintStream o = System.out;
        List<KFold.Fold> folds = KFold.split(data.size(), k, settings.seed());
        o.printf(Locale.ROOT, "%n%d-fold cross-validation (%d epochs each):%n", k, settings.epochs());
        String metric = logTarget ? "log-RMSE" : "RMSE";
        o.printf("fold  %14s  %14s%n", "train " + metric, "valid " + metric);
        List<String> legend = new ArrayList<>();
        List<String> fmts = new ArrayList<>();
        String colors = "bgrcmyk";
        for (int i = 0; i < k; i++) {
            legend.add("fold " + (i + 1) + " train");
            legend.add("fold " + (i + 1) + " valid");
            fmts.add(colors.charAt(i % colors.length()) + "-");
            fmts.add(colors.charAt(i % colors.length()) + "--");
        }
        TrainingCurves curves = new TrainingCurves("epoch", legend.toArray(new String[0]))
                .fmts(fmts.toArray(new String[0])).ylabel(logTarget ? "mse of log target" : "mse").yscale("log")
                .xlim(1, Math.max(settings.epochs(), 2)).legendPosition("outside right");
        double trainSum = 0;
        double validSum = 0;
        for (KFold.Fold fold : folds) {
            Dataset train = data.subset(fold.train());
            Dataset valid = data.subset(fold.validation());
            Layer model = settings.buildModel(spec);
            Optimizer opt = settings.optimizerFor(model);
            List<EpochMetrics> history;
            try (DataLoader trainLoader = DataLoader.builder(train).batchSize(settings.batchSize()).shuffle(true)
                    .seed(settings.seed() + fold.index()).build();
                 DataLoader validLoader = DataLoader.sequential(valid, 1024)) {
                Trainer.Builder b = Trainer.builder(model, opt).epochs(settings.epochs()).schedule(settings.lrSchedule())
                        .loss(Loss::mse).classification(false).progress(Progress.silent());
                if (settings.clipGradNorm() > 0) {
                    b.clipGradNorm(settings.clipGradNorm());
                }
                history = b.build().fit(trainLoader, validLoader, null, 1, 0);
            }
            for (EpochMetrics m : history) {
                double[] ys = new double[2 * k];
                java.util.Arrays.fill(ys, Double.NaN);
                ys[2 * fold.index()] = m.trainLoss();
                ys[2 * fold.index() + 1] = m.validationLoss();
                curves.add(m.epoch(), ys);
            }
            double trainRmse = rmse(model, train);
            double validRmse = rmse(model, valid);
            trainSum += trainRmse;
            validSum += validRmse;
            o.printf(Locale.ROOT, "%4d  %14.4f  %14.4f%n", fold.index() + 1, trainRmse, validRmse);
        }
        o.printf(Locale.ROOT, "mean  %14.4f  %14.4f%n", trainSum / k, validSum / k);
        curves.save(figure);
        o.printf("fold curves: %s.png and .svg (solid: training loss, dashed: validation loss)%n", figure);
    }

    /**
     * The root mean squared error of a model's outputs on a dataset: for a model of the log target, the book's
     * log-RMSE (the Kaggle score); otherwise the RMSE in the target's own units.
     */
    static double rmse(Layer model, Dataset data) {
        int n = data.size();
        int d = data.featureSize();
        float[] x = new float[n * d];
        float[] y = new float[n];
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        data.read(all, 0, n, x, y);
        boolean wasTraining = model.isTraining();
        model.eval();
        try (Autograd.Scope g = Autograd.noGrad()) {
            return Loss.mse(model.forward(Tensor.wrap(x, n, d)), Tensor.wrap(y, n, 1)).sqrt().item();
        } finally {
            model.train(wasTraining);
        }
    }

    /** Runs {@code predict RUN --csv test.csv --out submission.csv}: one line per row, {@code Id,Target}. */
    static int predict(Path runDir, Path csv, Path out) throws IOException {
        if (out == null) {
            throw new UserException("predict --csv needs --out FILE, e.g. --out submission.csv");
        }
        Description d = Description.read(runDir);
        Layer model = new RunDirectory(runDir).loadModel();
        Csv.Table table = Csv.read(csv);
        d.encoder().checkColumns(table);
        Tensor x = d.encoder().encodeFeatures(table);
        float[] predictions;
        try (Autograd.Scope g = Autograd.noGrad()) {
            Tensor p = model.forward(x);
            predictions = (d.logTarget() ? p.exp() : p).toFloatArray();
        }
        int idColumn = d.id() != null ? table.column(d.id()) : -1;
        StringBuilder sb = new StringBuilder();
        sb.append(d.id() != null ? d.id() : "row").append(',').append(d.encoder().target()).append('\n');
        for (int r = 0; r < table.size(); r++) {
            sb.append(idColumn >= 0 ? csvField(table.get(r, idColumn)) : Integer.toString(r + 1)).append(',')
                    .append(new java.math.BigDecimal(Float.toString(predictions[r])).toPlainString()).append('\n');
        }
        AtomicFiles.writeString(out, sb.toString());
        System.out.printf(Locale.ROOT, "wrote %s: %,d predictions of %s from %s%n", out, table.size(),
                d.encoder().target(), csv);
        return 0;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
