package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.function.Executable;

/** Assertions and inputs shared by the core tests. */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** Same shape, and every element within atol + rtol |expected| (NaN matches NaN, infinities match exactly). */
    public static void assertClose(double[] expected, Tensor actual, double atol, double rtol, String what) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, what + ": element count");
        for (int i = 0; i < a.length; i++) {
            double e = expected[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                assertEquals(e, a[i], what + ": element " + i);
                continue;
            }
            double tol = atol + rtol * Math.abs(e);
            if (!(Math.abs(a[i] - e) <= tol)) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e + " (tolerance " + tol + ")");
            }
        }
    }

    public static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(expected.toDoubleArray(), actual, tol, tol, what);
    }

    public static void assertValues(Tensor actual, double... expected) {
        assertArrayEquals(expected, actual.toDoubleArray(), 0.0, actual.toString());
    }

    /** Runs {@code body}, expects {@code type}, and checks that the message contains every fragment. */
    public static <T extends Throwable> T assertFails(Class<T> type, Executable body, String... fragments) {
        T e = assertThrows(type, body);
        String m = e.getMessage();
        for (String f : fragments) {
            assertTrue(m != null && m.contains(f), "message \"" + m + "\" should contain \"" + f + "\"");
        }
        return e;
    }

    /** float64 values drawn uniformly from [lo, hi). */
    public static Tensor uniform(RandomGenerator rng, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        double[] d = t.doubleData();
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return t;
    }

    /** float64 standard normal values whose magnitude is at least {@code gap} (away from kinks at 0). */
    public static Tensor awayFromZero(RandomGenerator rng, double gap, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        double[] d = t.doubleData();
        for (int i = 0; i < d.length; i++) {
            double v = rng.nextGaussian();
            d[i] = Math.copySign(Math.abs(v) + gap, v);
        }
        return t;
    }

    /** float64 standard normal values, distinct from each other by at least {@code gap} (no ties for max). */
    public static Tensor distinct(RandomGenerator rng, double gap, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        double[] d = t.doubleData();
        // A shuffled ladder: value k * gap * 4 plus a small jitter, so ties are impossible.
        int n = d.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) {
            d[i] = (perm[i] - n / 2.0) * 4 * gap + gap * rng.nextDouble();
        }
        return t;
    }
}
