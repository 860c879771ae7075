package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import java.util.Arrays;
import java.util.List;
import perceptron.autograd.Autograd;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Ops that move elements without arithmetic: reshape, transpose, permute, (un)squeeze, broadcastTo and its
 * adjoint sumTo, slicing, select, indexSelect, concat, stack and copy. Views share memory with their input; the
 * derivative of each is the inverse movement of the gradient.
 */
public final class ShapeOps {
    private ShapeOps() {
    }

    private static Tensor view(Tensor x, int offset, int[] shape, int[] strides) {
        // An empty view reads nothing, but its offset is still handed to System.arraycopy and Arrays.fill, which
        // reject an offset past the end even for 0 elements (x[1:] of a [2, 0] tensor has offset 1 in a storage
        // of length 0). Point every empty view at the start of its storage.
        return TensorInternals.fromStorage(TensorInternals.storage(x), Shape.numel(shape) == 0 ? 0 : offset, shape, strides);
    }

    /** The same tensor as a new graph node (identity). */
    public static Tensor alias(Tensor x) {
        Tensor out = view(x, x.offset(), x.shape(), x.strides());
        return Autograd.record("AliasBackward", out, new Tensor[] {x}, (n, g) -> new Tensor[] {g});
    }

    /** A contiguous copy (PyTorch's clone). d/dx = identity. */
    public static Tensor copy(Tensor x) {
        Tensor out = Loops.contiguousCopy(x);
        return Autograd.record("CloneBackward", out, new Tensor[] {x}, (n, g) -> new Tensor[] {g});
    }

    /** Raw copy of src's values into dst (broadcast, converted); no autograd, no version bump. */
    public static void copyInto(Tensor src, Tensor dst) {
        Loops.copy(src, dst);
    }

    /** Raw fill of any layout; no autograd, no version bump. */
    public static void fillStrided(Tensor t, double value) {
        Loops.fill(t, value);
    }

    // ---- reshape --------------------------------------------------------------------------------------

