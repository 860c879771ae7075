package perceptron.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import perceptron.io.AtomicFiles;
import perceptron.io.InvalidInputException;
import perceptron.io.Json;
import perceptron.io.JsonFields;
import perceptron.io.SafeTensors;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;

/**
 * The files of one training run, {@code runs/<name>/}:
 * <pre>
 * model.safetensors   the weights, named as PyTorch's state_dict names them (loads into the same nn.Sequential):
 *                     the last epoch's, or, in a run with a validation split, those of the best epoch on it
 * model.json          architecture, training settings, progress (epoch, step), which epoch model.safetensors
 *                     holds ("kept") and that epoch's metrics
 * metrics.csv         epoch,train_loss,train_acc[,val_loss,val_acc],test_loss,test_acc,seconds
 * checkpoint/latest   names the newest complete generation, e.g. "epoch-0003"
 * checkpoint/epoch-0003/{model.safetensors, optimizer.safetensors, state.json}   what --resume needs
 * </pre>
 *
 * <p>Crash safety: a generation is written into a temporary directory and renamed into place only when
 * complete; then {@code checkpoint/latest} is replaced atomically; only then is the previous generation removed.
 * A crash at any moment leaves either the old or the new generation as the latest, never a mix. Top-level files
 * are each replaced atomically (temp file + rename). model.json is written before the first generation, so
 * that a crash right after it still leaves a run that {@code --resume} accepts.
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
     * model, metrics and description. The top-level model is this epoch's unless the history was measured on a
     * validation split and an earlier epoch scored better on it ({@link BestEpoch}).
     */
    public void saveCheckpoint(Layer model, Optimizer optimizer, ModelSpec spec, TrainingSettings settings,
                               int epoch, long step, List<EpochMetrics> history) throws IOException {
        Path checkpoints = dir.resolve(CHECKPOINTS);
        Files.createDirectories(checkpoints);
        // The metrics first: a crash before the generation below is committed leaves a row too many, which a
        // resume drops; the other order could lose the row of the last checkpointed epoch for good.
        writeMetrics(history);
        if (!exists()) {
            // Before the first generation: resuming needs the description, and a crash may come between the two.
            AtomicFiles.writeString(file(DESCRIPTION), Json.pretty(describe(model, spec, settings, epoch - 1, 0,
                    history.subList(0, Math.max(history.size() - 1, 0)))));
        }
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
                AtomicFiles.deleteTree(target);
            }
            move(staging, target);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(staging);
            throw e;
        }
        AtomicFiles.writeString(checkpoints.resolve(LATEST), generation + "\n");
        removeOldGenerations(checkpoints, generation);

        BestEpoch best = BestEpoch.of(history);
        if (best == null || best.epoch() == epoch || !Files.exists(file(MODEL))) {
            AtomicFiles.write(file(MODEL), weights);
        }
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
        BestEpoch best = BestEpoch.of(history);
        EpochMetrics kept = null;
        for (EpochMetrics m : history) {
            if (best == null || m.epoch() == best.epoch()) {
                kept = m;
            }
        }
        if (kept != null) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("epoch", kept.epoch());
            k.put("reason", best == null ? "the last epoch (no validation set)"
                    : "the best " + best.metric() + " on the validation set");
            d.put("kept", k);
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "train_loss", kept.trainLoss());
            put(m, "train_acc", kept.trainAccuracy());
            put(m, "val_loss", kept.validationLoss());
            put(m, "val_acc", kept.validationAccuracy());
            put(m, "test_loss", kept.testLoss());
            put(m, "test_acc", kept.testAccuracy());
            d.put("metrics", m);
        }
        return d;
    }

    private static void put(Map<String, Object> m, String key, double value) {
        if (!Double.isNaN(value)) {
            m.put(key, value);
        }
    }

    /** Writes metrics.csv (atomically); with the val_loss and val_acc columns if the history has a validation set. */
    public void writeMetrics(List<EpochMetrics> history) throws IOException {
        boolean validation = history.stream().anyMatch(EpochMetrics::hasValidation);
        StringBuilder sb = new StringBuilder(EpochMetrics.csvHeader(validation)).append('\n');
        for (EpochMetrics m : history) {
            sb.append(m.toCsv(validation)).append('\n');
        }
        AtomicFiles.writeString(file(METRICS), sb.toString());
    }

    /** Reads metrics.csv; an empty list if there is none. */
    public List<EpochMetrics> readMetrics() throws IOException {
        Path f = file(METRICS);
        if (!Files.exists(f)) {
            return new ArrayList<>();
        }
        try {
            return EpochMetrics.parseCsv(Files.readAllLines(f, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(f + ", " + e.getMessage(), e);
        }
    }

    // ---- loading ----------------------------------------------------------------------------------------------

    /** What model.json says about a run. */
    public record Description(ModelSpec spec, TrainingSettings settings, int epoch, long step) {
    }

    /**
     * Reads model.json. Every field is checked (type, range, exactness); an error names the file and the field
     * ({@link InvalidInputException}), a missing file says how to make one ({@link java.io.FileNotFoundException}).
     */
    public Description readDescription() throws IOException {
        Path f = file(DESCRIPTION);
        if (!Files.exists(f)) {
            throw new java.io.FileNotFoundException("not a training run: " + f + " is missing "
                    + "(train one with: bin/perceptron train --out " + dir + ")");
        }
        JsonFields d = JsonFields.read(f);
        d.require("format", FORMAT);
        ModelSpec spec = ModelSpec.fromJson(d.object("architecture"));
        TrainingSettings settings = TrainingSettings.fromJson(d.object("training"));
        JsonFields progress = d.object("progress");
        return new Description(spec, settings, progress.integer("epoch", 0, Integer.MAX_VALUE),
                progress.longInteger("step", 0, Long.MAX_VALUE));
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
        requireFinite(file, weights);
        try {
            model.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit the architecture in " + DESCRIPTION + ": " + e.getMessage(), e);
        }
    }

    /** NaN or infinite weights would give NaN probabilities without a word: refuse them, naming the tensor. */
    private static void requireFinite(Path file, Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            double[] values = e.getValue().toDoubleArray();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new InvalidInputException(file + ": tensor " + e.getKey() + " holds " + values[i]
                            + " at index " + i + "; a model with non-finite weights computes nothing meaningful "
                            + "(did its training diverge?)");
                }
            }
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
        // Latin-1 decodes any bytes; the pattern then admits only the ASCII of a generation name.
        String generation = new String(Files.readAllBytes(latest), StandardCharsets.ISO_8859_1).trim();
        if (!generation.matches("epoch-\\d{4,9}")) {
            throw new InvalidInputException(latest + ": expected a generation name like epoch-0003, got "
                    + InvalidInputException.show(generation));
        }
        Path g = checkpoints.resolve(generation);
        for (String name : new String[] {MODEL, OPTIMIZER, STATE}) {
            if (!Files.exists(g.resolve(name))) {
                throw new java.io.FileNotFoundException("the checkpoint " + g + " is incomplete: " + name
                        + " is missing (it was deleted or damaged after it was written)");
            }
        }
        // state.json first: nothing is loaded into the model unless every file of the generation is valid.
        Path stateFile = g.resolve(STATE);
        JsonFields state = JsonFields.read(stateFile);
        int epoch = state.integer("epoch", 1, Integer.MAX_VALUE);
        int named = Integer.parseInt(generation.substring("epoch-".length()));
        if (epoch != named) {
            throw state.error("epoch", "is " + epoch + ", but the generation is named " + generation);
        }
        long step = state.longInteger("step", 0, Long.MAX_VALUE);
        JsonFields random = state.object("random_state");
        Map<String, Long> positions = new LinkedHashMap<>();
        for (String key : random.keys()) {
            positions.put(key, random.longInteger(key, 0, Long.MAX_VALUE));
        }
        loadWeights(model, g.resolve(MODEL));
        Path optimizerFile = g.resolve(OPTIMIZER);
        Map<String, Tensor> moments = SafeTensors.read(optimizerFile).tensors();
        requireFinite(optimizerFile, moments);
        try {
            optimizer.loadStateDict(moments);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(optimizerFile + " does not fit the optimizer: " + e.getMessage(), e);
        }
        try {
            model.setRandomState(positions);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(stateFile + ": random_state: " + e.getMessage(), e);
        }
        return new Resumed(epoch, step);
    }

    /**
     * Gets the directory ready for a training run to write into, before any training is done: creates it,
     * removes the temporary files a crash during a write left behind, and checks that the run and its
     * checkpoints can be written (a read-only run fails now, not after an epoch of training).
     */
    public void prepareForWriting() throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new java.nio.file.FileAlreadyExistsException(dir.toString(), null,
                    "it is a file; a run is a directory");
        }
        Files.createDirectories(dir);
        checkWritable(dir);
        AtomicFiles.removeLeftovers(dir);
        Path checkpoints = dir.resolve(CHECKPOINTS);
        if (Files.isDirectory(checkpoints)) {
            checkWritable(checkpoints);
            AtomicFiles.removeLeftovers(checkpoints);
        }
    }

    /** Creates and deletes a file in {@code d}: the only sure test of writability (ACLs, read-only mounts). */
    private static void checkWritable(Path d) throws IOException {
        Path probe = d.resolve(".write-test-" + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
        } catch (IOException e) {
            throw new java.nio.file.AccessDeniedException(d.toString(), null,
                    "this run cannot be written to (" + e.getClass().getSimpleName() + "); training would fail "
                    + "at the first checkpoint");
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    /** True if files can be created in the run directory (false for a read-only copy of a run). */
    public boolean isWritable() {
        try {
            checkWritable(dir);
            return true;
        } catch (IOException e) {
            return false;
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
                    AtomicFiles.deleteTree(p);
                }
            }
        }
    }
}
