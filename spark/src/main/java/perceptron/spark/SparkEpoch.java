package perceptron.spark;

import perceptron.train.EpochMetrics;

/**
 * What one epoch of distributed training measured. Losses are means over the epoch's rows (training: as each row
 * was seen during the epoch; validation: with the weights at the end of the epoch). Accuracies are NaN for
 * regression, validation figures NaN without a validation fraction.
 */
public record SparkEpoch(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                         double validationAccuracy, long steps, double seconds) implements java.io.Serializable {

    /** As a row of a run directory's metrics.csv (the validation accuracy in the test accuracy column). */
    public EpochMetrics toEpochMetrics() {
        return new EpochMetrics(epoch, trainLoss, trainAccuracy, validationAccuracy, seconds);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("epoch %d  train loss %.4f", epoch, trainLoss));
        if (!Double.isNaN(trainAccuracy)) {
            sb.append(String.format("  train acc %.4f", trainAccuracy));
        }
        if (!Double.isNaN(validationLoss)) {
            sb.append(String.format("  validation loss %.4f", validationLoss));
        }
        if (!Double.isNaN(validationAccuracy)) {
            sb.append(String.format("  validation acc %.4f", validationAccuracy));
        }
        return sb.append(String.format("  %d steps  %.2f s", steps, seconds)).toString();
    }
}
