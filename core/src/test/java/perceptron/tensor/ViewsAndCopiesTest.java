package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertValues;

import org.junit.jupiter.api.Test;

/** Which ops return views that share memory, which copy, and that readback sees the logical order either way. */
class ViewsAndCopiesTest {

    private static Tensor matrix() {
        return Tensor.arange(6).reshape(2, 3);          // [[0, 1, 2], [3, 4, 5]]
    }

    private static boolean shares(Tensor a, Tensor b) {
        return a.storage() == b.storage();
    }

    @Test
    void viewsShareMemory() {
        Tensor m = matrix();
        assertTrue(shares(m, m.reshape(3, 2)), "reshape of a contiguous tensor");
        assertTrue(shares(m, m.flatten()));
        assertTrue(shares(m, m.t()), "transpose");
        assertTrue(shares(m, m.permute(1, 0)));
        assertTrue(shares(m, m.slice(1, 1, 3)), "slice");
        assertTrue(shares(m, m.select(0, 1)), "select");
        assertTrue(shares(m, m.unsqueeze(0)));
        assertTrue(shares(m, m.unsqueeze(0).squeeze()));
        assertTrue(shares(m, m.select(0, 0).broadcastTo(4, 3)), "broadcastTo");
        assertTrue(shares(m, m.detach()));
        assertTrue(shares(m, m.alias()));
        // Writes through a view are seen by the base, and the other way round.
        Tensor row = m.select(0, 1);
        row.set(40, 1);
        assertEquals(40.0, m.get(1, 1));
        m.set(-1, 0, 2);
        assertEquals(-1.0, m.t().get(2, 0));
        assertEquals(0, m.broadcastTo(2, 2, 3).strides()[0], "broadcast axes have stride 0");
    }

    @Test
    void copiesDoNotShareMemory() {
        Tensor m = matrix();
        Tensor t = m.t();
        assertFalse(t.isContiguous());
        assertFalse(shares(m, t.reshape(6)), "reshape of a transposed view copies");
        assertValues(t.reshape(6), 0, 3, 1, 4, 2, 5);
        assertFalse(shares(m, t.contiguous()));
        assertSame(m, m.contiguous(), "contiguous() of a contiguous tensor is the tensor itself");
        assertFalse(shares(m, m.copy()));
        assertFalse(shares(m, m.copyToHeap()));
        assertFalse(shares(m, m.indexSelect(0, 1)));
        assertFalse(shares(m, Tensor.concat(0, m, m)));
        assertFalse(shares(m, Tensor.stack(0, m)));
        assertFalse(shares(m, m.toType(DType.FLOAT64)));
        assertSame(m, m.toType(DType.FLOAT32), "toType to the same dtype returns the tensor");
    }

