package perceptron.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import org.junit.jupiter.api.Test;
import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.data.FashionMnist;
import perceptron.kernels.Parallel;
import perceptron.ops.Activations;
import perceptron.optim.SGD;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;
import perceptron.train.Trainer;

/**
 * Batch invariance of inference: in eval mode, an example's output is bitwise the same computed alone or at any
 * position of a batch of any size, on one thread or two, in float32 and float64. (In training mode, BatchNorm
 * makes outputs depend on the batch by design; see analysis.BatchDependence.)
 */
class BatchInvarianceTest {
    private static final int[] BATCH_SIZES = {1, 2, 7, 64, 256, 1000, 4096};

    @AfterProperty
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Provide
    Arbitrary<String> activations() {
        return Arbitraries.of(Activations.names());
    }

    @Provide
    Arbitrary<Integer> batchSizes() {
        return Arbitraries.of(Arrays.stream(BATCH_SIZES).boxed().toList());
    }

    /**
     * A random MLP: input width up to 600 (so that the first product has several depth blocks of the GEMM), one
     * or two hidden layers of random widths with the activation, optionally BatchNorm1d (running statistics made
     * non-trivial by training-mode passes) and Dropout, all in eval mode.
     */
    private static Layer randomModel(SplittableRandom rng, int in, int hidden1, int hidden2, int out, String act,
                                     boolean batchNorm, boolean dropout) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Linear(in, hidden1, rng));
        if (batchNorm) {
            layers.add(new BatchNorm1d(hidden1));
        }
        layers.add(ActivationLayer.of(act));
        if (dropout) {
            layers.add(new Dropout(0.5, rng.nextLong()));
        }
        int last = hidden1;
        if (hidden2 > 0) {
            layers.add(new Linear(hidden1, hidden2, rng));
            layers.add(ActivationLayer.of(act));
            last = hidden2;
        }
        layers.add(new Linear(last, out, rng));
        Sequential model = new Sequential(layers.toArray(new Layer[0]));
        if (batchNorm) {
            try (Autograd.Scope g = Autograd.noGrad()) {
                for (int i = 0; i < 3; i++) {
                    model.forward(Tensor.randn(rng, 16, in).mul(1.5).add(0.3));
                }
            }
        }
        model.eval();
        return model;
    }

    @Property(tries = 60)
    void anExampleGivesBitwiseTheSameOutputAloneAndAtAnyPositionOfAnyBatch(
            @ForAll("activations") String activation,
            @ForAll("batchSizes") int batchSize,
            @ForAll @IntRange(min = 1, max = 600) int in,
            @ForAll @IntRange(min = 1, max = 300) int hidden1,
            @ForAll @IntRange(min = 0, max = 40) int hidden2,
            @ForAll @IntRange(min = 1, max = 20) int out,
            @ForAll boolean float64,
            @ForAll boolean batchNorm,
            @ForAll boolean dropout,
            @ForAll @IntRange(min = 1, max = 2) int batchThreads,
            @ForAll @IntRange(min = 1, max = 2) int aloneThreads,
            @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Layer model = randomModel(rng, in, hidden1, hidden2, out, activation, batchNorm, dropout);
        DType dtype = float64 ? DType.FLOAT64 : DType.FLOAT32;
        Tensor batch = Tensor.randn(rng, dtype, batchSize, in).mul(2);
        try (Autograd.Scope g = Autograd.noGrad()) {
            Parallel.setThreads(batchThreads);
            Tensor outputs = model.forward(batch).copyToHeap();
            Parallel.setThreads(aloneThreads);
            for (int t = 0; t < Math.min(batchSize, 4); t++) {
                // The first and last positions, and random ones.
                int position = t == 0 ? 0 : t == 1 ? batchSize - 1 : rng.nextInt(batchSize);
                Tensor alone = model.forward(batch.slice(0, position, position + 1).copyToHeap());
                Tensor inBatch = outputs.slice(0, position, position + 1);
                String what = activation + " " + dtype + " " + in + "-" + hidden1 + "-" + hidden2 + "-" + out
                        + (batchNorm ? " batchnorm" : "") + (dropout ? " dropout" : "") + ", position " + position
                        + " of " + batchSize + ", threads " + batchThreads + "/" + aloneThreads;
                assertBitwiseEqual(inBatch, alone, what);
            }
        }
    }

    private static void assertBitwiseEqual(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what);
        if (expected.dtype() == DType.FLOAT32) {
            float[] e = expected.toFloatArray();
            float[] a = actual.toFloatArray();
            int[] eb = new int[e.length];
            int[] ab = new int[a.length];
            for (int i = 0; i < e.length; i++) {
                eb[i] = Float.floatToRawIntBits(e[i]);
                ab[i] = i < a.length ? Float.floatToRawIntBits(a[i]) : 0;
            }
            assertArrayEquals(eb, ab, () -> what + ": in the batch " + Arrays.toString(e) + ", alone "
                    + Arrays.toString(a));
        } else {
            double[] e = expected.toDoubleArray();
            double[] a = actual.toDoubleArray();
            long[] eb = Arrays.stream(e).mapToLong(Double::doubleToRawLongBits).toArray();
            long[] ab = Arrays.stream(a).mapToLong(Double::doubleToRawLongBits).toArray();
            assertArrayEquals(eb, ab, () -> what + ": in the batch " + Arrays.toString(e) + ", alone "
                    + Arrays.toString(a));
        }
    }

    /**
     * A 784-64-10 ReLU MLP trained for one epoch on 6,000 images of the real Fashion-MNIST: every one of the
     * 10,000 test images gives bitwise the same logits alone as in the evaluation batches of 1000, on one thread
     * and on two.
     */
    @Test
    void aTrainedFashionMnistModelClassifiesEveryTestImageAloneExactlyAsInItsBatch() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                "needs the Debian package dataset-fashion-mnist");
        FashionMnist data = FashionMnist.load(null);
        SplittableRandom rng = new SplittableRandom(5);
        Sequential net = new Sequential(new Flatten(), new Linear(784, 64, rng), new ReLU(),
                new Linear(64, 10, rng));
        SGD sgd = new SGD(net.parameters(), 0.1);
        Dataset first10k = data.train().subset(java.util.stream.IntStream.range(0, 6_000).toArray());
        try (DataLoader train = DataLoader.builder(first10k).batchSize(128).shuffle(true).seed(5).build()) {
            Trainer.builder(net, sgd).epochs(1).build().fit(train, null);
        }
        net.eval();
        try (Autograd.Scope g = Autograd.noGrad()) {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                try (DataLoader test = DataLoader.sequential(data.test(), 1000)) {
                    for (Batch b : test) {
                        Tensor images = b.features().copyToHeap();
                        Tensor logits = net.forward(images).copyToHeap();
                        for (int i = 0; i < b.size(); i++) {
                            Tensor alone = net.forward(images.slice(0, i, i + 1).copyToHeap());
                            assertBitwiseEqual(logits.slice(0, i, i + 1), alone,
                                    "test batch " + b.index() + ", image " + i + ", " + threads + " threads");
                        }
                    }
                }
                    }
        } finally {
            Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }
}
