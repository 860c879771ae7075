package perceptron.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.autograd.GradCheck;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

class ModuleTest {

    private static Sequential d2lMlp() {
        SplittableRandom rng = new SplittableRandom(1);
        return new Sequential(new Flatten(), new Linear(784, 256, rng), new ReLU(), new Linear(256, 10, rng));
    }

    @Test
    void stateDictKeysAreThoseOfTheSamePyTorchSequential() {
        Sequential net = d2lMlp();
        assertEquals(List.of("1.weight", "1.bias", "3.weight", "3.bias"), List.copyOf(net.stateDict().keySet()));
        assertArrayEquals(new int[] {256, 784}, net.stateDict().get("1.weight").shape());
        assertEquals(784 * 256 + 256 + 256 * 10 + 10, net.parameterCount());
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("Sequential(\n"
                + "  (0): Flatten(start_dim=1, end_dim=-1)\n"
                + "  (1): Linear(in_features=784, out_features=256, bias=True)\n"
                + "  (2): ReLU()\n"
                + "  (3): Linear(in_features=256, out_features=10, bias=True)\n"
                + ")", d2lMlp().toString());
        assertTrue(d2lMlp().summary().contains("total trainable parameters"));
    }

    @Test
    void loadStateDictCopiesValuesAndRejectsMismatchesWithoutChangingAnything() {
        Sequential a = d2lMlp();
        Sequential b = new Sequential(new Flatten(), new Linear(784, 256, new SplittableRandom(9)), new ReLU(),
                new Linear(256, 10, new SplittableRandom(9)));
        b.loadStateDict(a.stateDict());
        assertArrayEquals(a.stateDict().get("3.bias").toFloatArray(), b.stateDict().get("3.bias").toFloatArray());
        Sequential c = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
        float[] before = c.stateDict().get("3.bias").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.loadStateDict(a.stateDict()));
        assertTrue(e.getMessage().contains("size mismatch: 1.weight: checkpoint has shape [256, 784], the model "
                + "expects [128, 784]"), e.getMessage());
        assertArrayEquals(before, c.stateDict().get("3.bias").toFloatArray());
        Map<String, Tensor> partial = new java.util.LinkedHashMap<>(a.stateDict());
        partial.remove("3.bias");
        partial.put("4.weight", Tensor.zeros(1));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(partial));
        assertTrue(e.getMessage().contains("missing keys: [3.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected keys: [4.weight]"), e.getMessage());
    }

    @Test
    void linearComputesXWTransposePlusBiasForAnyLeadingAxes() {
        Linear layer = new Linear(3, 2, new SplittableRandom(2));
        Tensor x = Tensor.randn(new SplittableRandom(3), 4, 5, 3);
        Tensor y = layer.forward(x);
        assertArrayEquals(new int[] {4, 5, 2}, y.shape());
        Tensor expected = x.matmul(layer.weight().t()).add(layer.bias());
        assertArrayEquals(expected.toFloatArray(), y.toFloatArray(), 1e-6f);
    }

    @Test
    void linearGradientsPassGradCheck() {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor x = Tensor.randn(rng, DType.FLOAT64, 5, 3).requiresGrad();
        Tensor w = Tensor.randn(rng, DType.FLOAT64, 2, 3).requiresGrad();
        Tensor b = Tensor.randn(rng, DType.FLOAT64, 2).requiresGrad();
        GradCheck.check(in -> perceptron.ops.Linalg.linear(in[0], in[1], in[2]).tanh(), x, w, b);
        GradCheck.check(in -> perceptron.ops.Linalg.linear(in[0], in[1], null), x, w);
        GradCheck.checkSecondOrder(in -> perceptron.ops.Linalg.linear(in[0], in[1], in[2]).tanh(), x, w, b);
    }

    @Test
    void dropoutZeroesAboutPAndScalesSurvivorsInTrainingOnly() {
        Dropout d = new Dropout(0.3, 42);
        Tensor x = Tensor.ones(1000, 100);
        float[] y = d.forward(x).toFloatArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.7f, v, 1e-6f);
            }
        }
        assertEquals(0.3, zeros / 100000.0, 0.005);
        d.eval();
        assertArrayEquals(x.toFloatArray(), d.forward(x).toFloatArray());
    }

    @Test
    void dropoutMasksAreReproducibleFromTheSeedAndTheCallCount() {
        Dropout a = new Dropout(0.5, 7);
        Dropout b = new Dropout(0.5, 7);
        Tensor x = Tensor.ones(10, 10);
        float[] first = a.forward(x).toFloatArray();
        assertArrayEquals(first, b.forward(x).toFloatArray());
        float[] second = a.forward(x).toFloatArray();
        assertNotEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
        Dropout c = new Dropout(0.5, 7);
        c.setRandomStreamPosition(1);
        assertArrayEquals(second, c.forward(x).toFloatArray());
        Sequential net = new Sequential(new Linear(10, 10), a);
        assertEquals(Map.of("1", 2L), net.randomState());
    }

    @Test
    void batchNormNormalisesInTrainingAndUsesRunningStatisticsInEval() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, 64, 3).mul(4).add(10);
        Tensor y = bn.forward(x);
        assertArrayEquals(new float[3], y.mean(0).toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {1, 1, 1}, y.square().mean(0).toFloatArray(), 1e-3f);
        Tensor runningMean = bn.stateDict().get("running_mean");
        assertArrayEquals(x.mean(0).mul(0.1).toFloatArray(), runningMean.toFloatArray(), 1e-4f);
        bn.eval();
        Tensor one = x.slice(0, 0, 1);
        Tensor alone = bn.forward(one);
        Tensor inBatch = bn.forward(x).slice(0, 0, 1);
        assertArrayEquals(alone.toFloatArray(), inBatch.toFloatArray(), 0f);
        bn.train();
        assertThrows(IllegalArgumentException.class, () -> bn.forward(one));
    }

    @Test
    void batchNormGradientsPassGradCheck() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.randn(new SplittableRandom(6), DType.FLOAT64, 5, 2).requiresGrad();
        GradCheck.check(in -> bn.forward(in[0]).square(), x);
    }
}
