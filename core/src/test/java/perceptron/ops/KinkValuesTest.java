package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static perceptron.tensor.TensorAssert.assertValues;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * The documented derivative values where finite differences are meaningless: at kinks and ties. Each is
 * PyTorch's choice (docs/autograd.md explains why); float32 and float64 alike.
 */
class KinkValuesTest {

    /** d(sum f(x))/dx at the given points. */
    private static Tensor gradAt(Function<Tensor, Tensor> f, DType dtype, double... points) {
        Tensor x = Tensor.of(points).toType(dtype).requiresGrad();
        f.apply(x).sum().backward();
        return x.grad();
    }

    @Test
    void reluGradientAtZeroIsZero() {
        for (DType t : DType.values()) {
            assertValues(gradAt(Tensor::relu, t, -1, -0.0, 0, 1e-30, 1), 0, 0, 0, 1, 1);
        }
    }

    @Test
    void absGradientAtZeroIsZero() {
        for (DType t : DType.values()) {
            assertValues(gradAt(Tensor::abs, t, -2, -0.0, 0, 2), -1, 0, 0, 1);
        }
    }

    @Test
    void signGradientIsZeroEverywhere() {
        assertValues(gradAt(Tensor::sign, DType.FLOAT64, -2, 0, 2), 0, 0, 0);
    }

    @Test
    void clampGradientIsOneAtBothEdges() {
        for (DType t : DType.values()) {
            assertValues(gradAt(x -> x.clamp(-1, 1), t, -2, -1, 0, 1, 2), 0, 1, 1, 1, 0);
            assertValues(gradAt(x -> x.clampMin(0), t, -1, 0, 1), 0, 1, 1);
            assertValues(gradAt(x -> x.clampMax(0), t, -1, 0, 1), 1, 1, 0);
            // Edges that float32 cannot represent exactly are compared in float32, as PyTorch does.
            assertValues(gradAt(x -> x.clamp(-0.1, 0.1), t, -0.1, 0.1), 1, 1);
        }
    }

    @Test
    void clampWithEqualBoundsPassesTheGradientAtThatValue() {
        assertValues(gradAt(x -> x.clamp(0.5, 0.5), DType.FLOAT64, 0.25, 0.5, 0.75), 0, 1, 0);
    }

    @Test
    void maxAndMinTiesSplitTheGradientEvenly() {
        // Full reductions (PyTorch's max(): evenly_distribute_backward).
        assertValues(gradAt(Tensor::max, DType.FLOAT64, 3, 1, 3, 3), 1.0 / 3, 0, 1.0 / 3, 1.0 / 3);
        assertValues(gradAt(Tensor::min, DType.FLOAT32, -1, 2, -1), 0.5, 0, 0.5);
        // Along an axis (PyTorch's amax/amin; torch.max(x, dim) instead sends it all to one index).
        Tensor x = Tensor.of(new double[][] {{1, 5, 5}, {2, 2, 2}, {7, 0, 1}}).requiresGrad();
        x.max(1).sum().backward();
        assertValues(x.grad(), 0, 0.5, 0.5, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1, 0, 0);
        Tensor y = Tensor.of(new double[][] {{1, 5, 5}, {1, 2, 2}}).requiresGrad();
        y.min(0, true).sum().backward();
        assertValues(y.grad(), 0.5, 0, 0, 0.5, 1, 1);
    }

    @Test
    void aNanMaximumSendsTheGradientToTheNans() {
        assertValues(gradAt(Tensor::max, DType.FLOAT64, 1, Double.NaN, 2), 0, 1, 0);
        assertValues(gradAt(Tensor::min, DType.FLOAT32, Double.NaN, 1, Double.NaN), 0.5, 0, 0.5);
        Tensor x = Tensor.of(new double[][] {{1, Double.NaN}, {3, 2}}).requiresGrad();
        x.max(1).sum().backward();
        assertValues(x.grad(), 0, 1, 1, 0);
    }

