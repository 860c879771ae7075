package perceptron.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.data.Idx;

/**
 * A small stand-in for Fashion-MNIST in its real file format: 28x28 images where class c is a bright bar at row
 * 2c plus noise, so a model learns it in one epoch. The tests that need the real data use it when installed.
 */
final class TinyFashion {
    private TinyFashion() {
    }

    static Path write(Path dir, int train, int test) throws IOException {
        write(dir, "train", train, 1);
        write(dir, "t10k", test, 2);
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
                int v = rng.nextInt(60) + (row == 2 * c + 3 || row == 2 * c + 4 ? 180 : 0);
                images[i * 784 + p] = (byte) Math.min(255, v);
            }
        }
        Idx.write(dir.resolve(split + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, images);
        Idx.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
    }
}
