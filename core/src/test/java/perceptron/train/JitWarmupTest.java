package perceptron.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.data.DataLoader;
import perceptron.nn.Layer;
import perceptron.nn.init.Init;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;

class JitWarmupTest {
    /** Like TrainerTest's network (two hidden layers with dropout), the first wider than the narrow twin's. */
    private static ModelSpec spec() {
        return new ModelSpec(new int[] {20}, new int[] {48, 16}, "relu", new double[] {0.2, 0.5}, false, 3);
    }

    private static Map<String, Tensor> train(TrainingSettings settings) {
        Layer model = settings.buildModel(spec());
        Optimizer opt = settings.optimizerFor(model);
        try (DataLoader data = DataLoader.builder(TrainerTest.blobs(7, 300)).batchSize(settings.batchSize())
                .shuffle(true).seed(settings.seed()).build()) {
            Trainer.builder(model, opt).epochs(settings.epochs()).schedule(settings.lrSchedule())
                    .progress(Progress.silent()).build().fit(data, null);
        }
        return model.stateDict();
    }

    @Test
    void aRunAfterTheWarmupComputesBitwiseTheSameWeightsAndTheSharedGeneratorIsUntouched() {
        TrainingSettings settings = TrainerTest.settings(2);
        Map<String, Tensor> cold = train(settings);

        Init.manualSeed(11);
        JitWarmup warmup = JitWarmup.begin(spec(), settings);
        int steps = warmup.await();
        assertEquals(new SplittableRandom(11).nextLong(), Init.defaultGenerator().nextLong(),
                "the warm-up drew from the generator that layers built without one use");
        assertEquals(roundedUp(JitWarmup.NARROW_STEPS) + roundedUp(JitWarmup.FULL_STEPS), steps);

        Map<String, Tensor> warm = train(settings);
        assertEquals(cold.keySet(), warm.keySet());
        for (String k : cold.keySet()) {
            assertArrayEquals(cold.get(k).toFloatArray(), warm.get(k).toFloatArray(), 0f, k);
        }
    }

    @Test
    void onlyTheFirstWarmupInAJvmTrains() {
        TrainingSettings settings = TrainerTest.settings(1);
        JitWarmup.start(spec(), settings).await();
        assertEquals(0, JitWarmup.start(spec(), settings).await());
    }

    @Test
    void aModelOfMoreThanFourMillionParametersIsNotWarmedUp() {
        ModelSpec big = new ModelSpec(new int[] {1000}, new int[] {4000}, "relu", new double[0], false, 10);
        assertEquals(0, JitWarmup.start(big, TrainerTest.settings(1)).await());
    }

    private static int roundedUp(int steps) {
        return (steps + 3) / 4 * 4;
    }
}
