package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotTrainingTest {
    /** bin/perceptron records its start-up cache from this run: it must train without data or network. */
    @Test
    void trainsARunOnRandomImagesInItsScratchDirectory(@TempDir Path tmp) throws IOException {
        assertEquals(0, AotTraining.run(tmp));
        for (String file : new String[] {"model.safetensors", "model.json", "metrics.csv", "curves.png", "curves.svg"}) {
            assertTrue(Files.size(tmp.resolve("run").resolve(file)) > 0, file);
        }
    }
}
