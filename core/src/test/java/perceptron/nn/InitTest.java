package perceptron.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.nn.init.Init;
import perceptron.nn.init.Initializer;
import perceptron.tensor.Tensor;

/** Initialisers produce the mean, variance and bounds their formulas promise (d2l section 5.4). */
class InitTest {

    private static double[] meanAndVariance(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, var / v.length};
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double x : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void normalHasTheRequestedMeanAndStd() {
        Tensor w = Init.normal(Tensor.zeros(256, 784), 0, 0.01, new SplittableRandom(1));
        double[] mv = meanAndVariance(w);
        assertEquals(0, mv[0], 1e-4);
        assertEquals(0.01, Math.sqrt(mv[1]), 1e-4);
    }

    @Test
    void xavierUniformHasVarianceTwoOverFanInPlusFanOut() {
        Tensor w = Init.xavierUniform(Tensor.zeros(256, 784), 1.0, new SplittableRandom(2));
        double[] mv = meanAndVariance(w);
        assertEquals(2.0 / (784 + 256), mv[1], 2.0 / (784 + 256) * 0.02);
        assertTrue(maxAbs(w) <= Math.sqrt(6.0 / (784 + 256)));
    }

    @Test
    void xavierNormalAndKaimingMatchTheirVariances() {
        Tensor x = Init.xavierNormal(Tensor.zeros(256, 784), 1.0, new SplittableRandom(3));
        assertEquals(2.0 / 1040, meanAndVariance(x)[1], 2.0 / 1040 * 0.02);
        Tensor k = Init.kaimingNormal(Tensor.zeros(256, 784), 0, true, "relu", new SplittableRandom(4));
        assertEquals(2.0 / 784, meanAndVariance(k)[1], 2.0 / 784 * 0.02);
        Tensor ku = Init.kaimingUniform(Tensor.zeros(256, 784), 0, true, "relu", new SplittableRandom(5));
        assertEquals(2.0 / 784, meanAndVariance(ku)[1], 2.0 / 784 * 0.02);
        assertTrue(maxAbs(ku) <= Math.sqrt(6.0 / 784));
    }

    @Test
    void pytorchLinearDefaultIsUniformInOneOverSqrtFanIn() {
        Linear l = new Linear(400, 300, new SplittableRandom(6));
        double bound = 1 / Math.sqrt(400);
        assertTrue(maxAbs(l.weight()) <= bound);
        assertTrue(maxAbs(l.bias()) <= bound);
        assertEquals(bound * bound / 3, meanAndVariance(l.weight())[1], bound * bound / 3 * 0.03);
    }

    @Test
    void sameSeedGivesTheSameWeights() {
        Linear a = new Linear(10, 5, new SplittableRandom(7));
        Linear b = new Linear(10, 5, new SplittableRandom(7));
        assertArrayEquals(a.weight().toFloatArray(), b.weight().toFloatArray());
        Init.manualSeed(3);
        Linear c = new Linear(10, 5);
        Init.manualSeed(3);
        Linear d = new Linear(10, 5);
        assertArrayEquals(c.weight().toFloatArray(), d.weight().toFloatArray());
    }

    @Test
    void initializerSetsEveryLinearAndZeroesBiases() {
        Sequential net = new Sequential(new Linear(20, 30), new ReLU(), new Linear(30, 4));
        Initializer.NORMAL.apply(net, new SplittableRandom(8));
        assertArrayEquals(new float[30], net.namedParameters().get("0.bias").toFloatArray());
        assertEquals(0.01, Math.sqrt(meanAndVariance(net.namedParameters().get("0.weight"))[1]), 0.002);
        assertEquals(Math.sqrt(2), Init.gain("relu", 0), 1e-15);
        assertEquals(5.0 / 3, Init.gain("tanh", 0), 1e-15);
    }
}
