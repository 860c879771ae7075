package perceptron.optim;

import java.util.List;
import perceptron.autograd.Autograd;
import perceptron.tensor.Tensor;

/** Gradient clipping. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients in place so that their global L2 norm is at most maxNorm (PyTorch's
     * clip_grad_norm_: factor maxNorm / (norm + 1e-6), never above 1). Returns the norm before clipping.
     */
    public static double clipByNorm(List<Tensor> params, double maxNorm) {
        double sq = 0;
        try (Autograd.Scope g = Autograd.noGrad()) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    double n = p.grad().square().sum().item();
                    sq += n;
                }
            }
            double norm = Math.sqrt(sq);
            double factor = maxNorm / (norm + 1e-6);
            if (factor < 1) {
                for (Tensor p : params) {
                    if (p.grad() != null) {
                        p.grad().mulInPlace(factor);
                    }
                }
            }
            return norm;
        }
    }
}
