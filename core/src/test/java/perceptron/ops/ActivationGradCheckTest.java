package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.autograd.GradCheck;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Autograd against central finite differences in float64 (PyTorch's gradcheck tolerances), away from the kinks,
 * for every activation; second derivatives (createGraph) for every smooth one.
 */
class ActivationGradCheckTest {

    /** Each function with the points where its derivative (or, for second order, its second derivative) jumps. */
    private record Case(UnaryOperator<Tensor> f, double[] kinks) {
    }

    private static final double[] NONE = {};
    private static final double[] ZERO = {0.0};

    private static Map<String, Case> cases() {
        Map<String, Case> m = new LinkedHashMap<>();
        m.put("relu", new Case(Tensor::relu, ZERO));
        m.put("prelu", new Case(x -> Activations.prelu(x, Tensor.full(x.dtype(), 0.25)), ZERO));
        m.put("leakyRelu(0.2)", new Case(x -> x.leakyRelu(0.2), ZERO));
        m.put("elu", new Case(Tensor::elu, ZERO));
        m.put("elu(0.5)", new Case(x -> x.elu(0.5), ZERO));
        m.put("selu", new Case(Tensor::selu, ZERO));
        m.put("celu(2)", new Case(x -> x.celu(2.0), ZERO));
        m.put("celu(-1.5)", new Case(x -> x.celu(-1.5), ZERO));
        m.put("gelu", new Case(Tensor::gelu, NONE));
        m.put("geluTanh", new Case(x -> x.gelu("tanh"), NONE));
        m.put("silu", new Case(Tensor::silu, NONE));
        m.put("mish", new Case(Tensor::mish, NONE));
        m.put("softplus", new Case(Tensor::softplus, NONE));
        m.put("softplus(2,5)", new Case(x -> x.softplus(2.0, 5.0), new double[] {2.5}));
        m.put("softsign", new Case(Tensor::softsign, ZERO));
        m.put("hardtanh", new Case(Tensor::hardtanh, new double[] {-1, 1}));
        m.put("relu6", new Case(Tensor::relu6, new double[] {0, 6}));
        m.put("hardSigmoid", new Case(Tensor::hardSigmoid, new double[] {-3, 3}));
        m.put("hardSwish", new Case(Tensor::hardSwish, new double[] {-3, 3}));
        m.put("logSigmoid", new Case(Tensor::logSigmoid, NONE));
        m.put("sigmoid", new Case(Tensor::sigmoid, NONE));
        m.put("tanh", new Case(Tensor::tanh, NONE));
        return m;
    }

    /** Standard normal times 4, every element moved at least 0.01 away from the kinks. */
    private static Tensor awayFromKinks(long seed, double[] kinks, int... shape) {
        Tensor x = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape).mul(4.0);
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            for (double k : kinks) {
                if (Math.abs(v[i] - k) < 0.01) {
                    v[i] = k + (v[i] >= k ? 0.01 : -0.01);
                }
            }
        }
        return Tensor.wrap(v, shape).requiresGrad();
    }

    @Test
    void firstDerivativesMatchFiniteDifferences() {
        long seed = 1;
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            Case c = e.getValue();
            Tensor x = awayFromKinks(seed++, c.kinks(), 3, 5);
            GradCheck.Result r = GradCheck.check(in -> c.f().apply(in[0]), x);
            System.out.println(e.getKey() + ": " + r);
        }
    }

    @Test
    void secondDerivativesMatchFiniteDifferences() {
        long seed = 100;
        for (Map.Entry<String, Case> e : cases().entrySet()) {
            Case c = e.getValue();
            Tensor x = awayFromKinks(seed++, c.kinks(), 2, 4);
            GradCheck.Result r = GradCheck.checkSecondOrder(in -> c.f().apply(in[0]), x);
            System.out.println(e.getKey() + " (second order): " + r);
        }
    }

    @Test
    void theSmoothOnesAlsoPassAtLargeAndTinyInputs() {
        // The second-order check where float cancellation would show: far tails and near 0.
        Tensor x = Tensor.of(-30.0, -12.0, -7.5, -1e-4, 1e-4, 7.5, 12.0, 30.0).requiresGrad();
        for (String name : List.of("sigmoid", "tanh", "softplus", "gelu", "geluTanh", "silu", "mish", "logSigmoid")) {
            UnaryOperator<Tensor> f = cases().get(name).f();
            GradCheck.check(in -> f.apply(in[0]), x);
            GradCheck.checkSecondOrder(in -> f.apply(in[0]), x);
        }
    }

    @Test
    void preluGradientsForInputAndPerChannelAlpha() {
        Tensor x = awayFromKinks(7, ZERO, 3, 4, 2);
        Tensor alpha = Tensor.of(0.25, -0.5, 1.5, 0.0).requiresGrad();
        GradCheck.check(in -> Activations.prelu(in[0], in[1]), x, alpha);
        GradCheck.checkSecondOrder(in -> Activations.prelu(in[0], in[1]), x, alpha);
        Tensor shared = Tensor.of(0.1).requiresGrad();
        GradCheck.check(in -> Activations.prelu(in[0], in[1]), x, shared);
        GradCheck.checkSecondOrder(in -> Activations.prelu(in[0], in[1]), x, shared);
    }

    @Test
    void softmaxAndLogSoftmaxAlongEveryAxis() {
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT64, 2, 3, 4).requiresGrad();
        for (int axis = -1; axis < 3; axis++) {
            int a = axis;
            assertTrue(GradCheck.check(in -> in[0].softmax(a), x).passed());
            assertTrue(GradCheck.check(in -> in[0].logSoftmax(a), x).passed());
            assertTrue(GradCheck.checkSecondOrder(in -> in[0].softmax(a), x).passed());
            assertTrue(GradCheck.checkSecondOrder(in -> in[0].logSoftmax(a), x).passed());
        }
    }
}
