package perceptron.train;

/**
 * The loss became NaN or infinite: the learning rate is too high for the model, or the data holds non-finite
 * values. The checkpoint of the last completed epoch is left as it was.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
