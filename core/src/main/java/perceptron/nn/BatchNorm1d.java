package perceptron.nn;

import perceptron.autograd.Autograd;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Batch normalisation over the batch (and length) axes: y = (x - mean) / sqrt(var + eps) * weight + bias.
 *
 * <p>Input [N, C] or [N, C, L]. In training mode mean and var are the minibatch's (biased var), and the running
 * statistics move towards them with {@code momentum} (unbiased var, as PyTorch); in eval mode the running
 * statistics are used, so an example's output no longer depends on the rest of its batch.
 * State dict: weight, bias, running_mean, running_var, num_batches_tracked (PyTorch's names).
 */
public final class BatchNorm1d extends Layer {
    private final int features;
    private final double eps;
    private final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    public BatchNorm1d(int features) {
        this(features, 1e-5, 0.1);
    }

    public BatchNorm1d(int features, double eps, double momentum) {
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = registerParameter("weight", Tensor.ones(features), false);
        this.bias = registerParameter("bias", Tensor.zeros(features), false);
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(features));
        this.runningVar = registerBuffer("running_var", Tensor.ones(features));
        // float64 counts exactly to 2^53 batches (PyTorch keeps an int64; a float32 count would stop at 2^24).
        this.batchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0, perceptron.tensor.DType.FLOAT64));
    }

    /** Number of features C (the size of axis 1). */
    public int numFeatures() {
        return features;
    }

    /** The epsilon added to the variance. */
    public double eps() {
        return eps;
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] s = x.shape();
        if ((s.length != 2 && s.length != 3) || s[1] != features) {
            throw new IllegalArgumentException("BatchNorm1d: expected input [N, " + features + "] or [N, " + features
                    + ", L], got " + Shape.toString(s));
        }
        int[] axes = s.length == 2 ? new int[] {0} : new int[] {0, 2};
        int[] kept = s.length == 2 ? new int[] {1, features} : new int[] {1, features, 1};
        Tensor mean;
        Tensor var;
        if (isTraining()) {
            int count = s.length == 2 ? s[0] : s[0] * s[2];
            if (count <= 1) {
                throw new IllegalArgumentException("BatchNorm1d: Expected more than 1 value per channel when "
                        + "training, got input of shape " + Shape.toString(s) + " (use eval() for single examples)");
            }
            mean = x.mean(axes, true);
            var = x.sub(mean).square().mean(axes, true);
            try (Autograd.Scope g = Autograd.noGrad()) {
                Tensor unbiased = var.mul((double) count / (count - 1)).reshape(features);
                runningMean.mulInPlace(1 - momentum).addInPlace(mean.reshape(features).mul(momentum));
                runningVar.mulInPlace(1 - momentum).addInPlace(unbiased.mul(momentum));
                batchesTracked.addInPlace(1.0);
            }
        } else {
            mean = runningMean.reshape(kept);
            var = runningVar.reshape(kept);
        }
        Tensor normalized = x.sub(mean).div(var.add(eps).sqrt());
        return normalized.mul(weight.reshape(kept)).add(bias.reshape(kept));
    }

    @Override
    protected String extraRepr() {
        return features + ", eps=" + eps + ", momentum=" + momentum + ", affine=True, track_running_stats=True";
    }
}
