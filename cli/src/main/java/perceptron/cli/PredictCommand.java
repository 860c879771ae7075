package perceptron.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import perceptron.autograd.Autograd;
import perceptron.data.FashionMnist;
import perceptron.data.Idx;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;
import perceptron.train.RunDirectory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code perceptron predict runs/NAME --idx FILE --index N | --image PNG}: the three most likely classes;
 * {@code predict runs/NAME --csv test.csv --out submission.csv}: the predictions of a tabular run, one per row.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify one image with a trained run: the top 3 classes with their probabilities.",
                "With --csv: predict every row of a table with a run trained by train --csv (a Kaggle submission)."})
public final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run directory")
    Path runDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--idx", paramLabel = "FILE", required = true,
                description = "an IDX image file, e.g. t10k-images-idx3-ubyte.gz")
        Path idx;

        @Option(names = "--image", paramLabel = "PNG", required = true,
                description = "a picture (PNG, JPEG, ...), scaled to 28x28 grayscale")
        Path image;

        @Option(names = "--csv", paramLabel = "FILE", required = true,
                description = "a table with the training file's columns, for a run trained with train --csv; "
                        + "writes --out as a Kaggle submission (Id,Target)")
        Path csv;
    }

    @Option(names = "--out", paramLabel = "FILE", description = "with --csv: the predictions file to write")
    Path out;

    @Option(names = "--index", paramLabel = "N", description = "which image of the IDX file (default: 0)")
    int index;

    @Option(names = "--invert", description = "for dark objects on a light background (Fashion-MNIST is light on dark)")
    boolean invert;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        if (source.csv != null) {
            return TabularTraining.predict(runDir, source.csv, out);
        }
        Layer model = new RunDirectory(runDir).loadModel();
        float[] pixels;
        String what;
        String truth = null;
        if (source.idx != null) {
            Idx.Data images = Idx.readImages(source.idx);
            int[] shape = images.shape();
            int count = shape[0];
            if (index < 0 || index >= count) {
                throw new UserException("--index " + index + " is out of range: " + source.idx + " holds " + count
                        + " images (0 to " + (count - 1) + ")");
            }
            int size = images.data().length / count;
            pixels = new float[size];
            for (int i = 0; i < size; i++) {
                pixels[i] = (images.data()[index * size + i] & 0xff) / 255f;
            }
            what = "image " + index + " of " + source.idx.getFileName();
            truth = trueLabel(source.idx, index);
        } else {
            pixels = readPicture(source.image);
            what = source.image.getFileName().toString();
        }
        if (invert) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 1 - pixels[i];
            }
        }
        if (pixels.length != 784) {
            throw new UserException("the images of " + source.idx + " have " + pixels.length
                    + " pixels; this model takes 28x28 = 784");
        }
        double[] probabilities;
        try (Autograd.Scope g = Autograd.noGrad()) {
            probabilities = model.forward(Tensor.wrap(pixels, 1, 1, 28, 28)).softmax(1).toDoubleArray();
        }
        o.println(what + (truth != null ? " (true class: " + truth + ")" : ""));
        boolean[] used = new boolean[probabilities.length];
        for (int rank = 1; rank <= 3 && rank <= probabilities.length; rank++) {
            int best = -1;
            for (int c = 0; c < probabilities.length; c++) {
                if (!used[c] && (best < 0 || probabilities[c] > probabilities[best])) {
                    best = c;
                }
            }
            used[best] = true;
            o.printf(Locale.ROOT, "  %d. %-12s %.4f%n", rank, FashionMnist.textLabel(best), probabilities[best]);
        }
        return 0;
    }

    /** The label of image {@code index} if the matching labels file (…-labels-idx1-ubyte…) lies beside it. */
    private static String trueLabel(Path imagesFile, int index) {
        String name = imagesFile.getFileName().toString();
        if (!name.contains("images-idx3")) {
            return null;
        }
        Path labels = imagesFile.resolveSibling(name.replace("images-idx3", "labels-idx1"));
        if (!Files.exists(labels)) {
            return null;
        }
        try {
            Idx.Data l = Idx.readLabels(labels);
            return index < l.data().length ? FashionMnist.textLabel(l.data()[index] & 0xff) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A picture as 28x28 grayscale in [0, 1] (luminance; scaled with bilinear filtering if another size). */
    static float[] readPicture(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new UserException("no such file: " + file);
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new UserException(file + " is not an image format Java can read (use PNG, JPEG, GIF or BMP)");
        }
        BufferedImage small = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, 28, 28, null);
        g.dispose();
        float[] out = new float[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int rgb = small.getRGB(x, y);
                double lum = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                out[y * 28 + x] = (float) (lum / 255);
            }
        }
        return out;
    }
}
