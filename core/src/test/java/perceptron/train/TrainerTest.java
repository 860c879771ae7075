package perceptron.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.data.ArrayDataset;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.kernels.GemmSplitting;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;

class TrainerTest {

    /** Three Gaussian blobs in 20 dimensions: easy to learn, 600 examples. */
    static Dataset blobs(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * 20];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            for (int j = 0; j < 20; j++) {
                x[i * 20 + j] = (float) (rng.nextGaussian() + (j % 3 == c ? 2.0 : 0.0));
            }
        }
        return new ArrayDataset(n, x, new int[] {20}, y, new int[0]);
    }

    static ModelSpec spec() {
        return new ModelSpec(new int[] {20}, new int[] {32, 16}, "relu", new double[] {0.2, 0.5}, false, 3);
    }

    static TrainingSettings settings(int epochs) {
        return new TrainingSettings("sgd", 0.1, 0.9, 1e-3, 32, epochs, "xavier", 5, "cosine", 0.5);
    }

    private static DataLoader loader(Dataset d, TrainingSettings s) {
        return DataLoader.builder(d).batchSize(s.batchSize()).shuffle(true).seed(s.seed()).build();
    }

    /** Thrown by the checkpointer to simulate a crash right after a checkpoint was written. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private static Layer run(Path dir, int epochs, boolean resume) throws IOException {
        return run(dir, epochs, resume, Integer.MAX_VALUE);
    }

    /**
     * Trains {@code epochs} epochs (resuming from the run directory's latest checkpoint if asked), crashing right
     * after the checkpoint of epoch {@code crashAfter}.
     */
    private static Layer run(Path dir, int epochs, boolean resume, int crashAfter) throws IOException {
        TrainingSettings s = settings(epochs);
        Layer model = s.buildModel(spec());
        Optimizer opt = s.optimizerFor(model);
        RunDirectory run = new RunDirectory(dir);
        int first = 1;
        long step = 0;
        List<EpochMetrics> history = new ArrayList<>(run.readMetrics());
        if (resume) {
            RunDirectory.Resumed r = run.restoreLatest(model, opt);
            first = r.epoch() + 1;
            step = r.step();
        }
        Dataset train = blobs(1, 600);
        try (DataLoader trainLoader = loader(train, s); DataLoader test = DataLoader.sequential(blobs(2, 300), 100)) {
            Trainer trainer = Trainer.builder(model, opt).epochs(epochs).schedule(s.lrSchedule())
                    .progress(Progress.silent())
                    .checkpointer((epoch, st, m) -> {
                        history.add(m);
                        run.saveCheckpoint(model, opt, spec(), s, epoch, st, history);
                        if (epoch == crashAfter) {
                            throw new Crash();
                        }
                    })
                    .build();
            trainer.fit(trainLoader, test, first, step);
        }
        return model;
    }

    @Test
    void interruptedAndResumedTrainingEqualsUninterruptedBitForBit(@TempDir Path tmp) throws IOException {
        Layer straight = run(tmp.resolve("straight"), 3, false);
        assertThrows(Crash.class, () -> run(tmp.resolve("resumed"), 3, false, 1));
        Layer resumed = run(tmp.resolve("resumed"), 3, true);
        Map<String, Tensor> a = straight.stateDict();
        Map<String, Tensor> b = resumed.stateDict();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k);
        }
        List<EpochMetrics> m1 = new RunDirectory(tmp.resolve("straight")).readMetrics();
        List<EpochMetrics> m2 = new RunDirectory(tmp.resolve("resumed")).readMetrics();
        assertEquals(3, m2.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(m1.get(i).trainLoss(), m2.get(i).trainLoss(), 1e-6);
            assertEquals(m1.get(i).testAccuracy(), m2.get(i).testAccuracy(), 1e-12);
        }
        assertTrue(m1.get(2).testAccuracy() > 0.9, "blobs should be learnt: " + m1.get(2));
    }

    @Test
    void theSameSeedGivesBitwiseTheSameModelOnOneAndTwoThreads(@TempDir Path tmp) throws IOException {
        // Wide enough that the GEMMs of the forward and backward passes are split into tasks across the pool:
        // with the 20-32-16-3 net at batch 32 of the other tests every product ran on one thread, and the
        // comparison proved nothing about splitting.
        ModelSpec wide = new ModelSpec(new int[] {20}, new int[] {512, 256}, "relu", new double[] {0.2, 0.5}, false, 3);
        TrainingSettings s = new TrainingSettings("sgd", 0.05, 0.9, 1e-3, 64, 2, "xavier", 5, "cosine", 0.5);
        int split = 0;
        int in = 20;
        for (int out : new int[] {512, 256, 3}) {
            // Forward x W^T: [B, in] x [in, out]; backward: dX = dY W ([B, out] x [out, in]), dW = dY^T X ([out, B] x [B, in]).
            split += (GemmSplitting.splits(64, out, in) ? 1 : 0) + (GemmSplitting.splits(64, in, out) ? 1 : 0)
                    + (GemmSplitting.splits(out, in, 64) ? 1 : 0);
            in = out;
        }
        assertTrue(split >= 6, "only " + split + " of the 9 GEMMs of a step are split across threads");
        int before = perceptron.kernels.Parallel.threads();
        try {
            perceptron.kernels.Parallel.setThreads(1);
            Layer one = train(wide, s);
            perceptron.kernels.Parallel.setThreads(2);
            assertEquals(2, perceptron.kernels.Parallel.threads());
            Layer two = train(wide, s);
            for (Map.Entry<String, Tensor> e : one.stateDict().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), two.stateDict().get(e.getKey()).toFloatArray(), 0f,
                        e.getKey());
            }
        } finally {
            perceptron.kernels.Parallel.setThreads(before);
        }
    }

    private static Layer train(ModelSpec spec, TrainingSettings s) {
        Layer model = s.buildModel(spec);
        Optimizer opt = s.optimizerFor(model);
        try (DataLoader train = loader(blobs(1, 1024), s); DataLoader test = DataLoader.sequential(blobs(2, 300), 100)) {
            Trainer.builder(model, opt).epochs(s.epochs()).schedule(s.lrSchedule()).progress(Progress.silent())
                    .build().fit(train, test);
        }
        return model;
    }

    @Test
    void savedModelLoadsBackFromTheRunDirectory(@TempDir Path tmp) throws IOException {
        Layer trained = run(tmp, 1, false);
        RunDirectory dir = new RunDirectory(tmp);
        assertEquals(spec(), dir.readDescription().spec());
        assertEquals(1, dir.readDescription().epoch());
        Layer loaded = dir.loadModel();
        trained.eval();
        Tensor x = Tensor.randn(new SplittableRandom(3), 4, 20);
        assertArrayEquals(trained.forward(x).toFloatArray(), loaded.forward(x).toFloatArray(), 0f);
        assertTrue(Files.exists(tmp.resolve("checkpoint/epoch-0001/optimizer.safetensors")));
        assertEquals("epoch-0001", Files.readString(tmp.resolve("checkpoint/latest")).trim());
    }

    @Test
    void resumingWithoutACheckpointSaysSo(@TempDir Path tmp) {
        IOException e = assertThrows(IOException.class, () -> run(tmp, 1, true));
        assertTrue(e.getMessage().startsWith("nothing to resume in "), e.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheArchitectureAreReportedWithTheFile(@TempDir Path tmp) throws IOException {
        run(tmp, 1, false);
        String json = Files.readString(tmp.resolve("model.json")).replace("\"hidden\": [32, 16]", "\"hidden\": [33, 16]");
        Files.writeString(tmp.resolve("model.json"), json);
        IOException e = assertThrows(IOException.class, () -> new RunDirectory(tmp).loadModel());
        assertTrue(e.getMessage().contains("does not fit the architecture"), e.getMessage());
        assertTrue(e.getMessage().contains("size mismatch: 1.weight"), e.getMessage());
    }

    @Test
    void earlyStoppingEndsTheRunWhenTestAccuracyStalls() {
        EarlyStopping stop = new EarlyStopping(2, 0.0);
        assertEquals(false, stop.onEpochEnd(null, new EpochMetrics(1, 1, 0.5, 0.80, 1)));
        assertEquals(false, stop.onEpochEnd(null, new EpochMetrics(2, 1, 0.5, 0.79, 1)));
        assertEquals(true, stop.onEpochEnd(null, new EpochMetrics(3, 1, 0.5, 0.80, 1)));
    }
}
