package perceptron.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import perceptron.autograd.Autograd;
import perceptron.tensor.Tensor;

/**
 * One model in eval mode, many threads calling forward at once (as a server's request threads do): every answer
 * is bitwise the one a lone call gives. Forward under no-grad writes no shared state: grad mode is per thread,
 * GEMM packing buffers are per thread, and the kernel pool runs one call at a time and any other call inline,
 * with task boundaries that do not depend on who runs them.
 */
class ConcurrentInferenceTest {

    @Test
    void sixteenThreadsSharingOneModelGetBitwiseTheAnswersOfSingleCalls() throws Exception {
        Sequential model = new Sequential(new Flatten(), new Linear(784, 256, new SplittableRandom(1)),
                new BatchNorm1d(256), ActivationLayer.of("gelu"), new Dropout(0.5, 3),
                new Linear(256, 10, new SplittableRandom(2)));
        model.eval();
        int[] batchSizes = {1, 3, 64, 300};
        Tensor[] inputs = new Tensor[batchSizes.length];
        float[][] expected = new float[batchSizes.length][];
        for (int i = 0; i < batchSizes.length; i++) {
            inputs[i] = Tensor.rand(new SplittableRandom(10 + i), batchSizes[i], 1, 28, 28);
            try (Autograd.Scope g = Autograd.noGrad()) {
                expected[i] = model.forward(inputs[i]).toFloatArray();
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int k = 0; k < 8; k++) {
                        int i = (offset + k) % batchSizes.length;
                        float[] got;
                        try (Autograd.Scope g = Autograd.noGrad()) {
                            got = model.forward(inputs[i]).toFloatArray();
                        }
                        assertArrayEquals(expected[i], got, "batch of " + batchSizes[i]);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
