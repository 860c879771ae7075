package perceptron.ops;

import perceptron.autograd.Autograd;
import perceptron.kernels.BinaryOp;
import perceptron.kernels.Kernels;
import perceptron.kernels.UnaryOp;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Activation functions and their derivatives, in one place.
 *
 * <p>Where the derivative is cheaper from the output than from the input, the output is saved (PyTorch does the
 * same): sigmoid' = s(1 - s), tanh' = 1 - t^2, relu' = [y &gt; 0], softmax and logSoftmax from their outputs.
 * Those backward formulas are ops of their own ({@code reluBackward}, ...), with derivatives of their own, so
 * second derivatives work.
 *
 * <p>Values at the kinks (documented in docs/activations.md and tested): relu'(0) = 0.
 */
public final class Activations {
    private Activations() {
    }

    private static Tensor[] of(Tensor... ts) {
        return ts;
    }

    /** max(x, 0). relu'(x) = 1 for x &gt; 0, 0 for x &lt;= 0 (0 at the kink, like PyTorch). */
    public static Tensor relu(Tensor x) {
        Tensor out = Elementwise.map(UnaryOp.RELU, x);
        return Autograd.record("ReluBackward", out, of(x), of(out),
                (n, g) -> new Tensor[] {reluBackward(g, n.saved(0))});
    }

    /** g where y &gt; 0, else 0. d/dg is the same mask; d/dy is 0 almost everywhere. */
    public static Tensor reluBackward(Tensor g, Tensor y) {
        Tensor out = Elementwise.zip("reluBackward", BinaryOp.RELU_BACKWARD, g, y);
        return Autograd.record("ReluBackwardBackward", out, of(g, y), of(y),
                (n, gg) -> new Tensor[] {reluBackward(gg, n.saved(0)), null});
    }

    /** 1 / (1 + e^-x), never overflowing. sigmoid'(x) = s (1 - s) from the saved output s. */
    public static Tensor sigmoid(Tensor x) {
        Tensor out = Elementwise.map(UnaryOp.SIGMOID, x);
        return Autograd.record("SigmoidBackward", out, of(x), of(out),
                (n, g) -> new Tensor[] {sigmoidBackward(g, n.saved(0))});
    }

    /** g s (1 - s). d/dg = s (1 - s); d/ds = g (1 - 2s). */
    public static Tensor sigmoidBackward(Tensor g, Tensor s) {
        Tensor out = Elementwise.zip("sigmoidBackward", BinaryOp.SIGMOID_BACKWARD, g, s);
        return Autograd.record("SigmoidBackwardBackward", out, of(g, s), of(g, s), (n, gg) -> new Tensor[] {
                n.needsInputGrad(0) ? sigmoidBackward(gg, n.saved(1)) : null,
                n.needsInputGrad(1) ? gg.mul(n.saved(0)).mul(n.saved(1).mul(-2.0).add(1.0)) : null});
    }

    /** tanh x. tanh'(x) = 1 - t^2 from the saved output t. */
    public static Tensor tanh(Tensor x) {
        Tensor out = Elementwise.map(UnaryOp.TANH, x);
        return Autograd.record("TanhBackward", out, of(x), of(out),
                (n, g) -> new Tensor[] {tanhBackward(g, n.saved(0))});
    }

    /** g (1 - t^2). d/dg = 1 - t^2; d/dt = -2 g t. */
    public static Tensor tanhBackward(Tensor g, Tensor t) {
        Tensor out = Elementwise.zip("tanhBackward", BinaryOp.TANH_BACKWARD, g, t);
        return Autograd.record("TanhBackwardBackward", out, of(g, t), of(g, t), (n, gg) -> new Tensor[] {
                n.needsInputGrad(0) ? tanhBackward(gg, n.saved(1)) : null,
                n.needsInputGrad(1) ? gg.mul(n.saved(0)).mul(n.saved(1)).mul(-2.0) : null});
    }

    // ---- along an axis ----------------------------------------------------------------------------------