    @Test
    void readbackOfViewsIsInLogicalOrder() {
        Tensor m = matrix();
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, m.t().toFloatArray());
        assertArrayEquals(new double[] {1, 4}, m.select(1, 1).toDoubleArray());
        assertArrayEquals(new float[] {0, 2, 3, 5}, m.slice(1, 0, 3, 2).toFloatArray());
        assertArrayEquals(new float[] {3, 4, 5, 3, 4, 5}, m.select(0, 1).broadcastTo(2, 3).toFloatArray());
        assertArrayEquals(new float[][] {{0, 3}, {1, 4}, {2, 5}}, m.t().toFloatMatrix());
        assertArrayEquals(new int[] {2, 5}, m.select(1, 2).toIntArray());
        assertEquals(5.0, m.t().get(2, 1));
        assertEquals(4.0, m.t().get(-2, -1), "negative indices count from the end");
        assertEquals(4.0, m.select(0, -1).get(1));
    }

    @Test
    void emptyViewsReadBackAsEmpty() {
        Tensor e = Tensor.zeros(2, 0);
        Tensor tail = e.slice(0, 1, 2);
        assertArrayEquals(new int[] {1, 0}, tail.shape());
        assertEquals(0, tail.toFloatArray().length);
        assertArrayEquals(new int[] {3, 0}, Tensor.concat(0, e, tail).shape());
        assertEquals(0, Tensor.arange(4).slice(0, 3, 1).size(), "an end before the start gives an empty slice");
        assertEquals(0, Tensor.arange(4).slice(0, 9, 12).size());
        assertValues(Tensor.arange(4).slice(0, -2, 100), 2, 3);
    }

    @Test
    void concatStackAndIndexSelect() {
        Tensor a = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new float[][] {{5, 6}});
        assertValues(Tensor.concat(0, a, b), 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.concat(1, a, a), 1, 2, 1, 2, 3, 4, 3, 4);
        assertValues(Tensor.concat(-1, a.select(1, 0).unsqueeze(1), a), 1, 1, 2, 3, 3, 4);
        Tensor s = Tensor.stack(1, a, a.mul(10f));
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertValues(s, 1, 2, 10, 20, 3, 4, 30, 40);
        assertEquals(DType.FLOAT64, Tensor.concat(0, a, Tensor.of(new double[][] {{0, 0}})).dtype(),
                "concat promotes");
        Tensor picked = a.indexSelect(0, 1, 1, 0);
        assertValues(picked, 3, 4, 3, 4, 1, 2);
        // Repeated indices accumulate in backward.
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad();
        x.indexSelect(0, 2, 0, 2, 2).mul(Tensor.of(1.0, 10.0, 100.0, 1000.0)).sum().backward();
        assertValues(x.grad(), 10, 0, 1101);
        assertNotSame(x, x.indexSelect(0, 0, 1, 2));
    }

    @Test
    void comparisonsReturnFloatMasksThatDoNotRequireGrad() {
        Tensor x = Tensor.of(1f, 2f, 3f).requiresGrad();
        Tensor m = x.gt(1.5);
        assertEquals(DType.FLOAT32, m.dtype());
        assertFalse(m.isRequiresGrad());
        assertValues(m, 0, 1, 1);
        assertValues(x.ge(2), 0, 1, 1);
        assertValues(x.lt(2), 1, 0, 0);
        assertValues(x.le(2), 1, 1, 0);
        assertValues(x.eq(2), 0, 1, 0);
        assertValues(x.ne(2), 1, 0, 1);
        Tensor y = Tensor.of(3.0, 2.0, 1.0);
        Tensor mixed = x.gt(y);
        assertEquals(DType.FLOAT64, mixed.dtype(), "masks take the promoted dtype");
        assertValues(mixed, 0, 0, 1);
        assertValues(x.eq(x.detach().broadcastTo(2, 3)), 1, 1, 1, 1, 1, 1);
        assertValues(Tensor.of(Float.NaN).eq(Tensor.of(Float.NaN)), 0);
        assertValues(Tensor.of(Float.NaN).ne(Float.NaN), 1);
        // A mask is a multiplier: x * (x > 1.5) keeps the gradient where the mask is 1.
        x.mul(x.gt(1.5)).sum().backward();
        assertValues(x.grad(), 0, 1, 1);
    }

    @Test
    void whereAndClampValues() {
        Tensor c = Tensor.of(1f, 0f, 2f);
        assertValues(Tensor.where(c, Tensor.of(1f, 2f, 3f), Tensor.scalar(-1)), 1, -1, 3);
        assertValues(Tensor.where(Tensor.of(1f, 0f).reshape(2, 1), Tensor.of(5f, 6f), Tensor.of(7f, 8f)),
                5, 6, 7, 8);
        assertValues(Tensor.of(-2f, 0f, 2f).clamp(-1, 1), -1, 0, 1);
        assertValues(Tensor.of(-2f, 0f, 2f).clampMin(0), 0, 0, 2);
        assertValues(Tensor.of(-2f, 0f, 2f).clampMax(0), -2, 0, 0);
        assertEquals(Double.NaN, Tensor.of(Float.NaN).clamp(0, 1).item(), "clamp keeps NaN");
        TensorAssert.assertFails(IllegalArgumentException.class, () -> Tensor.of(1f).clamp(1, 0),
                "clamp: min 1.0 is greater than max 0.0");
    }
}
