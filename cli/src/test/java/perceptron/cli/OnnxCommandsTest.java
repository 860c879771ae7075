package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.autograd.Autograd;
import perceptron.nn.Sequential;
import perceptron.onnx.Onnx;
import perceptron.tensor.Tensor;

/** {@code perceptron import} and {@code export}, and the commands that read a run, on a model PyTorch trained. */
class OnnxCommandsTest {
    static final Path FIXTURES = Path.of("../core/src/test/resources/onnx");
    private static final Path DATA = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void aPyTorchModelImportsIntoARunThatEvaluatePredictRegionsAndExportAccept(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.isDirectory(DATA), "needs the Debian package dataset-fashion-mnist");
        Path run = tmp.resolve("imported");
        CliRun r = CliRun.of("import", FIXTURES.resolve("fashion_mlp_torchscript.onnx").toString(), "--out",
                run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mlp [1, 28, 28] -> [32] (relu) -> 10"), r.out());

        r = CliRun.of("evaluate", run.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("test accuracy 0.7842 "), r.out());   // PyTorch's accuracy (the fixture's metadata)

        r = CliRun.of("predict", run.toString(), "--idx", DATA.resolve("t10k-images-idx3-ubyte.gz").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1. "), r.out());

        r = CliRun.of("regions", run.toString(), "--between", "0", "1", "--out", tmp.resolve("seg.png").toString());
        assertEquals(0, r.code(), r.err());

        Path back = tmp.resolve("back.onnx");
        r = CliRun.of("export", run.toString(), "--onnx", back.toString(), "--opset", "17");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("opset 17, input 'input' [batch, 1, 28, 28], output 'logits'"), r.out());
        Sequential original = Onnx.read(FIXTURES.resolve("fashion_mlp_torchscript.onnx"));
        Sequential exported = Onnx.read(back);
        Tensor x = Tensor.rand(new java.util.SplittableRandom(1), 16, 1, 28, 28);
        try (Autograd.Scope g = Autograd.noGrad()) {
            assertEquals(0, original.forward(x).sub(exported.forward(x)).abs().max().item(), 1e-6);
        }
    }

    @Test
    void importRefusesWhatIsNotAnMlpAndWhatARunCannotDescribe(@TempDir Path tmp) {
        CliRun r = CliRun.of("import", FIXTURES.resolve("conv.onnx").toString(), "--out", tmp.resolve("a").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("perceptron import: ") && r.err().contains("node '/0/Conv' (Conv) is not supported"),
                r.err());
        r = CliRun.of("import", FIXTURES.resolve("act_leaky_relu_opset17.onnx").toString(), "--out",
                tmp.resolve("b").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("a run directory cannot describe it: found layer LeakyReLU(negative_slope=0.2)"),
                r.err());
        r = CliRun.of("export", tmp.resolve("none").toString(), "--onnx", tmp.resolve("x.onnx").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a training run"), r.err());
    }
}
