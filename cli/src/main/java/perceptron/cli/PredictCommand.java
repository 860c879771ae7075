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
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import perceptron.autograd.Autograd;
import perceptron.data.FashionMnist;
import perceptron.data.Idx;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;
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

    /** The largest picture --image decodes: 16 megapixels (4096 x 4096), about 64 MB as decoded RGB. */
    static final long MAX_PICTURE_PIXELS = 1L << 24;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        if (source.csv != null) {
            return TabularTraining.predict(runDir, source.csv, out);
        }
        Runs.Loaded loaded = Runs.load(runDir);
        Layer model = loaded.model();
        int[] inputShape = loaded.spec().inputShape();
        float[] pixels;
        String what;
        String truth = null;
        if (source.idx != null) {
            // The header alone first: only the one image asked for is ever read, whatever the file promises.
            int[] shape = Idx.imageShape(source.idx);
            int count = shape[0];
            if (index < 0 || index >= count) {
                throw new UserException("--index " + index + " is out of range: " + source.idx + " holds " + count
                        + " images (0 to " + (count - 1) + ")");
            }
            if ((long) shape[1] * shape[2] != loaded.spec().inputFeatures()) {
                throw new UserException("the images of " + source.idx + " are " + shape[1] + "x" + shape[2]
                        + " pixels; this model takes " + Runs.shape(inputShape));
            }
            byte[] image = Idx.readImage(source.idx, index).data();
            pixels = new float[image.length];
            for (int i = 0; i < image.length; i++) {
                pixels[i] = (image[i] & 0xff) / 255f;
            }
            what = "image " + index + " of " + source.idx.getFileName();
            truth = trueLabel(source.idx, index);
        } else {
            if (inputShape.length != 3 || inputShape[0] != 1) {
                throw new UserException("--image makes a one-channel picture, but this model takes "
                        + java.util.Arrays.toString(inputShape));
            }
            pixels = readPicture(source.image, inputShape[2], inputShape[1]);
            what = source.image.getFileName().toString();
        }
        if (invert) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 1 - pixels[i];
            }
        }
        double[] probabilities;
        try (Autograd.Scope g = Autograd.noGrad()) {
            probabilities = model.forward(Tensor.wrap(pixels, batchOfOne(inputShape))).softmax(1).toDoubleArray();
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

    private static int[] batchOfOne(int[] inputShape) {
        int[] shape = new int[inputShape.length + 1];
        shape[0] = 1;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return shape;
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
            // One label, not the file: its header may promise (and a gzip stream hold) gigabytes.
            return FashionMnist.textLabel(Idx.readLabel(labels, index));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A picture as width x height grayscale in [0, 1] (luminance; scaled with bilinear filtering if another
     * size). Its dimensions are read from the header before anything is decoded: a picture of more than {@link
     * #MAX_PICTURE_PIXELS} is refused, so a small file cannot make us decode gigabytes.
     */
    static float[] readPicture(Path file, int width, int height) throws IOException {
        if (!Files.exists(file)) {
            throw new UserException("no such file: " + file);
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            img = decodePicture(in, file.toString());
        }
        return grayscale(img, width, height);
    }

    /**
     * Decodes one picture from {@code in} ({@code what} names it in errors), after checking its dimensions from
     * the header: more than {@link #MAX_PICTURE_PIXELS} is refused before any pixel is decoded. Every failure is
     * a {@link UserException} naming {@code what}: a bad picture is the sender's to fix, not a bug of ours.
     */
    static BufferedImage decodePicture(ImageInputStream in, String what) {
        try {
            if (in == null) {
                throw new UserException(what + ": cannot be opened as an image");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UserException(what + " is not an image format Java can read (use PNG, JPEG, GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PICTURE_PIXELS) {
                    throw new UserException(String.format(Locale.ROOT, "%s is %dx%d pixels; at most %,d pixels "
                            + "(4096x4096) are decoded: scale it down first", what, w, h, MAX_PICTURE_PIXELS));
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserException) {
                throw (UserException) e;
            }
            // ImageIO's messages ("Error skipping PNG metadata") name no file, and a damaged file may make a
            // decoder throw anything; both are a bad picture, not a bug of ours.
            throw new UserException(what + ": cannot decode the image (" + (e.getMessage() != null
                    ? e.getMessage() : e.getClass().getSimpleName()) + ")", e);
        }
    }

    /** A picture as width x height grayscale in [0, 1], row-major (luminance; bilinear scaling). */
    static float[] grayscale(BufferedImage img, int width, int height) {
        BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, width, height, null);
        g.dispose();
        float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = small.getRGB(x, y);
                double lum = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                out[y * width + x] = (float) (lum / 255);
            }
        }
        return out;
    }
}
