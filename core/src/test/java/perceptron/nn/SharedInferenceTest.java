package perceptron.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import perceptron.autograd.Autograd;
import perceptron.tensor.Tensor;

/** What docs/embedding.md promises a service: one model in eval mode, shared by many request threads at once. */
class SharedInferenceTest {

    @Test
    void aModelInEvalModeGivesEveryThreadTheAnswerItGivesOneThread() throws Exception {
        SplittableRandom rng = new SplittableRandom(7);
        // Wide enough that the GEMMs go through the kernel pool, which the threads then contend for.
        Sequential model = new Sequential(new Flatten(), new Linear(784, 512, rng), new ReLU(), new Dropout(0.5, 1),
                new Linear(512, 10, rng));
        model.eval();
        List<Tensor> requests = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Tensor x = Tensor.rand(rng, 1 + i % 5 * 16, 1, 28, 28);
            requests.add(x);
            try (Autograd.Scope g = Autograd.noGrad()) {
                expected.add(model.call(x).toFloatArray());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<float[]>>> answers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                answers.add(pool.submit(() -> {
                    List<float[]> out = new ArrayList<>();
                    for (int r = 0; r < 40; r++) {
                        int i = (first + r) % requests.size();
                        try (Autograd.Scope g = Autograd.noGrad()) {
                            out.add(model.call(requests.get(i)).toFloatArray());
                        }
                    }
                    return out;
                }));
            }
            for (int t = 0; t < answers.size(); t++) {
                List<float[]> out = answers.get(t).get();
                for (int r = 0; r < out.size(); r++) {
                    assertArrayEquals(expected.get((t + r) % requests.size()), out.get(r), 0f,
                            "thread " + t + ", request " + r);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
