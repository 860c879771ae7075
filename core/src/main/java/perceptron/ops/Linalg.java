package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import perceptron.autograd.Autograd;
import perceptron.internal.kernels.ColumnPanels;
import perceptron.internal.kernels.KernelOps;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Storage;
import perceptron.tensor.Tensor;

/**
 * Matrix products: {@link #matmul} with {@code torch.matmul}'s rules, and {@link #linear}, the fused
 * {@code x W^T + b} of a fully connected layer.
 *
 * <p>Transposed views are handed to the GEMM kernel as a transpose flag, never copied: the three products of
 * training a layer (X W^T, dY W, dY^T X) all read their operands where they lie. One exception, for speed
 * only: a product of one or two rows by a transposed matrix (predicting one example: x W^T) uses a copy of
 * that matrix in column panels, kept from call to call (see {@link #panelCopy}). The GEMM gives bitwise the
 * same result either way, so the copy never changes a number.
 */
public final class Linalg {
    private Linalg() {
    }

    /** A 2-D operand as GEMM sees it: array, offset, leading dimension, and whether it is stored transposed. */
    private static final class Operand {
        final Tensor tensor;
        final boolean trans;
        final int ld;

        Operand(Tensor tensor, boolean trans, int ld) {
            this.tensor = tensor;
            this.trans = trans;
            this.ld = ld;
        }
    }

    /**
     * Describes the last two axes ([rows, cols]) of t for GEMM, copying only when they are neither row-major nor
     * column-major with a usable leading dimension.
     */
    private static Operand operand(Tensor t) {
        int r = t.dim();
        int[] shape = t.shape();
        int[] st = t.strides();
        int rows = shape[r - 2];
        int cols = shape[r - 1];
        int s0 = st[r - 2];
        int s1 = st[r - 1];
        if ((s1 == 1 || cols == 1) && (rows == 1 || s0 >= Math.max(cols, 1))) {
            return new Operand(t, false, rows == 1 ? Math.max(cols, 1) : s0);
        }
        if ((s0 == 1 || rows == 1) && (cols == 1 || s1 >= Math.max(rows, 1))) {
            return new Operand(t, true, cols == 1 ? Math.max(rows, 1) : s1);
        }
        Tensor c = Loops.contiguousCopy(t);
        return new Operand(c, false, Math.max(cols, 1));
    }

    /**
     * A copy of op(B) in column panels ({@code ColumnPanels}), made from B stored transposed; valid while B's
     * storage stays at {@code version} with the same offset, leading dimension and shape.
     */
    private record PanelCopy(int version, int offset, int ld, int rows, int cols, int width, float[] floats,
                             double[] doubles) {
    }

