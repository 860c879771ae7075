package perceptron.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import perceptron.autograd.Autograd;
import perceptron.autograd.Node;
import perceptron.internal.kernels.KernelOps;
import perceptron.internal.tensor.TensorInternals;
import perceptron.ops.Activations;
import perceptron.ops.Elementwise;
import perceptron.ops.InPlace;
import perceptron.ops.Linalg;
import perceptron.ops.Reductions;
import perceptron.ops.ShapeOps;

/**
 * An n-dimensional array of float32 (the default) or float64 numbers that records the operations applied to it,
 * so that gradients can be computed by reverse-mode automatic differentiation.
 *
 * <p>Semantics are PyTorch's wherever PyTorch has them: NumPy broadcasting, {@code requiresGrad()} leaves,
 * gradients that accumulate until zeroed, {@code backward(gradient, retainGraph, createGraph)}, the same error
 * texts. Differences are listed in {@code docs/autograd.md}.
 *
 * <pre>{@code
 * Tensor x = Tensor.arange(-8.0, 8.0, 0.1).requiresGrad();
 * Tensor y = x.relu();
 * y.backward(Tensor.onesLike(x));
 * float[] g = x.grad().toFloatArray();      // 0 where x <= 0, 1 where x > 0
 * }</pre>
 *
 * <p>Storage is row-major; {@link #reshape}, {@link #transpose}, {@link #slice} and {@link #broadcastTo} return
 * views that share memory with their input where the layout allows. Every op lives in {@code perceptron.ops},
 * with its derivative beside it; the methods here only delegate.
 */
public final class Tensor {

    static {
        TensorInternals.install(new TensorInternals.Access() {
            @Override
            public float[] floatData(Tensor t) {
                return t.floatData();
            }

            @Override
            public double[] doubleData(Tensor t) {
                return t.doubleData();
            }

            @Override
            public Storage storage(Tensor t) {
                return t.storage();
            }

            @Override
            public Node gradNode(Tensor t) {
                return t.gradNode();
            }

            @Override
            public void attachGradNode(Tensor t, Node node) {
                t.attachGradNode(node);
            }

            @Override
            public Tensor fromStorage(Storage storage, int offset, int[] shape, int[] strides) {
                return Tensor.fromStorage(storage, offset, shape, strides);
            }
        });
    }
    private final Storage storage;
    private final int offset;
    private final int[] shape;
    private final int[] strides;
    private boolean requiresGrad;
    private Node gradNode;
    private Tensor grad;

    private Tensor(Storage storage, int offset, int[] shape, int[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    // =========================================================================================================
    // Creation
    // =========================================================================================================

    /**
     * A tensor over existing storage (no copy). The caller guarantees the layout stays inside the storage.
     * Used by views and by ops; users normally want the factories below.
     */
    static Tensor fromStorage(Storage storage, int offset, int[] shape, int[] strides) {
        return new Tensor(storage, offset, shape.clone(), strides.clone());
    }

    /** An uninitialised contiguous tensor (zeros, or stale values when a {@link Workspace} is open). */
    public static Tensor empty(DType dtype, int... shape) {
        return empty("empty", dtype, shape);
    }

    /** As {@link #empty(DType, int...)}, with the user-facing op's name in shape errors ("zeros: negative ..."). */
    private static Tensor empty(String op, DType dtype, int[] shape) {
        int[] s = Shape.check(op, shape);
        return new Tensor(Storage.uninitialized(dtype, Shape.numel(s)), 0, s, Shape.contiguousStrides(s));
    }

    private static Tensor filled(String op, DType dtype, double value, int[] shape) {
        Tensor t = empty(op, dtype, shape);
        t.fillRaw(value);
        return t;
    }

    /** Wraps an array without copying; the tensor and the array share memory. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = Shape.check("wrap", shape);
        if (Shape.numel(s) != data.length) {
            throw new IllegalArgumentException("wrap: " + data.length + " values cannot have shape "
                    + Shape.toString(s) + " (" + Shape.numel(s) + " elements)");
        }
        return new Tensor(Storage.wrap(data), 0, s, Shape.contiguousStrides(s));
    }

    /** Wraps an array without copying; the tensor and the array share memory. */
    public static Tensor wrap(double[] data, int... shape) {
        int[] s = Shape.check("wrap", shape);
        if (Shape.numel(s) != data.length) {
            throw new IllegalArgumentException("wrap: " + data.length + " values cannot have shape "
                    + Shape.toString(s) + " (" + Shape.numel(s) + " elements)");
        }
        return new Tensor(Storage.wrap(data), 0, s, Shape.contiguousStrides(s));
    }

    /** A float32 vector (always 1-D, even of one value; see {@link #scalar} for shape []). */
    public static Tensor of(float... values) {
        return wrap(values.clone(), values.length);
    }

    /** A float64 vector: Java doubles keep their precision, as NumPy's float64 arrays do. */
    public static Tensor of(double... values) {
        return wrap(values.clone(), values.length);
    }

    /** A float32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("of: row " + r + " has " + rows[r].length + " values, row 0 has "
                        + cols + "; a matrix needs rows of equal length");
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return wrap(data, rows.length, cols);
    }

    /** A float64 matrix from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] data = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("of: row " + r + " has " + rows[r].length + " values, row 0 has "
                        + cols + "; a matrix needs rows of equal length");
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return wrap(data, rows.length, cols);
    }

    /** A float32 scalar (shape []). */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, value);
    }

