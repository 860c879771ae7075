package perceptron.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

class ActivationCurveTest {

    @Test
    void reluCurveHasTheDerivativeByAutogradWithZeroAtTheKink() {
        ActivationCurve c = ActivationCurve.of("ReLU", -1, 1.5, 0.5);
        assertEquals("relu", c.name());
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, c.x());
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 1}, c.y());
        assertArrayEquals(new double[] {0, 0, 0, 1, 1}, c.dydx());
    }

    @Test
    void gridIsDecimalSoTenthsPrintAsTenths() {
        double[] x = ActivationCurve.grid(-8, 8, 0.1);
        assertEquals(160, x.length);
        assertEquals(-7.7, x[3]);
        assertEquals(0.0, x[80]);
        assertEquals(7.9, x[159]);
    }

    @Test
    void csvHasAHeaderAndOneLinePerPoint() {
        String csv = ActivationCurve.of("sigmoid", -1, 1.5, 1).toCsv();
        assertEquals("x,sigmoid(x),sigmoid'(x)\n-1.0,0.2689414213699951,0.19661193324148185\n"
                + "0.0,0.5,0.25\n1.0,0.7310585786300049,0.19661193324148185\n", csv);
    }

    @Test
    void anyFunctionCanBeSampled() {
        ActivationCurve c = ActivationCurve.of("x sin x", x -> x.mul(x.sin()), 0, 1, 0.5);
        assertEquals(0.5 * Math.sin(0.5), c.y()[1], 1e-15);
        assertEquals(Math.sin(0.5) + 0.5 * Math.cos(0.5), c.dydx()[1], 1e-15);
    }

    @Test
    void mistakesAreExplained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActivationCurve.of("relu7", -1, 1, 0.1));
        assertTrue(e.getMessage().startsWith("unknown activation 'relu7'; valid names: relu, prelu"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ActivationCurve.of("relu", 1, -1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> ActivationCurve.of("relu", -1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ActivationCurve.of("relu", -1e9, 1e9, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ActivationCurve.of("sum", x -> x.sum(), -1, 1, 0.5));
        assertTrue(Tensor.of(1.0).relu().item() == 1.0);
    }
}
