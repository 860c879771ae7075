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

    /** Called with the epoch's metrics; return true to stop training after this epoch. */
    default boolean onEpochEnd(Layer model, EpochMetrics metrics) {
        return false;
    }

    default void onTrainEnd(Layer model) {
    }
}
