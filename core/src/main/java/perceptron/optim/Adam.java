package perceptron.optim;

import perceptron.internal.tensor.TensorInternals;

import java.util.List;
import java.util.Map;
import perceptron.internal.kernels.KernelOps;
import perceptron.tensor.Tensor;

/**
 * Adam (Kingma and Ba), with PyTorch's bias corrections: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr / (1 - b1^t) * m / (sqrt(v / (1 - b2^t)) + eps). Weight decay here is L2 added to the gradient
 * (PyTorch's Adam); {@link AdamW} decouples it.
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final boolean decoupled;
    private final Tensor[] m;
    private final Tensor[] v;
    private final long[] steps;

    /** lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Tensor> params, double lr) {
        this(List.of(new ParamGroup(params)), lr, 0.9, 0.999, 1e-8, 0.0);
    }

    public Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(groups, lr, beta1, beta2, eps, weightDecay, false);
    }

    protected Adam(List<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
                   boolean decoupled) {
        super(groups, lr, weightDecay);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: invalid betas (" + beta1 + ", " + beta2 + "); each in [0, 1)");
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("Adam: invalid epsilon value: " + eps);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.decoupled = decoupled;
        int n = allParams().size();
        this.m = new Tensor[n];
        this.v = new Tensor[n];
        this.steps = new long[n];
    }

    @Override
    public void step() {
        KernelOps k = KernelOps.get();
        forEachWithGradient((group, i, p, g) -> {
            if (m[i] == null) {
                m[i] = stateLike(p);
                v[i] = stateLike(p);
            }
            long t = ++steps[i];
            if (isFloat32(p)) {
                k.adamStep(TensorInternals.floatData(p), TensorInternals.floatData(g), TensorInternals.floatData(m[i]),
                        TensorInternals.floatData(v[i]), p.size(), group.lr(),
                        beta1, beta2, eps, group.weightDecay(), decoupled, t);
            } else {
                k.adamStep(TensorInternals.doubleData(p), TensorInternals.doubleData(g), TensorInternals.doubleData(m[i]),
                        TensorInternals.doubleData(v[i]), p.size(),
                        group.lr(), beta1, beta2, eps, group.weightDecay(), decoupled, t);
            }
        });
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> s = newState();
        for (int i = 0; i < m.length; i++) {
            if (m[i] != null) {
                s.put("state." + i + ".step", Tensor.scalar(steps[i], perceptron.tensor.DType.FLOAT64));
                s.put("state." + i + ".exp_avg", m[i]);
                s.put("state." + i + ".exp_avg_sq", v[i]);
            }
        }
        return s;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> state) {
        List<Tensor> params = allParams();
        for (int i = 0; i < m.length; i++) {
            String prefix = "state." + i + ".";
            Tensor step = state.get(prefix + "step");
            if (step == null) {
                m[i] = null;
                v[i] = null;
                steps[i] = 0;
                continue;
            }
            steps[i] = (long) step.item();
            m[i] = restore(prefix + "exp_avg", require(state, prefix + "exp_avg"), params.get(i));
            v[i] = restore(prefix + "exp_avg_sq", require(state, prefix + "exp_avg_sq"), params.get(i));
        }
    }

    private static Tensor require(Map<String, Tensor> state, String key) {
        Tensor t = state.get(key);
        if (t == null) {
            throw new IllegalArgumentException("optimizer state is missing '" + key + "'");
        }
        return t;
    }
}