    @Test
    void maximumAndMinimumTiesGiveTheGradientToTheSecondArgument() {
        // The gradient of where(a > b, a, b): the first argument only where it strictly wins. PyTorch splits a tie
        // in half; we don't, so that d2l's scratch relu x.maximum(zeros) has relu's derivative 0 at 0.
        Tensor a = Tensor.of(1.0, 2.0, 3.0).requiresGrad();
        Tensor b = Tensor.of(1.0, 3.0, 2.0).requiresGrad();
        a.maximum(b).sum().backward();
        assertValues(a.grad(), 0, 0, 1);
        assertValues(b.grad(), 1, 1, 0);
        a.clearGrad();
        b.clearGrad();
        a.minimum(b).sum().backward();
        assertValues(a.grad(), 0, 1, 0);
        assertValues(b.grad(), 1, 0, 1);
        Tensor x = Tensor.of(-1.0, 0.0, 2.0).requiresGrad();
        x.maximum(Tensor.zerosLike(x)).sum().backward();
        assertValues(x.grad(), 0, 0, 1);
        Tensor y = Tensor.of(3.0).requiresGrad();
        y.maximum(y).backward();
        assertValues(y.grad(), 1);
    }

    @Test
    void powAtZero() {
        // x^0 has derivative 0 even at x = 0 (not 0 * 0^-1 = nan); x^2 and x^3 have 0; x^0.5 has +inf.
        assertValues(gradAt(x -> x.pow(0), DType.FLOAT64, 0, 2), 0, 0);
        assertValues(gradAt(x -> x.pow(2), DType.FLOAT64, 0), 0);
        assertValues(gradAt(x -> x.pow(3), DType.FLOAT64, 0), 0);
        assertValues(gradAt(x -> x.pow(0.5), DType.FLOAT64, 0), Double.POSITIVE_INFINITY);
        assertValues(gradAt(Tensor::sqrt, DType.FLOAT64, 0), Double.POSITIVE_INFINITY);
        // Tensor exponent: d/da is 0 where b == 0; d/db (a^b ln a) is taken as 0 where a == 0 and b >= 0.
        Tensor a = Tensor.of(0.0, 0.0, 2.0, 0.0).requiresGrad();
        Tensor b = Tensor.of(0.0, 2.0, 0.0, 1.0).requiresGrad();
        a.pow(b).sum().backward();
        assertValues(a.grad(), 0, 0, 0, 1);
        assertValues(b.grad(), 0, 0, Math.log(2), 0);
    }

    @Test
    void smoothActivationsAtZero() {
        assertValues(gradAt(Tensor::sigmoid, DType.FLOAT64, 0), 0.25);
        assertValues(gradAt(Tensor::tanh, DType.FLOAT64, 0), 1);
    }

    @Test
    void whereSendsTheGradientToTheChosenSideOnly() {
        Tensor c = Tensor.of(1.0, 0.0, 1.0);
        Tensor a = Tensor.of(1.0, 2.0, 3.0).requiresGrad();
        Tensor b = Tensor.scalar(5.0, DType.FLOAT64).requiresGrad();
        Tensor.where(c, a, b).sum().backward();
        assertValues(a.grad(), 1, 0, 1);
        assertEquals(1.0, b.grad().item());
        assertEquals(0, b.grad().dim());
    }

    @Test
    void reluOfNanIsNanAndPassesTheGradientLikePyTorch() {
        // PyTorch's threshold_backward zeroes the gradient where result <= 0, which is false for NaN.
        assertEquals(Double.NaN, Tensor.of(Double.NaN).relu().item());
        assertValues(gradAt(Tensor::relu, DType.FLOAT64, Double.NaN, 0, 1), 1, 0, 1);
        assertValues(gradAt(Tensor::relu, DType.FLOAT32, Double.NaN, -1, 1), 1, 0, 1);
    }
}
