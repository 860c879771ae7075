package perceptron.nn;

import perceptron.tensor.Tensor;

/**
 * A trainable tensor registered in a {@link Layer}: a leaf that requires grad, in memory of its own (never from
 * a Workspace), plus whether weight decay applies to it.
 *
 * <p>By convention (d2l, and most PyTorch recipes) weight decay applies to the weights of Linear layers but
 * not to biases, normalisation scales and shifts, or PReLU slopes; {@link perceptron.optim.ParamGroups} uses
 * this flag to build the two groups.
 */
public final class Parameter {
    private final Tensor tensor;
    private final boolean decays;

    Parameter(Tensor initial, boolean decays) {
        this.tensor = initial.detach().copyToHeap().requiresGrad();
        this.decays = decays;
    }

    /** The tensor itself (a leaf requiring grad). Its values change in place as the model trains. */
    public Tensor tensor() {
        return tensor;
    }

    /** Whether weight decay should apply to this parameter. */
    public boolean decays() {
        return decays;
    }
}
