package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import perceptron.cli.experiments.ComparisonFigure;
import perceptron.cli.experiments.RunInfo;
import perceptron.cli.experiments.SettingsDiff;
import perceptron.cli.experiments.SweepFigure;
import perceptron.cli.experiments.SweepPlan;
import perceptron.cli.experiments.SweepPlan.Kind;
import perceptron.cli.experiments.Table;
import perceptron.io.AtomicFiles;
import perceptron.io.Json;
import perceptron.train.ModelSpec;
import perceptron.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code perceptron sweep}: trains one run per combination of the options given with several values, one after
 * another (each on all cores), ranks them on the validation set and reports the best run's test accuracy once.
 * Resumable: finished runs are skipped, the interrupted one continues from its checkpoint.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a grid (or --random N samples) of runs, one after another, each on all cores; rank "
                + "them on a validation set and report the best run's test accuracy once.",
                "Lists: --lr 0.03,0.1,0.3 (commas or spaces); --hidden and --dropout take one network per "
                        + "argument: --hidden 256 256,256 256,256,256. Ranges LO:HI with --random N.",
                "Writes DIR/sweep.json, one run directory per combination, sweep.csv, sweep.png and best-curves.png. "
                        + "Run it again (or --resume DIR) after a crash: finished runs are skipped."})
public final class SweepCommand implements Callable<Integer> {

    /** The train options a sweep may vary, and how their values read. */
    static final Map<String, Kind> VARIABLE = variable();

    private static Map<String, Kind> variable() {
        Map<String, Kind> m = new LinkedHashMap<>();
        m.put("--hidden", Kind.WIDTHS);
        m.put("--activation", Kind.NAME);
        m.put("--dropout", Kind.PROBABILITIES);
        m.put("--batch-norm", Kind.NAME);
        m.put("--optimizer", Kind.NAME);
        m.put("--lr", Kind.LOG_REAL);
        m.put("--momentum", Kind.REAL);
        m.put("--weight-decay", Kind.LOG_REAL);
        m.put("--batch-size", Kind.INTEGER);
        m.put("--epochs", Kind.INTEGER);
        m.put("--init", Kind.NAME);
        m.put("--schedule", Kind.NAME);
        m.put("--warmup", Kind.REAL);
        m.put("--seed", Kind.INTEGER);
        m.put("--clip-grad-norm", Kind.REAL);
        m.put("--early-stopping", Kind.INTEGER);
        return m;
    }

    /** The file that records a sweep's plan, so that it can be resumed and recognised. */
    static final String PLAN = "sweep.json";
    private static final String FORMAT = "perceptron-sweep/1";
    /** Run name to "finished" or "diverged (message)", written as each run ends. */
    static final String STATUS = "status.json";
    private static final String FINISHED = "finished";
    private static final String DIVERGED = "diverged";
    /** Runs ranked on this column of metrics.csv: the validation set, never the test set. */
    static final String RANKED_ON = "val_acc";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec commandSpec;

