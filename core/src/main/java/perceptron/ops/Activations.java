package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import perceptron.autograd.Autograd;
import perceptron.internal.kernels.BinaryOp;
import perceptron.internal.kernels.KernelOps;
import perceptron.internal.kernels.UnaryOp;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Activation functions and their derivatives, in one place: each method states f, f' and (where second
 * derivatives are supported) f'', and its code is exactly that.
 *
 * <p>Forward values come from a kernel ({@link UnaryOp}; the scalar definitions, arranged never to overflow, are
 * in {@code ScalarKernels} and {@code ActivationMath}). Backward formulas are written with tensor ops, so
 * {@code createGraph} gives second derivatives: where f' has a kernel of its own ({@code GELU_DERIVATIVE}, ...),
 * that kernel is wrapped as an op whose own derivative f'' is written out with tensor ops.
 *
 * <p>Where the derivative is cheaper from the output than from the input, the output is saved (PyTorch does the
 * same): sigmoid' = s(1 - s), tanh' = 1 - t^2, relu' = [y &gt; 0], softmax and logSoftmax from their outputs.
 * Those backward formulas are ops of their own ({@code reluBackward}, ...), with derivatives of their own.
 *
 * <p>Values at the kinks follow PyTorch 1.13's CPU kernels; docs/activations.md has the table and a test checks
 * the code against it: relu'(0) = 0, leakyRelu'(0) = slope, prelu'(0) = alpha (and d/dalpha = 0 there),
 * elu'(0) = alpha scale, hardtanh and relu6 have derivative 0 at both edges, hardSigmoid 0 at +-3, hardSwish
 * -1/2 at -3 and 1 at 3.
 *
 * <p>Shapes: every function here is elementwise ({@code (*)} in, {@code (*)} out) except softmax, logSoftmax and
 * logSumExp, which work along an axis, and prelu, whose alpha has one element or one per channel (axis 1).
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

    // ---- the relu family ----------------------------------------------------------------------------------

    /**
     * PReLU, a leaky relu whose slope alpha is learned: x for x &gt; 0, alpha x otherwise (He et al., 2015).
     * d/dx = 1 for x &gt; 0, alpha for x &lt;= 0 (alpha at 0); d/dalpha = x for x &lt;= 0, 0 for x &gt; 0 (0 at 0),
     * summed over everything alpha is shared across. These are PyTorch's CPU conventions at 0.
     *
     * <p>Shapes: x {@code (*)} with alpha of one element (shared by all), or x {@code (N, C, *)} with alpha
     * {@code (C)} (one per channel, axis 1, as in PyTorch). PyTorch initialises alpha to 0.25.
     *
     * <pre>{@code
     * Tensor alpha = Tensor.full(0.25, 3).requiresGrad();     // one slope per channel
     * Tensor y = Activations.prelu(x, alpha);                 // x: [batch, 3]
     * }</pre>
     */
    public static Tensor prelu(Tensor x, Tensor alpha) {
        // Mixed dtypes promote to float64, as every binary op does (a float32 PReLU layer evaluated in float64 for
        // exact analysis); the gradient of alpha comes back in alpha's own dtype.
        perceptron.tensor.DType wide = perceptron.tensor.DType.promote(x.dtype(), alpha.dtype());
        x = x.toType(wide);
        alpha = alpha.toType(wide);
        Tensor a;
        if (alpha.size() == 1) {
            a = alpha.reshape();
        } else {
            int channels = x.dim() >= 2 ? x.shape()[1] : -1;
            if (alpha.dim() != 1 || alpha.size() != channels) {
                throw new IllegalArgumentException("prelu: alpha " + Shape.toString(alpha.shape()) + " does not fit "
                        + "input " + Shape.toString(x.shape()) + "; alpha must have one element (shared) or one "
                        + "per channel, i.e. shape [" + (channels < 0 ? "C" : channels) + "] for channels on axis 1");
            }
            int[] shape = new int[x.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = channels;
            a = alpha.reshape(shape);
        }
        int[] alphaShape = a.shape();
        Tensor out;
        try (Autograd.Scope s = Autograd.noGrad()) {
            out = Tensor.where(x.gt(0.0), x, x.mul(a));
        }
        return Autograd.record("PreluBackward", out, of(x, a), of(x, a), (n, g) -> {
            Tensor in = n.saved(0);
            Tensor positive = in.gt(0.0);
            Tensor zero = Tensor.zeros(g.dtype());
            return new Tensor[] {
                    n.needsInputGrad(0) ? Tensor.where(positive, g, g.mul(n.saved(1))) : null,
                    n.needsInputGrad(1) ? Tensor.where(positive, zero, g.mul(in)).sumTo(alphaShape) : null};
        });
    }

    /** {@link #leakyRelu(Tensor, double)} with PyTorch's default slope 0.01. */
    public static Tensor leakyRelu(Tensor x) {
        return leakyRelu(x, 0.01);
    }

    /**
     * Leaky relu: x for x &gt; 0, slope x otherwise. Derivative 1 for x &gt; 0, slope for x &lt;= 0 (slope at 0,
     * like PyTorch).
     */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        requireFinite("leakyRelu", "negative slope", negativeSlope);
        return pointwise("LeakyReluBackward", UnaryOp.LEAKY_RELU, UnaryOp.LEAKY_RELU_DERIVATIVE, negativeSlope, 0,
                x, null);
    }

    /** {@link #elu(Tensor, double)} with alpha 1. */
    public static Tensor elu(Tensor x) {
        return elu(x, 1.0);
    }

    /**
     * ELU (Clevert et al., 2015): x for x &gt; 0, alpha (e^x - 1) otherwise; smooth at 0 when alpha = 1.
     * elu'(x) = 1 for x &gt; 0, alpha e^x for x &lt;= 0 (alpha at 0, like PyTorch); elu''(x) = alpha e^x for
     * x &lt; 0, else 0 (0 at 0, like PyTorch's double backward).
     */
    public static Tensor elu(Tensor x, double alpha) {
        requireFinite("elu", "alpha", alpha);
        return eluScaled("EluBackward", x, alpha, 1.0);
    }

    /** SELU's alpha (Klambauer et al., 2017), to the digits PyTorch uses. */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /**
     * SELU: scale elu(x, alpha) with the self-normalising constants {@link #SELU_ALPHA} and {@link #SELU_SCALE}.
     * selu'(x) = scale for x &gt; 0, scale alpha e^x for x &lt;= 0 (scale alpha = 1.7581 at 0, like PyTorch).
     */
    public static Tensor selu(Tensor x) {
        return eluScaled("EluBackward", x, SELU_ALPHA, SELU_SCALE);
    }

    private static Tensor eluScaled(String name, Tensor x, double alpha, double scale) {
        return pointwise(name, UnaryOp.ELU, UnaryOp.ELU_DERIVATIVE, alpha, scale, x,
                t -> negativePart(t).exp().mul(negative(t)).mul(alpha * scale));
    }

    /** {@link #celu(Tensor, double)} with alpha 1 (where celu equals elu). */
    public static Tensor celu(Tensor x) {
        return celu(x, 1.0);
    }

    /**
     * CELU (Barron, 2017): x for x &gt; 0, alpha (e^(x/alpha) - 1) otherwise; continuously differentiable for
     * every alpha. celu'(x) = 1 for x &gt; 0, e^(x/alpha) for x &lt;= 0 (1 at 0); celu''(x) = e^(x/alpha) / alpha
     * for x &lt; 0, else 0.
     */
    public static Tensor celu(Tensor x, double alpha) {
        requireFinite("celu", "alpha", alpha);
        if (alpha == 0) {
            throw new IllegalArgumentException("celu: alpha must not be 0 (celu divides by it)");
        }
        return pointwise("CeluBackward", UnaryOp.CELU, UnaryOp.CELU_DERIVATIVE, alpha, 0, x,
                t -> negativePart(t).div(alpha).exp().mul(negative(t)).div(alpha));
    }

    /** {@link #hardtanh(Tensor, double, double)} on [-1, 1]. */
    public static Tensor hardtanh(Tensor x) {
        return hardtanh(x, -1.0, 1.0);
    }

    /**
     * min(max(x, min), max). Derivative 1 for min &lt; x &lt; max, 0 elsewhere, including at both edges (PyTorch;
     * note that {@code clamp} counts the edges as inside instead).
     */
    public static Tensor hardtanh(Tensor x, double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("hardtanh: min " + min + " must not be greater than max " + max);
        }
        return pointwise("HardtanhBackward", UnaryOp.CLAMP, UnaryOp.HARDTANH_DERIVATIVE, min, max, x, null);
    }

    /** min(max(x, 0), 6) = hardtanh(x, 0, 6). Derivative 1 for 0 &lt; x &lt; 6, else 0 (0 at 0 and at 6). */
    public static Tensor relu6(Tensor x) {
        return hardtanh(x, 0.0, 6.0);
    }

    // ---- smooth relatives of relu -------------------------------------------------------------------------

    /**
     * GELU, exact (Hendrycks and Gimpel, 2016): x Phi(x), Phi the standard normal cdf, computed as
     * x erfc(-x / sqrt 2) / 2. gelu'(x) = Phi(x) + x phi(x); gelu''(x) = phi(x) (2 - x^2), phi the normal pdf.
     */
    public static Tensor gelu(Tensor x) {
        return pointwise("GeluBackward", UnaryOp.GELU, UnaryOp.GELU_DERIVATIVE, 0, 0, x,
                t -> normalPdf(t).mul(t.square().rsub(2.0)));
    }

    /**
     * GELU with PyTorch's {@code approximate} argument: "none" (exact, {@link #gelu(Tensor)}) or "tanh":
     * x (1 + tanh u) / 2 with u = sqrt(2/pi) (x + 0.044715 x^3), computed as x sigmoid(2u). With s = sigmoid(2u):
     * f'(x) = s + 2 x s (1 - s) u'; f''(x) = 2 s (1 - s) (2u' + 2x u'^2 (1 - 2s) + x u''), where
     * u' = sqrt(2/pi) (1 + 3 0.044715 x^2) and u'' = 6 sqrt(2/pi) 0.044715 x.
     */
    public static Tensor gelu(Tensor x, String approximate) {
        if ("none".equals(approximate)) {
            return gelu(x);
        }
        if (!"tanh".equals(approximate)) {
            throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate
                    + "\"");
        }
        return pointwise("GeluBackward", UnaryOp.GELU_TANH, UnaryOp.GELU_TANH_DERIVATIVE, 0, 0, x, t -> {
            double k = Math.sqrt(2.0 / Math.PI);
            double c = 0.044715;
            Tensor t2 = t.square();
            Tensor u = t.add(t2.mul(t).mul(c)).mul(k);
            Tensor du = t2.mul(3 * c).add(1.0).mul(k);
            // 1 - s as sigmoid(-2u), not as 1 - s, which would keep only the digits s has left beyond 1.
            Tensor s = u.mul(2.0).sigmoid();
            Tensor oneMinusS = u.mul(-2.0).sigmoid();
            Tensor bracket = du.mul(2.0)
                    .add(t.mul(du.square()).mul(oneMinusS.sub(s)).mul(2.0))
                    .add(t2.mul(6 * c * k));
            return s.mul(oneMinusS).mul(2.0).mul(bracket);
        });
    }

    /**
     * SiLU, also called swish (Ramachandran et al., 2017; Elfwing et al., 2017): x sigmoid(x).
     * silu'(x) = s (1 + x (1 - s)), s = sigmoid(x); silu''(x) = s (1 - s) (2 + x (1 - 2s)).
     */
    public static Tensor silu(Tensor x) {
        return pointwise("SiluBackward", UnaryOp.SILU, UnaryOp.SILU_DERIVATIVE, 0, 0, x, t -> {
            Tensor s = t.sigmoid();
            Tensor oneMinusS = t.neg().sigmoid();
            return s.mul(oneMinusS).mul(t.mul(oneMinusS.sub(s)).add(2.0));
        });
    }

    /**
     * Mish (Misra, 2019): x tanh(softplus(x)). With sp = softplus(x), t = tanh(sp), s = sigmoid(x):
     * mish'(x) = t + x s (1 - t^2); mish''(x) = s (1 - t^2) (2 + x (1 - s) - 2 x t s).
     */
    public static Tensor mish(Tensor x) {
        return pointwise("MishBackward", UnaryOp.MISH, UnaryOp.MISH_DERIVATIVE, 0, 0, x, v -> {
            Tensor t = softplus(v).tanh();
            Tensor s = v.sigmoid();
            Tensor bracket = v.mul(s.rsub(1.0)).sub(v.mul(t).mul(s).mul(2.0)).add(2.0);
            return s.mul(t.square().rsub(1.0)).mul(bracket);
        });
    }

    /** {@link #softplus(Tensor, double, double)} with PyTorch's defaults beta 1, threshold 20. */
    public static Tensor softplus(Tensor x) {
        return softplus(x, 1.0, 20.0);
    }

    /**
     * Softplus, a smooth relu: ln(1 + e^(beta x)) / beta, and x itself where beta x &gt; threshold (as in
     * PyTorch; there the two differ by less than e^-threshold / beta). Computed as
     * (max(beta x, 0) + ln(1 + e^-|beta x|)) / beta, which never overflows.
     * softplus'(x) = sigmoid(beta x) (1 above the threshold); softplus''(x) = beta s (1 - s) (0 above).
     */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        requireFinite("softplus", "beta", beta);
        if (beta == 0) {
            throw new IllegalArgumentException("softplus: beta must not be 0 (softplus divides by it)");
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("softplus: threshold must be a number, got NaN");
        }
        Tensor out = Elementwise.map(UnaryOp.SOFTPLUS, beta, threshold, x);
        return Autograd.record("SoftplusBackward", out, of(x), of(x), (n, g) -> {
            Tensor scaled = n.saved(0).mul(beta);
            Tensor linear = scaled.gt(threshold);
            return new Tensor[] {g.mul(Tensor.where(linear, Tensor.ones(g.dtype()), scaled.sigmoid()))};
        });
    }

    /** x / (1 + |x|). softsign'(x) = 1 / (1 + |x|)^2; softsign''(x) = -2 sign(x) / (1 + |x|)^3. */
    public static Tensor softsign(Tensor x) {
        return pointwise("SoftsignBackward", UnaryOp.SOFTSIGN, UnaryOp.SOFTSIGN_DERIVATIVE, 0, 0, x,
                t -> t.sign().mul(-2.0).div(t.abs().add(1.0).pow(3)));
    }

    /**
     * ln sigmoid(x) = -softplus(-x), computed as min(x, 0) - ln(1 + e^-|x|) (finite for every finite x).
     * logSigmoid'(x) = sigmoid(-x) = 1 - sigmoid(x); logSigmoid''(x) = -sigmoid(x) sigmoid(-x).
     */
    public static Tensor logSigmoid(Tensor x) {
        Tensor out = Elementwise.map(UnaryOp.LOG_SIGMOID, x);
        return Autograd.record("LogSigmoidBackward", out, of(x), of(x),
                (n, g) -> new Tensor[] {g.mul(n.saved(0).neg().sigmoid())});
    }

    // ---- hard (piecewise-linear) versions of sigmoid and swish ----------------------------------------------

    /**
     * relu6(x + 3) / 6: 0 below -3, 1 above 3, linear between. Derivative 1/6 on (-3, 3), 0 elsewhere (0 at
     * both edges, like PyTorch).
     */
    public static Tensor hardSigmoid(Tensor x) {
        return pointwise("HardsigmoidBackward", UnaryOp.HARD_SIGMOID, UnaryOp.HARD_SIGMOID_DERIVATIVE, 0, 0, x,
                null);
    }

    /**
     * x relu6(x + 3) / 6 (Howard et al., 2019). Derivative 0 for x &lt; -3, x/3 + 1/2 for -3 &lt;= x &lt; 3, 1 for
     * x &gt;= 3: at both edges the derivative from the right, -1/2 at -3 and 1 at 3. That is what PyTorch 1.13's
     * vectorised CPU kernel gives (to all but the last few elements of a tensor; its scalar tail loop gives 3/2 at
     * 3). Second derivative 1/3 on (-3, 3), else 0 (PyTorch's double backward).
     */
    public static Tensor hardSwish(Tensor x) {
        return pointwise("HardswishBackward", UnaryOp.HARD_SWISH, UnaryOp.HARD_SWISH_DERIVATIVE, 0, 0, x,
                t -> Elementwise.map(UnaryOp.GT_SCALAR, -3.0, 0, t).mul(Elementwise.map(UnaryOp.LT_SCALAR, 3.0, 0, t))
                        .mul(1.0 / 3.0));
    }

    // ---- plumbing for the elementwise activations ------------------------------------------------------------

    /**
     * An elementwise activation f(x; p, q) whose derivative has a kernel of its own: forward is the kernel f,
     * backward is g f'(x) with f'(x) from the derivative kernel. That derivative is itself recorded as an op with
     * derivative {@code secondDerivative} (tensor ops), so gradients of gradients work; null means f' is piecewise
     * constant (f'' = 0 wherever it exists), so f'(x) records nothing.
     */
    private static Tensor pointwise(String name, UnaryOp f, UnaryOp derivative, double p, double q, Tensor x,
                                    UnaryOperator<Tensor> secondDerivative) {
        Tensor out = Elementwise.map(f, p, q, x);
        return Autograd.record(name, out, of(x), of(x), (n, g) -> new Tensor[] {
                g.mul(derivative(name + "Backward", derivative, p, q, n.saved(0), secondDerivative))});
    }

    /** f'(x) from its kernel, differentiable through {@code secondDerivative} when that is given. */
    private static Tensor derivative(String name, UnaryOp derivative, double p, double q, Tensor x,
                                     UnaryOperator<Tensor> secondDerivative) {
        Tensor out = Elementwise.map(derivative, p, q, x);
        if (secondDerivative == null) {
            return out;
        }
        return Autograd.record(name, out, of(x), of(x),
                (n, g) -> new Tensor[] {g.mul(secondDerivative.apply(n.saved(0)))});
    }

    /**
     * 1 where x &lt; 0, else 0 (a mask; never requires grad). Strict, as in PyTorch's elu double backward: the
     * second derivative of elu and celu is 0 at 0.
     */
    private static Tensor negative(Tensor x) {
        return Elementwise.map(UnaryOp.LT_SCALAR, 0.0, 0, x);
    }

    /** x where x &lt; 0, else 0, differentiably: e^x of it cannot overflow, so mask * e^x is never 0 * inf. */
    private static Tensor negativePart(Tensor x) {
        return Tensor.where(negative(x), x, Tensor.zeros(x.dtype()));
    }

    /** The standard normal density e^(-x^2/2) / sqrt(2 pi), differentiable. */
    private static Tensor normalPdf(Tensor x) {
        return x.square().mul(-0.5).exp().mul(1.0 / Math.sqrt(2.0 * Math.PI));
    }

    private static void requireFinite(String op, String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(op + ": " + what + " must be finite, got " + value);
        }
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
                KernelOps.get().softmax(false, TensorInternals.floatData(in), in.offset(), rows, cols, TensorInternals.floatData(o), o.offset());
            } else {
                KernelOps.get().softmax(false, TensorInternals.doubleData(in), in.offset(), rows, cols, TensorInternals.doubleData(o), o.offset());
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
                KernelOps.get().softmax(true, TensorInternals.floatData(in), in.offset(), rows, cols, TensorInternals.floatData(o), o.offset());
            } else {
                KernelOps.get().softmax(true, TensorInternals.doubleData(in), in.offset(), rows, cols, TensorInternals.doubleData(o), o.offset());
            }
        });
        return Autograd.record("LogSoftmaxBackward", out, of(x), of(out), (n, g) -> new Tensor[] {
                g.sub(n.saved(0).exp().mul(g.sum(axis, true)))});
    }

    /** log(sum(exp(x))) along an axis, computed as m + log(sum(exp(x - m))). d/dx = g softmax(x). */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        int rank = x.dim();
        int a = Shape.axis("logSumExp", axis, Math.max(rank, 1));
        Tensor kept;
        try (Autograd.Scope s = Autograd.noGrad()) {
            Tensor in3 = rank == 0 ? x.reshape(1) : x;
            int last = in3.dim() - 1;
            Tensor moved = a == last ? in3 : in3.transpose(a, last);
            Tensor in = moved.isContiguous() ? moved : Loops.contiguousCopy(moved);
            int cols = in.shape()[last];
            int rows = cols == 0 ? 0 : in.size() / cols;
            int[] movedKeptShape = in.shape();
            movedKeptShape[last] = 1;
            // The kernel writes one value per row in the moved layout; moving the axis back puts each value
            // where the input's layout expects it.
            Tensor movedKept = Tensor.empty(x.dtype(), movedKeptShape);
            if (cols == 0) {
                Loops.fill(movedKept, Double.NEGATIVE_INFINITY);
            } else if (in.dtype() == DType.FLOAT32) {
                KernelOps.get().logSumExp(TensorInternals.floatData(in), in.offset(), rows, cols, TensorInternals.floatData(movedKept),
                        movedKept.offset());
            } else {
                KernelOps.get().logSumExp(TensorInternals.doubleData(in), in.offset(), rows, cols, TensorInternals.doubleData(movedKept),
                        movedKept.offset());
            }
            kept = a == last ? movedKept : Loops.contiguousCopy(movedKept.transpose(a, last));
            if (rank == 0) {
                kept = kept.reshape();
            }
        }
        int[] keptShape = kept.shape();
        Tensor out = (keepDims || rank == 0) ? kept : kept.detach().squeeze(a);
        return Autograd.record("LogsumexpBackward", out, of(x), of(x, out), (n, g) -> new Tensor[] {
                g.reshape(keptShape).mul(n.saved(0).sub(n.saved(1).reshape(keptShape)).exp())});
    }

    // ---- by name ----------------------------------------------------------------------------------------

    /** The elementwise activations by canonical name, in the order the docs and the gallery show them. */
    private static final Map<String, UnaryOperator<Tensor>> BY_NAME = new LinkedHashMap<>();
    /** Lookup keys (lower case, without '-', '_' or spaces) for canonical names and aliases. */
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        BY_NAME.put("relu", Activations::relu);
        BY_NAME.put("prelu", x -> prelu(x, Tensor.full(x.dtype(), 0.25)));
        BY_NAME.put("leakyRelu", Activations::leakyRelu);
        BY_NAME.put("elu", Activations::elu);
        BY_NAME.put("selu", Activations::selu);
        BY_NAME.put("celu", Activations::celu);
        BY_NAME.put("gelu", Activations::gelu);
        BY_NAME.put("geluTanh", x -> gelu(x, "tanh"));
        BY_NAME.put("silu", Activations::silu);
        BY_NAME.put("mish", Activations::mish);
        BY_NAME.put("softplus", Activations::softplus);
        BY_NAME.put("softsign", Activations::softsign);
        BY_NAME.put("hardtanh", Activations::hardtanh);
        BY_NAME.put("relu6", Activations::relu6);
        BY_NAME.put("hardSigmoid", Activations::hardSigmoid);
        BY_NAME.put("hardSwish", Activations::hardSwish);
        BY_NAME.put("logSigmoid", Activations::logSigmoid);
        BY_NAME.put("sigmoid", Activations::sigmoid);
        BY_NAME.put("tanh", Activations::tanh);
        for (String name : BY_NAME.keySet()) {
            KEYS.put(key(name), name);
        }
        KEYS.put("swish", "silu");
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /**
     * The names {@link #byName} accepts, canonical spelling, in the docs' order: relu, prelu, leakyRelu, elu, selu,
     * celu, gelu, geluTanh, silu, mish, softplus, softsign, hardtanh, relu6, hardSigmoid, hardSwish, logSigmoid,
     * sigmoid, tanh. (softmax and logSoftmax are not elementwise, so they are not here.)
     */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(BY_NAME.keySet()));
    }

    /**
     * An elementwise activation by name, with its default parameters (prelu with a fixed alpha of 0.25, PyTorch's
     * initial value). Case, '-' and '_' are ignored ("LeakyReLU", "leaky_relu" and "leakyRelu" are the same), and
     * "swish" is silu.
     *
     * @throws IllegalArgumentException for an unknown name, listing the valid ones
     */
    public static UnaryOperator<Tensor> byName(String name) {
        String canonical = canonicalName(name);
        return BY_NAME.get(canonical);
    }

    /** The canonical spelling of an activation name ("leaky_relu" gives "leakyRelu"); see {@link #byName}. */
    public static String canonicalName(String name) {
        String canonical = name == null ? null : KEYS.get(key(name));
        if (canonical == null) {
            throw new IllegalArgumentException("unknown activation '" + name + "'; valid names: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return canonical;
    }
}
