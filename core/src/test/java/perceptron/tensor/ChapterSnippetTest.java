package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The autograd snippet of d2l's section 5.1, line for line, with the behaviour its comments promise. */
class ChapterSnippetTest {

    @Test
    void reluSigmoidSnippetBehavesAsTheChapterSays() {
        Tensor x = Tensor.arange(-8.0, 8.0, 0.1).requiresGrad();
        Tensor y = x.relu();
        y.backward(Tensor.onesLike(x), true);
        float[] g = x.grad().toFloatArray();
        float[] xs = x.toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i] > 0 ? 1f : 0f, g[i], "relu' at x = " + xs[i]);
        }
        y.backward(Tensor.onesLike(x), true);
        float[] twice = x.grad().toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(xs[i] > 0 ? 2f : 0f, twice[i], "accumulated relu' at x = " + xs[i]);
        }
        x.zeroGrad();
        assertArrayEquals(new float[xs.length], x.grad().toFloatArray());
        y.backward(Tensor.onesLike(x));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.onesLike(x)));
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("retainGraph=true"), e.getMessage());

        x.zeroGrad();
        Tensor s = x.sigmoid();
        s.backward(Tensor.onesLike(x));
        float[] sg = x.grad().toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            double sig = 1 / (1 + Math.exp(-xs[i]));
            assertEquals(sig * (1 - sig), sg[i], 1e-6, "sigmoid' at x = " + xs[i]);
        }
    }
}
