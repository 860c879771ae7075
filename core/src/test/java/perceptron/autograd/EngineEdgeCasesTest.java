package perceptron.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;
import perceptron.tensor.Workspace;

/** Corners of the backward engine found in review, each pinned to PyTorch's behaviour. */
class EngineEdgeCasesTest {

    @Test
    void gradWithRespectToAnIntermediateTensorDoesNotRunItsOwnBackward() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor c = Tensor.of(3.0, 4.0);
        Tensor h = x.mul(c);
        c.addInPlace(1.0);          // would break MulBackward, which is not needed for d(sum h)/dh
        Tensor[] g = Autograd.grad(h.sum(), h);
        assertArrayEquals(new double[] {1, 1}, g[0].toDoubleArray());
    }

    @Test
    void gradWithRespectToAnIntermediateLeavesTheRestOfTheGraphUsable() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor h = x.mul(Tensor.of(3.0, 4.0));
        Autograd.grad(h.sum(), List.of(h), null, false, false);
        h.mul(2.0).sum().backward();
        assertArrayEquals(new double[] {6, 8}, x.grad().toDoubleArray());
    }

    @Test
    void gradientsComeBackInTheDtypeOfTheirInput() {
        Tensor x = Tensor.of(0.5f, -1f, 2f).requiresGrad();
        Tensor y = x.mul(Tensor.of(1.0, 2.0, 3.0));        // promoted to float64
        y.sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        Tensor[] g = Autograd.grad(x.relu().mul(Tensor.of(1.0, 1.0, 1.0)).sum(), x);
        assertEquals(DType.FLOAT32, g[0].dtype());
    }

    @Test
    void withCreateGraphTheLeafOwnsItsGradient() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor v = Tensor.of(5.0, 7.0);
        x.add(1.0).backward(v, true, true);
        assertNotSame(v, x.grad());
        x.zeroGrad();
        assertArrayEquals(new double[] {5, 7}, v.toDoubleArray(), "zeroGrad must not touch the caller's tensor");

        Tensor w = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor z = Tensor.of(2.0, 3.0).requiresGrad();
        w.sum().mul(z).sum().backward(null, true, true);      // w's gradient arrives as a broadcast
        w.zeroGrad();
        w.sum().mul(z).sum().backward();
        assertArrayEquals(new double[] {5, 5}, w.grad().toDoubleArray());

        Tensor u = Tensor.of(1.0, 2.0).requiresGrad();
        Workspace ws = new Workspace();
        try (Workspace.Scope s = ws.enter()) {
            u.tanh().sum().backward(null, true, true);
        }
        u.zeroGrad();                                        // the gradient must not live in the workspace
        assertArrayEquals(new double[] {0, 0}, u.grad().toDoubleArray());
    }

    @Test
    void secondDerivativeThroughAnOwnedGradientStillWorks() {
        Tensor x = Tensor.of(0.3, -0.7).requiresGrad();
        x.tanh().sum().backward(null, true, true);
        Tensor g = x.grad();                                   // 1 - tanh^2, differentiable
        Tensor[] gg = Autograd.grad(g.sum(), x);
        double t0 = Math.tanh(0.3);
        assertEquals(-2 * t0 * (1 - t0 * t0), gg[0].get(0), 1e-12);
    }

    @Test
    void oneGradientPerOutputIsChecked() {
        Tensor x = Tensor.of(1.0).requiresGrad();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autograd.backward(
                List.of(x.mul(2.0), x.mul(3.0)), List.of(Tensor.of(1.0)), false, false));
        assertTrue(e.getMessage().contains("2 outputs but 1 gradients"), e.getMessage());
    }
}
