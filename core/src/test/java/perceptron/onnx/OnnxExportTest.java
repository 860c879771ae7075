package perceptron.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.nn.ActivationLayer;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Dropout;
import perceptron.nn.Flatten;
import perceptron.nn.Hardtanh;
import perceptron.nn.Layer;
import perceptron.nn.LeakyReLU;
import perceptron.nn.Linear;
import perceptron.nn.LogSoftmax;
import perceptron.nn.PReLU;
import perceptron.nn.Sequential;
import perceptron.nn.Softmax;
import perceptron.ops.Activations;
import perceptron.optim.SGD;
import perceptron.tensor.Tensor;
import perceptron.train.Trainer;

/** Exported models run in ONNX Runtime (Java) and give perceptron's numbers. */
class OnnxExportTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    /** Where the exported files and perceptron's outputs go, for tools/onnx_check.py (onnx.checker, onnxruntime). */
    static final Path FOR_PYTHON = Path.of("target/onnx-export");

    /** Keeps an exported model with an input and perceptron's output on it, for tools/onnx_check.py. */
    static void keepForPython(String name, byte[] onnx, Tensor input, float[] output, int[] outputShape)
            throws java.io.IOException {
        Files.createDirectories(FOR_PYTHON);
        Files.write(FOR_PYTHON.resolve(name + ".onnx"), onnx);
        java.util.Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        tensors.put("input", input.contiguous());
        tensors.put("output", Tensor.wrap(output.clone(), outputShape));
        perceptron.io.SafeTensors.write(FOR_PYTHON.resolve(name + ".expected.safetensors"), tensors);
    }

    /** max |a - b| over all elements. */
    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "lengths");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    static float[] forward(Layer model, Tensor x) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return model.forward(x).contiguous().toFloatArray();
        }
    }

    static int[] argmax(float[] logits, int classes) {
        int[] out = new int[logits.length / classes];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Test
    void aTrainedFashionMnistModelGivesTheSameLogitsInOnnxRuntime(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isDirectory(FASHION), "needs the Debian package dataset-fashion-mnist");
        FashionMnist data = FashionMnist.load(FASHION);
        Sequential net = new Sequential(new Flatten(), new Linear(784, 128, new SplittableRandom(1)),
                new BatchNorm1d(128), ActivationLayer.of("relu"), new Dropout(0.2, 7),
                new Linear(128, 10, new SplittableRandom(2)));
        try (DataLoader train = DataLoader.builder(data.train()).batchSize(256).shuffle(true).seed(42).build()) {
            Trainer.builder(net, new SGD(net.parameters(), 0.1)).epochs(1).build().fit(train, null);
        }
        net.eval();
        Path file = tmp.resolve("mlp.onnx");
        Onnx.write(net, new int[] {1, 28, 28}, file);
        byte[] bytes = Files.readAllBytes(file);
        try (DataLoader test = DataLoader.sequential(data.test(), 1000)) {
            Batch b = test.iterator().next();
            float[] x = b.features().contiguous().toFloatArray();
            float[] ours = forward(net, b.features());
            float[] ort = OnnxRuntime.run(bytes, x, 1000, 1, 28, 28);
            keepForPython("fashion_mlp", bytes, b.features(), ours, new int[] {1000, 10});
            double diff = maxAbsDiff(ours, ort);
            assertTrue(diff <= 1e-5, "max |perceptron - ONNX Runtime| = " + diff);
            int[] a = argmax(ours, 10);
            int[] o = argmax(ort, 10);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], o[i], "argmax of test image " + i);
            }
        }
    }

    /** Flatten, Linear, BatchNorm1d, the activation, Dropout, Linear, with pre-activations across [-12, 12]. */
    static Sequential modelWith(Layer activation) {
        Sequential net = new Sequential(new Flatten(), new Linear(12, 16, new SplittableRandom(3)),
                new BatchNorm1d(16), activation, new Dropout(0.5, 1), new Linear(16, 5, new SplittableRandom(4)));
        try (Autograd.Scope g = Autograd.noGrad()) {
            Tensor w = ((Linear) net.get(1)).weight();
            w.copyFrom(w.mul(8.0));
            var state = net.get(2).stateDict();
            state.get("running_mean").copyFrom(Tensor.full(0.3, 16));
            state.get("running_var").copyFrom(Tensor.full(2.0, 16));
        }
        net.eval();
        return net;
    }

    private static float[] inputs(int n, int features, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble(-1, 1);
        }
        return x;
    }

    private static List<Layer> everyActivation() {
        List<Layer> all = new ArrayList<>();
        for (String name : Activations.names()) {
            all.add(ActivationLayer.of(name));
        }
        all.add(new LeakyReLU(0.2));
        all.add(new Hardtanh(-2, 3));
        all.add(new PReLU(16, 0.1));
        all.add(new perceptron.nn.Identity());
        return all;
    }

    @Test
    void everyActivationMatchesOnnxRuntimeWithNativeOpsAndWithCompositions() throws Exception {
        float[] x = inputs(64, 12, 5);
        Tensor input = Tensor.wrap(x, 64, 3, 4);
        for (int opset : new int[] {Onnx.DEFAULT_OPSET, 17, 13}) {
            for (Layer activation : everyActivation()) {
                Sequential net = modelWith(activation);
                byte[] bytes = Onnx.toBytes(net, new int[] {3, 4}, opset);
                float[] ours = forward(net, input);
                float[] ort = OnnxRuntime.run(bytes, x, 64, 3, 4);
                keepForPython("act_" + activation.toString().replaceAll("[^A-Za-z0-9]+", "_") + "opset" + opset,
                        bytes, input, ours, new int[] {64, 5});
                double diff = maxAbsDiff(ours, ort);
                assertTrue(diff <= 1e-5, activation + " at opset " + opset + ": max |perceptron - ONNX Runtime| = "
                        + diff);
            }
        }
    }

    @Test
    void softmaxHeadsAndHigherRankLinearLayersExport() throws Exception {
        float[] x = inputs(8, 12, 6);
        Sequential probabilities = new Sequential(new Linear(4, 6, new SplittableRandom(5)), new Flatten(),
                new Linear(18, 3, new SplittableRandom(6)), new Softmax(1));
        Sequential logProbabilities = new Sequential(new Flatten(), new Linear(12, 3, new SplittableRandom(7)),
                new LogSoftmax(-1));
        for (Sequential net : List.of(probabilities, logProbabilities)) {
            net.eval();
            float[] ours = forward(net, Tensor.wrap(x, 8, 3, 4));
            float[] ort = OnnxRuntime.run(Onnx.toBytes(net, new int[] {3, 4}, Onnx.DEFAULT_OPSET), x, 8, 3, 4);
            assertTrue(maxAbsDiff(ours, ort) <= 1e-6, net.toString());
        }
    }

    @Test
    void theBatchAxisIsFree() throws Exception {
        Sequential net = modelWith(ActivationLayer.of("gelu"));
        byte[] bytes = Onnx.toBytes(net, new int[] {3, 4}, Onnx.DEFAULT_OPSET);
        for (int n : new int[] {1, 7}) {
            float[] x = inputs(n, 12, n);
            assertEquals(n * 5, OnnxRuntime.run(bytes, x, n, 3, 4).length);
        }
    }

    @Test
    void unsupportedOpsetsAndShapesAreRefusedWithTheReason() {
        Sequential net = modelWith(ActivationLayer.of("relu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.toBytes(net, new int[] {3, 4}, 9));
        assertTrue(e.getMessage().contains("opset 9 is not supported"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Onnx.toBytes(net, new int[] {3, 5}, 20));
        assertTrue(e.getMessage().contains("layer '1' is Linear(12, 16) but its input has shape [batch, 15]"),
                e.getMessage());
    }
}
