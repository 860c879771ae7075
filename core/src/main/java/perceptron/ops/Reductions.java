package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import java.util.Arrays;
import perceptron.autograd.Autograd;
import perceptron.internal.kernels.KernelOps;
import perceptron.internal.kernels.ReduceOp;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Sums, means, maxima and minima over all elements or over axes (with {@code keepDims}), and argmax/argmin.
 *
 * <p>Float32 sums accumulate in float64 (after blocks of float lanes, on the vector path). The gradient of max/min
 * is split evenly among tied elements (PyTorch's rule for {@code amax} and for a full {@code max()}), so it is the
 * same whichever copy of the maximum is "first".
 */
public final class Reductions {
    private Reductions() {
    }

    /** Which axes a reduction removes: all of them for {@code axes == null}. */
    static boolean[] reducedAxes(String op, int[] axes, int rank) {
        boolean[] reduced = new boolean[rank];
        if (axes == null) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (int a : axes) {
            int k = Shape.axis(op, a, rank);
            if (rank > 0 && reduced[k]) {
                throw new IllegalArgumentException(op + ": axis " + a + " appears twice in " + Arrays.toString(axes));
            }
            if (rank > 0) {
                reduced[k] = true;
            }
        }
        return reduced;
    }

    /** The shape with reduced axes set to 1. */
    static int[] keptShape(int[] shape, boolean[] reduced) {
        int[] out = shape.clone();
        for (int i = 0; i < out.length; i++) {
            if (reduced[i]) {
                out[i] = 1;
            }
        }
        return out;
    }

    /** Raw reduction (no autograd): the result has the reduced axes kept as size 1. */
    static Tensor reduceKeep(ReduceOp op, Tensor x, boolean[] reduced) {
        KernelOps k = KernelOps.get();
        Tensor cur = x.isContiguous() ? x : Loops.contiguousCopy(x);
        int[] shape = cur.shape();
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            if (!reduced[axis] || shape[axis] == 1) {
                continue;
            }
            int outer = 1;
            for (int i = 0; i < axis; i++) {
                outer *= shape[i];
            }
            int len = shape[axis];
            int inner = 1;
            for (int i = axis + 1; i < shape.length; i++) {
                inner *= shape[i];
            }
            int[] outShape = shape.clone();
            outShape[axis] = 1;
            Tensor out = Tensor.empty(cur.dtype(), outShape);
            if (cur.dtype() == DType.FLOAT32) {
                k.reduce(op, TensorInternals.floatData(cur), cur.offset(), outer, len, inner, TensorInternals.floatData(out), out.offset());
            } else {
                k.reduce(op, TensorInternals.doubleData(cur), cur.offset(), outer, len, inner, TensorInternals.doubleData(out), out.offset());
            }
            cur = out;
            shape = outShape;
        }
        if (cur == x) {
            cur = Loops.contiguousCopy(x);
        }
        return cur;
    }

    /** Sum over all elements (axes == null) or the given axes. d/dx = 1, broadcast back. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        int[] inShape = x.shape();
        boolean[] reduced = reducedAxes("sum", axes, inShape.length);
        Tensor out;
        if (axes == null) {
            double s = x.isContiguous() ? fullSum(x) : fullSum(Loops.contiguousCopy(x));
            out = Tensor.full(x.dtype(), s, keepDims ? keptShape(inShape, reduced) : new int[0]);
        } else {
            Tensor kept = reduceKeep(ReduceOp.SUM, x, reduced);
            out = keepDims ? kept : kept.reshape(Shape.without(inShape, reduced));
        }
        int[] kShape = keptShape(inShape, reduced);
        return Autograd.record("SumBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.reshape(kShape).broadcastTo(inShape)});
    }

    /** The sum of a contiguous tensor's elements, accumulated in float64 (a raw value: no autograd). */
    public static double fullSum(Tensor c) {
        KernelOps k = KernelOps.get();
        return c.dtype() == DType.FLOAT32 ? k.sum(TensorInternals.floatData(c), c.offset(), c.size())
                : k.sum(TensorInternals.doubleData(c), c.offset(), c.size());
    }

    /** Mean over all elements or the given axes: sum / count. */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        boolean[] reduced = reducedAxes("mean", axes, x.dim());
        long count = 1;
        int[] shape = x.shape();
        for (int i = 0; i < shape.length; i++) {
            if (reduced[i]) {
                count *= shape[i];
            }
        }
        return sum(x, axes, keepDims).div((double) count);
    }

    /**
     * Max (or min) over all elements or axes. NaN propagates. Gradient: g / (number of tied extremes) to each
     * element equal to the result; when the result is NaN, to the NaN elements (PyTorch's rule for a full
     * {@code max()}; its {@code amax} along an axis gives NaN to the whole row instead).
     */
    public static Tensor max(Tensor x, int[] axes, boolean keepDims, boolean isMax) {
        String name = isMax ? "max" : "min";
        int[] inShape = x.shape();
        boolean[] reduced = reducedAxes(name, axes, inShape.length);
        for (int i = 0; i < inShape.length; i++) {
            if (reduced[i] && inShape[i] == 0) {
                throw new IllegalArgumentException(name + ": " + (axes == null ? "the tensor" : "axis " + i + " of the "
                        + "tensor") + " of shape " + Shape.toString(inShape) + " is empty; a " + name
                        + " of no elements is undefined");
            }
        }
        Tensor kept = reduceKeep(isMax ? ReduceOp.MAX : ReduceOp.MIN, x, reduced);
        Tensor out = keepDims ? kept : kept.reshape(Shape.without(inShape, reduced));
        int[] kShape = keptShape(inShape, reduced);
        int[] reducedList = axesOf(reduced);
        return Autograd.record(isMax ? "MaxBackward" : "MinBackward", out, new Tensor[] {x},
                new Tensor[] {x, out}, (n, g) -> {
                    Tensor extreme = n.saved(1).reshape(kShape);
                    Tensor in = n.saved(0);
                    // The winners: elements equal to the result, or NaN where the result is NaN (NaN == NaN is
                    // false, so without the second term a NaN maximum would send NaN to every element).
                    Tensor mask = in.eq(extreme).add(in.ne(in).mul(extreme.ne(extreme)));
                    Tensor count = mask.sum(reducedList, true);
                    return new Tensor[] {g.reshape(kShape).div(count).mul(mask)};
                });
    }

    private static int[] axesOf(boolean[] reduced) {
        int c = 0;
        for (boolean r : reduced) {
            if (r) {
                c++;
            }
        }
        int[] out = new int[c];
        for (int i = 0, j = 0; i < reduced.length; i++) {
            if (reduced[i]) {
                out[j++] = i;
            }
        }
        return out;
    }

    /** Index of the first maximum (or minimum) along an axis, as a float64 tensor of integers. */
    public static Tensor argmax(Tensor x, int axis, boolean keepDims, boolean isMax) {
        String name = isMax ? "argmax" : "argmin";
        int[] shape = x.shape();
        if (x.size() == 0) {
            throw new IllegalArgumentException(name + ": the tensor of shape " + Shape.toString(shape) + " is empty");
        }
        int rank = shape.length;
        if (rank == 0) {
            return Tensor.zeros(DType.FLOAT64);
        }
        int a = Shape.axis(name, axis, rank);
        Tensor c = x.isContiguous() ? x : Loops.contiguousCopy(x);
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= shape[i];
        }
        int inner = 1;
        for (int i = a + 1; i < rank; i++) {
            inner *= shape[i];
        }
        int[] idx = new int[outer * inner];
        KernelOps k = KernelOps.get();
        if (c.dtype() == DType.FLOAT32) {
            k.argReduce(isMax, TensorInternals.floatData(c), c.offset(), outer, shape[a], inner, idx);
        } else {
            k.argReduce(isMax, TensorInternals.doubleData(c), c.offset(), outer, shape[a], inner, idx);
        }
        int[] kept = shape.clone();
        kept[a] = 1;
        Tensor out = Tensor.empty(DType.FLOAT64, kept);
        double[] d = TensorInternals.doubleData(out);
        for (int i = 0; i < idx.length; i++) {
            d[out.offset() + i] = idx[i];
        }
        if (keepDims) {
            return out;
        }
        boolean[] drop = new boolean[rank];
        drop[a] = true;
        return out.reshape(Shape.without(shape, drop));
    }
}
