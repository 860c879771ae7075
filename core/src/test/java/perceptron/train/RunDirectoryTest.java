package perceptron.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.io.InvalidInputException;
import perceptron.io.SafeTensors;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;

/** What RunDirectory refuses to read, and how it says so: every number exact and in range, every file named. */
class RunDirectoryTest {

    /** A run after epoch 2, written as training writes it. */
    private static RunDirectory savedRun(Path dir) throws IOException {
        TrainingSettings s = TrainerTest.settings(2);
        Layer model = s.buildModel(TrainerTest.spec());
        Optimizer opt = s.optimizerFor(model);
        RunDirectory run = new RunDirectory(dir);
        run.saveCheckpoint(model, opt, TrainerTest.spec(), s, 2, 38, List.of(new EpochMetrics(2, 0.5, 0.8, 0.8, 1)));
        return run;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), text);
        Files.writeString(file, text.replace(from, to));
    }

    private static String refusal(RunDirectory run) {
        return assertThrows(InvalidInputException.class, run::readDescription).getMessage();
    }

    @Test
    void numbersInModelJsonAreExactAndInRangeOrRefusedNamingFileAndField(@TempDir Path dir) throws IOException {
        RunDirectory run = savedRun(dir);
        Path json = run.file("model.json");
        String good = Files.readString(json);
        edit(json, "\"hidden\": [32, 16]", "\"hidden\": [4294967328, 16]");
        assertEquals(json + ": architecture.hidden[0] must be an integer from 1 to 2147483647, got 4294967328",
                refusal(run));
        Files.writeString(json, good);
        edit(json, "\"input_shape\": [20]", "\"input_shape\": [1, 4294967324, 28]");
        assertTrue(refusal(run).startsWith(json + ": architecture.input_shape[1] must be an integer"), refusal(run));
        Files.writeString(json, good);
        edit(json, "\"hidden\": [32, 16]", "\"hidden\": [1e10, 16]");
        assertTrue(refusal(run).contains("architecture.hidden[0] must be an integer from 1 to 2147483647, got 1.0E10"),
                refusal(run));
        Files.writeString(json, good);
        edit(json, "\"epochs\": 2", "\"epochs\": -5");
        assertEquals(json + ": training.epochs must be an integer from 0 to 2147483647, got -5", refusal(run));
        Files.writeString(json, good);
        edit(json, "\"epoch\": 2,", "");
        assertEquals(json + ": progress.epoch is missing", refusal(run));
        Files.writeString(json, good);
        edit(json, "\"lr\": 0.1", "\"lr\": \"0.1\"");
        assertEquals(json + ": training.lr must be a finite number >= 0, got \"0.1\"", refusal(run));
        Files.writeString(json, good);
        edit(json, "\"dropout\": [0.2, 0.5]", "\"dropout\": [0.2]");
        assertTrue(refusal(run).startsWith(json + ": architecture: dropout: give one probability per hidden layer"),
                refusal(run));
    }

    @Test
    void stateJsonOfACheckpointIsCheckedBeforeAnythingIsLoaded(@TempDir Path dir) throws IOException {
        RunDirectory run = savedRun(dir);
        Path state = dir.resolve("checkpoint/epoch-0002/state.json");
        String good = Files.readString(state);
        TrainingSettings s = TrainerTest.settings(2);
        Layer model = s.buildModel(TrainerTest.spec());
        Optimizer opt = s.optimizerFor(model);

        edit(state, "\"epoch\": 2", "\"epoch\": 99999999999");
        String message = assertThrows(InvalidInputException.class, () -> run.restoreLatest(model, opt)).getMessage();
        assertEquals(state + ": epoch must be an integer from 1 to 2147483647, got 99999999999", message);
        Files.writeString(state, good);
        edit(state, "\"epoch\": 2", "\"epoch\": -5");
        assertTrue(assertThrows(InvalidInputException.class, () -> run.restoreLatest(model, opt)).getMessage()
                .endsWith("got -5"));
        Files.writeString(state, good);
        edit(state, "\"epoch\": 2", "\"epoch\": 3");
        assertEquals(state + ": epoch is 3, but the generation is named epoch-0002",
                assertThrows(InvalidInputException.class, () -> run.restoreLatest(model, opt)).getMessage());
        Files.writeString(state, good);
        assertEquals(2, run.restoreLatest(model, opt).epoch());

        Files.delete(dir.resolve("checkpoint/epoch-0002/optimizer.safetensors"));
        String missing = assertThrows(IOException.class, () -> run.restoreLatest(model, opt)).getMessage();
        assertTrue(missing.contains("is incomplete: optimizer.safetensors is missing"), missing);
    }

    @Test
    void weightsThatAreNotFiniteAreRefusedNamingTheTensor(@TempDir Path dir) throws IOException {
        RunDirectory run = savedRun(dir);
        Map<String, Tensor> weights = new LinkedHashMap<>(SafeTensors.read(run.file("model.safetensors")).tensors());
        float[] w = weights.get("1.weight").toFloatArray();
        w[7] = Float.NaN;
        weights.put("1.weight", Tensor.wrap(w, weights.get("1.weight").shape()));
        SafeTensors.write(run.file("model.safetensors"), weights, Map.of());
        String message = assertThrows(InvalidInputException.class, run::loadModel).getMessage();
        assertTrue(message.startsWith(run.file("model.safetensors") + ": tensor 1.weight holds NaN at index 7"),
                message);
    }

    @Test
    void preparingForWritingRemovesWhatAKilledWriteLeftBehind(@TempDir Path dir) throws IOException {
        RunDirectory run = savedRun(dir);
        Path leftover = dir.resolve(".curves.png.3f2a9c01d4e5b6a7.tmp");
        Path kept = dir.resolve("notes.tmp");
        Files.writeString(leftover, "half a figure");
        Files.writeString(kept, "a user's file");
        run.prepareForWriting();
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(kept));
        assertTrue(run.isWritable());
    }
}
