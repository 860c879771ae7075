package perceptron.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertClose;
import static perceptron.tensor.TensorAssert.assertValues;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** Autograd.grad: gradients returned, never accumulated; and JAX-style composition of grad(f). */
class FunctionalGradTest {

    @Test
    void gradReturnsGradientsWithoutTouchingGrad() {
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor b = Tensor.of(0.5).requiresGrad();
        Tensor loss = w.mul(w).sum().add(b.mul(4.0).sum());
        Tensor[] g = Autograd.grad(loss, w, b);
        assertValues(g[0], 2, 4);
        assertValues(g[1], 4);
        assertNull(w.grad());
        assertNull(b.grad());
        assertFalse(g[0].isRequiresGrad());
    }

    @Test
    void allowUnusedGivesNull() {
        Tensor x = Tensor.of(1.0).requiresGrad();
        Tensor unused = Tensor.of(2.0).requiresGrad();
        Tensor[] g = Autograd.grad(x.exp().sum(), List.of(x, unused), null, false, false, true);
        assertClose(new double[] {Math.E}, g[0], 1e-15, 0, "d exp");
        assertNull(g[1]);
    }

    @Test
    void gradWithRespectToAnIntermediateTensor() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor h = x.mul(3.0);
        Tensor y = h.square().sum();
        Tensor[] g = Autograd.grad(y, List.of(h, x), null, false, false);
        assertValues(g[0], 6, 12);
        assertValues(g[1], 18, 36);
        assertNull(h.grad());
    }

    @Test
    void theSameInputTwiceGetsItsGradientTwice() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor[] g = Autograd.grad(x.mul(3.0).sum(), x, x);
        assertValues(g[0], 3, 3);
        assertValues(g[1], 3, 3);
    }

    @Test
    void vectorJacobianProductWithAGradOutput() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad();
        Tensor y = x.square();
        Tensor[] g = Autograd.grad(y, List.of(x), Tensor.of(1.0, 0.0, -1.0), false, false);
        assertValues(g[0], 2, 0, -6);
    }

    @Test
    void createGraphGivesAHessianVectorProduct() {
        // f(x) = sum(x^3); grad = 3x^2; d/dx <grad, v> = 6 x v.
        Tensor x = Tensor.of(1.0, -2.0).requiresGrad();
        Tensor g = Autograd.grad(x.pow(3).sum(), List.of(x), null, true, true)[0];
        assertTrue(g.isRequiresGrad());
        Tensor hv = Autograd.grad(g.mul(Tensor.of(1.0, 0.5)).sum(), x)[0];
        assertValues(hv, 6, -6);
    }

    @Test
    void gradOfAFunctionComposesToHigherDerivatives() {
        UnaryOperator<Tensor> df = Autograd.grad(t -> t.sin().sum());
        UnaryOperator<Tensor> d2f = Autograd.grad(t -> df.apply(t).sum());
        UnaryOperator<Tensor> d3f = Autograd.grad(t -> d2f.apply(t).sum());
        Tensor x = Tensor.of(0.3, 1.2, -2.0);
        double[] xs = x.toDoubleArray();
        double[] cos = new double[3];
        double[] minusSin = new double[3];
        double[] minusCos = new double[3];
        for (int i = 0; i < 3; i++) {
            cos[i] = Math.cos(xs[i]);
            minusSin[i] = -Math.sin(xs[i]);
            minusCos[i] = -Math.cos(xs[i]);
        }
        assertClose(cos, df.apply(x), 1e-15, 1e-14, "sin'");
        assertClose(minusSin, d2f.apply(x), 1e-15, 1e-14, "sin''");
        assertClose(minusCos, d3f.apply(x), 1e-15, 1e-14, "sin'''");
        assertFalse(df.apply(x).isRequiresGrad(), "a plain input gives a plain result");
        assertFalse(x.isRequiresGrad(), "the input is not marked");
        assertNull(x.grad());
    }

    @Test
    void gradOfTanhTwiceIsMinusTwoTanhTimesOneMinusTanhSquared() {
        UnaryOperator<Tensor> d2 = Autograd.grad(Autograd.grad(t -> t.tanh().sum()).andThen(Tensor::sum)::apply);
        Tensor x = Tensor.linspace(-2, 2, 5, DType.FLOAT64);
        double[] expected = new double[5];
        for (int i = 0; i < 5; i++) {
            double t = Math.tanh(x.toDoubleArray()[i]);
            expected[i] = -2 * t * (1 - t * t);
        }
        assertClose(expected, d2.apply(x), 1e-15, 1e-14, "tanh''");
    }

    @Test
    void gradOfAFunctionInsideNoGradStillWorks() {
        UnaryOperator<Tensor> df = Autograd.grad(t -> t.square().sum());
        try (var g = Autograd.noGrad()) {
            assertValues(df.apply(Tensor.of(3.0)), 6);
        }
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void gradOfAConstantFunctionIsZero() {
        UnaryOperator<Tensor> df = Autograd.grad(t -> Tensor.scalar(1.0, DType.FLOAT64));
        assertValues(df.apply(Tensor.of(3.0, 4.0)), 0, 0);
        UnaryOperator<Tensor> dLinear = Autograd.grad(Autograd.grad(t -> t.mul(3.0).sum()).andThen(Tensor::sum)::apply);
        assertValues(dLinear.apply(Tensor.of(3.0)), 0);
    }

    @Test
    void gradOfAFunctionOfAParameterLeavesItsGradAlone() {
        Tensor w = Tensor.of(2.0).requiresGrad();
        UnaryOperator<Tensor> df = Autograd.grad(t -> t.mul(t).sum());
        Tensor g = df.apply(w);
        assertValues(g, 4);
        assertNull(w.grad());
        assertEquals(1, g.size());
    }
}
