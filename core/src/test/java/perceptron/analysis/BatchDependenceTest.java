package perceptron.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Dropout;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.tensor.Tensor;

class BatchDependenceTest {

    private static Tensor pool() {
        return Tensor.randn(new SplittableRandom(3), 300, 10).mul(2).add(0.5);
    }

    private static Sequential withBatchNorm() {
        SplittableRandom rng = new SplittableRandom(4);
        Sequential net = new Sequential(new Linear(10, 16, rng), new BatchNorm1d(16), new ReLU(),
                new Dropout(0.5, 7), new Linear(16, 3, rng));
        // Some training-mode passes so that the running statistics are not the initial 0 and 1.
        for (int i = 0; i < 20; i++) {
            net.forward(pool().slice(0, 10 * i, 10 * i + 64));
        }
        return net;
    }

    @Test
    void batchNormInTrainingModeMakesAnOutputDependOnItsCompanionsAndEvalModeRemovesIt() {
        Sequential net = withBatchNorm();
        BatchDependence.Report r = BatchDependence.measure(net, pool(), new int[] {1, 2, 4, 16, 64, 256}, 6, 6, 1);
        for (BatchDependence.Row row : r.rows()) {
            assertEquals(0.0, row.evalMaxDiff(), "eval mode, batch " + row.batchSize());
            assertEquals(0.0, row.evalMeanDiff());
            assertEquals(0.0, row.evalVsAloneMax(), "eval: in a batch or alone (batch invariance)");
            if (row.batchSize() == 1) {
                assertTrue(row.refused().contains("Expected more than 1 value per channel when training"),
                        row.refused());
                assertTrue(Double.isNaN(row.trainMaxDiff()));
            } else {
                assertNull(row.refused());
                assertTrue(row.trainMeanDiff() > 1e-3 * r.meanAbsOutput(), "train, batch " + row.batchSize()
                        + ": " + row.trainMeanDiff());
                assertTrue(row.trainMaxDiff() >= row.trainMeanDiff());
                assertTrue(row.trainVsEvalMean() > 0);
            }
        }
        // The batch mean and variance settle as the batch grows: less dependence on any one companion.
        assertTrue(r.row(256).trainMeanDiff() < r.row(4).trainMeanDiff() / 4, r.table());
        assertTrue(r.table().contains("refused in training mode"), r.table());
    }

    @Test
    void aModelWithoutBatchNormIsExactlyIndependentOfItsBatchEvenInTrainingMode() {
        SplittableRandom rng = new SplittableRandom(5);
        Sequential net = new Sequential(new Linear(10, 16, rng), new ReLU(), new Dropout(0.5, 3),
                new Linear(16, 3, rng));
        BatchDependence.Report r = BatchDependence.measure(net, pool(), new int[] {1, 2, 16, 128}, 5, 5, 2);
        for (BatchDependence.Row row : r.rows()) {
            assertNull(row.refused());
            assertEquals(0.0, row.trainMaxDiff(), "dropout is off, nothing else looks at the batch");
            assertEquals(0.0, row.evalMaxDiff());
            assertEquals(0.0, row.trainVsEvalMean());
        }
    }

    @Test
    void measuringLeavesTheModelAsItWas() {
        Sequential net = withBatchNorm();
        net.get(3).eval();
        Map<String, Tensor> before = net.stateDict();
        Map<String, float[]> values = new java.util.HashMap<>();
        before.forEach((k, v) -> values.put(k, v.toFloatArray()));
        Map<String, Long> random = net.randomState();
        BatchDependence.measure(net, pool());
        net.stateDict().forEach((k, v) -> assertArrayEquals(values.get(k), v.toFloatArray(), k));
        assertTrue(net.isTraining());
        assertFalse(net.get(3).isTraining(), "the dropout layer's own flag is restored");
        assertTrue(net.get(1).isTraining());
        assertEquals(random, net.randomState());
    }
}
