package perceptron.analysis;

import perceptron.internal.tensor.TensorInternals;

import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Read access to a tensor's elements in row-major order without copying (contiguous tensors, the usual case for
 * layer outputs and gradients) for the monitors, which must read what they need inside a hook call and keep
 * nothing. A strided tensor is copied once.
 */
final class TensorValues {
    private final float[] floats;
    private final double[] doubles;
    private final int offset;
    final int size;

    TensorValues(Tensor t) {
        Tensor c = t.isContiguous() ? t : t.detach().contiguous();
        boolean single = c.dtype() == DType.FLOAT32;
        this.floats = single ? TensorInternals.floatData(c) : null;
        this.doubles = single ? null : TensorInternals.doubleData(c);
        this.offset = c.offset();
        this.size = c.size();
    }

    double get(int i) {
        return floats != null ? floats[offset + i] : doubles[offset + i];
    }

    /** Sum of squares in float64: the squared L2 (Frobenius) norm. */
    double sumOfSquares() {
        double s = 0;
        if (floats != null) {
            for (int i = 0; i < size; i++) {
                double v = floats[offset + i];
                s += v * v;
            }
        } else {
            for (int i = 0; i < size; i++) {
                double v = doubles[offset + i];
                s += v * v;
            }
        }
        return s;
    }

    /** Units per example of a batch tensor [N, ...]: everything but the first axis. */
    static int unitsPerExample(Tensor t) {
        return t.dim() <= 1 ? 1 : t.size() / t.size(0);
    }
}