    /** A scalar (shape []) of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        return full(dtype, value);
    }

    /** float32 zeros. */
    public static Tensor zeros(int... shape) {
        return filled("zeros", DType.FLOAT32, 0.0, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return filled("zeros", dtype, 0.0, shape);
    }

    /** float32 ones. */
    public static Tensor ones(int... shape) {
        return filled("ones", DType.FLOAT32, 1.0, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return filled("ones", dtype, 1.0, shape);
    }

    /** A float32 tensor filled with {@code value}. */
    public static Tensor full(double value, int... shape) {
        return full(DType.FLOAT32, value, shape);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        return filled("full", dtype, value, shape);
    }

    public static Tensor zerosLike(Tensor t) {
        return full(t.dtype(), 0.0, t.shape);
    }

    public static Tensor onesLike(Tensor t) {
        return full(t.dtype(), 1.0, t.shape);
    }

    public static Tensor fullLike(Tensor t, double value) {
        return full(t.dtype(), value, t.shape);
    }

    /** The n x n float32 identity matrix. */
    public static Tensor eye(int n) {
        return eye(DType.FLOAT32, n);
    }

    public static Tensor eye(DType dtype, int n) {
        Tensor t = filled("eye", dtype, 0.0, new int[] {n, n});
        for (int i = 0; i < n; i++) {
            t.setRaw(i * (n + 1), 1.0);
        }
        return t;
    }

    /** 0, 1, ..., end - 1 as float32. */
    public static Tensor arange(double end) {
        return arange(0, end, 1, DType.FLOAT32);
    }

    /**
     * start, start + step, ... up to but excluding end, as float32. Element i is {@code start + i * step}
     * computed exactly and rounded once (a fused multiply-add in float64, then rounded to the dtype), like
     * PyTorch's scalar kernel, so rounding errors neither pile up nor flip signs near 0: in the book's
     * {@code arange(-8.0, 8.0, 0.1)}, element 80 is 4.44e-16 in both libraries, not 0. The count is
     * {@code ceil((end - start) / step)}.
     */
    public static Tensor arange(double start, double end, double step) {
        return arange(start, end, step, DType.FLOAT32);
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be nonzero, got " + step);
        }
        if (!Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: start and end must be finite, got " + start + ", " + end);
        }
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign "
                    + "(start " + start + ", end " + end + ", step " + step + ")");
        }
        double count = Math.ceil((end - start) / step);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: " + count + " elements is too many");
        }
        int n = (int) count;
        Tensor t = empty(dtype, n);
        for (int i = 0; i < n; i++) {
            t.setRaw(i, Math.fma(step, i, start));
        }
        return t;
    }

    /** {@code steps} evenly spaced float32 values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        return linspace(start, end, steps, DType.FLOAT32);
    }

    /**
     * As PyTorch computes it: the first half from start and the second half from end, so both ends are exact,
     * with each element one fused multiply-add in the dtype's own arithmetic (float32 steps for float32, as
     * PyTorch's CPU kernel does), so that float32 results match PyTorch's bit for bit on short ranges and to the
     * last place on long ones.
     */
    public static Tensor linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        }
        Tensor t = empty(dtype, steps);
        if (steps == 1) {
            t.setRaw(0, start);
            return t;
        }
        int half = steps / 2;
        if (dtype == DType.FLOAT32) {
            float s = (float) start;
            float e = (float) end;
            float step = (e - s) / (float) (steps - 1);
            for (int i = 0; i < steps; i++) {
                t.setRaw(i, i < half ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - 1 - i), e));
            }
        } else {
            double step = (end - start) / (steps - 1);
            for (int i = 0; i < steps; i++) {
                t.setRaw(i, i < half ? Math.fma(step, i, start) : Math.fma(-step, steps - 1 - i, end));
            }
        }
        return t;
    }

    /** Standard normal float32 samples from an explicit generator (e.g. {@code new SplittableRandom(42)}). */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        return randn(rng, DType.FLOAT32, shape);
    }

    public static Tensor randn(RandomGenerator rng, DType dtype, int... shape) {
        Tensor t = empty("randn", dtype, shape);
        int n = t.size();
        for (int i = 0; i < n; i++) {
            t.setRaw(i, rng.nextGaussian());
        }
        return t;
    }

    /** Uniform float32 samples in [0, 1) from an explicit generator. */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        return rand(rng, DType.FLOAT32, shape);
    }

    public static Tensor rand(RandomGenerator rng, DType dtype, int... shape) {
        Tensor t = empty("rand", dtype, shape);
        int n = t.size();
        for (int i = 0; i < n; i++) {
            // nextFloat for float32 so that the value is exactly representable and still < 1.
            t.setRaw(i, dtype == DType.FLOAT32 ? rng.nextFloat() : rng.nextDouble());
        }
        return t;
    }

    // =========================================================================================================
    // Layout and readback
    // =========================================================================================================

    /** The shape (a copy). A scalar has shape []. */
    public int[] shape() {
        return shape.clone();
    }

    /** Size of one axis; negative axes count from the end. */
    public int size(int axis) {
        if (shape.length == 0) {
            // Shape.axis accepts axis 0 and -1 of a scalar (reductions do); a scalar has no size to return.
            throw new IllegalArgumentException("size: a scalar (shape []) has no axis " + axis);
        }
        return shape[Shape.axis("size", axis, shape.length)];
    }

    /** Number of elements. */
    public int size() {
        return Shape.numel(shape);
    }

    /** Number of elements (PyTorch's name). */
    public int numel() {
        return size();
    }

    /** Number of axes. */
    public int dim() {
        return shape.length;
    }

    public DType dtype() {
        return storage.dtype();
    }

    /** Element strides (a copy); a broadcast axis has stride 0. */
    public int[] strides() {
        return strides.clone();
    }

    /** Index of element [0, ..., 0] in the storage. */
    public int offset() {
        return offset;
    }

    Storage storage() {
        return storage;
    }

    /** True if the elements are laid out row-major without gaps, so kernels can read them as one run. */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** The float32 array behind this tensor (see {@link #offset()} and {@link #strides()}). */
    float[] floatData() {
        return storage.floats();
    }

    /** The float64 array behind this tensor. */
    double[] doubleData() {
        return storage.doubles();
    }

    /** Version of the storage: how many in-place modifications it has seen. */
    public int version() {
        return storage.version();
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalStateException("item: a tensor with " + size() + " elements (shape "
                    + Shape.toString(shape) + ") cannot be converted to a scalar");
        }
        return getRaw(offset);
    }

    /** The element at a full index, e.g. {@code t.get(2, 3)}. */
    public double get(int... index) {
        return getRaw(position("get", index));
    }

    /** The elements as a new row-major float array (converted from float64 if needed). */
    public float[] toFloatArray() {
        Tensor c = contiguousRaw();
        float[] out = new float[c.size()];
        if (c.dtype() == DType.FLOAT32) {
            System.arraycopy(c.floatData(), c.offset, out, 0, out.length);
        } else {
            KernelOps.get().convert(c.doubleData(), c.offset, out, 0, out.length);
        }
        return out;
    }

    /** The elements as a new row-major double array. */
    public double[] toDoubleArray() {
        Tensor c = contiguousRaw();
        double[] out = new double[c.size()];
        if (c.dtype() == DType.FLOAT64) {
            System.arraycopy(c.doubleData(), c.offset, out, 0, out.length);
        } else {
            KernelOps.get().convert(c.floatData(), c.offset, out, 0, out.length);
        }
        return out;
    }

    /** A matrix as rows of floats. */
    public float[][] toFloatMatrix() {
        if (dim() != 2) {
            throw new IllegalStateException("toFloatMatrix: needs a 2-D tensor, got shape " + Shape.toString(shape));
        }
        float[] flat = toFloatArray();
        float[][] rows = new float[shape[0]][];
        for (int r = 0; r < shape[0]; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * shape[1], (r + 1) * shape[1]);
        }
        return rows;
    }

    /** The elements as ints; fails if any is not an integer (class labels, argmax results). */
    public int[] toIntArray() {
        double[] d = toDoubleArray();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > Integer.MAX_VALUE) {
                throw new IllegalStateException("toIntArray: element " + i + " is " + d[i] + ", not an integer");
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /** True if any element is NaN or infinite. */
    public boolean hasNonFinite() {
        Tensor c = contiguousRaw();
        int n = c.size();
        if (c.dtype() == DType.FLOAT32) {
            float[] a = c.floatData();
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(a[c.offset + i])) {
                    return true;
                }
            }
        } else {
            double[] a = c.doubleData();
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(a[c.offset + i])) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Like PyTorch: {@code tensor([[0.1000, 0.2000], ...], gradFn=<ReluBackward>)}, truncated when large. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // =========================================================================================================
    // Autograd
    // =========================================================================================================

    /** Marks this tensor as a leaf whose gradient backward passes should compute; returns this. */
    public Tensor requiresGrad() {
        return requiresGrad(true);
    }

    /**
     * Sets whether this tensor requires grad. Only leaves can change it: the flag of a computed tensor follows
     * from its inputs.
     */
    public Tensor requiresGrad(boolean value) {
        if (gradNode != null) {
            if (!value) {
                throw new IllegalStateException("you can only change requiresGrad flags of leaf variables. If you "
                        + "want to use a computed variable in a subgraph that doesn't require differentiation use "
                        + "var_no_grad = var.detach().");
            }
            return this;
        }
        requiresGrad = value;
        return this;
    }

    /** Whether gradients flow to (or through) this tensor. */
    public boolean isRequiresGrad() {
        return requiresGrad;
    }

    /** True for tensors created by the user rather than by an op that recorded a gradient. */
    public boolean isLeaf() {
        return gradNode == null;
    }

    /** The accumulated gradient, or null until a backward pass reaches this leaf. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (optimisers and tests; the shape must match). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shape.toString(g.shape)
                    + " differs from the tensor's shape " + Shape.toString(shape));
        }
        grad = g;
    }

    /** Name of the op that produced this tensor, e.g. "ReluBackward"; null for leaves. */
    public String gradFn() {
        return gradNode == null ? null : gradNode.name();
    }

    /** The backward-graph node that produced this tensor, or null for a leaf. */
    Node gradNode() {
        return gradNode;
    }

    /** Used by {@link Autograd#record}: makes this tensor the output of {@code node}. */
    void attachGradNode(Node node) {
        if (gradNode != null) {
            throw new IllegalStateException("attachGradNode: tensor already has a gradFn (" + gradNode.name() + ")");
        }
        gradNode = node;
        requiresGrad = true;
    }

    /** Keeps the gradient of this non-leaf tensor in {@link #grad()} during backward passes. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        }
        if (gradNode != null) {
            Autograd.retainGrad(gradNode, this);
        }
        return this;
    }

    /** Zeroes the gradient in place (keeps its memory); does nothing if there is none yet. */
    public void zeroGrad() {
        if (grad != null) {
            if (grad.gradNode != null) {
                grad = grad.detach();
            }
            grad.fillRaw(0.0);
            grad.storage.bumpVersion();
        }
    }

    /** Sets the gradient to null. */
    public void clearGrad() {
        grad = null;
    }

    /** Backward pass from a scalar: accumulates d(this)/d(leaf) into every leaf's {@link #grad()}. */
    public void backward() {
        Autograd.backward(this, null, false, false);
    }

    /** Backward pass with the given gradient of some scalar with respect to this tensor (same shape). */
    public void backward(Tensor gradient) {
        Autograd.backward(this, gradient, false, false);
    }

    /** As {@link #backward(Tensor)}; {@code retainGraph} keeps saved tensors for another pass. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph, false);
    }

    /** As above; {@code createGraph} records the backward pass so gradients can be differentiated again. */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    /**
     * The backward graph that produced this tensor as Graphviz DOT: ops with their output shapes, leaves, the
     * tensors each op saved for backward. Render with {@code dot -Tsvg} or {@code GraphDot.toSvg(t.graph())}.
     */
    public String graph() {
        return perceptron.autograd.GraphDot.render(this);
    }

    /** As {@link #graph()}, labelling leaves with their names, e.g. {@code loss.graph(model.namedParameters())}. */
    public String graph(java.util.Map<String, Tensor> names) {
        return perceptron.autograd.GraphDot.render(this, names);
    }

    /** A tensor sharing this one's memory, cut off from the graph (never requires grad). */
    public Tensor detach() {
        return new Tensor(storage, offset, shape, strides);
    }

    /** A differentiable view of the whole tensor (identity op), for giving a tensor a separate graph node. */
    public Tensor alias() {
        return ShapeOps.alias(this);
    }

    /** A contiguous copy in memory of its own (differentiable; PyTorch's {@code clone}). */
    public Tensor copy() {
        return ShapeOps.copy(this);
    }

    /** A detached contiguous copy that never comes from a {@link Workspace} (gradients, parameters). */
    public Tensor copyToHeap() {
        Tensor out = new Tensor(Storage.heap(dtype(), size()), 0, shape, Shape.contiguousStrides(shape));
        ShapeOps.copyInto(this, out);
        return out;
    }

    // =========================================================================================================
    // Elementwise arithmetic (NumPy broadcasting)
    // =========================================================================================================

    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    public Tensor add(double value) {
        return Elementwise.add(this, value);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    public Tensor sub(double value) {
        return Elementwise.add(this, -value);
    }

    /** value - this. */
    public Tensor rsub(double value) {
        return Elementwise.rsub(this, value);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    public Tensor mul(double value) {
        return Elementwise.mul(this, value);
    }

    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    public Tensor div(double value) {
        return Elementwise.div(this, value);
    }

    /** value / this. */
    public Tensor rdiv(double value) {
        return Elementwise.rdiv(this, value);
    }

    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** this ^ exponent (elementwise). */
    public Tensor pow(double exponent) {
        return Elementwise.pow(this, exponent);
    }

    /** this ^ exponent with a tensor exponent (broadcast). */
    public Tensor pow(Tensor exponent) {
        return Elementwise.pow(this, exponent);
    }

    public Tensor square() {
        return Elementwise.square(this);
    }

    public Tensor exp() {
        return Elementwise.exp(this);
    }

    public Tensor log() {
        return Elementwise.log(this);
    }

    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** |x|; its derivative at 0 is 0. */
    public Tensor abs() {
        return Elementwise.abs(this);
    }

    /** -1, 0 or 1; derivative 0. */
    public Tensor sign() {
        return Elementwise.sign(this);
    }

    public Tensor log1p() {
        return Elementwise.log1p(this);
    }

    public Tensor expm1() {
        return Elementwise.expm1(this);
    }

    public Tensor sin() {
        return Elementwise.sin(this);
    }

    public Tensor cos() {
        return Elementwise.cos(this);
    }

    /** Elementwise maximum with broadcasting; at a tie the gradient goes to {@code other} (see docs/activations.md). */
    public Tensor maximum(Tensor other) {
        return Elementwise.maximum(this, other);
    }

    /** Elementwise minimum with broadcasting; at a tie the gradient goes to {@code other}. */
    public Tensor minimum(Tensor other) {
        return Elementwise.minimum(this, other);
    }

    /** Limits values to [min, max]; gradient 1 inside the closed interval, 0 outside (PyTorch). */
    public Tensor clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    public Tensor clampMin(double min) {
        return Elementwise.clamp(this, min, Double.POSITIVE_INFINITY);
    }

    public Tensor clampMax(double max) {
        return Elementwise.clamp(this, Double.NEGATIVE_INFINITY, max);
    }

    /** Converts the dtype (differentiable: the gradient is converted back). Returns this if already that type. */
    public Tensor toType(DType dtype) {
        return Elementwise.toType(this, dtype);
    }

    // ---- comparisons: masks of 0 and 1 in this tensor's (promoted) dtype, never requiring grad ----

    public Tensor gt(Tensor other) {
        return Elementwise.compare("gt", perceptron.internal.kernels.BinaryOp.GT, this, other);
    }

    public Tensor gt(double value) {
        return Elementwise.compare("gt", perceptron.internal.kernels.UnaryOp.GT_SCALAR, this, value);
    }

    public Tensor ge(Tensor other) {
        return Elementwise.compare("ge", perceptron.internal.kernels.BinaryOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return Elementwise.compare("ge", perceptron.internal.kernels.UnaryOp.GE_SCALAR, this, value);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.compare("lt", perceptron.internal.kernels.BinaryOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return Elementwise.compare("lt", perceptron.internal.kernels.UnaryOp.LT_SCALAR, this, value);
    }

    public Tensor le(Tensor other) {
        return Elementwise.compare("le", perceptron.internal.kernels.BinaryOp.LE, this, other);
    }

    public Tensor le(double value) {
        return Elementwise.compare("le", perceptron.internal.kernels.UnaryOp.LE_SCALAR, this, value);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.compare("eq", perceptron.internal.kernels.BinaryOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return Elementwise.compare("eq", perceptron.internal.kernels.UnaryOp.EQ_SCALAR, this, value);
    }

    public Tensor ne(Tensor other) {
        return Elementwise.compare("ne", perceptron.internal.kernels.BinaryOp.NE, this, other);
    }

    public Tensor ne(double value) {
        return Elementwise.compare("ne", perceptron.internal.kernels.UnaryOp.NE_SCALAR, this, value);
    }

    /** Elementwise {@code condition != 0 ? x : y}, all three broadcast together. */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return Elementwise.where(condition, x, y);
    }

    // =========================================================================================================
    // Activations (the full family is in perceptron.ops.Activations)
    // =========================================================================================================

    /** max(x, 0). Derivative 0 for x &lt;= 0 (including at 0), 1 for x &gt; 0. */
    public Tensor relu() {
        return Activations.relu(this);
    }

    /** 1 / (1 + e^-x). Derivative s(1 - s), computed from the saved output. */
    public Tensor sigmoid() {
        return Activations.sigmoid(this);
    }

    /** tanh x. Derivative 1 - tanh^2 x, computed from the saved output. */
    public Tensor tanh() {
        return Activations.tanh(this);
    }

    /** Softmax along an axis; stable for any finite input. */
    public Tensor softmax(int axis) {
        return Activations.softmax(this, axis);
    }

    /** log(softmax) along an axis, computed as x - logsumexp(x) (never log(0) for finite input). */
    public Tensor logSoftmax(int axis) {
        return Activations.logSoftmax(this, axis);
    }

    /** x for x &gt; 0, 0.01 x otherwise. Derivative 0.01 at 0 (PyTorch). */
    public Tensor leakyRelu() {
        return Activations.leakyRelu(this);
    }

    /** x for x &gt; 0, negativeSlope x otherwise. Derivative negativeSlope at 0 (PyTorch). */
    public Tensor leakyRelu(double negativeSlope) {
        return Activations.leakyRelu(this, negativeSlope);
    }

    /** x for x &gt; 0, e^x - 1 otherwise. */
    public Tensor elu() {
        return Activations.elu(this);
    }

    /** x for x &gt; 0, alpha (e^x - 1) otherwise. Derivative alpha at 0 (PyTorch). */
    public Tensor elu(double alpha) {
        return Activations.elu(this, alpha);
    }

    /** Self-normalising elu: 1.0507 elu(x, 1.6733). */
    public Tensor selu() {
        return Activations.selu(this);
    }

    /** celu with alpha 1 (equal to elu). */
    public Tensor celu() {
        return Activations.celu(this);
    }

    /** x for x &gt; 0, alpha (e^(x/alpha) - 1) otherwise. */
    public Tensor celu(double alpha) {
        return Activations.celu(this, alpha);
    }

    /** Exact GELU, x Phi(x) with Phi the standard normal cdf. */
    public Tensor gelu() {
        return Activations.gelu(this);
    }

    /** GELU with PyTorch's {@code approximate}: "none" (exact) or "tanh". */
    public Tensor gelu(String approximate) {
        return Activations.gelu(this, approximate);
    }

    /** x sigmoid(x), also called swish. */
    public Tensor silu() {
        return Activations.silu(this);
    }

    /** x tanh(softplus(x)). */
    public Tensor mish() {
        return Activations.mish(this);
    }

    /** ln(1 + e^x), x itself above 20 (PyTorch's defaults beta 1, threshold 20); never overflows. */
    public Tensor softplus() {
        return Activations.softplus(this);
    }

    /** ln(1 + e^(beta x)) / beta, x itself where beta x &gt; threshold. */
    public Tensor softplus(double beta, double threshold) {
        return Activations.softplus(this, beta, threshold);
    }

    /** x / (1 + |x|). */
    public Tensor softsign() {
        return Activations.softsign(this);
    }

    /** Clamps to [-1, 1]; derivative 0 at the edges (PyTorch). */
    public Tensor hardtanh() {
        return Activations.hardtanh(this);
    }

    /** Clamps to [min, max]; derivative 0 at the edges (PyTorch). */
    public Tensor hardtanh(double min, double max) {
        return Activations.hardtanh(this, min, max);
    }

    /** min(max(x, 0), 6); derivative 0 at 0 and at 6. */
    public Tensor relu6() {
        return Activations.relu6(this);
    }

    /** relu6(x + 3) / 6. */
    public Tensor hardSigmoid() {
        return Activations.hardSigmoid(this);
    }

    /** x relu6(x + 3) / 6. */
    public Tensor hardSwish() {
        return Activations.hardSwish(this);
    }

    /** ln sigmoid(x), finite for every finite x. */
    public Tensor logSigmoid() {
        return Activations.logSigmoid(this);
    }

    // =========================================================================================================
    // Reductions
    // =========================================================================================================

    /** Sum of all elements (a scalar tensor). */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    public Tensor sum(int axis) {
        return Reductions.sum(this, new int[] {axis}, false);
    }

    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.sum(this, new int[] {axis}, keepDims);
    }

    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    public Tensor mean(int axis) {
        return Reductions.mean(this, new int[] {axis}, false);
    }

    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.mean(this, new int[] {axis}, keepDims);
    }

    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /** Largest element; the gradient is split evenly among ties. */
    public Tensor max() {
        return Reductions.max(this, null, false, true);
    }

    public Tensor max(int axis) {
        return Reductions.max(this, new int[] {axis}, false, true);
    }

    public Tensor max(int axis, boolean keepDims) {
        return Reductions.max(this, new int[] {axis}, keepDims, true);
    }

    public Tensor min() {
        return Reductions.max(this, null, false, false);
    }

    public Tensor min(int axis) {
        return Reductions.max(this, new int[] {axis}, false, false);
    }

    public Tensor min(int axis, boolean keepDims) {
        return Reductions.max(this, new int[] {axis}, keepDims, false);
    }

    /** log(sum(exp(x))) along an axis, stable. */
    public Tensor logSumExp(int axis, boolean keepDims) {
        return Activations.logSumExp(this, axis, keepDims);
    }

    /**
     * Index of the largest element of the flattened tensor (first one at ties; NaN counts as largest), as a
     * scalar tensor holding an exact integer. Index results use float64, which holds every int exactly.
     */
    public Tensor argmax() {
        return Reductions.argmax(this.reshape(-1), 0, false, true);
    }

    /** Indices of the largest elements along an axis (float64 tensor of integers; see {@link #toIntArray()}). */
    public Tensor argmax(int axis) {
        return Reductions.argmax(this, axis, false, true);
    }

    public Tensor argmax(int axis, boolean keepDims) {
        return Reductions.argmax(this, axis, keepDims, true);
    }

    public Tensor argmin() {
        return Reductions.argmax(this.reshape(-1), 0, false, false);
    }

    public Tensor argmin(int axis) {
        return Reductions.argmax(this, axis, false, false);
    }

    // =========================================================================================================
    // Linear algebra
    // =========================================================================================================

    /**
     * Matrix product with {@code torch.matmul}'s rules: 1-D @ 1-D is a dot product; 2-D @ 2-D a matrix product;
     * 1-D operands get a dimension added (and removed); more dimensions are batches, broadcast.
     */
    public Tensor matmul(Tensor other) {
        return Linalg.matmul(this, other);
    }

    // =========================================================================================================
    // Shape
    // =========================================================================================================

    /** Same elements, new shape; one dimension may be -1. A view when the layout allows, else a copy. */
    public Tensor reshape(int... newShape) {
        return ShapeOps.reshape(this, newShape);
    }

    /** Collapses all axes into one. */
    public Tensor flatten() {
        return ShapeOps.reshape(this, -1);
    }

    /** Collapses axes startAxis..endAxis (inclusive) into one, as {@code torch.flatten}. */
    public Tensor flatten(int startAxis, int endAxis) {
        return ShapeOps.flatten(this, startAxis, endAxis);
    }

    /** Swaps two axes (a view). */
    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
    }

    /** Transpose of a matrix (a view); 0-D and 1-D tensors are returned as they are, like PyTorch. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor with <= 2 dimensions, but got shape "
                    + Shape.toString(shape) + "; use transpose(a, b) or permute");
        }
        return dim() < 2 ? this : ShapeOps.transpose(this, 0, 1);
    }

    /** Reorders the axes (a view). */
    public Tensor permute(int... axes) {
        return ShapeOps.permute(this, axes);
    }

    /** Inserts an axis of size 1 (a view). */
    public Tensor unsqueeze(int axis) {
        return ShapeOps.unsqueeze(this, axis);
    }

    /** Removes an axis of size 1 (a view). */
    public Tensor squeeze(int axis) {
        return ShapeOps.squeeze(this, axis);
    }

    /** Removes every axis of size 1. */
    public Tensor squeeze() {
        return ShapeOps.squeezeAll(this);
    }

    /** Repeats size-1 axes (and prepends axes) to reach {@code shape}, without copying (stride 0). */
    public Tensor broadcastTo(int... newShape) {
        return ShapeOps.broadcastTo(this, newShape);
    }

    /** Sums broadcast axes away to get back to {@code shape}: the adjoint of {@link #broadcastTo}. */
    public Tensor sumTo(int... newShape) {
        return ShapeOps.sumTo(this, newShape);
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : ShapeOps.copy(this);
    }

    /** Elements start, start + 1, ..., end - 1 along an axis (a view); negative indices count from the end. */
    public Tensor slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end, 1);
    }

    public Tensor slice(int axis, int start, int end, int step) {
        return ShapeOps.slice(this, axis, start, end, step);
    }

    /** Index {@code index} along an axis, removing that axis (a view): {@code x.select(0, 3)} is row 3. */
    public Tensor select(int axis, int index) {
        return ShapeOps.select(this, axis, index);
    }

    /** Gathers the given indices along an axis (a copy); indices may repeat. */
    public Tensor indexSelect(int axis, int... indices) {
        return ShapeOps.indexSelect(this, axis, indices);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return ShapeOps.concat(axis, List.of(tensors));
    }

    public static Tensor concat(int axis, List<Tensor> tensors) {
        return ShapeOps.concat(axis, tensors);
    }

    /** Joins tensors of equal shape along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) {
        return ShapeOps.stack(axis, List.of(tensors));
    }

    // =========================================================================================================
    // In place (bump the version counter; never recorded by autograd)
    // =========================================================================================================

    /** this += other (broadcast to this tensor's shape). */
    public Tensor addInPlace(Tensor other) {
        return InPlace.binary("addInPlace", perceptron.internal.kernels.BinaryOp.ADD, this, other);
    }

    public Tensor addInPlace(double value) {
        return InPlace.unary("addInPlace", perceptron.internal.kernels.UnaryOp.ADD_SCALAR, this, value);
    }

    public Tensor subInPlace(Tensor other) {
        return InPlace.binary("subInPlace", perceptron.internal.kernels.BinaryOp.SUB, this, other);
    }

    public Tensor subInPlace(double value) {
        return InPlace.unary("subInPlace", perceptron.internal.kernels.UnaryOp.ADD_SCALAR, this, -value);
    }

    public Tensor mulInPlace(Tensor other) {
        return InPlace.binary("mulInPlace", perceptron.internal.kernels.BinaryOp.MUL, this, other);
    }

    public Tensor mulInPlace(double value) {
        return InPlace.unary("mulInPlace", perceptron.internal.kernels.UnaryOp.MUL_SCALAR, this, value);
    }

    public Tensor divInPlace(Tensor other) {
        return InPlace.binary("divInPlace", perceptron.internal.kernels.BinaryOp.DIV, this, other);
    }

    public Tensor divInPlace(double value) {
        return InPlace.binary("divInPlace", perceptron.internal.kernels.BinaryOp.DIV, this, Tensor.scalar(value, dtype()));
    }

    /** this += alpha * other: the update step of hand-written SGD. */
    public Tensor addScaledInPlace(Tensor other, double alpha) {
        return InPlace.addScaled(this, other, alpha);
    }

    /** Sets every element to 0. */
    public Tensor zero() {
        return fill("zero", 0.0);
    }

    /** Sets every element to {@code value}. */
    public Tensor fill(double value) {
        return fill("fill", value);
    }

    private Tensor fill(String op, double value) {
        InPlace.check(op, this);
        fillRaw(value);
        storage.bumpVersion();
        return this;
    }

    /** Copies the values of {@code source} (broadcast to this shape, converted to this dtype) into this tensor. */
    public Tensor copyFrom(Tensor source) {
        return InPlace.copyFrom(this, source);
    }

    /** Sets one element. */
    public Tensor set(double value, int... index) {
        InPlace.check("set", this);
        setRaw(position("set", index), value);
        storage.bumpVersion();
        return this;
    }

    /** Applies {@code value -> clamp} etc. in place: {@code x.clampInPlace(-1, 1)}. */
    public Tensor clampInPlace(double min, double max) {
        return InPlace.unary2("clampInPlace", perceptron.internal.kernels.UnaryOp.CLAMP, this, min, max);
    }

    // =========================================================================================================
    // Private helpers of the element accessors above (indexing, raw reads and writes, fill, contiguity)
    // =========================================================================================================

    /** Storage index of a full index, with bounds checks that name the operation. */
    private int position(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": index has " + index.length + " coordinates, tensor of shape "
                    + Shape.toString(shape) + " needs " + shape.length);
        }
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            int k = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (k < 0 || k >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " is out of bounds for axis " + i
                        + " with size " + shape[i] + " (shape " + Shape.toString(shape) + ")");
            }
            p += k * strides[i];
        }
        return p;
    }

    private double getRaw(int storageIndex) {
        return dtype() == DType.FLOAT32 ? storage.floats()[storageIndex] : storage.doubles()[storageIndex];
    }

    private void setRaw(int storageIndex, double v) {
        if (dtype() == DType.FLOAT32) {
            storage.floats()[storageIndex] = (float) v;
        } else {
            storage.doubles()[storageIndex] = v;
        }
    }

    private void fillRaw(double value) {
        if (isContiguous()) {
            int n = size();
            if (dtype() == DType.FLOAT32) {
                Arrays.fill(storage.floats(), offset, offset + n, (float) value);
            } else {
                Arrays.fill(storage.doubles(), offset, offset + n, value);
            }
        } else {
            ShapeOps.fillStrided(this, value);
        }
    }

    private Tensor contiguousRaw() {
        if (isContiguous()) {
            return this;
        }
        try (Autograd.Scope g = Autograd.noGrad()) {
            return ShapeOps.copy(this);
        }
    }
}
