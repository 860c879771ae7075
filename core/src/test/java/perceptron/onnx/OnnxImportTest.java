package perceptron.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.io.SafeTensors;
import perceptron.nn.ActivationLayer;
import perceptron.nn.Layer;
import perceptron.nn.Sequential;
import perceptron.ops.Activations;
import perceptron.tensor.Tensor;
import perceptron.train.ModelSpec;

/** Models exported by PyTorch 2.x (tools/make_onnx_fixtures.py) import and give PyTorch's numbers. */
class OnnxImportTest {
    static final Path FIXTURES = Path.of("src/test/resources/onnx");
    static final String[] TORCH_ACTIVATIONS = {"relu", "prelu", "leaky_relu", "elu", "selu", "celu", "gelu",
            "gelu_tanh", "silu", "mish", "softplus", "softsign", "hardtanh", "relu6", "hardsigmoid", "hardswish",
            "logsigmoid", "sigmoid", "tanh"};

    private static SafeTensors.Loaded expected() throws IOException {
        return SafeTensors.read(FIXTURES.resolve("expected.safetensors"));
    }

    private static void assertClose(Tensor expected, float[] actual, double tolerance, String what) {
        double diff = OnnxExportTest.maxAbsDiff(expected.contiguous().toFloatArray(), actual);
        assertTrue(diff <= tolerance, what + ": max |perceptron - PyTorch| = " + diff);
    }

    /** Test accuracy over the whole Fashion-MNIST test set. */
    private static double accuracy(Layer model) throws IOException {
        FashionMnist data = FashionMnist.load(OnnxExportTest.FASHION);
        long correct = 0;
        try (DataLoader test = DataLoader.sequential(data.test(), 1000); Autograd.Scope g = Autograd.noGrad()) {
            for (Batch b : test) {
                int[] p = model.forward(b.features()).argmax(1).toIntArray();
                int[] y = b.labels().toIntArray();
                for (int i = 0; i < p.length; i++) {
                    correct += p[i] == y[i] ? 1 : 0;
                }
            }
        }
        return correct / 10000.0;
    }

    private static float[] first200(Layer model) throws IOException {
        FashionMnist data = FashionMnist.load(OnnxExportTest.FASHION);
        try (DataLoader test = DataLoader.sequential(data.test(), 200)) {
            return OnnxExportTest.forward(model, test.iterator().next().features());
        }
    }

    @Test
    void aFashionMnistModelTrainedAndExportedByPyTorchGivesItsLogitsAndAccuracy() throws IOException {
        assumeTrue(Files.isDirectory(OnnxExportTest.FASHION), "needs the Debian package dataset-fashion-mnist");
        SafeTensors.Loaded expected = expected();
        double torchAccuracy = Double.parseDouble(expected.metadata().get("fashion_accuracy"));
        for (String file : List.of("fashion_mlp_torchscript.onnx", "fashion_mlp_dynamo.onnx")) {
            Onnx.Imported imported = Onnx.load(FIXTURES.resolve(file));
            assertEquals("[1, 28, 28]", Arrays.toString(imported.inputShape()), file);
            assertClose(expected.tensors().get("fashion.logits"), first200(imported.model()), 1e-5, file);
            assertEquals(torchAccuracy, accuracy(imported.model()), 1e-6, file);   // PyTorch's is a float32
        }
    }

    @Test
    void aStateDictWrittenBySafetensorsTorchLoadsIntoTheMatchingModel() throws IOException {
        assumeTrue(Files.isDirectory(OnnxExportTest.FASHION), "needs the Debian package dataset-fashion-mnist");
        ModelSpec spec = new ModelSpec(new int[] {1, 28, 28}, new int[] {32}, "relu", new double[] {0.2}, false, 10);
        Sequential net = spec.build(new SplittableRandom(0), 0);
        net.loadStateDict(SafeTensors.read(FIXTURES.resolve("fashion_mlp.safetensors")).tensors());
        net.eval();
        assertClose(expected().tensors().get("fashion.logits"), first200(net), 1e-5, "safetensors");
    }

    @Test
    void everyActivationExportedByPyTorchImportsAtOpsets17And20() throws IOException {
        SafeTensors.Loaded expected = expected();
        Tensor x = expected.tensors().get("act.input");
        for (String name : TORCH_ACTIVATIONS) {
            for (int opset : new int[] {17, 20}) {
                String file = "act_" + name + "_opset" + opset + ".onnx";
                Sequential model = Onnx.read(FIXTURES.resolve(file));
                assertEquals(5, model.size(), file + ": " + model);   // Dropout is not in the graph
                assertClose(expected.tensors().get("act_" + name + ".logits"), OnnxExportTest.forward(model, x), 1e-5,
                        file + " (" + model.get(3) + ")");
            }
        }
    }

    @Test
    void matMulPlusAddAndGemmWithItsAttributesImport() throws IOException {
        SafeTensors.Loaded expected = expected();
        Tensor x = expected.tensors().get("act.input");
        assertClose(expected.tensors().get("rank3.logits"),
                OnnxExportTest.forward(Onnx.read(FIXTURES.resolve("rank3_linear.onnx")), x), 1e-5, "rank3_linear");
        assertClose(expected.tensors().get("gemm.logits"),
                OnnxExportTest.forward(Onnx.read(FIXTURES.resolve("gemm_variants.onnx")), x), 1e-5, "gemm_variants");
    }

    @Test
    void anythingElseIsRefusedWithTheFileTheNodeAndItsOpType() {
        Path conv = FIXTURES.resolve("conv.onnx");
        IOException e = assertThrows(IOException.class, () -> Onnx.read(conv));
        assertTrue(e.getMessage().startsWith(conv + ": node '/0/Conv' (Conv) is not supported"), e.getMessage());
    }

    @Test
    void damagedFilesAreRefusedWithTheByteOffset(@TempDir Path tmp) throws IOException {
        byte[] good = Files.readAllBytes(FIXTURES.resolve("rank3_linear.onnx"));
        Path cut = tmp.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(good, good.length - 100));
        IOException e = assertThrows(IOException.class, () -> Onnx.read(cut));
        assertTrue(e.getMessage().startsWith(cut + ": not a valid ONNX (protobuf) file:")
                && e.getMessage().contains("at byte offset"), e.getMessage());
        Path text = tmp.resolve("text.onnx");
        Files.writeString(text, "hello, world");
        assertThrows(IOException.class, () -> Onnx.read(text));
    }

    @Test
    void whatPerceptronExportsItReadsBack() throws IOException {
        float[] x = new float[64 * 12];
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        Tensor input = Tensor.wrap(x, 64, 3, 4);
        for (int opset : new int[] {Onnx.MIN_OPSET, 17, Onnx.DEFAULT_OPSET}) {
            for (String name : Activations.names()) {
                Sequential net = OnnxExportTest.modelWith(ActivationLayer.of(name));
                Onnx.Imported back = Onnx.fromBytes(Onnx.toBytes(net, new int[] {3, 4}, opset), name + ".onnx");
                // Dropout is exported as Identity, which import drops.
                assertEquals(5, back.model().size(), name + ": " + back.model());
                assertEquals(net.get(3).toString(), back.model().get(3).toString(), name);
                double diff = OnnxExportTest.maxAbsDiff(OnnxExportTest.forward(net, input),
                        OnnxExportTest.forward(back.model(), input));
                assertTrue(diff <= 1e-6, name + " at opset " + opset + ": " + diff);
                assertEquals(Map.of("", (long) opset), Onnx.opsets(Onnx.toBytes(net, new int[] {3, 4}, opset), name));
            }
        }
    }
}
