package perceptron.train;

import perceptron.nn.Layer;

/**
 * Hooks into the training loop. All methods are optional. {@code afterBackward} sees the gradients of the step
 * before the optimiser uses them (gradient monitors); tensors of the step are only valid inside the call.
 */
public interface Callback {
    default void onTrainStart(Layer model, int firstEpoch, int epochs) {
    }

    default void onEpochStart(int epoch) {
    }

    default void afterBackward(Layer model, int epoch, long step) {
    }

    /**
     * Called after each optimiser step with that minibatch's loss (d2l's ProgressBoard averages these into a
     * training-loss point several times per epoch).
     *
     * @param batch   batches done in this epoch, from 1
     * @param batches batches per epoch
     */
    default void afterStep(int epoch, int batch, int batches, double loss) {
    }

    /** Called with the epoch's metrics; return true to stop training after this epoch. */
    default boolean onEpochEnd(Layer model, EpochMetrics metrics) {
        return false;
    }

    /** Why this callback asked to stop, for the run's output (e.g. "val acc has not improved for 3 epochs"). */
    default String stopReason() {
        return null;
    }

    default void onTrainEnd(Layer model) {
    }
}
