package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Run directories for the experiment tests: real tiny trainings, and copies that look half-trained. */
final class ExperimentRuns {
    private ExperimentRuns() {
    }

    /** {@link TinyFashion}'s 1,200 training and 300 test images in {@code dir}. */
    static Path tinyData(Path dir) throws IOException {
        Files.createDirectories(dir);
        return TinyFashion.write(dir, 1200, 300);
    }

    /** Trains a real run on the tiny data with one thread. */
    static Path train(Path out, Path data, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--threads", "1"));
        args.addAll(List.of(options));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    /**
     * A copy of a finished run's model.json and first {@code epochsDone} lines of metrics.csv, planned for
     * {@code planned} epochs: what a run looks like while it trains.
     */
    static Path liveCopy(Path finished, Path target, int planned, int epochsDone) throws IOException {
        Files.createDirectories(target);
        String json = Files.readString(finished.resolve("model.json"));
        Files.writeString(target.resolve("model.json"), json.replaceFirst("\"epochs\": \\d+", "\"epochs\": " + planned));
        List<String> lines = Files.readAllLines(finished.resolve("metrics.csv"));
        Files.writeString(target.resolve("metrics.csv"), String.join("\n", lines.subList(0, epochsDone + 1)) + "\n");
        return target;
    }

    /** A plausible metrics.csv line for {@code epoch}, with the columns of the run's header. */
    static String metricsLine(Path run, int epoch) throws IOException {
        String header = Files.readAllLines(run.resolve("metrics.csv")).get(0);
        List<String> cells = new ArrayList<>();
        for (String column : header.split(",")) {
            cells.add(column.equals("epoch") ? Integer.toString(epoch)
                    : column.endsWith("_loss") ? String.format(Locale.ROOT, "%.6f", 0.5 - 0.02 * epoch)
                    : column.endsWith("_acc") ? String.format(Locale.ROOT, "%.6f", 0.8 + 0.01 * epoch)
                    : "1.000");
        }
        return String.join(",", cells);
    }
}
