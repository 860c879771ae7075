package perceptron.train;

import perceptron.nn.Layer;

/**
 * Stops training when the monitored metric has not improved by more than {@code minDelta} for {@code patience}
 * epochs: test accuracy when there is one (higher is better), else training loss (lower is better).
 */
public final class EarlyStopping implements Callback {
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int bad;

    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("early stopping: patience must be >= 1, got " + patience);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public boolean onEpochEnd(Layer model, EpochMetrics m) {
        boolean accuracy = !Double.isNaN(m.testAccuracy());
        double score = accuracy ? m.testAccuracy() : -m.trainLoss();
        if (Double.isNaN(best) || score > best + minDelta) {
            best = score;
            bad = 0;
            return false;
        }
        return ++bad >= patience;
    }
}
