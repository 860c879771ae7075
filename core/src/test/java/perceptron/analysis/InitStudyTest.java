package perceptron.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InitStudyTest {

    @Test
    void digammaAtHalfIntegersHasItsKnownValues() {
        assertEquals(-0.5772156649015329, InitStudy.digammaOfHalf(2), 1e-15);
        assertEquals(1 - 0.5772156649015329, InitStudy.digammaOfHalf(4), 1e-15);
        assertEquals(-0.5772156649015329 - 2 * Math.log(2), InitStudy.digammaOfHalf(1), 1e-15);
        assertEquals(3.9019896734278921, InitStudy.digammaOfHalf(100), 1e-13, "digamma(50)");
    }

    @Test
    void sigmoidWithSmallWeightsVanishesAndKaimingReluKeepsGradientsEven() {
        InitStudy.GradientStudy s = InitStudy.gradients(6, 40, 32, 0);
        assertEquals(6, s.rows().size());
        // Each sigmoid layer multiplies the gradient by at most 1/4 times ||W||; with N(0, 0.01) that is tiny.
        InitStudy.GradientRow sigmoidNormal = s.row("sigmoid", "normal(0.01)");
        assertTrue(sigmoidNormal.firstToLast() < 1e-6, s.table());
        for (int l = 1; l < 6; l++) {
            assertTrue(sigmoidNormal.gradientNorms()[l - 1] < sigmoidNormal.gradientNorms()[l], s.table());
        }
        InitStudy.GradientRow reluKaiming = s.row("relu", "kaiming");
        assertTrue(reluKaiming.firstToLast() > 0.1 && reluKaiming.firstToLast() < 10, s.table());
        for (double sd : reluKaiming.activationStds()) {
            assertTrue(sd > 0.2 && sd < 5, "Kaiming keeps the scale of relu activations: " + sd);
        }
        assertTrue(s.row("sigmoid", "xavier").firstToLast() < 1, "sigmoid still shrinks gradients: " + s.table());
        assertTrue(s.table().contains("first/last"));
    }

    @Test
    void theBooksProductOfRandomMatricesExplodesAndScalingTamesIt() {
        InitStudy.ProductStudy p = InitStudy.matrixProducts();
        InitStudy.ProductRow book = p.rows().get(0);
        assertEquals(4, book.n());
        assertEquals(101, book.norms().length);
        assertTrue(book.norms()[100] > 1e15, p.table());
        // log10 ||P|| grows by (ln 2 + digamma(2)) / (2 ln 10) = 0.242 per factor; 100 factors give 10^24.
        assertEquals(0.2424, book.predictedLog10PerStep(), 1e-4);
        assertEquals(book.predictedLog10PerStep(), book.measuredLog10PerStep(), 0.06, p.table());
        InitStudy.ProductRow wide = p.rows().get(2);
        assertEquals(100, wide.n());
        assertTrue(wide.norms()[100] > 1e-2 && wide.norms()[100] < 1e3, p.table());
        assertEquals(-0.0022, wide.predictedLog10PerStep(), 1e-4);
    }
}