    @Option(names = "--hidden", arity = "1..*", paramLabel = "W[,W...]", description = "hidden widths, one network per argument")
    List<String> hidden;
    @Option(names = "--activation", arity = "1..*", paramLabel = "NAME[,NAME...]", description = "activations")
    List<String> activation;
    @Option(names = "--dropout", arity = "1..*", paramLabel = "P[,P...]", description = "dropout, one list per argument")
    List<String> dropout;
    @Option(names = "--batch-norm", arity = "1..*", paramLabel = "true|false", description = "batch normalisation or not")
    List<String> batchNorm;
    @Option(names = "--optimizer", arity = "1..*", paramLabel = "sgd|adam|adamw", description = "optimizers")
    List<String> optimizer;
    @Option(names = "--lr", arity = "1..*", paramLabel = "RATES", description = "learning rates, or LO:HI with --random")
    List<String> lr;
    @Option(names = "--momentum", arity = "1..*", paramLabel = "M", description = "SGD momenta")
    List<String> momentum;
    @Option(names = "--weight-decay", arity = "1..*", paramLabel = "WD", description = "weight decays")
    List<String> weightDecay;
    @Option(names = "--batch-size", arity = "1..*", paramLabel = "N", description = "minibatch sizes")
    List<String> batchSize;
    @Option(names = "--epochs", arity = "1..*", paramLabel = "N", description = "epochs")
    List<String> epochs;
    @Option(names = "--init", arity = "1..*", paramLabel = "NAME", description = "initialisations")
    List<String> init;
    @Option(names = "--schedule", arity = "1..*", paramLabel = "NAME", description = "learning-rate schedules")
    List<String> schedule;
    @Option(names = "--warmup", arity = "1..*", paramLabel = "EPOCHS", description = "warm-up epochs")
    List<String> warmup;
    @Option(names = "--seed", arity = "1..*", paramLabel = "N", description = "seeds (several: the spread a seed makes)")
    List<String> seed;
    @Option(names = "--clip-grad-norm", arity = "1..*", paramLabel = "MAX", description = "gradient norm limits")
    List<String> clipGradNorm;
    @Option(names = "--early-stopping", arity = "1..*", paramLabel = "PATIENCE", description = "early-stopping patiences")
    List<String> earlyStopping;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "held-out part of the training set that ranks the runs (default: 0.1); the same for every run")
    String validation = "0.1";
    @Option(names = "--random", paramLabel = "N", description = "sample N runs instead of the full grid")
    int random;
    @Option(names = "--sweep-seed", paramLabel = "N", description = "seed of --random sampling (default: 1)")
    long sweepSeed = 1;
    @Option(names = "--top", paramLabel = "K", description = "curves of the K best runs in best-curves.png (default: 5)")
    int top = 5;
    @Option(names = "--threads", paramLabel = "N", description = "threads of every run (default: all cores)")
    String threads;
    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;
    @Option(names = "--out", paramLabel = "DIR",
            description = "sweep directory (default: runs/sweep-DATE-TIME, where the dashboard looks)")
    Path out;
    @Option(names = "--resume", paramLabel = "DIR", description = "continue the sweep in DIR with the options it was started with")
    Path resume;

    private Map<String, List<String>> given() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        Object[][] fields = {{"--hidden", hidden}, {"--activation", activation}, {"--dropout", dropout},
            {"--batch-norm", batchNorm}, {"--optimizer", optimizer}, {"--lr", lr}, {"--momentum", momentum},
            {"--weight-decay", weightDecay}, {"--batch-size", batchSize}, {"--epochs", epochs}, {"--init", init},
            {"--schedule", schedule}, {"--warmup", warmup}, {"--seed", seed}, {"--clip-grad-norm", clipGradNorm},
            {"--early-stopping", earlyStopping}};
        for (Object[] f : fields) {
            @SuppressWarnings("unchecked")
            List<String> v = (List<String>) f[1];
            if (v != null) {
                m.put((String) f[0], v);
            }
        }
        return m;
    }

    @Override
    public Integer call() throws IOException {
        if (resume != null) {
            return resume();
        }
        // The whole command line, "sweep" included: keep what follows it, less --out (the directory itself).
        List<String> args = new ArrayList<>(commandSpec.commandLine().getParseResult().originalArgs());
        args = new ArrayList<>(args.subList(args.indexOf(commandSpec.name()) + 1, args.size()));
        removeOption(args, "--out");
        return run(args);
    }

    private int resume() throws IOException {
        Path plan = resume.resolve(PLAN);
        if (!Files.exists(plan)) {
            throw new UserException("nothing to resume: " + plan + " is missing (not a sweep directory)");
        }
        List<String> stored = new ArrayList<>();
        try {
            Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(plan, StandardCharsets.UTF_8));
            for (Object a : (List<?>) json.get("args")) {
                stored.add((String) a);
            }
        } catch (RuntimeException e) {
            throw new UserException(plan + ": not a sweep plan (" + e.getMessage() + ")");
        }
        SweepCommand again = new SweepCommand();
        CommandLine cl = new CommandLine(again);
        cl.parseArgs(stored.toArray(String[]::new));
        again.out = resume;
        again.data = data != null ? data : again.data;
        again.threads = threads != null ? threads : again.threads;
        return again.run(stored);
    }

    private static void removeOption(List<String> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(option)) {
                args.remove(i);
                if (i < args.size()) {
                    args.remove(i);
                }
                i--;
            } else if (args.get(i).startsWith(option + "=")) {
                args.remove(i--);
            }
        }
    }

    private int run(List<String> args) throws IOException {
        PrintStream o = System.out;
        double fraction = fixed("--validation", validation,
                "every run is ranked on the same validation set; give one fraction");
        if (!(fraction > 0 && fraction < 1)) {
            throw new UserException("--validation must be a fraction between 0 and 1, got " + validation
                    + ": a sweep ranks its runs on a validation set, never on the test set");
        }
        if (threads != null) {
            double t = fixed("--threads", threads, "the runs train one after another, each on the same threads");
            if (t < 1 || t != Math.rint(t)) {
                throw new UserException("--threads must be a whole number of at least 1, got " + threads);
            }
        }
        if (random < 0) {
            throw new UserException("--random must be a number of runs, got " + random);
        }
        Map<String, List<String>> given = given();
        if (given.isEmpty()) {
            throw new UserException("give at least one option to sweep, e.g. --lr 0.03,0.1,0.3");
        }
        SweepPlan plan;
        try {
            plan = SweepPlan.of(given, VARIABLE, random, sweepSeed);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        for (SweepPlan.Run r : plan.runs()) {
            check(r);
        }
        Path dir = out != null ? out : newSweepName();
        Files.createDirectories(dir);
        writeOrCheckPlan(dir, args, plan);
        Map<String, String> status = readStatus(dir);

        o.printf("sweep %s: %d run%s, varying %s; ranked on validation accuracy (%s of the training set)%n",
                dir, plan.runs().size(), plan.runs().size() == 1 ? "" : "s",
                plan.varied().isEmpty() ? "nothing" : String.join(", ", plan.varied()), num(fraction));
        for (int i = 0; i < plan.runs().size(); i++) {
            SweepPlan.Run r = plan.runs().get(i);
            Path runDir = dir.resolve(r.name());
            String heading = String.format(Locale.ROOT, "%n== run %d/%d: %s ==", i + 1, plan.runs().size(), r.name());
            // Finished: recorded when train returned (a run that stopped early has fewer epochs than planned).
            RunInfo existing = RunInfo.isRun(runDir) ? RunInfo.read(runDir) : null;
            if (status.containsKey(r.name()) || (existing != null && existing.finished())) {
                o.println(heading + " " + status.getOrDefault(r.name(), FINISHED) + " before; skipped");
                continue;
            }
            o.println(heading);
            List<String> trainArgs;
            if (Files.exists(runDir.resolve("checkpoint/latest"))) {
                trainArgs = new ArrayList<>(List.of("train", "--resume", runDir.toString()));
            } else {
                // Fresh, or died before its first checkpoint: nothing to keep, start it over.
                AtomicFiles.deleteTree(runDir);
                trainArgs = trainArgs(r, runDir);
            }
            if (data != null) {
                trainArgs.addAll(List.of("--data", data.toString()));
            }
            if (threads != null) {
                trainArgs.addAll(List.of("--threads", threads));
            }
            Throwable failure = train(trainArgs);
            if (failure == null || failure instanceof TrainingDivergedException) {
                if (failure != null) {
                    o.println("diverged: " + failure.getMessage());
                }
                status.put(r.name(), failure == null ? FINISHED : DIVERGED + " (" + failure.getMessage() + ")");
                AtomicFiles.writeString(dir.resolve(STATUS), Json.pretty(status));
            } else if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof IOException e) {
                throw e;
            } else if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
        report(dir, plan, status);
        return 0;
    }

    private static double fixed(String option, String value, String why) {
        if (value.contains(",") || value.trim().contains(" ")) {
            throw new UserException(option + " cannot vary in a sweep: " + why + " (got " + value + ")");
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UserException(option + ": '" + value + "' is not a number");
        }
    }

    private List<String> trainArgs(SweepPlan.Run r, Path runDir) {
        List<String> args = new ArrayList<>(List.of("train", "--out", runDir.toString(), "--validation", validation));
        r.options().forEach((option, value) -> {
            if (option.equals("--batch-norm")) {
                if (value.equals("true")) {
                    args.add(option);
                }
            } else {
                args.add(option);
                args.add(value);
            }
        });
        return args;
    }

    /** Refuses, before anything is trained, a run that train would refuse: the error names the option. */
    private void check(SweepPlan.Run r) {
        String bn = r.options().get("--batch-norm");
        if (bn != null && !bn.equals("true") && !bn.equals("false")) {
            throw new UserException("--batch-norm: give true, false or true,false; got " + bn);
        }
        TrainCommand t = new TrainCommand();
        try {
            List<String> args = trainArgs(r, Path.of("unused"));
            new CommandLine(t).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
            TrainCommand.RunOptions o = t.runOptions;
            new ModelSpec(new int[] {1, 28, 28}, o.hidden, o.activation, o.dropout, o.batchNorm, 10);
            o.settings(t.epochs == null ? 10 : t.epochs);
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new UserException("run " + r.name() + ": " + e.getMessage());
        }
    }

    private static void writeOrCheckPlan(Path dir, List<String> args, SweepPlan plan) throws IOException {
        List<Object> runs = new ArrayList<>();
        for (SweepPlan.Run r : plan.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("options", r.options());
            runs.add(m);
        }
        Path file = dir.resolve(PLAN);
        if (Files.exists(file)) {
            Object old;
            try {
                old = ((Map<?, ?>) Json.parse(Files.readString(file, StandardCharsets.UTF_8))).get("runs");
            } catch (RuntimeException e) {
                throw new UserException(file + " is not a sweep plan (" + e.getMessage() + ")");
            }
            if (!Json.write(runs).equals(Json.write(old))) {
                throw new UserException(dir + " holds another sweep (its " + PLAN + " plans other runs); choose "
                        + "another --out, or continue that one with --resume " + dir);
            }
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("args", args);
        json.put("varied", plan.varied());
        json.put("runs", runs);
        AtomicFiles.writeString(file, Json.pretty(json));
    }

    private static Map<String, String> readStatus(Path dir) throws IOException {
        Map<String, String> status = new LinkedHashMap<>();
        Path f = dir.resolve(STATUS);
        if (Files.exists(f)) {
            ((Map<?, ?>) Json.parse(Files.readString(f, StandardCharsets.UTF_8)))
                    .forEach((k, v) -> status.put((String) k, String.valueOf(v)));
        }
        return status;
    }

    /** Runs train in this JVM; returns what it threw (null when it succeeded). */
    private static Throwable train(List<String> args) {
        CommandLine cl = new CommandLine(new TrainCommand());
        Throwable[] failure = {null};
        cl.setExecutionExceptionHandler((e, c, p) -> {
            failure[0] = e;
            return 2;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            failure[0] = e;
            return 2;
        });
        cl.execute(args.subList(1, args.size()).toArray(String[]::new));
        return failure[0];
    }

    // ---- the report ---------------------------------------------------------------------------------------

    private void report(Path dir, SweepPlan plan, Map<String, String> status) throws IOException {
        PrintStream o = System.out;
        List<RunInfo> runs = new ArrayList<>();
        for (SweepPlan.Run r : plan.runs()) {
            runs.add(RunInfo.read(dir, dir.resolve(r.name())));
        }
        // Highest validation accuracy first; runs without one (diverged) last.
        List<RunInfo> ranked = new ArrayList<>(runs);
        ranked.sort(Comparator.comparingDouble((RunInfo r) -> {
            double v = r.kept(RANKED_ON);
            return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
        }).reversed());
        List<String> header = new ArrayList<>(List.of("rank", "run"));
        plan.varied().forEach(v -> header.add(v.substring(2)));
        // The metrics of the weights each run keeps: its best epoch on the validation set.
        header.addAll(List.of("val_acc", "val_loss", "train_loss", "test_acc", "epoch", "seconds", "parameters",
                "status"));
        Table table = new Table(header);
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (int i = 0; i < ranked.size(); i++) {
            RunInfo r = ranked.get(i);
            SweepPlan.Run planned = plan.runs().get(runs.indexOf(r));
            List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), r.name().substring(0,
                    r.name().indexOf('-') < 0 ? r.name().length() : r.name().indexOf('-'))));
            plan.varied().forEach(v -> row.add(planned.options().get(v)));
            row.addAll(List.of(Table.number(r.kept("val_acc")), Table.number(r.kept("val_loss")),
                    Table.number(r.kept("train_loss")), Table.number(r.kept("test_acc")),
                    r.keptEpoch() + "/" + r.epochsDone(), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    Long.toString(r.parameters()),
                    status.getOrDefault(r.name(), r.finished() ? FINISHED : "incomplete").split(" ")[0]));
            table.add(row);
            List<String> cells = new ArrayList<>(row);
            cells.set(1, r.name());
            csv.append(String.join(",", cells.stream().map(SweepCommand::csvCell).toList())).append('\n');
        }
        o.printf("%nruns ranked by validation accuracy (test accuracy shown, never used to choose):%n");
        o.print(table);
        AtomicFiles.writeString(dir.resolve("sweep.csv"), csv.toString());
        RunInfo best = ranked.get(0);
        if (Double.isNaN(best.kept(RANKED_ON))) {
            o.println("\nno run has a validation accuracy (all diverged?)");
            return;
        }
        o.printf(Locale.ROOT, "%nbest run on validation: %s (val acc %.4f, epoch %d)%n", best.name(),
                best.kept(RANKED_ON), best.keptEpoch());
        o.printf(Locale.ROOT, "test accuracy of that run, reported once: %.4f%n", best.kept("test_acc"));
        List<String> written = new ArrayList<>(List.of("sweep.csv"));
        List<RunInfo> withMetrics = ranked.stream().filter(r -> !Double.isNaN(r.kept(RANKED_ON))).toList();
        if (!plan.varied().isEmpty()) {
            SweepFigure.save(plan, runs, RANKED_ON, dir.resolve("sweep.png"));
            written.add("sweep.png");
        }
        List<RunInfo> bestRuns = withMetrics.subList(0, Math.min(Math.max(top, 1), withMetrics.size()));
        SettingsDiff diff = SettingsDiff.of(runs);
        ComparisonFigure.save(bestRuns, bestRuns.stream().map(diff::label).toList(),
                "the " + bestRuns.size() + " best runs by validation accuracy", dir.resolve("best-curves.png"));
        written.add("best-curves.png");
        o.printf("wrote %s: %s%n", dir, String.join(", ", written));
    }

    private static String csvCell(String s) {
        return s.contains(",") ? "\"" + s + "\"" : s;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static Path newSweepName() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path p = Path.of("runs", "sweep-" + stamp);
        for (int i = 2; Files.exists(p); i++) {
            p = Path.of("runs", "sweep-" + stamp + "-" + i);
        }
        return p;
    }
}
