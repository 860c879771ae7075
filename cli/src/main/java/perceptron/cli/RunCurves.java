package perceptron.cli;

import java.nio.file.Path;
import java.util.List;
import perceptron.nn.Layer;
import perceptron.plot.TrainingCurves;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;

/**
 * The curves of a run, drawn as d2l's ProgressBoard draws them: the training loss twice per epoch (each point the
 * mean loss of the minibatches since the previous one, at their mean x), the other values once per epoch, x in
 * epochs from 0. The second set is the validation set when the run holds one out, else the test set (the book's
 * setting, where d2l's "val" curves are measured on the test data); the legend says which.
 *
 * <p>The figures are redrawn at most every {@link #REDRAW_SECONDS} seconds during training, and always at the
 * end ({@link #close}, also when training fails).
 */
final class RunCurves implements Callback, AutoCloseable {
    /**
     * Least time between two drawings during training. Drawing curves.png and curves.svg takes 0.12-0.14 s, and
     * 0.9 s the first time (Java2D and the SVG writer loading), on the training thread, against a 0.5-0.9 s epoch
     * of the default run: drawn after every epoch, the figures were about 2 s of its 10-12 s (bench/RESULTS.md,
     * "Wall time"); drawing them on a thread of their own did not help, the CPU being the same two cores. The
     * numbers are in metrics.csv after every epoch, and {@code --dashboard} draws them live.
     */
    static final long REDRAW_SECONDS = 10;

    /** d2l's {@code plot_train_per_epoch}. */
    private static final int TRAIN_POINTS_PER_EPOCH = 2;

    private final TrainingCurves curves;
    private final boolean validation;
    private final boolean classification;
    private final Path base;
    private double lossSum;
    private double xSum;
    private int count;
    /** When the figures were last drawn, or the curves made: a run shorter than the interval is drawn once. */
    private long lastDrawn = System.nanoTime();
    /** Whether the curves have points the files do not show yet. */
    private boolean stale;

    RunCurves(boolean validation, boolean classification, int epochs, Path base) {
        this.validation = validation;
        this.classification = classification;
        this.base = base;
        String held = validation ? "val" : "test";
        String[] legend = classification ? new String[] {"train_loss", "train_acc", held + "_loss", held + "_acc"}
                : new String[] {"train_loss", held + "_loss"};
        this.curves = new TrainingCurves("epoch", legend).xlim(0, Math.max(epochs, 1));
    }

    /** The sets the curves come from, for the run's output. */
    static String describe(boolean validation, boolean classification, String trainSet, String heldSet) {
        String held = validation ? "val" : "test";
        return "curves: " + names("train", classification) + " on " + trainSet + "; " + names(held, classification)
                + " on " + heldSet + (validation ? "" : " (no validation set: the book's setting)");
    }

    private static String names(String set, boolean classification) {
        return classification ? set + "_loss, " + set + "_acc" : set + "_loss";
    }

    /** Adds the epochs of a resumed run (one training-loss point per epoch: the in-epoch points are not kept). */
    void addHistory(List<EpochMetrics> history) {
        for (EpochMetrics m : history) {
            curves.add(m.epoch(), m.trainLoss());
            addEpoch(m);
        }
    }

    @Override
    public void afterStep(int epoch, int batch, int batches, double loss) {
        lossSum += loss;
        xSum += epoch - 1 + (double) batch / batches;
        count++;
        int every = Math.max(1, batches / TRAIN_POINTS_PER_EPOCH);
        if (count >= every || batch == batches) {
            curves.add(xSum / count, lossSum / count);
            lossSum = 0;
            xSum = 0;
            count = 0;
        }
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics m) {
        addEpoch(m);
        return false;
    }

    private void addEpoch(EpochMetrics m) {
        double heldLoss = validation ? m.validationLoss() : m.testLoss();
        double heldAcc = validation ? m.validationAccuracy() : m.testAccuracy();
        if (classification) {
            curves.add(m.epoch(), Double.NaN, m.trainAccuracy(), heldLoss, heldAcc);
        } else {
            curves.add(m.epoch(), Double.NaN, heldLoss);
        }
    }

    /** Writes curves.png and curves.svg if the last drawing is {@link #REDRAW_SECONDS} old; else at {@link #close}. */
    void save() {
        stale = true;
        if (System.nanoTime() - lastDrawn >= REDRAW_SECONDS * 1_000_000_000L) {
            draw();
        }
    }

    /** Writes curves.png and curves.svg if they do not show every point yet. */
    @Override
    public void close() {
        if (stale) {
            draw();
        }
    }

    private void draw() {
        curves.save(base);
        stale = false;
        lastDrawn = System.nanoTime();
    }

    TrainingCurves curves() {
        return curves;
    }
}
