package perceptron.spark;

import org.apache.spark.ml.linalg.Vector;

/** Checks of a row about to be scored: the model's input length and finite values. */
final class Scoring {
    private Scoring() {
    }

    static float[] features(Vector v, int expected, String column) {
        if (v.size() != expected) {
            throw new InvalidInputException("features column '" + column + "' has a vector of " + v.size()
                    + " values; the model expects " + expected);
        }
        float[] out = new float[expected];
        for (int i = 0; i < expected; i++) {
            double x = v.apply(i);
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                throw new InvalidInputException("features column '" + column + "' holds " + x + " at element " + i
                        + "; impute or drop such rows before scoring");
            }
            out[i] = (float) x;
        }
        return out;
    }
}
