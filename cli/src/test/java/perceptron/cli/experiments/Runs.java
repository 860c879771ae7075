package perceptron.cli.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import perceptron.cli.Main;
import perceptron.data.Idx;

/** Run directories for the experiment tests: real tiny trainings, and copies that look half-trained. */
final class Runs {
    private Runs() {
    }

    /**
     * A small stand-in for Fashion-MNIST in its real file format (as cli's TinyFashion): class c is a bright
     * bar at row 2c + 3, so one epoch learns it.
     */
    static Path tinyData(Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", 1200, 1);
        write(dir, "t10k", 300, 2);
        return dir;
    }

    private static void write(Path dir, String split, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] images = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                images[i * 784 + p] = (byte) Math.min(255, rng.nextInt(60) + (row == 2 * c + 3 ? 180 : 0));
            }
        }
        Idx.write(dir.resolve(split + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, images);
        Idx.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
    }

    /** Runs the command line, stdout and stderr captured; returns {code, out, err}. */
    static String[] cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8),
                    e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Trains a real run on the tiny data with one thread. */
    static Path train(Path out, Path data, String... options) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--threads", "1"));
        args.addAll(List.of(options));
        String[] r = cli(args.toArray(String[]::new));
        assertEquals("0", r[0], r[2]);
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
                    : column.endsWith("_loss") ? String.format(java.util.Locale.ROOT, "%.6f", 0.5 - 0.02 * epoch)
                    : column.endsWith("_acc") ? String.format(java.util.Locale.ROOT, "%.6f", 0.8 + 0.01 * epoch)
                    : "1.000");
        }
        return String.join(",", cells);
    }
}
