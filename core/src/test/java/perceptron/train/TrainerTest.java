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
import perceptron.internal.kernels.GemmSplitting;
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
        return new TrainingSettings(TrainingSettings.OptimizerType.SGD, 0.1, 0.9, 1e-3, 32, epochs,
                perceptron.nn.init.Initializer.XAVIER, 5, TrainingSettings.ScheduleType.COSINE, 0.5);
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
        TrainingSettings s = new TrainingSettings(TrainingSettings.OptimizerType.SGD, 0.05, 0.9, 1e-3, 64, 2,
                perceptron.nn.init.Initializer.XAVIER, 5, TrainingSettings.ScheduleType.COSINE, 0.5, 0, 0, 0);
        int split = 0;
        int in = 20;
        for (int out : new int[] {512, 256, 3}) {
            // Forward x W^T: [B, in] x [in, out]; backward: dX = dY W ([B, out] x [out, in]), dW = dY^T X ([out, B] x [B, in]).
            split += (GemmSplitting.splits(64, out, in) ? 1 : 0) + (GemmSplitting.splits(64, in, out) ? 1 : 0)
                    + (GemmSplitting.splits(out, in, 64) ? 1 : 0);
            in = out;
        }
        // The scalar kernels (the suite's second run) multiply on one thread; only the vector GEMM splits.
        if (perceptron.kernels.Kernels.get().name().equals("vector")) {
            assertTrue(split >= 6, "only " + split + " of the 9 GEMMs of a step are split across threads");
        }
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

    private static EpochMetrics validated(int epoch, double valLoss, double valAcc, double testAcc) {
        return new EpochMetrics(epoch, 1, 0.5, valLoss, valAcc, 0.5, testAcc, 1);
    }

    @Test
    void earlyStoppingEndsTheRunWhenValidationAccuracyStallsAndSaysWhy() {
        EarlyStopping stop = new EarlyStopping(2, 0.0);
        assertEquals(false, stop.onEpochEnd(null, validated(1, 0.5, 0.80, 0.70)));
        assertEquals(false, stop.onEpochEnd(null, validated(2, 0.4, 0.79, 0.99)));
        assertEquals(true, stop.onEpochEnd(null, validated(3, 0.3, 0.80, 0.99)));
        assertEquals("val acc has not improved on 0.8000 (epoch 1) for 2 epochs", stop.stopReason());
    }

    @Test
    void earlyStoppingNeverLooksAtTheTestSet() {
        EarlyStopping stop = new EarlyStopping(1, 0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stop.onEpochEnd(null, new EpochMetrics(1, 1, 0.5, 0.80, 1)));
        assertTrue(e.getMessage().contains("watches the validation set"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainingSettings(TrainingSettings.OptimizerType.SGD,
                0.1, 0, 0, 32, 3, perceptron.nn.init.Initializer.NORMAL, 1, TrainingSettings.ScheduleType.CONSTANT, 0,
                0, 0, 2));
    }

    @Test
    void regressionRunsStopAndSelectOnValidationLoss() {
        EarlyStopping stop = new EarlyStopping(1, 0.0);
        assertEquals(false, stop.onEpochEnd(null, validated(1, 0.5, Double.NaN, Double.NaN)));
        assertEquals(true, stop.onEpochEnd(null, validated(2, 0.6, Double.NaN, Double.NaN)));
        BestEpoch best = BestEpoch.of(List.of(validated(1, 0.5, Double.NaN, Double.NaN),
                validated(2, 0.3, Double.NaN, Double.NaN), validated(3, 0.4, Double.NaN, Double.NaN)));
        assertEquals(new BestEpoch(2, "val_loss", 0.3), best);
    }

    @Test
    void theBestEpochIsChosenOnValidationAccuracyNotTestAccuracy() {
        BestEpoch best = BestEpoch.of(List.of(validated(1, 0.5, 0.80, 0.95), validated(2, 0.4, 0.85, 0.70),
                validated(3, 0.3, 0.85, 0.99)));
        assertEquals(new BestEpoch(2, "val_acc", 0.85), best);
        assertEquals(null, BestEpoch.of(List.of(new EpochMetrics(1, 1, 0.5, 0.80, 1))));
    }

    @Test
    void aDivergingLossStopsTrainingBeforeItsStepSoTheWeightsStayFinite() {
        TrainingSettings s = settings(3);
        Layer model = s.buildModel(spec());
        Optimizer opt = new perceptron.optim.SGD(model.parameters(), 1e30);
        try (DataLoader train = loader(blobs(1, 600), s)) {
            Trainer trainer = Trainer.builder(model, opt).epochs(3).progress(Progress.silent()).build();
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.fit(train, null));
            assertTrue(e.getMessage().startsWith("training diverged: the loss is"), e.getMessage());
        }
        for (Map.Entry<String, Tensor> p : model.stateDict().entrySet()) {
            for (float v : p.getValue().toFloatArray()) {
                assertTrue(Float.isFinite(v), p.getKey() + " holds " + v + " after the diverging step");
            }
        }
    }

    @Test
    void anEmptyTrainingSetIsRefused() {
        TrainingSettings s = settings(1);
        Layer model = s.buildModel(spec());
        try (DataLoader train = DataLoader.sequential(blobs(1, 600).subset(), 32)) {
            Trainer trainer = Trainer.builder(model, s.optimizerFor(model)).progress(Progress.silent()).build();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.fit(train, null));
            assertTrue(e.getMessage().startsWith("the training set is empty: 0 examples"), e.getMessage());
        }
    }

    @Test
    void aCrashBetweenTheFirstCheckpointAndTheTopLevelFilesLeavesAResumableRun(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("run");
        // A directory where the top-level weights go makes their write fail right after the generation is committed.
        Files.createDirectories(dir.resolve("model.safetensors").resolve("blocker"));
        assertThrows(java.io.UncheckedIOException.class, () -> run(dir, 2, false));
        assertEquals("epoch-0001", Files.readString(dir.resolve("checkpoint/latest")).trim());
        // What --resume reads first: the description of the run.
        assertEquals(spec(), new RunDirectory(dir).readDescription().spec());
        Files.delete(dir.resolve("model.safetensors").resolve("blocker"));
        Files.delete(dir.resolve("model.safetensors"));
        Layer resumed = run(dir, 2, true);
        Layer straight = run(tmp.resolve("straight"), 2, false);
        for (Map.Entry<String, Tensor> e : straight.stateDict().entrySet()) {
            assertArrayEquals(e.getValue().toFloatArray(), resumed.stateDict().get(e.getKey()).toFloatArray(), 0f,
                    e.getKey());
        }
    }

    @Test
    void aRunWithAValidationSplitKeepsTheBestEpochsWeightsAndWritesValColumns(@TempDir Path tmp) throws IOException {
        TrainingSettings s = settings(3);
        Layer model = s.buildModel(spec());
        Optimizer opt = s.optimizerFor(model);
        RunDirectory run = new RunDirectory(tmp);
        List<EpochMetrics> history = new ArrayList<>();
        perceptron.data.ValidationSplit split = perceptron.data.ValidationSplit.stratified(blobs(1, 600), 0.2, 5);
        Map<Integer, float[]> weightsByEpoch = new java.util.HashMap<>();
        try (DataLoader train = loader(split.train(), s); DataLoader valid = DataLoader.sequential(split.validation(), 50);
             DataLoader test = DataLoader.sequential(blobs(2, 300), 100)) {
            Trainer.builder(model, opt).epochs(3).progress(Progress.silent())
                    .checkpointer((epoch, st, m) -> {
                        // Pretend epoch 2 validated best, whatever the numbers, to see which weights are kept.
                        EpochMetrics shown = new EpochMetrics(m.epoch(), m.trainLoss(), m.trainAccuracy(),
                                m.validationLoss(), epoch == 2 ? 1.0 : 0.5, m.testLoss(), m.testAccuracy(), 0);
                        history.add(shown);
                        weightsByEpoch.put(epoch, model.stateDict().get("1.weight").toFloatArray());
                        run.saveCheckpoint(model, opt, spec(), s, epoch, st, history);
                    })
                    .build().fit(train, valid, test, 1, 0);
        }
        List<String> csv = Files.readAllLines(tmp.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds", csv.get(0));
        List<EpochMetrics> read = run.readMetrics();
        assertEquals(1.0, read.get(1).validationAccuracy());
        assertTrue(read.get(2).testLoss() > 0 && read.get(2).validationLoss() > 0, read.get(2).toString());
        assertArrayEquals(weightsByEpoch.get(2), run.loadModel().stateDict().get("1.weight").toFloatArray(), 0f);
        String json = Files.readString(tmp.resolve("model.json"));
        assertTrue(json.contains("\"kept\": {\n    \"epoch\": 2,\n    \"reason\": \"the best val_acc on the validation set\""),
                json);
    }

    @Test
    void metricsFilesOfTheFirstVersionStillParse() {
        List<EpochMetrics> m = EpochMetrics.parseCsv(List.of("epoch,train_loss,train_acc,test_acc,seconds",
                "1,0.500000,0.800000,0.750000,1.000"));
        assertEquals(0.75, m.get(0).testAccuracy());
        assertTrue(Double.isNaN(m.get(0).testLoss()) && !m.get(0).hasValidation());
    }
}
