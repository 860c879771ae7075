package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** The identities of d2l's exercises (section 5.1), with their worst errors printed. */
class ActivationIdentityTest {

    @Test
    void tanhPlusOneIsTwiceSigmoidOfTwoXOnADenseGrid() {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.linspace(-20, 20, 400_001, dtype).requiresGrad();
            Tensor left = x.tanh().add(1.0);
            Tensor right = x.mul(2.0).sigmoid().mul(2.0);
            double worst = maxAbs(left.sub(right));
            // and their derivatives: 1 - tanh^2 x = 4 sigmoid'(2x)
            left.sum().backward();
            double[] dLeft = x.grad().toDoubleArray();
            x.zeroGrad();
            right.sum().backward();
            double[] dRight = x.grad().toDoubleArray();
            double worstGrad = 0;
            for (int i = 0; i < dLeft.length; i++) {
                worstGrad = Math.max(worstGrad, Math.abs(dLeft[i] - dRight[i]));
            }
            System.out.printf("tanh(x) + 1 = 2 sigmoid(2x) on 400001 points in [-20, 20], %s: worst |difference| %.3g, "
                    + "of the derivatives %.3g%n", dtype.displayName(), worst, worstGrad);
            double ulp2 = dtype == DType.FLOAT64 ? Math.ulp(2.0) : Math.ulp(2.0f);
            assertTrue(worst <= 2 * ulp2, dtype + ": " + worst);
            assertTrue(worstGrad <= 4 * ulp2, dtype + ": " + worstGrad);
        }
    }

    @Test
    void preluDerivativeIsOneForPositiveAndAlphaForNegativeInputs() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, 64, 6, 3).requiresGrad();
        Tensor alpha = Tensor.randn(rng, DType.FLOAT32, 6).requiresGrad();
        Activations.prelu(x, alpha).sum().backward();
        float[] xs = x.toFloatArray();
        float[] g = x.grad().toFloatArray();
        float[] a = alpha.toFloatArray();
        double worst = 0;
        int positive = 0;
        int negative = 0;
        for (int i = 0; i < xs.length; i++) {
            int channel = (i / 3) % 6;
            double expected = xs[i] > 0 ? 1.0 : a[channel];
            if (xs[i] > 0) {
                positive++;
            } else if (xs[i] < 0) {
                negative++;
            }
            worst = Math.max(worst, Math.abs(g[i] - expected));
        }
        System.out.printf("prelu'(x) = 1 for x > 0 (%d elements), alpha_c for x < 0 (%d elements): worst |error| %.3g%n",
                positive, negative, worst);
        assertEquals(0.0, worst);
        assertTrue(positive > 400 && negative > 400);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
