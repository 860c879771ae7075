package perceptron.tensor;

import java.util.Arrays;

/**
 * Shape arithmetic: element counts, row-major strides, NumPy broadcasting and axis normalisation.
 *
 * <p>Shapes are plain {@code int[]}; a scalar has shape {@code []}. Every error names the operation and the
 * shapes involved, because a user debugging a model needs both.
 */
public final class Shape {
    private Shape() {
    }

    /** Number of elements; 1 for a scalar. Fails if the count does not fit in an int. */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides for a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** Validates a user-supplied shape (no negative sizes) and returns a defensive copy. */
    public static int[] check(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + toString(shape));
            }
        }
        int[] copy = shape.clone();
        try {
            numel(copy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
        return copy;
    }

    /**
     * The NumPy broadcast of two shapes: align from the right; each pair of sizes must be equal or one of them 1.
     *
     * @throws IllegalArgumentException {@code add: shapes [256, 10] and [256] cannot be broadcast}
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(
                        op + ": shapes " + toString(a) + " and " + toString(b) + " cannot be broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** True if {@code from} broadcasts to {@code to} (the shapes {@code broadcastTo} accepts). */
    public static boolean broadcastsTo(int[] from, int[] to) {
        if (from.length > to.length) {
            return false;
        }
        int lead = to.length - from.length;
        for (int i = 0; i < from.length; i++) {
            if (from[i] != 1 && from[i] != to[i + lead]) {
                return false;
            }
        }
        return true;
    }

    /** Normalises a possibly negative axis ({@code -1} is the last) and checks its range. */
    public static int axis(String op, int axis, int rank) {
        int r = Math.max(rank, 1);
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank
                    + " (valid: " + -r + " to " + (r - 1) + ")");
        }
        return a;
    }

    /** {@code [256, 10]}. */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Removes the given (normalised, distinct) axes. */
    public static int[] without(int[] shape, boolean[] dropped) {
        int count = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!dropped[i]) {
                count++;
            }
        }
        int[] out = new int[count];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!dropped[i]) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
