package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertValues;

import org.junit.jupiter.api.Test;

/** float32 and float64: promotion, Java scalars, conversion and its gradient. */
class DTypeTest {

    @Test
    void mixingPromotesToFloat64() {
        Tensor f = Tensor.of(1f, 2f);
        Tensor d = Tensor.of(0.5, 0.25);
        assertEquals(DType.FLOAT64, f.add(d).dtype());
        assertEquals(DType.FLOAT64, d.mul(f).dtype());
        assertEquals(DType.FLOAT64, f.matmul(d).dtype());
        assertEquals(DType.FLOAT64, Tensor.where(f.gt(1), f, d).dtype());
        assertEquals(DType.FLOAT64, f.maximum(d).dtype());
        assertEquals(DType.FLOAT64, f.pow(d).dtype());
        // A float64 scalar tensor promotes too (PyTorch would keep float32 here: a 0-D tensor does not promote a
        // dimensioned one of the same category). Documented in docs/autograd.md.
        assertEquals(DType.FLOAT64, f.add(Tensor.scalar(1, DType.FLOAT64)).dtype());
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
        assertEquals(DType.FLOAT32, DType.promote(DType.FLOAT32, DType.FLOAT32));
    }

    @Test
    void javaScalarsKeepTheTensorsDtype() {
        Tensor f = Tensor.of(1f, 2f);
        assertEquals(DType.FLOAT32, f.mul(0.1).dtype());
        assertEquals(DType.FLOAT32, f.add(1e-300).dtype());
        assertEquals(DType.FLOAT32, f.div(3.0).dtype());
        assertEquals(DType.FLOAT32, f.pow(2.0).dtype());
        // ... and are rounded to float32 first, as in PyTorch: 3 * 0.1f, not round(3 * 0.1).
        assertEquals((double) (3f * 0.1f), Tensor.of(3f).mul(0.1).item(), 0.0);
        assertEquals((double) (7f / 3f), Tensor.of(7f).div(3.0).item(), 0.0);
        assertEquals(1.0, Tensor.of(0.1f).eq(0.1).item(), "0.1f == 0.1 compares in float32");
        assertEquals(0.0, Tensor.of(0.1).eq(0.1f).item(), "but not in float64");
    }

    @Test
    void toTypeConvertsValuesAndGradients() {
        Tensor x = Tensor.of(0.1, 1e-50, 1e300).requiresGrad();
        Tensor f = x.toType(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertEquals("ToTypeBackward", f.gradFn());
        assertEquals((double) 0.1f, f.get(0), 0.0);
        assertEquals(0.0, f.get(1), "underflows to 0");
        assertEquals(Double.POSITIVE_INFINITY, f.get(2), "overflows to inf");
        f.mul(2.0).sum().backward();
        assertEquals(DType.FLOAT64, x.grad().dtype());
        assertValues(x.grad(), 2, 2, 2);
        Tensor back = Tensor.of(1.5f).toType(DType.FLOAT64);
        assertEquals(1.5, back.item(), 0.0);
        assertFalse(back.isRequiresGrad());
        assertTrue(Tensor.of(1f).requiresGrad().toType(DType.FLOAT64).isRequiresGrad());
    }

    @Test
    void float32SumsAccumulateInFloat64() {
        // 10^7 ones of float32 sum to exactly 10^7 (a float32 accumulator would stall at 2^24 = 16,777,216 for
        // larger counts and drift on smaller increments).
        Tensor ones = Tensor.ones(10_000_000);
        assertEquals(1.0e7, ones.sum().item(), 0.0);
        Tensor tenths = Tensor.full(0.1, 10_000_000);
        assertEquals(1.0e6 * (double) 0.1f * 10, tenths.sum().item(), 1.0);
        assertEquals((double) 0.1f, tenths.mean().item(), 1e-7);
    }
}
