package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import perceptron.internal.kernels.ActivationMath;
import perceptron.internal.kernels.ScalarKernels;
import perceptron.internal.kernels.UnaryOp;

/** The scalar reference definitions: erf and erfc against mpmath, and the elementwise kernels' limits. */
class ActivationMathTest {

    @Test
    void erfAndErfcAreAccurateToAFewUlpAgainstMpmath() {
        List<double[]> rows = ActivationReference.numbers("reference/erf.csv");
        assertTrue(rows.size() > 2000);
        double worstErf = 0;
        double worstErfc = 0;
        double whereErf = 0;
        double whereErfc = 0;
        for (double[] r : rows) {
            double x = r[0];
            if (r[1] != 0) {
                double e = Math.abs(ActivationMath.erf(x) - r[1]) / Math.abs(r[1]);
                if (e > worstErf) {
                    worstErf = e;
                    whereErf = x;
                }
            }
            if (r[2] >= Double.MIN_NORMAL) { // subnormal results carry fewer digits by nature
                double e = Math.abs(ActivationMath.erfc(x) - r[2]) / r[2];
                if (e > worstErfc) {
                    worstErfc = e;
                    whereErfc = x;
                }
            } else {
                assertEquals(r[2], ActivationMath.erfc(x), Double.MIN_NORMAL, "erfc(" + x + ")");
            }
        }
        System.out.printf("erf: worst relative error %.3g at x = %s; erfc: %.3g at x = %s (%d points, -6 .. 28)%n",
                worstErf, whereErf, worstErfc, whereErfc, rows.size());
        assertTrue(worstErf < 1e-15, "erf relative error " + worstErf + " at " + whereErf);
        assertTrue(worstErfc < 2e-15, "erfc relative error " + worstErfc + " at " + whereErfc);
    }

    @Test
    void exactGeluAndItsDerivativeAreAccurateIntoTheFarLeftTail() {
        double worstValue = 0;
        double worstDerivative = 0;
        double whereValue = 0;
        double whereDerivative = 0;
        for (double[] r : ActivationReference.numbers("reference/gelu.csv")) {
            double x = r[0];
            if (Math.abs(r[1]) < Double.MIN_NORMAL) {
                continue; // subnormal: fewer digits by nature
            }
            double e = Math.abs(ActivationMath.gelu(x) - r[1]) / Math.abs(r[1]);
            if (e > worstValue) {
                worstValue = e;
                whereValue = x;
            }
            // gelu' = Phi + x phi crosses 0 near x = -0.75; measure against the size of its terms there.
            double scale = ActivationMath.normalCdf(x) + Math.abs(x) * ActivationMath.normalPdf(x);
            double d = Math.abs(ScalarKernels.apply(UnaryOp.GELU_DERIVATIVE, x, 0, 0) - r[2]) / scale;
            if (d > worstDerivative) {
                worstDerivative = d;
                whereDerivative = x;
            }
        }
        System.out.printf("gelu: worst relative error %.3g at x = %s; gelu': %.3g at x = %s (x from -38 to 10)%n",
                worstValue, whereValue, worstDerivative, whereDerivative);
        assertTrue(worstValue < 3e-15, "gelu relative error " + worstValue + " at " + whereValue);
        assertTrue(worstDerivative < 4e-15, "gelu' relative error " + worstDerivative + " at " + whereDerivative);
    }

    @Test
    void erfHandlesSpecialValues() {
        assertEquals(0.0, ActivationMath.erf(0.0));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ActivationMath.erf(-0.0)));
        assertEquals(1.0, ActivationMath.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, ActivationMath.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, ActivationMath.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, ActivationMath.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, ActivationMath.erfc(0.0));
        assertTrue(Double.isNaN(ActivationMath.erf(Double.NaN)));
        assertTrue(Double.isNaN(ActivationMath.erfc(Double.NaN)));
        assertEquals(0.0, ActivationMath.erfc(1e4));
        assertEquals(2.0, ActivationMath.erfc(-1e4));
    }

    @Test
    void everyActivationKernelIsFiniteAndAtItsLimitFarOut() {
        double big = 1e300; // beyond anything a float32 holds; the float64 reference must still not overflow
        for (UnaryOp op : new UnaryOp[] {UnaryOp.GELU, UnaryOp.GELU_TANH, UnaryOp.SILU, UnaryOp.MISH,
                UnaryOp.SOFTSIGN, UnaryOp.LOG_SIGMOID}) {
            for (double x : new double[] {-big, -1e4, 1e4, big}) {
                double y = ScalarKernels.apply(op, x, 0, 0);
                assertTrue(Double.isFinite(y), op + "(" + x + ") = " + y);
            }
        }
        for (UnaryOp op : new UnaryOp[] {UnaryOp.GELU_DERIVATIVE, UnaryOp.GELU_TANH_DERIVATIVE,
                UnaryOp.SILU_DERIVATIVE, UnaryOp.MISH_DERIVATIVE}) {
            assertEquals(0.0, ScalarKernels.apply(op, -big, 0, 0), 0.0, op + " far left");
            assertEquals(1.0, ScalarKernels.apply(op, big, 0, 0), 0.0, op + " far right");
        }
        assertEquals(big, ScalarKernels.apply(UnaryOp.SOFTPLUS, big, 1.0, Double.POSITIVE_INFINITY), 0.0,
                "softplus without a threshold still does not overflow");
        assertEquals(0.0, ScalarKernels.apply(UnaryOp.SOFTPLUS, -big, 1.0, 20.0));
    }
}
