package perceptron.loss;

import perceptron.internal.tensor.TensorInternals;

import perceptron.autograd.Autograd;
import perceptron.autograd.GradMode;
import perceptron.internal.kernels.KernelOps;
import perceptron.ops.Reductions;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Loss functions. Each takes predictions and targets and returns a scalar (or, with {@link Reduction#NONE}, one
 * value per example).
 *
 * <p>{@link #crossEntropy} works from logits through log-sum-exp, so it never overflows or takes log(0) (d2l
 * section 4.5's "softmax revisited"): logits of +-1e4 give exact finite losses.
 */
public final class Loss {
    private Loss() {
    }

    /** Mean softmax cross-entropy of logits [N, C] against class indices [N] (integers stored as floats). */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, Reduction.MEAN, 0.0);
    }

    /**
     * Softmax cross-entropy: loss_i = logsumexp(x_i) - sum_c q_ic x_ic with q = (1 - eps) onehot(t_i) + eps / C
     * (label smoothing eps, as PyTorch's {@code label_smoothing}). d/dx_i = softmax(x_i) - q_i.
     *
     * @param logits   [N, C] unnormalised scores
     * @param targets  [N] class indices in [0, C)
     * @param labelSmoothing eps in [0, 1]
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, Reduction reduction, double labelSmoothing) {
        int[] s = logits.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("crossEntropy: logits must be [N, C], got " + Shape.toString(s));
        }
        int rows = s[0];
        int cols = s[1];
        if (targets.dim() != 1 || targets.size() != rows) {
            throw new IllegalArgumentException("crossEntropy: targets must be [" + rows + "] class indices for logits "
                    + Shape.toString(s) + ", got shape " + Shape.toString(targets.shape()));
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
        }
        int[] t = classIndices(targets, cols);
        Tensor x = logits.contiguous();
        DType dtype = x.dtype();
        Tensor perExample = Tensor.empty(dtype, rows);
        Tensor lse = Tensor.empty(dtype, rows);
        KernelOps k = KernelOps.get();
        if (dtype == DType.FLOAT32) {
            k.crossEntropy(TensorInternals.floatData(x), x.offset(), rows, cols, t, labelSmoothing, TensorInternals.floatData(perExample),
                    TensorInternals.floatData(lse));
        } else {
            k.crossEntropy(TensorInternals.doubleData(x), x.offset(), rows, cols, t, labelSmoothing, TensorInternals.doubleData(perExample),
                    TensorInternals.doubleData(lse));
        }
        Tensor out;
        switch (reduction) {
            case MEAN: out = Tensor.scalar(Reductions.fullSum(perExample) / rows, dtype); break;
            case SUM: out = Tensor.scalar(Reductions.fullSum(perExample), dtype); break;
            default: out = perExample;
        }
        double eps = labelSmoothing;
        return Autograd.record("CrossEntropyBackward", out, new Tensor[] {x}, new Tensor[] {x, lse}, (n, g) -> {
            Tensor lg = n.saved(0);
            // The gradient's weight per example: g / N, g, or g_i.
            Tensor scale = reduction == Reduction.MEAN ? g.div(rows) : g;
            if (GradMode.isEnabled()) {
                // Recording for a second derivative: the same formula in differentiable tensor ops.
                Tensor q = Tensor.eye(dtype, cols).indexSelect(0, t).mul(1 - eps).add(eps / cols);
                Tensor weight = reduction == Reduction.NONE ? scale.reshape(rows, 1) : scale;
                return new Tensor[] {lg.softmax(1).sub(q).mul(weight)};
            }
            Tensor grad = Tensor.empty(dtype, rows, cols);
            Tensor sc = scale.contiguous();
            int stride = reduction == Reduction.NONE ? 1 : 0;
            if (dtype == DType.FLOAT32) {
                k.crossEntropyBackward(TensorInternals.floatData(lg), lg.offset(), rows, cols, t, eps, TensorInternals.floatData(n.saved(1)),
                        TensorInternals.floatData(sc), sc.offset(), stride, TensorInternals.floatData(grad), grad.offset());
            } else {
                k.crossEntropyBackward(TensorInternals.doubleData(lg), lg.offset(), rows, cols, t, eps, TensorInternals.doubleData(n.saved(1)),
                        TensorInternals.doubleData(sc), sc.offset(), stride, TensorInternals.doubleData(grad), grad.offset());
            }
            return new Tensor[] {grad};
        });
    }

    /** The targets as ints, checked to be integers in [0, classes). */
    static int[] classIndices(Tensor targets, int classes) {
        double[] v = targets.toDoubleArray();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            double d = v[i];
            if (d != Math.rint(d) || d < 0 || d >= classes) {
                throw new IllegalArgumentException("crossEntropy: target " + d + " at position " + i
                        + " is not a class index in [0, " + classes + ")");
            }
            out[i] = (int) d;
        }
        return out;
    }

    /**
     * Mean squared error, mean((pred - target)^2). The two shapes must be equal: {@code [n, 1]} against {@code [n]}
     * would broadcast to an {@code [n, n]} loss, a silent wrong number (PyTorch warns; we refuse).
     */
    public static Tensor mse(Tensor prediction, Tensor target) {
        return mse(prediction, target, Reduction.MEAN);
    }

    public static Tensor mse(Tensor prediction, Tensor target, Reduction reduction) {
        sameShape("mse", prediction, "prediction", target);
        return reduce(prediction.sub(target).square(), reduction);
    }

    /** Refuses predictions and targets whose shapes differ, even where broadcasting would combine them. */
    static void sameShape(String op, Tensor prediction, String predictionName, Tensor target) {
        int[] p = prediction.shape();
        int[] t = target.shape();
        if (!java.util.Arrays.equals(p, t)) {
            String broadcast;
            try {
                broadcast = "; broadcasting would compare them as " + Shape.toString(Shape.broadcast(op, p, t))
                        + ", not element by element";
            } catch (IllegalArgumentException e) {
                broadcast = "";
            }
            String dims = String.join(", ", java.util.Arrays.stream(p).mapToObj(Integer::toString)
                    .toArray(String[]::new));
            String fix = Shape.numel(p) == Shape.numel(t) ? " (reshape one, e.g. target.reshape(" + dims + "))"
                    : " (if broadcasting is meant, say so: target.broadcastTo(" + dims + "))";
            throw new IllegalArgumentException(op + ": " + predictionName + " " + Shape.toString(p) + " and target "
                    + Shape.toString(t) + " must have the same shape" + broadcast + fix);
        }
    }

    /**
     * Binary cross-entropy on logits, stable for any logit: max(x, 0) - x t + log(1 + e^-|x|), which is
     * -t log sigmoid(x) - (1 - t) log(1 - sigmoid(x)) without ever evaluating log(0).
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        return binaryCrossEntropyWithLogits(logits, targets, Reduction.MEAN);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        sameShape("binaryCrossEntropyWithLogits", logits, "logits", targets);
        DType wide = DType.promote(logits.dtype(), targets.dtype());
        logits = logits.toType(wide);
        targets = targets.toType(wide);
        Tensor values;
        try (Autograd.Scope s = Autograd.noGrad()) {
            values = logits.relu().sub(logits.mul(targets)).add(logits.abs().neg().exp().log1p());
        }
        int[] xShape = logits.shape();
        int[] tShape = targets.shape();
        // Its own op, because the composition above has kinks at x = 0 (relu, |x|) whose conventional
        // derivatives do not add up to the true one there: d/dx = sigmoid(x) - t, smooth everywhere.
        Tensor perElement = Autograd.record("BinaryCrossEntropyWithLogitsBackward", values,
                new Tensor[] {logits, targets}, new Tensor[] {logits, targets}, (n, g) -> new Tensor[] {
                        n.needsInputGrad(0) ? g.mul(n.saved(0).sigmoid().sub(n.saved(1))).sumTo(xShape) : null,
                        n.needsInputGrad(1) ? g.mul(n.saved(0)).neg().sumTo(tShape) : null});
        return reduce(perElement, reduction);
    }

    /**
     * d2l's log_rmse for house prices (section 5.7): sqrt(mean((log max(pred, 1) - log target)^2)). Predictions
     * below 1 are clamped to 1 so the logarithm stays finite; the error is relative, as the competition scores.
     */
    public static Tensor logRmse(Tensor prediction, Tensor target) {
        sameShape("logRmse", prediction, "prediction", target);
        return mse(prediction.clampMin(1.0).log(), target.log()).sqrt();
    }

    private static Tensor reduce(Tensor t, Reduction reduction) {
        switch (reduction) {
            case MEAN: return t.mean();
            case SUM: return t.sum();
            default: return t;
        }
    }
}
