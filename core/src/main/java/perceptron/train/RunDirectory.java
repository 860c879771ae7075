package perceptron.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import perceptron.io.AtomicFiles;
import perceptron.io.Json;
import perceptron.io.SafeTensors;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;

/**
 * The files of one training run, {@code runs/<name>/}:
 * <pre>
 * model.safetensors   the weights, named as PyTorch's state_dict names them (loads into the same nn.Sequential)
 * model.json          architecture, training settings, progress (epoch, step) and the latest metrics
 * metrics.csv         epoch,train_loss,train_acc,test_acc,seconds
 * checkpoint/latest   names the newest complete generation, e.g. "epoch-0003"
 * checkpoint/epoch-0003/{model.safetensors, optimizer.safetensors, state.json}   what --resume needs
 * </pre>
 *
 * <p>Crash safety: a generation is written into a temporary directory and renamed into place only when
 * complete; then {@code checkpoint/latest} is replaced atomically; only then is the previous generation removed.
 * A crash at any moment leaves either the old or the new generation as the latest, never a mix. Top-level files
 * are each replaced atomically (temp file + rename).
 */
public final class RunDirectory {
    public static final String MODEL = "model.safetensors";
    public static final String DESCRIPTION = "model.json";
    public static final String METRICS = "metrics.csv";
    static final String FORMAT = "perceptron-run/1";
    private static final String CHECKPOINTS = "checkpoint";
    private static final String LATEST = "latest";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final String STATE = "state.json";

    private final Path dir;

    public RunDirectory(Path dir) {
        this.dir = dir;
    }

    public Path path() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** True if the directory already holds a run (a model.json). */
    public boolean exists() {
        return Files.exists(file(DESCRIPTION));
    }

    // ---- saving -----------------------------------------------------------------------------------------------

    /**
     * Saves everything a resumed run needs after {@code epoch} (counted from 1), then refreshes the top-level
     * model, metrics and description.
     */
    public void saveCheckpoint(Layer model, Optimizer optimizer, ModelSpec spec, TrainingSettings settings,
                               int epoch, long step, List<EpochMetrics> history) throws IOException {
        Path checkpoints = dir.resolve(CHECKPOINTS);
        Files.createDirectories(checkpoints);
        // The metrics first: a crash before the generation below is committed leaves a row too many, which a
        // resume drops; the other order could lose the row of the last checkpointed epoch for good.
        writeMetrics(history);
        // Serialised once: the same bytes go into the generation and to the top-level model file.
        byte[] weights = SafeTensors.toBytes(model.stateDict(), metadata(epoch));
        String generation = String.format("epoch-%04d", epoch);
        Path staging = checkpoints.resolve("." + generation + ".staging-" + System.nanoTime());
        Files.createDirectory(staging);
        try {
            AtomicFiles.write(staging.resolve(MODEL), weights);
            SafeTensors.write(staging.resolve(OPTIMIZER), optimizer.stateDict(), metadata(epoch));
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("epoch", epoch);
            state.put("step", step);
            Map<String, Object> random = new LinkedHashMap<>();
            model.randomState().forEach(random::put);
            state.put("random_state", random);
            AtomicFiles.writeString(staging.resolve(STATE), Json.pretty(state));
            Path target = checkpoints.resolve(generation);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            move(staging, target);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
        AtomicFiles.writeString(checkpoints.resolve(LATEST), generation + "\n");
        removeOldGenerations(checkpoints, generation);

        AtomicFiles.write(file(MODEL), weights);
        AtomicFiles.writeString(file(DESCRIPTION), Json.pretty(describe(model, spec, settings, epoch, step, history)));
    }

    /**
     * Makes a run directory for a model that was not trained here (an ONNX import): model.safetensors and a
     * model.json at epoch 0 whose {@code source} says where the model came from. Its {@code training} block holds
     * d2l's defaults (no training happened), so evaluate, predict, regions, export and serve work on it.
     */
    public void saveImported(Layer model, ModelSpec spec, Map<String, Object> source) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(file(MODEL), SafeTensors.toBytes(model.stateDict(), metadata(0)));
        Map<String, Object> d = describe(model, spec, TrainingSettings.d2l().withEpochs(0), 0, 0, List.of());
        d.put("source", source);
        AtomicFiles.writeString(file(DESCRIPTION), Json.pretty(d));
    }

