package perceptron.optim;

import java.util.List;
import perceptron.tensor.Tensor;

/**
 * Parameters that share optimiser settings. A NaN learning rate or weight decay means "the optimiser's
 * default"; the usual use is a second group without weight decay for biases and PReLU slopes (see
 * {@link ParamGroups#decayAndNoDecay}).
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private double lr;
    private final double weightDecay;
    private double baseLr;

    public ParamGroup(List<Tensor> params, double lr, double weightDecay) {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (!p.isLeaf() || !p.isRequiresGrad()) {
                throw new IllegalArgumentException("optimizer: parameter " + i + " must be a leaf that requires grad");
            }
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.baseLr = lr;
        this.weightDecay = weightDecay;
    }

    /** A group that takes every setting from the optimiser. */
    public ParamGroup(List<Tensor> params) {
        this(params, Double.NaN, Double.NaN);
    }

    public List<Tensor> params() {
        return params;
    }

    public double lr() {
        return lr;
    }

    /** The learning rate the group started with; schedules scale this. */
    public double baseLr() {
        return baseLr;
    }

    public void setLr(double lr) {
        this.lr = lr;
    }

    public double weightDecay() {
        return weightDecay;
    }

    ParamGroup withDefaults(double defaultLr, double defaultWeightDecay) {
        ParamGroup g = new ParamGroup(params, Double.isNaN(lr) ? defaultLr : lr,
                Double.isNaN(weightDecay) ? defaultWeightDecay : weightDecay);
        g.baseLr = g.lr;
        return g;
    }
}
