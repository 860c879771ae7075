package perceptron.optim;

import perceptron.internal.tensor.TensorInternals;

import java.util.List;
import java.util.Map;
import perceptron.internal.kernels.KernelOps;
import perceptron.tensor.Tensor;

/**
 * Stochastic gradient descent with PyTorch's semantics:
 * d = g + wd p; with momentum mu: v = mu v + (1 - dampening) d (v = d on the first step), and
 * d = nesterov ? d + mu v : v; then p = p - lr d.
 *
 * <pre>{@code
 * Optimizer opt = new SGD(model.parameters(), 0.1);            // d2l's MLP: lr 0.1, batch 256
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final Tensor[] velocity;

    public SGD(List<Tensor> params, double lr) {
        this(List.of(new ParamGroup(params)), lr, 0, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        this(List.of(new ParamGroup(params)), lr, momentum, 0, weightDecay, nesterov);
    }

    /** Groups take their own lr and weight decay where set, else these defaults. */
    public SGD(List<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(groups, lr, weightDecay);
        if (!(momentum >= 0)) {
            throw new IllegalArgumentException("SGD: invalid momentum value: " + momentum);
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening");
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
        this.velocity = new Tensor[allParams().size()];
    }

    @Override
    public void step() {
        KernelOps k = KernelOps.get();
        forEachWithGradient((group, i, p, g) -> {
            boolean first = velocity[i] == null;
            if (momentum != 0 && first) {
                velocity[i] = stateLike(p);
            }
            Tensor v = velocity[i];
            if (isFloat32(p)) {
                k.sgdStep(TensorInternals.floatData(p), TensorInternals.floatData(g), v == null ? null : TensorInternals.floatData(v), p.size(), group.lr(),
                        momentum, dampening, group.weightDecay(), nesterov, first);
            } else {
                k.sgdStep(TensorInternals.doubleData(p), TensorInternals.doubleData(g), v == null ? null : TensorInternals.doubleData(v), p.size(), group.lr(),
                        momentum, dampening, group.weightDecay(), nesterov, first);
            }
        });
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> s = newState();
        for (int i = 0; i < velocity.length; i++) {
            if (velocity[i] != null) {
                s.put("state." + i + ".momentum_buffer", velocity[i]);
            }
        }
        return s;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        List<Tensor> params = allParams();
        for (int i = 0; i < velocity.length; i++) {
            String key = "state." + i + ".momentum_buffer";
            Tensor v = state.get(key);
            velocity[i] = v == null ? null : restore(key, v, params.get(i));
        }
    }
}
