package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import perceptron.internal.kernels.BinaryOp;
import perceptron.internal.kernels.KernelOps;
import perceptron.internal.kernels.UnaryOp;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Drives the elementwise kernels over tensors of any layout: aligns the operands' strides to the output's shape
 * (stride 0 on broadcast axes), merges axes that are contiguous in every operand, then calls the kernel once
 * per innermost run. A contiguous {@code [256, 784]} operand is one run of 200,704 elements; {@code [256, 10]}
 * plus a bias {@code [10]} is 256 runs of 10.
 *
 * <p>KernelOps accept inner strides of 0 or 1; an operand with any other inner stride (a transposed view) is
 * copied to contiguous memory first. No autograd happens here.
 */
final class Loops {
    private Loops() {
    }

    /** The per-run work: offsets of each operand's run, run length, and each operand's inner stride. */
    interface Run {
        void apply(int[] offsets, int n, int[] innerStrides);
    }

    /**
     * Calls {@code run} for every innermost run of the iteration over {@code shape}. {@code strides[k]} are the
     * strides of operand k aligned to {@code shape} (0 where it broadcasts).
     */
    static void forEachRun(int[] shape, int[][] strides, int[] offsets, Run run) {
        int ops = strides.length;
        int rank = shape.length;
        // Merge axes from the innermost outward: axis d folds into the run below it when every operand steps
        // through axis d exactly as if the two were one axis.
        int[] dims = new int[rank];
        int[][] st = new int[ops][rank];
        int count = 0;
        for (int d = rank - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            if (count > 0) {
                boolean mergeable = true;
                for (int k = 0; k < ops && mergeable; k++) {
                    mergeable = strides[k][d] == st[k][count - 1] * dims[count - 1];
                }
                if (mergeable) {
                    dims[count - 1] *= shape[d];
                    continue;
                }
            }
            dims[count] = shape[d];
            for (int k = 0; k < ops; k++) {
                st[k][count] = strides[k][d];
            }
            count++;
        }
        for (int d : shape) {
            if (d == 0) {
                return;
            }
        }
        int[] inner = new int[ops];
        int n = 1;
        if (count > 0) {
            n = dims[0];
            for (int k = 0; k < ops; k++) {
                inner[k] = st[k][0];
            }
        }
        int[] pos = offsets.clone();
        if (count <= 1) {
            run.apply(pos, n, inner);
            return;
        }
        // Odometer over the outer merged axes (1 .. count-1; axis 1 moves fastest).
        int[] index = new int[count];
        while (true) {
            run.apply(pos, n, inner);
            int d = 1;
            while (d < count) {
                index[d]++;
                for (int k = 0; k < ops; k++) {
                    pos[k] += st[k][d];
                }
                if (index[d] < dims[d]) {
                    break;
                }
                for (int k = 0; k < ops; k++) {
                    pos[k] -= st[k][d] * dims[d];
                }
                index[d] = 0;
                d++;
            }
            if (d == count) {
                return;
            }
        }
    }

    /** Strides of {@code t} aligned to {@code outShape}: leading axes and size-1 axes get stride 0. */
    static int[] alignedStrides(Tensor t, int[] outShape) {
        int[] s = t.strides();
        int[] shape = t.shape();
        int lead = outShape.length - shape.length;
        int[] out = new int[outShape.length];
        for (int i = 0; i < shape.length; i++) {
            out[lead + i] = shape[i] == 1 ? 0 : s[i];
        }
        return out;
    }

