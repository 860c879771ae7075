package perceptron.cli.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import perceptron.io.Json;
import perceptron.train.RunDirectory;

/**
 * What a run directory says at the moment it is read, for tools that watch or compare runs (the dashboard,
 * {@code compare}, {@code sweep}). Reading never fails on a run that is still being written: a missing or
 * half-written model.json leaves the settings empty, a partial metrics.csv gives the complete lines.
 *
 * @param id          the run's path relative to the directory it was found under, with '/' separators
 * @param dir         the run directory
 * @param description model.json as parsed, or an empty map if it is missing or unreadable
 * @param metrics     metrics.csv (see {@link MetricsTable})
 * @param modified    the newest modification time of model.json and metrics.csv, in milliseconds
 */
public record RunInfo(String id, Path dir, Map<String, Object> description, MetricsTable metrics, long modified) {

    /** Keys of model.json's "architecture" that every Fashion-MNIST MLP shares, left out of the settings. */
    private static final List<String> FIXED_ARCHITECTURE = List.of("type", "input_shape", "outputs");

    /** How deep under the root runs are looked for: runs/NAME and sweeps/NAME/RUN. */
    private static final int MAX_DEPTH = 3;

    public static RunInfo read(Path root, Path dir) throws IOException {
        Map<String, Object> description = readDescription(dir.resolve(RunDirectory.DESCRIPTION));
        MetricsTable metrics = MetricsTable.read(dir.resolve(RunDirectory.METRICS));
        long modified = Math.max(modified(dir.resolve(RunDirectory.DESCRIPTION)),
                modified(dir.resolve(RunDirectory.METRICS)));
        String id = root.relativize(dir).toString().replace('\\', '/');
        return new RunInfo(id.isEmpty() ? "." : id, dir, description, metrics, modified);
    }

    /** A single run directory, its id being its own name. */
    public static RunInfo read(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        return read(abs.getParent() == null ? abs : abs.getParent(), abs);
    }

    /**
     * The runs under {@code root} (directories holding a model.json or a metrics.csv, at most {@value #MAX_DEPTH}
     * levels down, checkpoints excluded), sorted by id. {@code root} itself counts if it is a run.
     */
    public static List<RunInfo> findAll(Path root) throws IOException {
        List<RunInfo> runs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return runs;
        }
        Path realRoot = root.toRealPath();
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH)) {
            dirs = walk.filter(Files::isDirectory)
                    .filter(d -> !d.getFileName().toString().equals("checkpoint")
                            && !d.toString().contains("/checkpoint/"))
                    .filter(d -> isRun(d) && isWithin(realRoot, d))
                    .sorted()
                    .toList();
        }
        for (Path d : dirs) {
            runs.add(read(root, d));
        }
        return runs;
    }

    /**
     * True if {@code dir} and the run files in it are inside {@code realRoot} (a real path) once symbolic links
     * are resolved: what the dashboard may read.
     */
    public static boolean isWithin(Path realRoot, Path dir) {
        try {
            if (!dir.toRealPath().startsWith(realRoot)) {
                return false;
            }
            for (String f : new String[] {RunDirectory.DESCRIPTION, RunDirectory.METRICS, RunDirectory.MODEL}) {
                Path p = dir.resolve(f);
                if (Files.exists(p) && !p.toRealPath().startsWith(realRoot)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if {@code dir} holds a run, finished or not. */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(RunDirectory.DESCRIPTION))
                || Files.isRegularFile(dir.resolve(RunDirectory.METRICS));
    }

    private static Map<String, Object> readDescription(Path file) {
        try {
            Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            return parsed instanceof Map<?, ?> m ? cast(m) : Map.of();
        } catch (IOException | IllegalArgumentException e) {
            return Map.of();        // missing, or replaced while we read it: next time
        }
    }

    private static long modified(Path file) {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            return t.toMillis();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** The run's directory name. */
    public String name() {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    /**
     * The settings that define the run, flattened and printable, in model.json's order: the architecture's
     * (hidden, activation, dropout, batch_norm) then every training setting (optimizer, lr, ..., seed).
     */
    public Map<String, String> settings() {
        Map<String, String> out = new LinkedHashMap<>();
        if (description.get("architecture") instanceof Map<?, ?> a) {
            a.forEach((k, v) -> {
                if (!FIXED_ARCHITECTURE.contains(k)) {
                    out.put(k.toString(), format(v));
                }
            });
        }
        if (description.get("training") instanceof Map<?, ?> t) {
            t.forEach((k, v) -> out.put(k.toString(), format(v)));
        }
        return out;
    }

    /** A setting's value as a person writes it on the command line: {@code 256,256}, {@code 0.1}, {@code true}. */
    public static String format(Object v) {
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(format(x)));
            return parts.isEmpty() ? "none" : String.join(",", parts);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            String s = String.format(Locale.ROOT, "%.6g", d);
            return Double.toString(Double.parseDouble(s));      // 0.1 rather than 0.100000
        }
        return String.valueOf(v);
    }

    /** The epochs the run was asked for (model.json's training.epochs), or 0 if not yet known. */
    public int plannedEpochs() {
        if (description.get("training") instanceof Map<?, ?> t && t.get("epochs") instanceof Number n) {
            return n.intValue();
        }
        return 0;
    }

    /** Complete epochs in metrics.csv. */
    public int epochsDone() {
        return metrics.size();
    }

    /** All planned epochs are in metrics.csv. */
    public boolean finished() {
        return plannedEpochs() > 0 && epochsDone() >= plannedEpochs();
    }

    /** Number of parameters from model.json, or -1. */
    public long parameters() {
        return description.get("parameters") instanceof Number n ? n.longValue() : -1;
    }

    /** Training time so far: the sum of metrics.csv's seconds. */
    public double seconds() {
        return metrics.sum("seconds");
    }

    /**
     * A metric of the weights the run keeps: model.json's "metrics", which are those of the best epoch on the
     * validation set in a run with one, and of the last epoch otherwise; failing that, the last value in
     * metrics.csv. NaN if the run has no such metric.
     */
    public double kept(String metric) {
        if (description.get("metrics") instanceof Map<?, ?> m && m.get(metric) instanceof Number n) {
            return n.doubleValue();
        }
        return last(metric);
    }

    /** The epoch whose weights the run keeps (model.json's "kept", else its progress), or the last in metrics.csv. */
    public int keptEpoch() {
        if (description.get("kept") instanceof Map<?, ?> k && k.get("epoch") instanceof Number n) {
            return n.intValue();
        }
        return epochsDone();
    }

    /** The last value of a metric (e.g. {@code val_acc}), or NaN if the run has none. */
    public double last(String metric) {
        return metrics.last(metric);
    }
}