    /** Resolves a -1 in the requested shape and checks the element count. */
    static int[] resolveShape(String op, int[] inShape, int[] requested) {
        int[] out = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be inferred (-1) in "
                            + Arrays.toString(requested));
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + out[i] + " in "
                        + Arrays.toString(requested));
            } else {
                known *= out[i];
            }
        }
        int n = Shape.numel(inShape);
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested)
                        + " is invalid for input of size " + n + " (shape " + Shape.toString(inShape) + ")");
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(requested)
                    + " is invalid for input of size " + n + " (shape " + Shape.toString(inShape) + ")");
        }
        return out;
    }

    /** A view when x is contiguous, else a copy. d/dx = reshape back. */
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] inShape = x.shape();
        int[] shape = resolveShape("reshape", inShape, newShape);
        if (Arrays.equals(shape, inShape)) {
            return x;
        }
        Tensor base = x.isContiguous() ? x : Loops.contiguousCopy(x);
        Tensor out = view(base, base.offset(), shape, Shape.contiguousStrides(shape));
        return Autograd.record("ReshapeBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.reshape(inShape)});
    }

    /** Collapses axes start..end (inclusive) into one. */
    public static Tensor flatten(Tensor x, int start, int end) {
        int rank = x.dim();
        if (rank == 0) {
            return reshape(x, 1);
        }
        int s = Shape.axis("flatten", start, rank);
        int e = Shape.axis("flatten", end, rank);
        if (s > e) {
            throw new IllegalArgumentException("flatten: start axis " + start + " comes after end axis " + end);
        }
        int[] shape = x.shape();
        int[] out = new int[rank - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) {
            out[j++] = shape[i];
        }
        int merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= shape[i];
        }
        out[j++] = merged;
        for (int i = e + 1; i < rank; i++) {
            out[j++] = shape[i];
        }
        return reshape(x, out);
    }

    // ---- axis moves -----------------------------------------------------------------------------------

    /** Swaps two axes (a view). d/dx = the same swap. */
    public static Tensor transpose(Tensor x, int axis0, int axis1) {
        int rank = x.dim();
        int a = Shape.axis("transpose", axis0, rank);
        int b = Shape.axis("transpose", axis1, rank);
        if (a == b) {
            return x;
        }
        int[] shape = x.shape();
        int[] strides = x.strides();
        swap(shape, a, b);
        swap(strides, a, b);
        Tensor out = view(x, x.offset(), shape, strides);
        return Autograd.record("TransposeBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.transpose(a, b)});
    }

    private static void swap(int[] v, int i, int j) {
        int t = v[i];
        v[i] = v[j];
        v[j] = t;
    }

    /** Reorders axes (a view). d/dx = the inverse permutation. */
    public static Tensor permute(Tensor x, int... axes) {
        int rank = x.dim();
        if (axes.length != rank) {
            throw new IllegalArgumentException("permute: number of axes " + axes.length + " doesn't match the rank "
                    + rank + " of shape " + Shape.toString(x.shape()));
        }
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] newShape = new int[rank];
        int[] newStrides = new int[rank];
        int[] inverse = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = Shape.axis("permute", axes[i], rank);
            if (seen[a]) {
                throw new IllegalArgumentException("permute: axis " + axes[i] + " repeats in "
                        + Arrays.toString(axes));
            }
            seen[a] = true;
            newShape[i] = shape[a];
            newStrides[i] = strides[a];
            inverse[a] = i;
        }
        Tensor out = view(x, x.offset(), newShape, newStrides);
        return Autograd.record("PermuteBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.permute(inverse)});
    }

    /** Inserts a size-1 axis (a view). */
    public static Tensor unsqueeze(Tensor x, int axis) {
        int rank = x.dim();
        int a = Shape.axis("unsqueeze", axis, rank + 1);
        int[] shape = x.shape();
        int[] strides = x.strides();
        int[] ns = new int[rank + 1];
        int[] nt = new int[rank + 1];
        for (int i = 0, j = 0; i <= rank; i++) {
            if (i == a) {
                ns[i] = 1;
                nt[i] = a < rank ? strides[a] * shape[a] : 1;
            } else {
                ns[i] = shape[j];
                nt[i] = strides[j];
                j++;
            }
        }
        Tensor out = view(x, x.offset(), ns, nt);
        int[] inShape = shape;
        return Autograd.record("UnsqueezeBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.reshape(inShape)});
    }

    /** Removes a size-1 axis (a view). */
    public static Tensor squeeze(Tensor x, int axis) {
        int rank = x.dim();
        if (rank == 0) {
            return x;
        }
        int a = Shape.axis("squeeze", axis, rank);
        int[] shape = x.shape();
        if (shape[a] != 1) {
            return x;
        }
        boolean[] drop = new boolean[rank];
        drop[a] = true;
        return dropAxes(x, drop);
    }

    /** Removes every size-1 axis (a view). */
    public static Tensor squeezeAll(Tensor x) {
        int[] shape = x.shape();
        boolean[] drop = new boolean[shape.length];
        boolean any = false;
        for (int i = 0; i < shape.length; i++) {
            drop[i] = shape[i] == 1;
            any |= drop[i];
        }
        return any ? dropAxes(x, drop) : x;
    }

    private static Tensor dropAxes(Tensor x, boolean[] drop) {
        int[] shape = x.shape();
        Tensor out = view(x, x.offset(), Shape.without(shape, drop), Shape.without(x.strides(), drop));
        return Autograd.record("SqueezeBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.reshape(shape)});
    }

    // ---- broadcasting ---------------------------------------------------------------------------------

    /** Expands size-1 axes and prepends axes, with stride 0 (no copy). d/dx = sumTo(x's shape). */
    public static Tensor broadcastTo(Tensor x, int... shape) {
        int[] inShape = x.shape();
        int[] target = Shape.check("broadcastTo", shape);
        if (!Shape.broadcastsTo(inShape, target)) {
            throw new IllegalArgumentException("broadcastTo: shape " + Shape.toString(inShape)
                    + " cannot be broadcast to " + Shape.toString(target));
        }
        if (Arrays.equals(inShape, target)) {
            return x;
        }
        Tensor out = view(x, x.offset(), target, Loops.alignedStrides(x, target));
        return Autograd.record("ExpandBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {g.sumTo(inShape)});
    }

    /**
     * Sums over the axes along which {@code shape} was broadcast to reach x's shape (leading axes, and axes where
     * shape has 1). The adjoint of broadcastTo, used by every broadcasting op's backward.
     */
    public static Tensor sumTo(Tensor x, int... shape) {
        int[] inShape = x.shape();
        if (Arrays.equals(inShape, shape)) {
            return x;
        }
        if (!Shape.broadcastsTo(shape, inShape)) {
            throw new IllegalArgumentException("sumTo: shape " + Shape.toString(inShape) + " cannot be summed to "
                    + Shape.toString(shape) + " (it is not a broadcast of it)");
        }
        int lead = inShape.length - shape.length;
        int count = 0;
        int[] axes = new int[inShape.length];
        for (int i = 0; i < inShape.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && inShape[i] != 1)) {
                axes[count++] = i;
            }
        }
        Tensor s = count == 0 ? x : Reductions.sum(x, Arrays.copyOf(axes, count), true);
        return s.reshape(shape);
    }

    // ---- indexing -------------------------------------------------------------------------------------

    /** Python-style slice start:end:step along an axis (a view); bounds are clamped like Python's. */
    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int rank = x.dim();
        if (rank == 0) {
            throw new IllegalArgumentException("slice: cannot slice a scalar (shape [])");
        }
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int a = Shape.axis("slice", axis, rank);
        int[] shape = x.shape();
        int size = shape[a];
        int s = clampIndex(start, size);
        int e = Math.max(clampIndex(end, size), s);
        int len = (e - s + step - 1) / step;
        int[] strides = x.strides();
        int offset = x.offset() + (len > 0 ? s * strides[a] : 0);
        int[] ns = shape.clone();
        ns[a] = len;
        int[] nt = strides.clone();
        nt[a] = strides[a] * step;
        Tensor out = view(x, offset, ns, nt);
        int first = s;
        return Autograd.record("SliceBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {sliceScatter(g, shape, a, first, step)});
    }

    private static int clampIndex(int i, int size) {
        int k = i < 0 ? i + size : i;
        return Math.max(0, Math.min(size, k));
    }

    /**
     * Zeros of {@code shape} with {@code g} written into positions start, start + step, ... along the axis: the
     * derivative of slice. Its own derivative is the slice again.
     */
    static Tensor sliceScatter(Tensor g, int[] shape, int axis, int start, int step) {
        Tensor out = Tensor.zeros(g.dtype(), shape);
        int len = g.shape()[axis];
        if (len > 0) {
            Tensor window = sliceRaw(out, axis, start, start + (len - 1) * step + 1, step);
            Loops.copy(g, window);
        }
        return Autograd.record("SliceBackwardBackward", out, new Tensor[] {g},
                (n, gg) -> new Tensor[] {gg.slice(axis, start, start + (len - 1) * step + 1, step)});
    }

    private static Tensor sliceRaw(Tensor x, int axis, int start, int end, int step) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return slice(x, axis, start, end, step);
        }
    }

    /** Index along an axis, dropping the axis (a view). */
    public static Tensor select(Tensor x, int axis, int index) {
        int rank = x.dim();
        if (rank == 0) {
            throw new IllegalArgumentException("select: cannot index a scalar (shape [])");
        }
        int a = Shape.axis("select", axis, rank);
        int size = x.shape()[a];
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for axis " + axis
                    + " with size " + size + " (shape " + Shape.toString(x.shape()) + ")");
        }
        return slice(x, a, i, i + 1, 1).squeeze(a);
    }

    /** Gathers indices along an axis into a new tensor. d/dx scatters (adds) the gradient back. */
    public static Tensor indexSelect(Tensor x, int axis, int... indices) {
        int rank = x.dim();
        if (rank == 0) {
            throw new IllegalArgumentException("indexSelect: cannot index a scalar (shape [])");
        }
        int a = Shape.axis("indexSelect", axis, rank);
        int[] shape = x.shape();
        int size = shape[a];
        int[] idx = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i] < 0 ? indices[i] + size : indices[i];
            if (k < 0 || k >= size) {
                throw new IndexOutOfBoundsException("indexSelect: index " + indices[i] + " (position " + i
                        + ") is out of range for axis " + axis + " with size " + size);
            }
            idx[i] = k;
        }
        int[] outShape = shape.clone();
        outShape[a] = idx.length;
        Tensor out = Tensor.empty(x.dtype(), outShape);
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < idx.length; i++) {
                Loops.copy(select(x, a, idx[i]), select(out, a, i));
            }
        }
        return Autograd.record("IndexSelectBackward", out, new Tensor[] {x},
                (n, g) -> new Tensor[] {indexAdd(g, shape, a, idx)});
    }

    /** Zeros of {@code shape} plus g's slices added at the indices (repeats accumulate). d/dg = indexSelect. */
    static Tensor indexAdd(Tensor g, int[] shape, int axis, int[] idx) {
        Tensor out = Tensor.zeros(g.dtype(), shape);
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (int i = 0; i < idx.length; i++) {
                Tensor dst = select(out, axis, idx[i]);
                Tensor sum = Elementwise.add(dst, select(g, axis, i));
                Loops.copy(sum, dst);
            }
        }
        return Autograd.record("IndexAddBackward", out, new Tensor[] {g},
                (n, gg) -> new Tensor[] {gg.indexSelect(axis, idx)});
    }

    /** Joins tensors along an existing axis; shapes must agree elsewhere. d/dx_i = the matching slice. */
    public static Tensor concat(int axis, List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("concat: expected a non-empty list of tensors");
        }
        Tensor first = tensors.get(0);
        int rank = first.dim();
        if (rank == 0) {
            throw new IllegalArgumentException("concat: zero-dimensional tensor (shape []) cannot be concatenated; "
                    + "use stack");
        }
        int a = Shape.axis("concat", axis, rank);
        DType dtype = first.dtype();
        int total = 0;
        int[] shape0 = first.shape();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            int[] s = t.shape();
            boolean ok = s.length == rank;
            for (int d = 0; ok && d < rank; d++) {
                ok = d == a || s[d] == shape0[d];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shape.toString(s)
                        + ", which does not match " + Shape.toString(shape0) + " outside axis " + axis);
            }
            total += s[a];
            dtype = DType.promote(dtype, t.dtype());
        }
        int[] outShape = shape0.clone();
        outShape[a] = total;
        Tensor out = Tensor.empty(dtype, outShape);
        int[] starts = new int[tensors.size()];
        int[] lengths = new int[tensors.size()];
        int pos = 0;
        for (int i = 0; i < tensors.size(); i++) {
            int len = tensors.get(i).shape()[a];
            starts[i] = pos;
            lengths[i] = len;
            Loops.copy(tensors.get(i), sliceRaw(out, a, pos, pos + len, 1));
            pos += len;
        }
        Tensor[] inputs = new Tensor[tensors.size()];
        DType[] types = new DType[tensors.size()];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = tensors.get(i);
            types[i] = inputs[i].dtype();
        }
        return Autograd.record("CatBackward", out, inputs, (n, g) -> {
            Tensor[] grads = new Tensor[starts.length];
            for (int i = 0; i < grads.length; i++) {
                if (n.needsInputGrad(i)) {
                    grads[i] = g.slice(a, starts[i], starts[i] + lengths[i]).toType(types[i]);
                }
            }
            return grads;
        });
    }

    /** Joins equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        int[] shape0 = tensors.get(0).shape();
        int a = Shape.axis("stack", axis, shape0.length + 1);
        Tensor[] expanded = new Tensor[tensors.size()];
        for (int i = 0; i < expanded.length; i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.shape(), shape0)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got "
                        + Shape.toString(shape0) + " at entry 0 and " + Shape.toString(t.shape()) + " at entry " + i);
            }
            expanded[i] = t.unsqueeze(a);
        }
        return concat(a, List.of(expanded));
    }
}