    /** A copy in contiguous memory if the last axis has a stride other than 0 or 1. */
    static Tensor innerReady(Tensor t) {
        int d = t.dim();
        if (d == 0) {
            return t;
        }
        int[] s = t.strides();
        int[] shape = t.shape();
        // Find the innermost axis that is not of size 1.
        for (int i = d - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                return (s[i] == 0 || s[i] == 1) ? t : contiguousCopy(t);
            }
        }
        return t;
    }

    /** A fresh contiguous copy (no autograd). */
    static Tensor contiguousCopy(Tensor t) {
        Tensor out = Tensor.empty(t.dtype(), t.shape());
        copy(t, out);
        return out;
    }

    /**
     * dst = src, with src broadcast to dst's shape and converted to dst's dtype; any layouts. The common case
     * (both contiguous, same dtype) is one arraycopy.
     */
    static void copy(Tensor src, Tensor dst) {
        int[] shape = dst.shape();
        if (!Shape.broadcastsTo(src.shape(), shape)) {
            throw new IllegalArgumentException("copy: shape " + Shape.toString(src.shape())
                    + " cannot be broadcast to " + Shape.toString(shape));
        }
        boolean sameType = src.dtype() == dst.dtype();
        if (sameType && src.isContiguous() && dst.isContiguous() && src.size() == dst.size()) {
            if (src.dtype() == DType.FLOAT32) {
                System.arraycopy(TensorInternals.floatData(src), src.offset(), TensorInternals.floatData(dst), dst.offset(), dst.size());
            } else {
                System.arraycopy(TensorInternals.doubleData(src), src.offset(), TensorInternals.doubleData(dst), dst.offset(), dst.size());
            }
            return;
        }
        int[][] strides = {dst.strides(), alignedStrides(src, shape)};
        int[] offsets = {dst.offset(), src.offset()};
        KernelOps k = KernelOps.get();
        if (src.dtype() == DType.FLOAT32 && dst.dtype() == DType.FLOAT32) {
            float[] s = TensorInternals.floatData(src);
            float[] d = TensorInternals.floatData(dst);
            forEachRun(shape, strides, offsets, (o, n, in) -> {
                if (in[0] == 1 && in[1] == 1) {
                    System.arraycopy(s, o[1], d, o[0], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        d[o[0] + i * in[0]] = s[o[1] + i * in[1]];
                    }
                }
            });
        } else if (src.dtype() == DType.FLOAT64 && dst.dtype() == DType.FLOAT64) {
            double[] s = TensorInternals.doubleData(src);
            double[] d = TensorInternals.doubleData(dst);
            forEachRun(shape, strides, offsets, (o, n, in) -> {
                if (in[0] == 1 && in[1] == 1) {
                    System.arraycopy(s, o[1], d, o[0], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        d[o[0] + i * in[0]] = s[o[1] + i * in[1]];
                    }
                }
            });
        } else if (src.dtype() == DType.FLOAT32) {
            float[] s = TensorInternals.floatData(src);
            double[] d = TensorInternals.doubleData(dst);
            forEachRun(shape, strides, offsets, (o, n, in) -> {
                if (in[0] == 1 && in[1] == 1) {
                    k.convert(s, o[1], d, o[0], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        d[o[0] + i * in[0]] = s[o[1] + i * in[1]];
                    }
                }
            });
        } else {
            double[] s = TensorInternals.doubleData(src);
            float[] d = TensorInternals.floatData(dst);
            forEachRun(shape, strides, offsets, (o, n, in) -> {
                if (in[0] == 1 && in[1] == 1) {
                    k.convert(s, o[1], d, o[0], n);
                } else {
                    for (int i = 0; i < n; i++) {
                        d[o[0] + i * in[0]] = (float) s[o[1] + i * in[1]];
                    }
                }
            });
        }
    }

    /** Sets every element of {@code t} (any layout) to {@code value}. */
    static void fill(Tensor t, double value) {
        int[][] strides = {t.strides()};
        int[] offsets = {t.offset()};
        if (t.dtype() == DType.FLOAT32) {
            float[] d = TensorInternals.floatData(t);
            float v = (float) value;
            forEachRun(t.shape(), strides, offsets, (o, n, in) -> {
                for (int i = 0; i < n; i++) {
                    d[o[0] + i * in[0]] = v;
                }
            });
        } else {
            double[] d = TensorInternals.doubleData(t);
            forEachRun(t.shape(), strides, offsets, (o, n, in) -> {
                for (int i = 0; i < n; i++) {
                    d[o[0] + i * in[0]] = value;
                }
            });
        }
    }

    /** out = op(x; p, q) elementwise; out is contiguous with x's shape and dtype. */
    static void unary(UnaryOp op, double p, double q, Tensor x, Tensor out) {
        KernelOps k = KernelOps.get();
        if (!x.isContiguous()) {
            x = contiguousCopy(x);
        }
        int n = x.size();
        if (x.dtype() == DType.FLOAT32) {
            k.unary(op, p, q, TensorInternals.floatData(x), x.offset(), TensorInternals.floatData(out), out.offset(), n);
        } else {
            k.unary(op, p, q, TensorInternals.doubleData(x), x.offset(), TensorInternals.doubleData(out), out.offset(), n);
        }
    }

    /** out = op(a, b) with broadcasting; a, b and out share one dtype; out is contiguous of the broadcast shape. */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        KernelOps k = KernelOps.get();
        int[] shape = out.shape();
        a = innerReady(a);
        b = innerReady(b);
        int[][] strides = {out.strides(), alignedStrides(a, shape), alignedStrides(b, shape)};
        int[] offsets = {out.offset(), a.offset(), b.offset()};
        if (out.dtype() == DType.FLOAT32) {
            float[] o = TensorInternals.floatData(out);
            float[] da = TensorInternals.floatData(a);
            float[] db = TensorInternals.floatData(b);
            forEachRun(shape, strides, offsets,
                    (off, n, in) -> k.binary(op, da, off[1], in[1], db, off[2], in[2], o, off[0], n));
        } else {
            double[] o = TensorInternals.doubleData(out);
            double[] da = TensorInternals.doubleData(a);
            double[] db = TensorInternals.doubleData(b);
            forEachRun(shape, strides, offsets,
                    (off, n, in) -> k.binary(op, da, off[1], in[1], db, off[2], in[2], o, off[0], n));
        }
    }

    /** out = cond != 0 ? a : b with broadcasting; all of out's dtype. */
    static void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        KernelOps k = KernelOps.get();
        int[] shape = out.shape();
        cond = innerReady(cond);
        a = innerReady(a);
        b = innerReady(b);
        int[][] strides = {out.strides(), alignedStrides(cond, shape), alignedStrides(a, shape),
                alignedStrides(b, shape)};
        int[] offsets = {out.offset(), cond.offset(), a.offset(), b.offset()};
        if (out.dtype() == DType.FLOAT32) {
            float[] o = TensorInternals.floatData(out);
            float[] dc = TensorInternals.floatData(cond);
            float[] da = TensorInternals.floatData(a);
            float[] db = TensorInternals.floatData(b);
            forEachRun(shape, strides, offsets, (off, n, in) ->
                    k.where(dc, off[1], in[1], da, off[2], in[2], db, off[3], in[3], o, off[0], n));
        } else {
            double[] o = TensorInternals.doubleData(out);
            double[] dc = TensorInternals.doubleData(cond);
            double[] da = TensorInternals.doubleData(a);
            double[] db = TensorInternals.doubleData(b);
            forEachRun(shape, strides, offsets, (off, n, in) ->
                    k.where(dc, off[1], in[1], da, off[2], in[2], db, off[3], in[3], o, off[0], n));
        }
    }
}
