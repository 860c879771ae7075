package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.train.EpochMetrics;
import perceptron.train.RunDirectory;

/** {@code perceptron train / evaluate / predict} on a small dataset in the real IDX format, as users run them. */
class TrainCommandTest {
    @TempDir
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        TinyFashion.write(data, 1200, 300);
    }

    private static CliRun train(Path out, String... extra) {
        return train(out, 2, extra);
    }

    private static CliRun train(Path out, int epochs, String... extra) {
        String[] base = {"train", "--data", data.toString(), "--out", out.toString(), "--epochs",
                Integer.toString(epochs), "--threads", "1"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void trainWritesEveryFileOfARun(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        CliRun r = train(run);
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"model.safetensors", "model.json", "metrics.csv", "curves.png", "curves.svg",
                "checkpoint/latest", "checkpoint/epoch-0002/optimizer.safetensors"}) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(EpochMetrics.CSV_HEADER, csv.get(0));
        assertEquals(3, csv.size());
        assertTrue(r.out().contains("epoch 2/2  train loss"), r.out());
        assertTrue(r.out().contains("model: mlp [1, 28, 28] -> [256] (relu) -> 10, 203,530 parameters"), r.out());
        double acc = new RunDirectory(run).readMetrics().get(1).testAccuracy();
        assertTrue(acc > 0.9, "the bars are easy to tell apart: " + acc);
    }

    @Test
    void resumeExtendsARunAndRefusesToOverwriteOne(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--dropout", "0.3", "--momentum", "0.9").code());
        CliRun again = train(run);
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a run; continue it with --resume"), again.err());
        CliRun changed = CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--lr", "0.5");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("--lr cannot change a resumed run"), changed.err());
        CliRun resumed = CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--epochs", "3",
                "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming " + run + " after epoch 2"), resumed.out());
        assertTrue(resumed.out().contains("epoch 3/3"), resumed.out());
        assertEquals(3, new RunDirectory(run).readMetrics().size());
        assertEquals(3, new RunDirectory(run).readDescription().epoch());
        assertEquals("epoch-0003", Files.readString(run.resolve("checkpoint/latest")).trim());
    }

    @Test
    void evaluateAndPredictUseTheSavedModel(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--hidden", "64", "--optimizer", "adam").code());
        CliRun eval = CliRun.of("evaluate", run.toString(), "--data", data.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().startsWith("test accuracy "), eval.out());
        assertTrue(eval.out().contains("confusion matrix (rows: true class, columns: predicted class)"));
        assertTrue(Files.size(run.resolve("confusion.png")) > 10_000);
        CliRun predict = CliRun.of("predict", run.toString(), "--idx",
                data.resolve("t10k-images-idx3-ubyte.gz").toString(), "--index", "3");
        assertEquals(0, predict.code(), predict.err());
        assertTrue(predict.out().startsWith("image 3 of t10k-images-idx3-ubyte.gz (true class: dress)"),
                predict.out());
        assertTrue(predict.out().contains("  1. dress "), predict.out());
    }

    @Test
    void userMistakesAreOneLineWithoutAStackTrace(@TempDir Path tmp) throws IOException {
        CliRun noData = CliRun.of("train", "--data", tmp.resolve("nowhere").toString(), "--out",
                tmp.resolve("r").toString(), "--epochs", "1");
        assertEquals(2, noData.code());
        assertTrue(noData.err().contains("dataset-fashion-mnist"), noData.err());
        assertFalse(noData.err().contains("\tat "), noData.err());

        CliRun badOption = train(tmp.resolve("r2"), "--optimizer", "rmsprop");
        assertEquals(2, badOption.code());
        assertTrue(badOption.err().contains("expected one of [SGD, ADAM, ADAMW] (case-insensitive) but was 'rmsprop'"),
                badOption.err());
        CliRun badActivation = train(tmp.resolve("r3"), "--activation", "relu7");
        assertEquals(2, badActivation.code());
        assertTrue(badActivation.err().contains("unknown activation 'relu7'"), badActivation.err());
        CliRun badDropout = train(tmp.resolve("r4"), "--hidden", "256,256", "--dropout", "0.5");
        assertEquals(2, badDropout.code());
        assertTrue(badDropout.err().contains("give one probability per hidden layer (2)"), badDropout.err());

        CliRun diverged = train(tmp.resolve("r5"), "--lr", "1e30");
        assertEquals(2, diverged.code());
        assertTrue(diverged.err().contains("training diverged: the loss is"), diverged.err());
        assertFalse(diverged.err().contains("\tat "), diverged.err());

        CliRun badNumber = CliRun.of("train", "--epochs", "abc");
        assertEquals(2, badNumber.code());
        assertEquals(1, badNumber.err().lines().count(), badNumber.err());
        assertTrue(badNumber.err().startsWith("perceptron train: Invalid value for option '--epochs'"),
                badNumber.err());
        CliRun unknown = CliRun.of("train", "--bogus");
        assertEquals(2, unknown.code());
        assertEquals(1, unknown.err().lines().count(), unknown.err());

        CliRun momentumWithAdam = train(tmp.resolve("r6"), "--optimizer", "adam", "--momentum", "0.5");
        assertEquals(2, momentumWithAdam.code());
        assertTrue(momentumWithAdam.err().contains("--momentum applies to sgd"), momentumWithAdam.err());

        CliRun notARun = CliRun.of("evaluate", tmp.toString(), "--data", data.toString());
        assertEquals(2, notARun.code());
        assertTrue(notARun.err().contains("not a training run"), notARun.err());

        Path run = tmp.resolve("good");
        assertEquals(0, train(run, "--hidden", "16").code());
        CliRun badIndex = CliRun.of("predict", run.toString(), "--idx",
                data.resolve("t10k-images-idx3-ubyte.gz").toString(), "--index", "300");
        assertEquals(2, badIndex.code());
        assertTrue(badIndex.err().contains("--index 300 is out of range"), badIndex.err());
        Files.write(run.resolve("model.safetensors"), new byte[] {1, 2, 3});
        CliRun corrupt = CliRun.of("evaluate", run.toString(), "--data", data.toString());
        assertEquals(2, corrupt.code());
        assertTrue(corrupt.err().contains("model.safetensors"), corrupt.err());
        assertFalse(corrupt.err().contains("\tat "), corrupt.err());

    }

    @Test
    void failedRunsLeaveNoEmptyRunDirectory(@TempDir Path tmp) throws IOException {
        Path diverged = tmp.resolve("diverged");
        assertEquals(2, train(diverged, "--lr", "1e30").code());
        assertFalse(Files.exists(diverged), "a run that diverged in its first epoch left " + diverged);
        Path zero = tmp.resolve("zero");
        CliRun noEpochs = train(zero, 0);
        assertEquals(2, noEpochs.code());
        assertTrue(noEpochs.err().contains("--epochs must be at least 1, got 0"), noEpochs.err());
        assertFalse(Files.exists(zero));
        Path wrongData = tmp.resolve("wrong-data");
        Path badDir = tmp.resolve("bad-data");
        Files.createDirectories(badDir);
        TinyFashion.write(badDir, 30, 10);
        Files.write(badDir.resolve("train-labels-idx1-ubyte.gz"), new byte[] {31, -117, 8, 0});
        CliRun wrong = CliRun.of("train", "--data", badDir.toString(), "--out", wrongData.toString(), "--epochs", "1");
        assertEquals(2, wrong.code(), wrong.err());
        assertFalse(Files.exists(wrongData));
    }

    @Test
    void aValidationSplitSelectsTheKeptEpochAndSaysWhichSetEachCurveComesFrom(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        CliRun r = train(run, 3, "--hidden", "32", "--validation", "0.1", "--early-stopping", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("curves: train_loss, train_acc on the 1,080 training images kept for training; "
                + "val_loss, val_acc on 120 training images held out (10%, stratified by class, seed 42)"), r.out());
        assertTrue(r.out().contains("  val loss "), r.out());
        assertTrue(r.out().matches("(?s).*kept the weights of epoch \\d of \\d: the best val_acc on the validation "
                + "set, \\d\\.\\d{4}.*"), r.out());
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("epoch,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds", csv.get(0));
        List<EpochMetrics> m = new RunDirectory(run).readMetrics();
        assertTrue(m.get(2).validationAccuracy() > 0.5 && m.get(2).testLoss() > 0, m.toString());
        assertEquals(0.1, new RunDirectory(run).readDescription().settings().validation());
        CliRun resumed = CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--epochs", "4",
                "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("val_loss, val_acc on 120 training images held out"), resumed.out());
        assertTrue(resumed.out().contains("kept the weights of epoch "), resumed.out());
        List<EpochMetrics> all = new RunDirectory(run).readMetrics();
        assertTrue(all.size() >= 3 && all.get(all.size() - 1).hasValidation(), all.toString());

        CliRun plain = train(tmp.resolve("plain"), 1, "--hidden", "16");
        assertTrue(plain.out().contains("test_loss, test_acc on the 300 test images (no validation set: the book's "
                + "setting)"), plain.out());
        assertTrue(plain.out().contains("kept the weights of the last epoch, 1 (no validation set"), plain.out());

        CliRun noValidation = train(tmp.resolve("r2"), "--early-stopping", "2");
        assertEquals(2, noValidation.code());
        assertTrue(noValidation.err().contains("--early-stopping watches a validation set: add --validation"),
                noValidation.err());
        CliRun resumeChange = CliRun.of("train", "--data", data.toString(), "--resume", run.toString(),
                "--validation", "0.2");
        assertEquals(2, resumeChange.code());
        assertTrue(resumeChange.err().contains("--validation cannot change a resumed run"), resumeChange.err());
    }

    @Test
    void constantInitialisationAndGradientClippingAreOptions(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        CliRun r = train(run, 1, "--hidden", "8", "--init", "constant", "--clip-grad-norm", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("init constant"), r.out());
        assertTrue(r.out().contains("gradient norm clipped at 1"), r.out());
        // d2l 5.4's symmetry: with equal initial weights, the hidden units stay copies of each other.
        float[] w = new RunDirectory(run).loadModel().stateDict().get("1.weight").toFloatArray();
        for (int unit = 1; unit < 8; unit++) {
            for (int i = 0; i < 784; i++) {
                assertEquals(w[i], w[unit * 784 + i], 0f, "unit " + unit + ", input " + i);
            }
        }
    }

    @Test
    void monitorsAndAnalysisCommandsRunOnATrainedModel(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        CliRun r = train(run, "--hidden", "32,16", "--monitors");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("dead ReLU units"), r.out());
        assertTrue(Files.exists(run.resolve("monitor-gradient-norms.png")));
        CliRun between = CliRun.of("regions", run.toString(), "--between", "0", "1", "--data", data.toString());
        assertEquals(0, between.code(), between.err());
        assertTrue(between.out().contains("linear pieces"), between.out());
        assertTrue(Files.exists(run.resolve("regions-0-1.png")));
        CliRun plane = CliRun.of("regions", run.toString(), "--plane", "0", "1", "2", "--data", data.toString());
        assertEquals(0, plane.code(), plane.err());
        assertTrue(plane.out().contains("linear regions"), plane.out());
        CliRun badBatch = CliRun.of("graph", "--model", run.toString(), "--data", data.toString(), "--batch-size", "0");
        assertEquals(2, badBatch.code());
        assertTrue(badBatch.err().contains("--batch-size must be at least 1"), badBatch.err());
        CliRun nowhere = CliRun.of("graph", "--model", run.toString(), "--data", data.toString(), "--out",
                tmp.resolve("no/such/dir/g.dot").toString());
        assertEquals(2, nowhere.code());
        assertTrue(nowhere.err().contains("does not exist"), nowhere.err());
        assertFalse(nowhere.err().contains(".tmp"), nowhere.err());
        CliRun graph = CliRun.of("graph", "--model", run.toString(), "--data", data.toString(), "--out",
                run.resolve("step.dot").toString());
        assertEquals(0, graph.code(), graph.err());
        assertTrue(Files.readString(run.resolve("step.dot")).contains("LinearBackward"));
    }
}
