package perceptron.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.io.SafeTensors;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;

/**
 * Models imported from PyTorch's ONNX files are batch invariant like models built here (issue 15): an example's
 * output is bitwise the same alone and at any position of a batch, on one and two threads. They are made of the
 * same layers, so this holds by construction; the test keeps it so if import ever builds something else.
 */
class ImportedModelBatchInvarianceTest {

    @Test
    void aPyTorchFashionMnistModelGivesEachImageTheSameLogitsAloneAndInABatch() throws IOException {
        assumeTrue(Files.isDirectory(OnnxExportTest.FASHION), "needs the Debian package dataset-fashion-mnist");
        Tensor images;
        FashionMnist data = FashionMnist.load(OnnxExportTest.FASHION);
        try (DataLoader test = DataLoader.sequential(data.test(), 257)) {
            images = test.iterator().next().features().copy();
        }
        for (String file : new String[] {"fashion_mlp_torchscript.onnx", "fashion_mlp_dynamo.onnx"}) {
            assertEachRowAsAlone(Onnx.read(OnnxImportTest.FIXTURES.resolve(file)), images, file);
        }
    }

    @Test
    void everyImportedActivationGivesEachRowTheSameOutputAloneAndInABatch() throws IOException {
        Tensor x = SafeTensors.read(OnnxImportTest.FIXTURES.resolve("expected.safetensors")).tensors().get("act.input");
        for (String name : OnnxImportTest.TORCH_ACTIVATIONS) {
            String file = "act_" + name + "_opset20.onnx";
            assertEachRowAsAlone(Onnx.read(OnnxImportTest.FIXTURES.resolve(file)), x, file);
        }
    }

    private static void assertEachRowAsAlone(Layer model, Tensor batch, String what) {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                float[] all = OnnxExportTest.forward(model, batch);
                int n = batch.shape()[0];
                int width = all.length / n;
                for (int i = 0; i < n; i++) {
                    float[] alone = OnnxExportTest.forward(model, batch.slice(0, i, i + 1).contiguous());
                    assertArrayEquals(Arrays.copyOfRange(all, i * width, (i + 1) * width), alone,
                            what + ": row " + i + " of " + n + " on " + threads + " thread(s)");
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }
}
