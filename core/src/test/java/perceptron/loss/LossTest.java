package perceptron.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.autograd.GradCheck;
import perceptron.optim.ReferenceValues;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** Losses against PyTorch 1.13, at ordinary and extreme logits, and against finite differences. */
class LossTest {
    private static final ReferenceValues REF = new ReferenceValues("/reference/optim_loss.txt");

    private static Tensor logits() {
        return Tensor.wrap(REF.get("ce.logits"), 3, 4);
    }

    @Test
    void crossEntropyMatchesPyTorchEvenAtLogitsOfTenThousand() {
        Tensor targets = Tensor.of(REF.get("ce.targets"));
        for (String eps : new String[] {"0.0", "0.1"}) {
            for (Reduction r : Reduction.values()) {
                String key = "ce." + r.name().toLowerCase(java.util.Locale.ROOT) + ".eps" + eps;
                Tensor x = logits().requiresGrad();
                Tensor loss = Loss.crossEntropy(x, targets, r, Double.parseDouble(eps));
                (r == Reduction.NONE ? loss.sum() : loss).backward();
                assertArrayEquals(REF.get(key + ".loss"), loss.toDoubleArray(), 1e-9, key);
                assertArrayEquals(REF.get(key + ".grad"), x.grad().toDoubleArray(), 1e-12, key);
            }
        }
    }

    @Test
    void crossEntropyInFloat32StaysFiniteForHugeLogits() {
        Tensor x = logits().toType(DType.FLOAT32).requiresGrad();
        Tensor loss = Loss.crossEntropy(x, Tensor.of(REF.get("ce.targets")));
        loss.backward();
        assertFalse(loss.hasNonFinite());
        assertFalse(x.grad().hasNonFinite());
        assertEquals(REF.get("ce.mean.eps0.0.loss")[0], loss.item(), 1e-2);
    }

    @Test
    void crossEntropyGradientsPassGradCheckIncludingSecondOrder() {
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT64, 4, 5).requiresGrad();
        Tensor t = Tensor.of(0.0, 4.0, 2.0, 2.0);
        GradCheck.check(in -> Loss.crossEntropy(in[0], t, Reduction.MEAN, 0.2), x);
        GradCheck.check(in -> Loss.crossEntropy(in[0], t, Reduction.NONE, 0.0), x);
        GradCheck.checkSecondOrder(in -> Loss.crossEntropy(in[0], t, Reduction.SUM, 0.0), x);
    }

    @Test
    void badTargetsNameThePositionAndTheClassCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.crossEntropy(Tensor.zeros(2, 10), Tensor.of(3f, 10f)));
        assertEquals("crossEntropy: target 10.0 at position 1 is not a class index in [0, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Loss.crossEntropy(Tensor.zeros(2, 10), Tensor.of(1f)));
        assertTrue(e.getMessage().contains("targets must be [2]"), e.getMessage());
    }

    @Test
    void binaryCrossEntropyWithLogitsMatchesPyTorchAtExtremes() {
        Tensor x = Tensor.of(REF.get("bce.x")).requiresGrad();
        Tensor loss = Loss.binaryCrossEntropyWithLogits(x, Tensor.of(REF.get("bce.t")));
        loss.backward();
        assertEquals(REF.get("bce.loss")[0], loss.item(), 1e-12);
        assertArrayEquals(REF.get("bce.grad"), x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void binaryCrossEntropyAcceptsFloat32LogitsWithFloat64Targets() {
        Tensor x = Tensor.of(0.5f, -1f, 2f).requiresGrad();
        Tensor loss = Loss.binaryCrossEntropyWithLogits(x.relu(), Tensor.of(1.0, 0.0, 1.0));
        loss.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        double s = 1 / (1 + Math.exp(-0.5));
        assertEquals((s - 1) / 3, x.grad().get(0), 1e-7);
    }

    @Test
    void logRmseClampsPredictionsBelowOneLikeD2l() {
        Tensor pred = Tensor.of(REF.get("logrmse.pred")).requiresGrad();
        Tensor loss = Loss.logRmse(pred, Tensor.of(REF.get("logrmse.target")));
        loss.backward();
        assertEquals(REF.get("logrmse.loss")[0], loss.item(), 1e-12);
        assertArrayEquals(REF.get("logrmse.grad"), pred.grad().toDoubleArray(), 1e-15);
    }

    @Test
    void mseIsTheMeanOfSquaredDifferences() {
        Tensor loss = Loss.mse(Tensor.of(1.0, 2.0, 4.0), Tensor.of(0.0, 2.0, 2.0));
        assertEquals(5.0 / 3, loss.item(), 1e-15);
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT64, 3, 2).requiresGrad();
        GradCheck.check(in -> Loss.mse(in[0], Tensor.ones(DType.FLOAT64, 2).broadcastTo(3, 2)), x);
    }

    @Test
    void lossesRefuseShapesThatOnlyAgreeByBroadcastingAndNameBoth() {
        Tensor column = Tensor.zeros(DType.FLOAT32, 4, 1);
        Tensor flat = Tensor.zeros(DType.FLOAT32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Loss.mse(column, flat));
        assertEquals("mse: prediction [4, 1] and target [4] must have the same shape; broadcasting would compare them "
                + "as [4, 4], not element by element (reshape one, e.g. target.reshape(4, 1))", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Loss.binaryCrossEntropyWithLogits(flat, column));
        assertTrue(e.getMessage().startsWith("binaryCrossEntropyWithLogits: logits [4] and target [4, 1]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Loss.logRmse(column, flat));
        assertTrue(e.getMessage().startsWith("logRmse: prediction [4, 1] and target [4]"), e.getMessage());
    }
}
