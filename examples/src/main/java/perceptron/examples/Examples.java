package perceptron.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import perceptron.data.Dataset;
import perceptron.data.FashionMnist;
import perceptron.plot.Plot;

/**
 * The examples of the chapter and what they share: where figures go, and the short mode the tests use.
 *
 * <p>Every example's {@code main} takes {@code [--out DIR] [--short]}: figures are written to DIR (default
 * {@code out/examples}); {@code --short} trains for one epoch on a few batches, so the test suite can run every
 * example in seconds.
 */
public final class Examples {
    private Examples() {
    }

    /**
     * One example: its section number (as {@code bin/example} takes it), title and class.
     *
     * @param section e.g. "5.2-scratch"; {@code bin/example 5.2} runs every example of 5.2
     */
    public record Entry(String section, String title, Class<?> type) {
        /** Runs the example's main method; what it throws arrives as the cause of an InvocationTargetException. */
        public void run(String... args) throws ReflectiveOperationException {
            type.getMethod("main", String[].class).invoke(null, (Object) args);
        }

        /** The Java source of the example (shipped in the jar). */
        public String source() throws IOException {
            try (var in = type.getResourceAsStream(type.getSimpleName() + ".java")) {
                if (in == null) {
                    throw new IOException("the source of " + type.getName() + " is not in the jar");
                }
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }

    /** Every example, in the chapter's order. */
    public static final List<Entry> ALL = List.of(
            new Entry("5.1", "Multilayer perceptrons: activation functions and their gradients", Section51Activations.class),
            new Entry("5.2-scratch", "Implementation of MLPs from scratch", Section52Scratch.class),
            new Entry("5.2-concise", "Concise implementation of MLPs", Section52Concise.class),
            new Entry("5.3", "Forward propagation, backward propagation and computational graphs", Section53Graph.class),
            new Entry("5.4", "Numerical stability and initialization", Section54Init.class),
            new Entry("5.6-scratch", "Dropout from scratch", Section56Scratch.class),
            new Entry("5.6-concise", "Concise dropout", Section56Concise.class),
            new Entry("3.7", "Weight decay (chapter 3 in the current edition, 4.5 in the older one)",
                    Section37WeightDecay.class),
            new Entry("5.7", "Predicting house prices on Kaggle", Section57HousePrices.class));

    /** The examples whose section is {@code section} or starts with {@code section-} (5.2 gives both of 5.2). */
    public static List<Entry> find(String section) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : ALL) {
            if (e.section().equals(section) || e.section().startsWith(section + "-")) {
                out.add(e);
            }
        }
        return out;
    }

    /** The directory of {@code --out DIR} (created), default out/examples. */
    static Path out(String[] args) throws IOException {
        Path dir = Path.of("out", "examples");
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--out")) {
                dir = Path.of(args[i + 1]);
            }
        }
        return Files.createDirectories(dir);
    }

    /** Whether {@code --short} asks for a quick run (the tests). */
    static boolean isShort(String[] args) {
        return List.of(args).contains("--short");
    }

    /** The book's number of epochs, or 1 in a short run. */
    static int epochs(String[] args, int book) {
        return isShort(args) ? 1 : book;
    }

    /** The training set, or its first 2,048 images in a short run. */
    static Dataset train(FashionMnist data, String[] args) {
        return isShort(args) ? data.train().subset(range(2048)) : data.train();
    }

    /** The test set, or its first 1,000 images in a short run. */
    static Dataset test(FashionMnist data, String[] args) {
        return isShort(args) ? data.test().subset(range(1000)) : data.test();
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Saves a figure as DIR/name.png and prints where. */
    static void save(Plot plot, Path dir, String name) {
        Path file = plot.save(dir.resolve(name + ".png"));
        System.out.println("figure: " + file);
    }

    /**
     * d2l's board as a training callback: the training loss twice per epoch, the loss and accuracy of the
     * evaluation set once per epoch. The book's "val" set is the test set, so that is what is drawn.
     */
    static perceptron.train.Callback board(perceptron.plot.TrainingCurves board) {
        return new perceptron.train.Callback() {
            @Override
            public void afterStep(int epoch, int batch, int batches, double loss) {
                if (batch % Math.max(1, batches / 2) == 0) {
                    board.add(epoch - 1 + (double) batch / batches, loss);
                }
            }

            @Override
            public boolean onEpochEnd(perceptron.nn.Layer model, perceptron.train.EpochMetrics m) {
                board.add(m.epoch(), Double.NaN, m.testLoss(), m.testAccuracy());
                return false;
            }
        };
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
