package perceptron.train;

import perceptron.internal.tensor.TensorInternals;

import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** Classification metrics computed straight from logits, without allocating tensors. */
public final class Metrics {
    private Metrics() {
    }

    /** Number of rows of logits [N, C] whose argmax (first one at ties) equals the label (a class index). */
    public static int countCorrect(Tensor logits, Tensor labels) {
        if (logits.dim() != 2 || labels.size() != logits.size(0)) {
            throw new IllegalArgumentException("countCorrect: expected logits [N, C] and N labels, got "
                    + java.util.Arrays.toString(logits.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        Tensor x = logits.contiguous();
        Tensor y = labels.contiguous();
        int rows = x.size(0);
        int cols = x.size(1);
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = argmaxRow(x, r * cols, cols);
            double label = y.dtype() == DType.FLOAT32 ? TensorInternals.floatData(y)[y.offset() + r] : TensorInternals.doubleData(y)[y.offset() + r];
            if (best == label) {
                correct++;
            }
        }
        return correct;
    }

    /** Index of the largest value in a row (NaN counts as largest, like argmax). */
    static int argmaxRow(Tensor x, int start, int cols) {
        int best = 0;
        if (x.dtype() == DType.FLOAT32) {
            float[] a = TensorInternals.floatData(x);
            int o = x.offset() + start;
            float v = a[o];
            for (int c = 1; c < cols && !Float.isNaN(v); c++) {
                if (a[o + c] > v || Float.isNaN(a[o + c])) {
                    v = a[o + c];
                    best = c;
                }
            }
        } else {
            double[] a = TensorInternals.doubleData(x);
            int o = x.offset() + start;
            double v = a[o];
            for (int c = 1; c < cols && !Double.isNaN(v); c++) {
                if (a[o + c] > v || Double.isNaN(a[o + c])) {
                    v = a[o + c];
                    best = c;
                }
            }
        }
        return best;
    }
}
