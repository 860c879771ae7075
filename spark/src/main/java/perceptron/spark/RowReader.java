package perceptron.spark;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * Reads one (features, label) row into floats and rejects what cannot be trained on, naming the column, the
 * row (its position in the input, counted from 0) and the value.
 */
final class RowReader implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String featuresCol;
    private final String labelCol;
    private final int features;
    private final boolean classification;

    RowReader(String featuresCol, String labelCol, int features, boolean classification) {
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.features = features;
        this.classification = classification;
    }

    /** The features followed by the label, as float[features + 1]. */
    float[] read(Row row, long index) {
        float[] out = new float[features + 1];
        readFeatures(row.get(0), index, out);
        if (row.isNullAt(1)) {
            throw new InvalidInputException("label column '" + labelCol + "' row " + index + " is null");
        }
        double label = row.getDouble(1);
        checkLabel(label, index);
        out[features] = (float) label;
        return out;
    }

    void readFeatures(Object value, long index, float[] out) {
        if (value == null) {
            throw new InvalidInputException("features column '" + featuresCol + "' row " + index + " is null");
        }
        Vector v = (Vector) value;
        if (v.size() != features) {
            throw new InvalidInputException("features column '" + featuresCol + "' row " + index + " has "
                    + v.size() + " values; expected " + features + " (the length of the first row, or the model's"
                    + " input size)");
        }
        for (int i = 0; i < features; i++) {
            double x = v.apply(i);
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                throw new InvalidInputException("features column '" + featuresCol + "' row " + index + " element "
                        + i + " is " + x + "; impute or drop such rows first (e.g. with Imputer)");
            }
            out[i] = (float) x;
        }
    }

    private void checkLabel(double label, long index) {
        if (Double.isNaN(label) || Double.isInfinite(label)) {
            throw new InvalidInputException("label column '" + labelCol + "' row " + index + " is " + label);
        }
        if (classification && (label < 0 || label != Math.rint(label) || label >= TrainingData.MAX_CLASSES)) {
            throw new InvalidInputException("label column '" + labelCol + "' row " + index + " is " + label
                    + "; a classifier needs class indices 0, 1, ..., numClasses - 1 (at most "
                    + TrainingData.MAX_CLASSES + " classes; use StringIndexer for other labels)");
        }
    }
}
