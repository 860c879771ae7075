package perceptron.onnx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Damaged ONNX files: every outcome is a model or an IOException naming the file, never another exception. */
class OnnxFuzzTest {

    @Test
    void flippedAndTruncatedBytesGiveAModelOrAnErrorNamingTheFile() throws IOException {
        SplittableRandom rng = new SplittableRandom(2026);
        int errors = 0;
        for (String fixture : new String[] {"rank3_linear.onnx", "act_gelu_opset17.onnx", "gemm_variants.onnx"}) {
            byte[] good = Files.readAllBytes(OnnxImportTest.FIXTURES.resolve(fixture));
            for (int trial = 0; trial < 200; trial++) {
                byte[] bad = trial % 7 == 0 ? Arrays.copyOf(good, rng.nextInt(good.length)) : good.clone();
                for (int flips = 1 + rng.nextInt(4); flips > 0 && bad.length > 0; flips--) {
                    bad[rng.nextInt(bad.length)] = (byte) rng.nextInt(256);
                }
                try {
                    Onnx.fromBytes(bad, "damaged.onnx");
                } catch (IOException e) {
                    errors++;
                    assertTrue(e.getMessage().startsWith("damaged.onnx"), e.getMessage());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                }
            }
        }
        assertTrue(errors > 30, "only " + errors + " of 600 damaged files were refused");
    }
}
