package perceptron.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.data.Idx;
import picocli.CommandLine;

/**
 * The workload from which {@code bin/perceptron} records JDK 25's ahead-of-time cache (JEP 483, 514, 515) after a
 * build: {@code perceptron train} for two epochs on small random images in Fashion-MNIST's files, with everything
 * a real run does (the command line, reading gzipped IDX files, the JIT warm-up, training, evaluation, the
 * checkpoint, the curves as PNG and SVG). The cache keeps the classes this loads, already parsed and linked, and
 * the method profiles it gathers; later runs start from them. Random images, so that recording needs no data and
 * no network. Not for users: {@code java -cp perceptron-cli.jar perceptron.cli.AotTraining DIR}.
 */
public final class AotTraining {
    private static final int TRAIN = 2048;
    private static final int TEST = 512;
    private static final int SIDE = 28;

    private AotTraining() {
    }

    /** Trains in {@code args[0]} (a scratch directory it fills); the exit status is the command's. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AotTraining SCRATCH_DIR");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0])));
    }

    /** Writes the random data set under {@code dir}/data and trains into {@code dir}/run; returns the status. */
    static int run(Path dir) throws IOException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        SplittableRandom rng = new SplittableRandom(1);
        writeSet(data, "train", TRAIN, rng);
        writeSet(data, "t10k", TEST, rng);
        return Main.execute(new CommandLine(new Main()), "train", "--data", data.toString(), "--epochs", "2",
                "--out", dir.resolve("run").toString());
    }

    private static void writeSet(Path data, String prefix, int count, SplittableRandom rng) throws IOException {
        byte[] images = new byte[count * SIDE * SIDE];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) rng.nextInt(256);
        }
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rng.nextInt(10);
        }
        Idx.write(data.resolve(prefix + "-images-idx3-ubyte.gz"), new int[] {count, SIDE, SIDE}, images);
        Idx.write(data.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {count}, labels);
    }
}
