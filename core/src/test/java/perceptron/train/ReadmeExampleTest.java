package perceptron.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import perceptron.nn.Flatten;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.optim.SGD;
import perceptron.tensor.Tensor;

/** The README's Java example, as written there (keep the two in step). */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleRuns(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs the Debian package dataset-fashion-mnist");
        FashionMnist data = FashionMnist.load(null);                 // the Debian package's files, or a download
        Sequential net = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Initializer.NORMAL.apply(net, new SplittableRandom(42));    // d2l: weights N(0, 0.01), biases 0
        SGD sgd = new SGD(net.parameters(), 0.1);
        List<EpochMetrics> history;
        try (DataLoader train = DataLoader.builder(data.train()).batchSize(256).shuffle(true).seed(42).build();
             DataLoader test = DataLoader.sequential(data.test(), 1000)) {
            history = Trainer.builder(net, sgd).epochs(1).build()
                    .fit(train, test);   // README: 10 epochs
        }
        SafeTensors.write(tmp.resolve("mlp.safetensors"), net.stateDict());   // loads into the same nn.Sequential in PyTorch

        // What the README promises of it: PyTorch's state-dict names and shapes for that nn.Sequential, and a
        // saved model that scores on the test set exactly what training printed (d2l: about 0.70 after epoch 1).
        Map<String, Tensor> saved = SafeTensors.read(tmp.resolve("mlp.safetensors")).tensors();
        assertEquals(java.util.Set.of("1.weight", "1.bias", "3.weight", "3.bias"), saved.keySet());
        assertArrayEquals(new int[] {256, 784}, saved.get("1.weight").shape());
        assertArrayEquals(new int[] {10, 256}, saved.get("3.weight").shape());
        Sequential reloaded = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        reloaded.loadStateDict(saved);
        reloaded.eval();
        long correct = 0;
        try (DataLoader test = DataLoader.sequential(data.test(), 1000); Autograd.Scope g = Autograd.noGrad()) {
            for (Batch b : test) {
                correct += Metrics.countCorrect(reloaded.forward(b.features()), b.labels());
            }
        }
        double printed = history.get(0).testAccuracy();
        assertEquals(printed, (double) correct / data.test().size(), 1e-12, "the saved model scores what was printed");
        assertTrue(printed > 0.6 && printed < 0.8, "d2l's MLP after one epoch: " + printed);

        // Section 5.1's autograd, line for line:
        Tensor x = Tensor.arange(-8.0, 8.0, 0.1).requiresGrad();
        Tensor y = x.relu();
        y.backward(Tensor.onesLike(x), true);        // retainGraph: we will go back through y again
        float[] g = x.grad().toFloatArray();         // 0 where x <= 0, 1 where x > 0
        x.zeroGrad();
        Tensor s = x.sigmoid();
        s.backward(Tensor.onesLike(x));              // sigmoid'(x) = s(1 - s), computed from the saved output
        float[] xs = x.toFloatArray();
        float[] expected = new float[xs.length];
        for (int i = 0; i < xs.length; i++) {
            expected[i] = xs[i] > 0 ? 1 : 0;
        }
        assertArrayEquals(expected, g);
        float[] sigmoid = s.toFloatArray();
        float[] ds = x.grad().toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(sigmoid[i] * (1 - sigmoid[i]), ds[i], 1e-7, "sigmoid'(" + xs[i] + ") = s(1 - s)");
        }
        assertEquals(0.25, x.grad().max().item(), 1e-6);
    }
}
