package perceptron.optim;

/**
 * A learning-rate schedule: the factor by which the base learning rate is multiplied at a (fractional) epoch,
 * e.g. 2.5 is halfway through the third epoch. The trainer applies it before every step with
 * {@link Optimizer#scaleLearningRate}.
 */
@FunctionalInterface
public interface LrSchedule {
    double factor(double epoch);

    /** Always 1. */
    static LrSchedule constant() {
        return e -> 1.0;
    }

    /** Multiplies by gamma every {@code stepSize} whole epochs (PyTorch's StepLR). */
    static LrSchedule step(int stepSize, double gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("step schedule: stepSize must be positive, got " + stepSize);
        }
        return e -> Math.pow(gamma, Math.floor(Math.floor(e) / stepSize));
    }

    /** Cosine from 1 down to {@code minFactor} over {@code epochs} (PyTorch's CosineAnnealingLR, no restarts). */
    static LrSchedule cosine(double epochs, double minFactor) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("cosine schedule: epochs must be positive, got " + epochs);
        }
        return e -> {
            double t = Math.min(Math.max(e / epochs, 0), 1);
            return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * t));
        };
    }

    /** Rises linearly from 0 to 1 over {@code warmupEpochs}, then follows {@code after} (shifted to start at 0). */
    static LrSchedule warmup(double warmupEpochs, LrSchedule after) {
        if (warmupEpochs <= 0) {
            return after;
        }
        return e -> e < warmupEpochs ? (e + 1e-12) / warmupEpochs * after.factor(0) : after.factor(e - warmupEpochs);
    }
}
