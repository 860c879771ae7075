package perceptron.optim;

import java.util.List;
import perceptron.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): p *= 1 - lr wd before the Adam update, instead of
 * adding wd p to the gradient. Default weight decay 0.01, as PyTorch's AdamW.
 */
public final class AdamW extends Adam {
    public AdamW(List<Tensor> params, double lr) {
        this(List.of(new ParamGroup(params)), lr, 0.9, 0.999, 1e-8, 0.01);
    }

    public AdamW(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(groups, lr, beta1, beta2, eps, weightDecay, true);
    }
}