    /** Applies a row kernel along {@code axis}: moves the axis last, runs the kernel on rows, moves it back. */
    private interface RowKernel {
        void apply(Tensor in, int rows, int cols, Tensor out);
    }

    private static Tensor alongAxis(String name, Tensor x, int axis, RowKernel kernel) {
        int rank = x.dim();
        if (rank == 0) {
            x = x.reshape(1);
        }
        int a = Shape.axis(name, axis, Math.max(rank, 1));
        int last = x.dim() - 1;
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor moved = (a == last ? x : x.transpose(a, last));
            Tensor in = moved.isContiguous() ? moved : Loops.contiguousCopy(moved);
            int cols = in.shape()[last];
            int rows = cols == 0 ? 0 : in.size() / cols;
            Tensor out = Tensor.empty(x.dtype(), in.shape());
            kernel.apply(in, rows, cols, out);
            Tensor back = a == last ? out : Loops.contiguousCopy(out.transpose(a, last));
            return rank == 0 ? back.reshape() : back;
        }
    }

    /** softmax along an axis. d/dx = s (g - sum(g s)) along the axis, from the saved output s. */
    public static Tensor softmax(Tensor x, int axis) {
        Tensor out = alongAxis("softmax", x, axis, (in, rows, cols, o) -> {
            if (in.dtype() == DType.FLOAT32) {
                Kernels.get().softmax(false, in.floatData(), in.offset(), rows, cols, o.floatData(), o.offset());
            } else {
                Kernels.get().softmax(false, in.doubleData(), in.offset(), rows, cols, o.doubleData(), o.offset());
            }
        });
        return Autograd.record("SoftmaxBackward", out, of(x), of(out), (n, g) -> {
            Tensor s = n.saved(0);
            return new Tensor[] {s.mul(g.sub(g.mul(s).sum(axis, true)))};
        });
    }

    /** x - logsumexp(x) along an axis. d/dx = g - exp(out) sum(g), from the saved output. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        Tensor out = alongAxis("logSoftmax", x, axis, (in, rows, cols, o) -> {
            if (in.dtype() == DType.FLOAT32) {
                Kernels.get().softmax(true, in.floatData(), in.offset(), rows, cols, o.floatData(), o.offset());
            } else {
                Kernels.get().softmax(true, in.doubleData(), in.offset(), rows, cols, o.doubleData(), o.offset());
            }
        });
        return Autograd.record("LogSoftmaxBackward", out, of(x), of(out), (n, g) -> new Tensor[] {
                g.sub(n.saved(0).exp().mul(g.sum(axis, true)))});
    }

    /** log(sum(exp(x))) along an axis, computed as m + log(sum(exp(x - m))). d/dx = g softmax(x). */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        int rank = x.dim();
        int a = Shape.axis("logSumExp", axis, Math.max(rank, 1));
        int[] shape = x.shape();
        Tensor kept;
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor in3 = rank == 0 ? x.reshape(1) : x;
            int last = in3.dim() - 1;
            Tensor moved = a == last ? in3 : in3.transpose(a, last);
            Tensor in = moved.isContiguous() ? moved : Loops.contiguousCopy(moved);
            int cols = in.shape()[last];
            int rows = cols == 0 ? 0 : in.size() / cols;
            int[] keptShape = rank == 0 ? new int[0] : shape.clone();
            if (rank > 0) {
                keptShape[a] = 1;
            }
            kept = Tensor.empty(x.dtype(), keptShape);
            if (in.dtype() == DType.FLOAT32) {
                Kernels.get().logSumExp(in.floatData(), in.offset(), rows, cols, kept.floatData(), kept.offset());
            } else {
                Kernels.get().logSumExp(in.doubleData(), in.offset(), rows, cols, kept.doubleData(), kept.offset());
            }
        }
        int[] keptShape = kept.shape();
        Tensor out = (keepDims || rank == 0) ? kept : kept.detach().squeeze(a);
        return Autograd.record("LogsumexpBackward", out, of(x), of(x, out), (n, g) -> new Tensor[] {
                g.reshape(keptShape).mul(n.saved(0).sub(n.saved(1).reshape(keptShape)).exp())});
    }
}
