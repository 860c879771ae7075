package perceptron.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

/** GradCheck itself: it passes right derivatives, catches wrong ones, and reports the worst element. */
class GradCheckTest {

    /** x^2 with a deliberately wrong derivative (3x instead of 2x) for element 2 only... of every element. */
    private static Tensor wrongSquare(Tensor x) {
        Tensor out = x.detach().square();
        return Autograd.record("WrongSquareBackward", out, new Tensor[] {x}, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.mul(n.saved(0)).mul(3.0)});
    }

    /** A second derivative that is wrong while the first is right: d/dx of the backward ignores x. */
    private static Tensor wrongSecondOrderCube(Tensor x) {
        Tensor out = x.detach().pow(3);
        return Autograd.record("CubeBackward", out, new Tensor[] {x}, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.mul(n.saved(0).detach().square().mul(3.0))});
    }

    @Test
    void passesACorrectGradientAndReportsTheWorstElement() {
        Tensor x = Tensor.of(0.5, -1.0, 2.0).requiresGrad();
        GradCheck.Result r = GradCheck.check(in -> in[0].square(), x);
        assertTrue(r.passed());
        assertTrue(r.maxAbsError() < 1e-8, r.toString());
    }

    @Test
    void catchesAWrongFirstDerivative() {
        Tensor x = Tensor.of(0.5, -1.0, 2.0).requiresGrad();
        GradCheck.Failure f = assertThrows(GradCheck.Failure.class, () -> GradCheck.check(in -> wrongSquare(in[0]), x));
        GradCheck.Result r = f.result();
        assertEquals(2, r.inputIndex(), "the largest error is at the largest |x|");
        assertEquals(2, r.outputIndex());
        assertEquals(6.0, r.analytical(), 1e-12);
        assertEquals(4.0, r.numerical(), 1e-6);
        assertTrue(f.getMessage().startsWith("gradcheck FAILED"), f.getMessage());
    }

    @Test
    void catchesAWrongSecondDerivativeThatTheFirstOrderCheckMisses() {
        Tensor x = Tensor.of(0.5, -1.0).requiresGrad();
        GradCheck.check(in -> wrongSecondOrderCube(in[0]), x);
        assertThrows(GradCheck.Failure.class, () -> GradCheck.checkSecondOrder(in -> wrongSecondOrderCube(in[0]), x));
        GradCheck.checkSecondOrder(in -> in[0].pow(3), x);
    }

    @Test
    void refusesFloat32Inputs() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in[0].square(), x));
        assertTrue(e.getMessage().contains("input 0 is float32"), e.getMessage());
    }

    @Test
    void refusesWhenNothingRequiresGrad() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> in[0].square(), Tensor.of(1.0)));
        assertTrue(e.getMessage().contains("no input requires grad"), e.getMessage());
    }

    @Test
    void inputsWithoutRequiresGradAreConstants() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor c = Tensor.of(3.0, 4.0);
        GradCheck.check(in -> in[0].mul(in[1]), x, c);
    }

    @Test
    void leavesTheInputsUntouched() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        GradCheck.check(in -> in[0].exp(), x);
        assertEquals(null, x.grad());
        assertEquals(1.0, x.get(0));
        assertEquals(0, x.version());
    }
}