    /**
     * Panel copies of transposed operands of few-row products, by storage. Weak keys: a copy lives as long as
     * the matrix it copies. Synchronized: inference may run on many threads at once.
     */
    private static final Map<Storage, PanelCopy> PANEL_COPIES = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * For op(B) = B^T stored transposed ({@code ob.trans}), [k, n], in a product of at most
     * {@link KernelOps#GEMM_FEW_ROWS} rows: a copy of op(B) in column panels for {@link KernelOps#gemmPanels}, made
     * on the first call and kept; else null (use {@code ob}).
     *
     * <p>Why: the GEMM must pack a transposed B (a transpose) to sum in the same order as for a batch, which
     * batch invariance requires. Predicting one example at a time multiplies by the same weights call after
     * call, so their transpose is made once: one row through 784 x 256 ran 5 to 10 times faster than with
     * packing on every call (GemmBench.oneRowXB against oneRowXWt). In panels rather than row-major, each core
     * reads its share of the columns as one contiguous block, which stays in its L2 (bench/RESULTS.md,
     * "One image").
     *
     * <p>The copy is keyed by the operand's storage and is valid while the storage's version counter, offset,
     * leading dimension and shape are unchanged: every in-place op, the optimisers and {@code copyFrom} bump the
     * version (autograd's check of saved tensors relies on it too). Code that writes a tensor's array directly
     * must call {@code storage().bumpVersion()}.
     */
    private static PanelCopy panelCopy(Operand ob, int m, int k, int n) {
        if (!ob.trans || m > KernelOps.GEMM_FEW_ROWS || k == 0 || n == 0) {
            return null;
        }
        Tensor t = ob.tensor;
        Storage storage = TensorInternals.storage(t);
        PanelCopy entry = PANEL_COPIES.get(storage);
        if (entry != null && entry.version() == storage.version() && entry.offset() == t.offset()
                && entry.ld() == ob.ld && entry.rows() == k && entry.cols() == n) {
            return entry;
        }
        int width = KernelOps.get().gemmPanelWidth();
        entry = t.dtype() == DType.FLOAT32
                ? new PanelCopy(storage.version(), t.offset(), ob.ld, k, n, width,
                        ColumnPanels.pack(true, TensorInternals.floatData(t), t.offset(), ob.ld, k, n, width), null)
                : new PanelCopy(storage.version(), t.offset(), ob.ld, k, n, width, null,
                        ColumnPanels.pack(true, TensorInternals.doubleData(t), t.offset(), ob.ld, k, n, width));
        PANEL_COPIES.put(storage, entry);
        return entry;
    }

    /**
     * torch.matmul: 1-D @ 1-D is a dot product (shape []); a 1-D first operand is a row vector and a 1-D second
     * operand a column vector, the added axis removed from the result; axes before the last two are batch axes
     * and broadcast.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Shape.toString(a.shape()) + " and " + Shape.toString(b.shape()) + "; use mul for scalars");
        }
        int ka = a.shape()[a.dim() - 1];
        int kb = b.dim() == 1 ? b.shape()[0] : b.shape()[b.dim() - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(a.shape()) + " @ "
                    + Shape.toString(b.shape()) + ": inner dimensions " + ka + " and " + kb + " differ");
        }
        boolean aVector = a.dim() == 1;
        boolean bVector = b.dim() == 1;
        Tensor x = aVector ? a.unsqueeze(0) : a;
        Tensor y = bVector ? b.unsqueeze(1) : b;
        int[] batchA = java.util.Arrays.copyOf(x.shape(), x.dim() - 2);
        int[] batchB = java.util.Arrays.copyOf(y.shape(), y.dim() - 2);
        try {
            Shape.broadcast("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: " + Shape.toString(a.shape()) + " @ "
                    + Shape.toString(b.shape()) + ": batch dimensions " + Shape.toString(batchA) + " and "
                    + Shape.toString(batchB) + " cannot be broadcast", e);
        }
        Tensor out = batchedMatmul(x, y);
        if (aVector) {
            out = out.squeeze(-2);
        }
        if (bVector) {
            out = out.squeeze(-1);
        }
        return out;
    }

    /** [..., m, k] @ [..., k, n] with broadcast batch axes. d/dA = dC B^T, d/dB = A^T dC (summed over broadcast). */
    static Tensor batchedMatmul(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = a.toType(t);
        Tensor y = b.toType(t);
        int[] as = x.shape();
        int[] bs = y.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2);
        int[] batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Tensor out = Tensor.empty(t, outShape);
        Operand oa = operand(x);
        int batches = Shape.numel(batch);
        Operand ob = operand(y);
        PanelCopy panels = batches == 1 ? panelCopy(ob, m, k, n) : null;
        int[] offA = batchOffsets(oa.tensor, batch);
        int[] offB = batchOffsets(ob.tensor, batch);
        KernelOps kern = KernelOps.get();
        for (int i = 0; i < batches; i++) {
            int co = out.offset() + i * m * n;
            if (panels != null) {
                gemmPanels(kern, oa, offA[i], m, n, k, panels, 0, out, co);
            } else if (t == DType.FLOAT32) {
                kern.gemm(oa.trans, ob.trans, m, n, k, 1f, TensorInternals.floatData(oa.tensor), offA[i], oa.ld,
                        TensorInternals.floatData(ob.tensor), offB[i], ob.ld, 0f, TensorInternals.floatData(out), co, Math.max(n, 1));
            } else {
                kern.gemm(oa.trans, ob.trans, m, n, k, 1.0, TensorInternals.doubleData(oa.tensor), offA[i], oa.ld,
                        TensorInternals.doubleData(ob.tensor), offB[i], ob.ld, 0.0, TensorInternals.doubleData(out), co, Math.max(n, 1));
            }
        }
        return Autograd.record("MmBackward", out, new Tensor[] {x, y}, new Tensor[] {x, y}, (node, g) -> new Tensor[] {
                node.needsInputGrad(0) ? batchedMatmul(g, node.saved(1).transpose(-1, -2)).sumTo(as) : null,
                node.needsInputGrad(1) ? batchedMatmul(node.saved(0).transpose(-1, -2), g).sumTo(bs) : null});
    }

    /** C = op(A) B + beta C, B [k, n] in panels, C row-major [m, n] at {@code cOff} of {@code out}. */
    private static void gemmPanels(KernelOps kern, Operand oa, int aOff, int m, int n, int k, PanelCopy b,
                                   int beta, Tensor out, int cOff) {
        if (b.floats() != null) {
            kern.gemmPanels(oa.trans, m, n, k, 1f, TensorInternals.floatData(oa.tensor), aOff, oa.ld, b.floats(), 0,
                    b.width(), beta, TensorInternals.floatData(out), cOff, Math.max(n, 1));
        } else {
            kern.gemmPanels(oa.trans, m, n, k, 1.0, TensorInternals.doubleData(oa.tensor), aOff, oa.ld, b.doubles(),
                    0, b.width(), beta, TensorInternals.doubleData(out), cOff, Math.max(n, 1));
        }
    }

    /** Storage offset of the [m, k] matrix for each batch index (row-major over the broadcast batch shape). */
    private static int[] batchOffsets(Tensor t, int[] batch) {
        int batches = Shape.numel(batch);
        int[] out = new int[batches];
        int[] shape = t.shape();
        int[] st = t.strides();
        int lead = batch.length - (shape.length - 2);
        int[] index = new int[batch.length];
        for (int i = 0; i < batches; i++) {
            int off = t.offset();
            for (int d = 0; d < batch.length; d++) {
                int td = d - lead;
                if (td >= 0 && shape[td] != 1) {
                    off += index[d] * st[td];
                }
            }
            out[i] = off;
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++index[d] < batch[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    /**
     * The fully connected layer y = x W^T + b, with W of shape [out, in] as in PyTorch (so state dicts carry over
     * unchanged). x: [*, in]; b: [out] or null; y: [*, out].
     *
     * <p>d/dx = dY W, d/dW = dY^T x, d/db = column sums of dY; all three read their operands in place.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: weight must be 2-D [out, in], got shape "
                    + Shape.toString(weight.shape()));
        }
        int outFeatures = weight.shape()[0];
        int inFeatures = weight.shape()[1];
        if (x.dim() == 0 || x.shape()[x.dim() - 1] != inFeatures) {
            throw new IllegalArgumentException("linear: input of shape " + Shape.toString(x.shape())
                    + " does not end in " + inFeatures + ", the in-features of weight " + Shape.toString(weight.shape())
                    + " (mat1 and mat2 shapes cannot be multiplied)");
        }
        if (bias != null && (bias.dim() != 1 || bias.shape()[0] != outFeatures)) {
            throw new IllegalArgumentException("linear: bias must have shape [" + outFeatures + "], got "
                    + Shape.toString(bias.shape()));
        }
        DType t = DType.promote(x.dtype(), weight.dtype());
        Tensor w = weight.toType(t);
        Tensor b = bias == null ? null : bias.toType(t);
        int[] xShape = x.shape();
        // Rows counted explicitly: reshape(-1, 0) cannot infer them when inFeatures is 0.
        int rows = Shape.numel(java.util.Arrays.copyOf(xShape, xShape.length - 1));
        Tensor x2 = x.toType(t).reshape(rows, inFeatures);
        int[] outShape = xShape.clone();
        outShape[outShape.length - 1] = outFeatures;
        Tensor out = Tensor.empty(t, rows, outFeatures);
        if (b != null) {
            Loops.copy(b, out);
        }
        Operand ox = operand(x2);
        // op(B) must be W^T ([in, out]): W row-major is "B transposed"; a transposed W view is B as is.
        Operand ow = operand(w);
        Operand ob = new Operand(ow.tensor, !ow.trans, ow.ld);
        PanelCopy panels = panelCopy(ob, rows, inFeatures, outFeatures);
        KernelOps kern = KernelOps.get();
        if (panels != null) {
            gemmPanels(kern, ox, ox.tensor.offset(), rows, outFeatures, inFeatures, panels, b == null ? 0 : 1, out,
                    out.offset());
        } else if (t == DType.FLOAT32) {
            kern.gemm(ox.trans, ob.trans, rows, outFeatures, inFeatures, 1f, TensorInternals.floatData(ox.tensor),
                    ox.tensor.offset(), ox.ld, TensorInternals.floatData(ob.tensor), ob.tensor.offset(), ob.ld, b == null ? 0f : 1f,
                    TensorInternals.floatData(out), out.offset(), Math.max(outFeatures, 1));
        } else {
            kern.gemm(ox.trans, ob.trans, rows, outFeatures, inFeatures, 1.0, TensorInternals.doubleData(ox.tensor),
                    ox.tensor.offset(), ox.ld, TensorInternals.doubleData(ob.tensor), ob.tensor.offset(), ob.ld, b == null ? 0.0 : 1.0,
                    TensorInternals.doubleData(out), out.offset(), Math.max(outFeatures, 1));
        }
        Tensor result = out.reshape(outShape);
        Tensor[] inputs = b == null ? new Tensor[] {x2, w} : new Tensor[] {x2, w, b};
        return Autograd.record("LinearBackward", result, inputs, new Tensor[] {x2, w}, (node, g) -> {
            Tensor g2 = g.reshape(-1, outFeatures);
            Tensor[] grads = new Tensor[inputs.length];
            if (node.needsInputGrad(0)) {
                grads[0] = g2.matmul(node.saved(1));
            }
            if (node.needsInputGrad(1)) {
                grads[1] = g2.t().matmul(node.saved(0));
            }
            if (inputs.length == 3 && node.needsInputGrad(2)) {
                grads[2] = g2.sum(0);
            }
            return grads;
        });
    }
}
