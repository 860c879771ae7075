package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import perceptron.autograd.Autograd;
import perceptron.internal.kernels.BinaryOp;
import perceptron.internal.kernels.UnaryOp;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * In-place ops. They bump the version counter (so a backward pass that needs the old values fails with a clear
 * message) and are never recorded: on a tensor that requires grad they are allowed only inside a noGrad scope,
 * where optimisers and initialisers use them.
 */
public final class InPlace {
    private InPlace() {
    }

    /**
     * Fails if modifying {@code t} in place would corrupt the graph, or if {@code t} is a broadcast view in which
     * several elements share one memory location (writing there would keep an arbitrary one of their values).
     */
    public static void check(String op, Tensor t) {
        int[] shape = t.shape();
        int[] strides = t.strides();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 1 && strides[i] == 0) {
                throw new IllegalArgumentException(op + ": more than one element of the written-to tensor (shape "
                        + Shape.toString(shape) + ", strides " + Shape.toString(strides) + ") refers to a single "
                        + "memory location; write into a copy (copy() or contiguous()) instead");
            }
        }
        if (t.isRequiresGrad() && Autograd.isGradEnabled()) {
            if (t.isLeaf()) {
                throw new IllegalStateException(op + ": a leaf Variable that requires grad is being used in an "
                        + "in-place operation. Wrap the update in try (var g = Autograd.noGrad()) { ... }");
            }
            throw new IllegalStateException(op + ": in-place operations on a tensor computed with gradient "
                    + "tracking (gradFn=" + t.gradFn() + ") are not recorded by autograd; use the out-of-place op "
                    + "(e.g. add instead of addInPlace), or detach() first");
        }
    }

    private static Tensor finish(Tensor t, Tensor result) {
        if (result != t) {
            Loops.copy(result, t);
        }
        TensorInternals.storage(t).bumpVersion();
        return t;
    }

    /** t = op(t, other), other broadcast to t's shape and converted to t's dtype. */
    public static Tensor binary(String op, BinaryOp kernel, Tensor t, Tensor other) {
        check(op, t);
        int[] shape = t.shape();
        int[] b = Shape.broadcast(op, shape, other.shape());
        if (!java.util.Arrays.equals(b, shape)) {
            throw new IllegalArgumentException(op + ": the other operand of shape " + Shape.toString(other.shape())
                    + " cannot be broadcast to this tensor's shape " + Shape.toString(shape)
                    + " (an in-place op cannot change the shape)");
        }
        Tensor o = other.detach();
        if (o.dtype() != t.dtype() || TensorInternals.storage(o) == TensorInternals.storage(t)) {
            Tensor c = Tensor.empty(t.dtype(), o.shape());
            Loops.copy(o, c);
            o = c;
        }
        if (t.isContiguous()) {
            Loops.binary(kernel, t, o, t);
            return finish(t, t);
        }
        Tensor result = Tensor.empty(t.dtype(), shape);
        Loops.binary(kernel, t, o, result);
        return finish(t, result);
    }

    /** t = op(t; value). */
    public static Tensor unary(String op, UnaryOp kernel, Tensor t, double value) {
        return unary2(op, kernel, t, value, 0);
    }

    /** t = op(t; p, q). */
    public static Tensor unary2(String op, UnaryOp kernel, Tensor t, double p, double q) {
        check(op, t);
        p = Elementwise.scalar(t, p);
        q = Elementwise.scalar(t, q);
        if (t.isContiguous()) {
            Loops.unary(kernel, p, q, t, t);
            return finish(t, t);
        }
        return finish(t, Elementwise.map(kernel, p, q, t));
    }

    /** t += alpha * other. */
    public static Tensor addScaled(Tensor t, Tensor other, double alpha) {
        check("addScaledInPlace", t);
        Tensor scaled;
        try (Autograd.Scope s = Autograd.noGrad()) {
            scaled = other.detach().mul(alpha);
        }
        return binary("addScaledInPlace", BinaryOp.ADD, t, scaled);
    }

    /** t = source (broadcast, converted). */
    public static Tensor copyFrom(Tensor t, Tensor source) {
        check("copyFrom", t);
        if (!Shape.broadcastsTo(source.shape(), t.shape())) {
            throw new IllegalArgumentException("copyFrom: source of shape " + Shape.toString(source.shape())
                    + " cannot be broadcast to " + Shape.toString(t.shape()));
        }
        Tensor s = TensorInternals.storage(source) == TensorInternals.storage(t) ? Loops.contiguousCopy(source) : source;
        Loops.copy(s, t);
        TensorInternals.storage(t).bumpVersion();
        return t;
    }
}
