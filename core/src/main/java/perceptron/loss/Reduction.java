package perceptron.loss;

/** How a loss combines its per-example values: their mean (the default), their sum, or none (one per example). */
public enum Reduction {
    MEAN, SUM, NONE
}