    private static Map<String, String> metadata(int epoch) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("producer", "perceptron");
        meta.put("epoch", Integer.toString(epoch));
        return meta;
    }

    private static Map<String, Object> describe(Layer model, ModelSpec spec, TrainingSettings settings, int epoch,
                                                long step, List<EpochMetrics> history) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", FORMAT);
        d.put("architecture", spec.toJson());
        d.put("layers", model.toString());
        d.put("parameters", model.parameterCount());
        d.put("training", settings.toJson());
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("epoch", epoch);
        progress.put("step", step);
        d.put("progress", progress);
        if (!history.isEmpty()) {
            EpochMetrics last = history.get(history.size() - 1);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_loss", last.trainLoss());
            if (!Double.isNaN(last.trainAccuracy())) {
                m.put("train_acc", last.trainAccuracy());
            }
            if (!Double.isNaN(last.testAccuracy())) {
                m.put("test_acc", last.testAccuracy());
            }
            d.put("metrics", m);
        }
        return d;
    }

    /** Writes metrics.csv (atomically). */
    public void writeMetrics(List<EpochMetrics> history) throws IOException {
        StringBuilder sb = new StringBuilder(EpochMetrics.CSV_HEADER).append('\n');
        for (EpochMetrics m : history) {
            sb.append(m.toCsv()).append('\n');
        }
        AtomicFiles.writeString(file(METRICS), sb.toString());
    }

    /** Reads metrics.csv; an empty list if there is none. */
    public List<EpochMetrics> readMetrics() throws IOException {
        Path f = file(METRICS);
        List<EpochMetrics> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                out.add(EpochMetrics.parseCsv(lines.get(i)));
            } catch (RuntimeException e) {
                throw new IOException(f + ", line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    // ---- loading ----------------------------------------------------------------------------------------------

    /** What model.json says about a run. */
    public record Description(ModelSpec spec, TrainingSettings settings, int epoch, long step) {
    }

    public Description readDescription() throws IOException {
        Path f = file(DESCRIPTION);
        if (!Files.exists(f)) {
            throw new java.io.FileNotFoundException("not a training run: " + f + " is missing "
                    + "(train one with: bin/perceptron train --out " + dir + ")");
        }
        Object parsed;
        try {
            parsed = Json.parse(Files.readString(f, StandardCharsets.UTF_8));
        } catch (Json.SyntaxError e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
        try {
            Map<String, Object> d = object(parsed, "the top level");
            if (!FORMAT.equals(d.get("format"))) {
                throw new IllegalArgumentException("format must be \"" + FORMAT + "\", got " + d.get("format"));
            }
            Map<String, Object> progress = object(d.get("progress"), "progress");
            return new Description(ModelSpec.fromJson(object(d.get("architecture"), "architecture")),
                    TrainingSettings.fromJson(object(d.get("training"), "training")),
                    ((Number) progress.get("epoch")).intValue(), ((Number) progress.get("step")).longValue());
        } catch (RuntimeException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return (Map<String, Object>) o;
    }

    /** Rebuilds the model of a run and loads its weights from model.safetensors, in eval mode. */
    public Layer loadModel() throws IOException {
        Description d = readDescription();
        Layer model = d.spec().build(new java.util.SplittableRandom(0), 0);
        loadWeights(model, file(MODEL));
        model.eval();
        return model;
    }

    private static void loadWeights(Layer model, Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new java.io.FileNotFoundException("the weights file " + file + " is missing");
        }
        Map<String, Tensor> weights = SafeTensors.read(file).tensors();
        try {
            model.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit the architecture in " + DESCRIPTION + ": " + e.getMessage(), e);
        }
    }

    /** Progress restored from the latest checkpoint generation. */
    public record Resumed(int epoch, long step) {
    }

    /**
     * Loads the latest complete checkpoint into {@code model} and {@code optimizer} (which must be built as the
     * run describes) and returns where training stopped.
     */
    public Resumed restoreLatest(Layer model, Optimizer optimizer) throws IOException {
        Path checkpoints = dir.resolve(CHECKPOINTS);
        Path latest = checkpoints.resolve(LATEST);
        if (!Files.exists(latest)) {
            throw new java.io.FileNotFoundException("nothing to resume in " + dir
                    + ": no checkpoint has been completed (" + latest + " is missing)");
        }
        String generation = Files.readString(latest, StandardCharsets.UTF_8).trim();
        if (!generation.matches("epoch-\\d{4,}")) {
            throw new IOException(latest + ": expected a generation name like epoch-0003, got '" + generation + "'");
        }
        Path g = checkpoints.resolve(generation);
        loadWeights(model, g.resolve(MODEL));
        Path optimizerFile = g.resolve(OPTIMIZER);
        try {
            optimizer.loadStateDict(SafeTensors.read(optimizerFile).tensors());
        } catch (IllegalArgumentException e) {
            throw new IOException(optimizerFile + " does not fit the optimizer: " + e.getMessage(), e);
        }
        Path stateFile = g.resolve(STATE);
        try {
            Map<String, Object> state = object(Json.parse(Files.readString(stateFile, StandardCharsets.UTF_8)),
                    "the top level");
            Map<String, Object> random = object(state.get("random_state"), "random_state");
            Map<String, Long> positions = new LinkedHashMap<>();
            random.forEach((k, v) -> positions.put(k, ((Number) v).longValue()));
            model.setRandomState(positions);
            return new Resumed(((Number) state.get("epoch")).intValue(), ((Number) state.get("step")).longValue());
        } catch (RuntimeException e) {
            throw new IOException(stateFile + ": " + e.getMessage(), e);
        }
    }

    // ---- files ------------------------------------------------------------------------------------------------

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Removes every generation but {@code keep}, and staging directories a crash may have left behind. */
    private static void removeOldGenerations(Path checkpoints, String keep) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(checkpoints, "{epoch-*,.epoch-*}")) {
            for (Path p : entries) {
                if (!p.getFileName().toString().equals(keep)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
