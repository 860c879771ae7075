package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Numerically safe everywhere: sigmoid, softplus, logSigmoid, logSoftmax and gelu at +-1e4 (and every other
 * activation at the edge of its dtype) give finite values and gradients, equal to their limits, in float32 and
 * float64; in the tails, where naive formulas cancel or underflow early, they keep their relative accuracy.
 */
class ActivationLargeInputTest {

    private static final DType[] DTYPES = {DType.FLOAT64, DType.FLOAT32};

    /** f and f' at -1e4 and +1e4, by autograd. */
    private static double[] valueAndGradient(UnaryOperator<Tensor> f, DType dtype) {
        Tensor x = Tensor.of(-1e4, 1e4).toType(dtype).requiresGrad();
        Tensor y = f.apply(x);
        y.sum().backward();
        double[] v = y.toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        return new double[] {v[0], g[0], v[1], g[1]};
    }

    private static void assertLimits(String name, UnaryOperator<Tensor> f, double left, double leftSlope,
                                     double right, double rightSlope) {
        for (DType dtype : DTYPES) {
            double[] r = valueAndGradient(f, dtype);
            String d = " (" + dtype.displayName() + ")";
            assertEquals(left, r[0], 0.0, name + "(-1e4)" + d);
            assertEquals(leftSlope, r[1], 0.0, name + "'(-1e4)" + d);
            assertEquals(right, r[2], 0.0, name + "(1e4)" + d);
            assertEquals(rightSlope, r[3], 0.0, name + "'(1e4)" + d);
        }
    }

    @Test
    void sigmoidSaturatesWithoutOverflow() {
        assertLimits("sigmoid", Tensor::sigmoid, 0, 0, 1, 0);
    }

    @Test
    void softplusIsXOnTheRightAndZeroOnTheLeft() {
        assertLimits("softplus", Tensor::softplus, 0, 0, 1e4, 1);
        // Without the linear branch the stable formula alone must cope: ln(1 + e^1e4) is not computed as such.
        assertLimits("softplus(1, inf)", x -> x.softplus(1.0, Double.POSITIVE_INFINITY), 0, 0, 1e4, 1);
        assertLimits("softplus(0.5, inf)", x -> x.softplus(0.5, Double.POSITIVE_INFINITY), 0, 0, 1e4, 1);
    }

    @Test
    void logSigmoidIsXOnTheLeftAndZeroOnTheRight() {
        assertLimits("logSigmoid", Tensor::logSigmoid, -1e4, 1, 0, 0);
    }

    @Test
    void geluInBothFormsIsXOnTheRightAndZeroOnTheLeft() {
        assertLimits("gelu", Tensor::gelu, 0, 0, 1e4, 1);
        assertLimits("geluTanh", x -> x.gelu("tanh"), 0, 0, 1e4, 1);
        assertLimits("silu", Tensor::silu, 0, 0, 1e4, 1);
        assertLimits("mish", Tensor::mish, 0, 0, 1e4, 1);
    }

    @Test
    void logSoftmaxAndSoftmaxOfHugeLogits() {
        for (DType dtype : DTYPES) {
            Tensor x = Tensor.of(1e4, -1e4, 0.0).toType(dtype).requiresGrad();
            Tensor y = x.logSoftmax(0);
            y.sum().backward();
            assertArrayEqualsExactly(new double[] {0, -2e4, -1e4}, y.toDoubleArray(), "logSoftmax " + dtype);
            // d/dx sum(logSoftmax) = 1 - n softmax = [1 - 3, 1, 1]
            assertArrayEqualsExactly(new double[] {-2, 1, 1}, x.grad().toDoubleArray(), "logSoftmax' " + dtype);
            Tensor z = Tensor.of(1e4, -1e4, 0.0).toType(dtype).requiresGrad();
            Tensor s = z.softmax(0);
            s.select(0, 0).backward();
            assertArrayEqualsExactly(new double[] {1, 0, 0}, s.toDoubleArray(), "softmax " + dtype);
            assertArrayEqualsExactly(new double[] {0, 0, 0}, z.grad().toDoubleArray(), "softmax' " + dtype);
        }
    }

    @Test
    void tailsKeepTheirRelativeAccuracy() {
        // Expected values from mpmath at 50 digits (x exact in binary).
        double[][] cases = {
            // x, f(x)
            {-30, 9.357622968839737e-14},      // softplus(-30) = ln(1 + e^-30)
            {-10, -7.619853024160526e-23},     // gelu(-10) = -10 Phi(-10)
            {-50, -50.0},                      // logSigmoid(-50) = -50 - ln(1 + e^-50): -50 to double precision
            {-50, 1.9287498479639178e-22},     // sigmoid(-50)
            {-6, -8.439646700762297e-11},     // geluTanh(-6), where 1 + tanh(u) would cancel
        };
        List<UnaryOperator<Tensor>> fs = List.of(Tensor::softplus, Tensor::gelu, Tensor::logSigmoid, Tensor::sigmoid,
                x -> x.gelu("tanh"));
        String[] names = {"softplus", "gelu", "logSigmoid", "sigmoid", "geluTanh"};
        for (int i = 0; i < cases.length; i++) {
            for (DType dtype : DTYPES) {
                double got = fs.get(i).apply(Tensor.of(cases[i][0]).toType(dtype)).item();
                double rel = Math.abs(got - cases[i][1]) / Math.abs(cases[i][1]);
                double tol = dtype == DType.FLOAT64 ? 4e-15 : 1.2e-7;
                System.out.printf("%s(%s) %s: relative error %.2g%n", names[i], cases[i][0], dtype.displayName(), rel);
                assertTrue(rel <= tol, names[i] + "(" + cases[i][0] + ") " + dtype + ": " + got + " vs " + cases[i][1]);
            }
        }
    }

    @Test
    void everyActivationIsFiniteAtTheEdgesOfItsDtype() {
        for (String name : Activations.names()) {
            UnaryOperator<Tensor> f = Activations.byName(name);
            for (DType dtype : DTYPES) {
                double edge = dtype == DType.FLOAT32 ? 3e38 : 1e300;
                Tensor x = Tensor.of(-edge, -1e4, -100, 100, 1e4, edge).toType(dtype).requiresGrad();
                Tensor y = f.apply(x);
                y.sum().backward();
                assertTrue(!y.hasNonFinite(),
                        name + " " + dtype + " values " + java.util.Arrays.toString(y.toDoubleArray()));
                assertTrue(!x.grad().hasNonFinite(),
                        name + " " + dtype + " gradients " + java.util.Arrays.toString(x.grad().toDoubleArray()));
            }
        }
    }

    private static void assertArrayEqualsExactly(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 0.0, what + " element " + i);
        }
    }
}
