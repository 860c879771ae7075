package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertFails;
import static perceptron.tensor.TensorAssert.assertValues;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Factories: shapes, dtypes and values, with PyTorch's rules for arange and linspace. */
class TensorFactoriesTest {

    @Test
    void ofKeepsTheJavaTypesPrecision() {
        Tensor f = Tensor.of(1f, 2f, 3f);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new int[] {3}, f.shape());
        Tensor d = Tensor.of(0.1, 0.2);
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(0.1, d.get(0));
        Tensor one = Tensor.of(5f);
        assertArrayEquals(new int[] {1}, one.shape(), "of(x) is 1-D; scalar(x) is 0-D");
        assertArrayEquals(new int[] {}, Tensor.scalar(5).shape());
        assertEquals(DType.FLOAT32, Tensor.scalar(5).dtype());
        assertEquals(DType.FLOAT64, Tensor.scalar(5, DType.FLOAT64).dtype());
        Tensor m = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[] {2, 3}, m.shape());
        assertEquals(6.0, m.get(1, 2));
        assertArrayEquals(new int[] {0}, Tensor.of(new float[0]).shape());
        assertFails(IllegalArgumentException.class, () -> Tensor.of(new float[][] {{1, 2}, {3}}),
                "of: row 1 has 1 values, row 0 has 2");
    }

    @Test
    void ofCopiesButWrapShares() {
        float[] data = {1, 2};
        Tensor copied = Tensor.of(data);
        Tensor wrapped = Tensor.wrap(data, 2, 1);
        data[0] = 9;
        assertEquals(1.0, copied.get(0));
        assertEquals(9.0, wrapped.get(0, 0));
        assertFails(IllegalArgumentException.class, () -> Tensor.wrap(new float[5], 2, 3),
                "wrap: 5 values cannot have shape [2, 3] (6 elements)");
    }

    @Test
    void filledFactories() {
        assertValues(Tensor.zeros(2, 2), 0, 0, 0, 0);
        assertValues(Tensor.ones(DType.FLOAT64, 3), 1, 1, 1);
        assertValues(Tensor.full(2.5, 2), 2.5, 2.5);
        assertEquals(DType.FLOAT64, Tensor.full(DType.FLOAT64, 1, 2).dtype());
        assertValues(Tensor.eye(3), 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertEquals(DType.FLOAT64, Tensor.eye(DType.FLOAT64, 2).dtype());
        Tensor like = Tensor.of(1.0, 2.0).reshape(2, 1);
        assertArrayEquals(new int[] {2, 1}, Tensor.zerosLike(like).shape());
        assertEquals(DType.FLOAT64, Tensor.onesLike(like).dtype());
        assertValues(Tensor.fullLike(like, 7), 7, 7);
        assertFalse(Tensor.zerosLike(like.requiresGrad()).isRequiresGrad());
        assertArrayEquals(new int[] {}, Tensor.zeros().shape());
        assertEquals(1, Tensor.zeros().size());
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, -1), "zeros: negative dimension in shape [2, -1]");
        assertFails(IllegalArgumentException.class, () -> Tensor.ones(-1), "ones: negative dimension");
        assertFails(IllegalArgumentException.class, () -> Tensor.full(1.0, -1), "full: negative dimension");
        assertFails(IllegalArgumentException.class, () -> Tensor.eye(-2), "eye: negative dimension");
        assertFails(IllegalArgumentException.class, () -> Tensor.randn(new SplittableRandom(1), 2, -3),
                "randn: negative dimension");
    }

    @Test
    void arangeCountsLikePyTorch() {
        assertEquals(160, Tensor.arange(-8.0, 8.0, 0.1).size());
        assertValues(Tensor.arange(5), 0, 1, 2, 3, 4);
        assertEquals(4, Tensor.arange(0, 1, 0.3).size(), "ceil(1 / 0.3) = 4");
        assertEquals(10, Tensor.arange(0, 1, 0.1).size());
        assertValues(Tensor.arange(1, -1, -0.5), 1, 0.5, 0, -0.5);
        assertEquals(0, Tensor.arange(3, 3, 1).size());
        assertValues(Tensor.arange(0, 10, 3, DType.FLOAT64), 0, 3, 6, 9);
        assertFails(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0), "arange: step must be nonzero");
        assertFails(IllegalArgumentException.class, () -> Tensor.arange(0, 1, -1),
                "upper bound and larger bound inconsistent with step sign");
        assertFails(IllegalArgumentException.class, () -> Tensor.arange(0, Double.POSITIVE_INFINITY, 1),
                "arange: start and end must be finite");
    }

    @Test
    void arangeElementsAreStartPlusIStepRoundedOnce() {
        // Element i is start + i * step computed exactly, then rounded (no accumulated error).
        Tensor x = Tensor.arange(0, 100, 0.1, DType.FLOAT64);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(Math.fma(0.1, i, 0), x.get(i), 0.0);
        }
        assertEquals(99.9, x.get(999), 1e-12);
    }

    @Test
    void linspaceIncludesBothEnds() {
        assertValues(Tensor.linspace(-1, 1, 5), -1, -0.5, 0, 0.5, 1);
        assertEquals(0, Tensor.linspace(0, 1, 0).size());
        assertValues(Tensor.linspace(2, 5, 1), 2);
        Tensor l = Tensor.linspace(0.1, 0.9, 33, DType.FLOAT64);
        assertEquals(0.1, l.get(0), 0.0);
        assertEquals(0.9, l.get(32), 0.0);
        assertValues(Tensor.linspace(1, 0, 3), 1, 0.5, 0);
        assertFails(IllegalArgumentException.class, () -> Tensor.linspace(0, 1, -1),
                "linspace: number of steps must be non-negative");
    }

    @Test
    void randomTensorsAreReproducibleFromTheirSeed() {
        Tensor a = Tensor.randn(new SplittableRandom(42), 3, 4);
        Tensor b = Tensor.randn(new SplittableRandom(42), 3, 4);
        Tensor c = Tensor.randn(new SplittableRandom(43), 3, 4);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertFalse(java.util.Arrays.equals(a.toFloatArray(), c.toFloatArray()));
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(Tensor.rand(RandomGenerator.of("L64X128MixRandom"), DType.FLOAT64, 2).shape(), new int[] {2});
        Tensor u = Tensor.rand(new SplittableRandom(1), 10_000);
        double sum = 0;
        for (float v : u.toFloatArray()) {
            assertTrue(v >= 0 && v < 1, "rand in [0, 1): " + v);
            sum += v;
        }
        assertEquals(0.5, sum / 10_000, 0.02);
        Tensor n = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 10_000);
        assertEquals(0.0, n.mean().item(), 0.05);
        assertEquals(1.0, n.square().mean().item(), 0.05);
        assertNotEquals(n.get(0), n.get(1));
    }
}
