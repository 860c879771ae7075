package perceptron.ops;

import perceptron.autograd.Autograd;
import perceptron.internal.kernels.BinaryOp;
import perceptron.internal.kernels.UnaryOp;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Elementwise arithmetic, math functions, comparisons, {@code where}, {@code clamp} and dtype conversion, each
 * with its derivative beside it.
 *
 * <p>Binary ops broadcast like NumPy and promote float32 with float64 to float64. Gradients of broadcast inputs
 * are summed back to the input's shape ({@code sumTo}). Java scalars keep the tensor's dtype.
 */
public final class Elementwise {
    private Elementwise() {
    }

    // ---- plumbing ----------------------------------------------------------------------------------------

    /** op(x; p, q) into a new contiguous tensor (no autograd). */
    static Tensor map(UnaryOp op, double p, double q, Tensor x) {
        Tensor out = Tensor.empty(x.dtype(), x.shape());
        Loops.unary(op, p, q, x, out);
        return out;
    }

    static Tensor map(UnaryOp op, Tensor x) {
        return map(op, 0, 0, x);
    }

    /** op(a, b) with broadcasting into a new tensor (no autograd); a and b must share a dtype. */
    static Tensor zip(String name, BinaryOp op, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(a.dtype(), Shape.broadcast(name, a.shape(), b.shape()));
        Loops.binary(op, a, b, out);
        return out;
    }

    /** Converts the narrower operand so both have the promoted dtype (differentiably). */
    private static Tensor promoted(Tensor t, DType to) {
        return t.dtype() == to ? t : toType(t, to);
    }

    private static Tensor[] inputs(Tensor... ts) {
        return ts;
    }

    /**
     * A Java scalar as the tensor's dtype sees it: rounded to float32 for a float32 tensor, as PyTorch does
     * before it computes. Without this, {@code x.mul(0.1)} would multiply by the double 0.1 and round the
     * product once, which differs from PyTorch's {@code x * 0.1f} in the last place for about a third of all
     * inputs, and {@code x.eq(0.1)} would be false for {@code x = 0.1f}.
     */
    static double scalar(Tensor t, double c) {
        return t.dtype() == DType.FLOAT32 ? (float) c : c;
    }

    // ---- arithmetic ------------------------------------------------------------------------------------

    /** a + b. d/da = 1, d/db = 1. */
    public static Tensor add(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = promoted(a, t);
        Tensor y = promoted(b, t);
        int[] xs = x.shape();
        int[] ys = y.shape();
        return Autograd.record("AddBackward", zip("add", BinaryOp.ADD, x, y), inputs(x, y), (n, g) -> new Tensor[] {
                n.needsInputGrad(0) ? g.sumTo(xs) : null,
                n.needsInputGrad(1) ? g.sumTo(ys) : null});
    }

    /** a + c. */
    public static Tensor add(Tensor a, double c) {
        return Autograd.record("AddBackward", map(UnaryOp.ADD_SCALAR, scalar(a, c), 0, a), inputs(a),
                (n, g) -> new Tensor[] {g});
    }

    /** a - b. d/da = 1, d/db = -1. */
    public static Tensor sub(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = promoted(a, t);
        Tensor y = promoted(b, t);
        int[] xs = x.shape();
        int[] ys = y.shape();
        return Autograd.record("SubBackward", zip("sub", BinaryOp.SUB, x, y), inputs(x, y), (n, g) -> new Tensor[] {
                n.needsInputGrad(0) ? g.sumTo(xs) : null,
                n.needsInputGrad(1) ? g.neg().sumTo(ys) : null});
    }

    /** c - a. d/da = -1. */
    public static Tensor rsub(Tensor a, double c) {
        return Autograd.record("RsubBackward", map(UnaryOp.RSUB_SCALAR, scalar(a, c), 0, a), inputs(a),
                (n, g) -> new Tensor[] {g.neg()});
    }

    /** a * b. d/da = b, d/db = a. */
    public static Tensor mul(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = promoted(a, t);
        Tensor y = promoted(b, t);
        int[] xs = x.shape();
        int[] ys = y.shape();
        return Autograd.record("MulBackward", zip("mul", BinaryOp.MUL, x, y), inputs(x, y), inputs(x, y),
                (n, g) -> new Tensor[] {
                        n.needsInputGrad(0) ? g.mul(n.saved(1)).sumTo(xs) : null,
                        n.needsInputGrad(1) ? g.mul(n.saved(0)).sumTo(ys) : null});
    }

    /** a * c. */
    public static Tensor mul(Tensor a, double c) {
        return Autograd.record("MulBackward", map(UnaryOp.MUL_SCALAR, scalar(a, c), 0, a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(c)});
    }

    /** a / b. d/da = 1/b, d/db = -a/b^2. */
    public static Tensor div(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = promoted(a, t);
        Tensor y = promoted(b, t);
        int[] xs = x.shape();
        int[] ys = y.shape();
        return Autograd.record("DivBackward", zip("div", BinaryOp.DIV, x, y), inputs(x, y), inputs(x, y),
                (n, g) -> new Tensor[] {
                        n.needsInputGrad(0) ? g.div(n.saved(1)).sumTo(xs) : null,
                        n.needsInputGrad(1)
                                ? g.neg().mul(n.saved(0)).div(n.saved(1).square()).sumTo(ys) : null});
    }

    /**
     * a / c, a true division like PyTorch's (not a multiplication by 1/c, which differs in the last place).
     * d/da = 1/c.
     */
    public static Tensor div(Tensor a, double c) {
        return div(a, Tensor.scalar(c, a.dtype()));
    }

    /** c / a. d/da = -c/a^2. */
    public static Tensor rdiv(Tensor a, double c) {
        return Autograd.record("RdivBackward", map(UnaryOp.RDIV_SCALAR, scalar(a, c), 0, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(-c).div(n.saved(0).square())});
    }

    /** -a. */
    public static Tensor neg(Tensor a) {
        return Autograd.record("NegBackward", map(UnaryOp.NEG, a), inputs(a), (n, g) -> new Tensor[] {g.neg()});
    }

    /** a^p. d/da = p a^(p-1); 0 when p == 0 (also at a == 0, as in PyTorch). */
    public static Tensor pow(Tensor a, double p) {
        if (p == 1) {
            return ShapeOps.alias(a);
        }
        return Autograd.record("PowBackward", map(UnaryOp.POW_SCALAR, scalar(a, p), 0, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {p == 0 ? Tensor.zerosLike(g) : g.mul(n.saved(0).pow(p - 1).mul(p))});
    }

    /**
     * a^b. d/da = b a^(b-1) (0 where b == 0); d/db = a^b ln a, taken as 0 where a == 0 and b &gt;= 0 (the limit),
     * as in PyTorch.
     */
    public static Tensor pow(Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = promoted(a, t);
        Tensor y = promoted(b, t);
        int[] xs = x.shape();
        int[] ys = y.shape();
        Tensor out = zip("pow", BinaryOp.POW, x, y);
        return Autograd.record("PowBackward", out, inputs(x, y), inputs(x, y, out), (n, g) -> {
            Tensor base = n.saved(0);
            Tensor exponent = n.saved(1);
            Tensor ga = null;
            Tensor gb = null;
            if (n.needsInputGrad(0)) {
                Tensor d = exponent.mul(base.pow(exponent.sub(1.0)));
                ga = where(exponent.eq(0.0), Tensor.zerosLike(d), d).mul(g).sumTo(xs);
            }
            if (n.needsInputGrad(1)) {
                Tensor d = n.saved(2).mul(base.log());
                Tensor limit = base.eq(0.0).mul(exponent.ge(0.0));
                gb = where(limit, Tensor.zerosLike(d), d).mul(g).sumTo(ys);
            }
            return new Tensor[] {ga, gb};
        });
    }

    /** a^2. d/da = 2a. */
    public static Tensor square(Tensor a) {
        return Autograd.record("PowBackward", map(UnaryOp.SQUARE, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(n.saved(0)).mul(2.0)});
    }

    // ---- math functions ---------------------------------------------------------------------------------

    /** e^a. d/da = e^a, reusing the output. */
    public static Tensor exp(Tensor a) {
        Tensor out = map(UnaryOp.EXP, a);
        return Autograd.record("ExpBackward", out, inputs(a), inputs(out),
                (n, g) -> new Tensor[] {g.mul(n.saved(0))});
    }

    /** ln a. d/da = 1/a. */
    public static Tensor log(Tensor a) {
        return Autograd.record("LogBackward", map(UnaryOp.LOG, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.div(n.saved(0))});
    }

    /** sqrt a. d/da = 1 / (2 sqrt a), reusing the output. */
    public static Tensor sqrt(Tensor a) {
        Tensor out = map(UnaryOp.SQRT, a);
        return Autograd.record("SqrtBackward", out, inputs(a), inputs(out),
                (n, g) -> new Tensor[] {g.div(n.saved(0).mul(2.0))});
    }

    /** |a|. d/da = sign(a), which is 0 at 0. */
    public static Tensor abs(Tensor a) {
        return Autograd.record("AbsBackward", map(UnaryOp.ABS, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(n.saved(0).sign())});
    }

    /** sign(a); its derivative is 0 everywhere it exists (and taken as 0 at 0). */
    public static Tensor sign(Tensor a) {
        return Autograd.record("SignBackward", map(UnaryOp.SIGN, a), inputs(a),
                (n, g) -> new Tensor[] {Tensor.zerosLike(g)});
    }

    /** ln(1 + a). d/da = 1 / (1 + a). */
    public static Tensor log1p(Tensor a) {
        return Autograd.record("Log1pBackward", map(UnaryOp.LOG1P, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.div(n.saved(0).add(1.0))});
    }

    /** e^a - 1. d/da = e^a = out + 1. */
    public static Tensor expm1(Tensor a) {
        Tensor out = map(UnaryOp.EXPM1, a);
        return Autograd.record("Expm1Backward", out, inputs(a), inputs(out),
                (n, g) -> new Tensor[] {g.mul(n.saved(0).add(1.0))});
    }

    /** sin a. d/da = cos a. */
    public static Tensor sin(Tensor a) {
        return Autograd.record("SinBackward", map(UnaryOp.SIN, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(n.saved(0).cos())});
    }

    /** cos a. d/da = -sin a. */
    public static Tensor cos(Tensor a) {
        return Autograd.record("CosBackward", map(UnaryOp.COS, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(n.saved(0).sin()).neg()});
    }

    /**
     * max(a, b) elementwise: the gradient of where(a &gt; b, a, b), so at a tie it goes to the second argument
     * (PyTorch splits it in half). Then d2l's scratch relu, {@code x.maximum(zeros)}, has derivative 0 at 0 like
     * relu. Write the variable first.
     */
    public static Tensor maximum(Tensor a, Tensor b) {
        return extremum("maximum", BinaryOp.MAXIMUM, BinaryOp.GT, "MaximumBackward", a, b);
    }

    /** min(a, b) elementwise: the gradient of where(a &lt; b, a, b); at a tie it goes to the second argument. */
    public static Tensor minimum(Tensor a, Tensor b) {
        return extremum("minimum", BinaryOp.MINIMUM, BinaryOp.LT, "MinimumBackward", a, b);
    }

    private static Tensor extremum(String name, BinaryOp op, BinaryOp wins, String backward, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        Tensor x = promoted(a, t);
        Tensor y = promoted(b, t);
        int[] xs = x.shape();
        int[] ys = y.shape();
        return Autograd.record(backward, zip(name, op, x, y), inputs(x, y), inputs(x, y), (n, g) -> {
            Tensor u = n.saved(0);
            Tensor v = n.saved(1);
            // Share of the gradient that goes to a: 1 where a strictly wins, else 0, so a tie goes to b. This is
            // the gradient of where(a > b, a, b), and it makes d2l's maximum(x, zeros) agree with relu'(0) = 0
            // (PyTorch splits ties 1/2 each, so its scratch relu and F.relu disagree at 0). See docs/activations.md.
            Tensor shareA = zip(name, wins, u, v);
            return new Tensor[] {
                    n.needsInputGrad(0) ? g.mul(shareA).sumTo(xs) : null,
                    n.needsInputGrad(1) ? g.mul(shareA.rsub(1.0)).sumTo(ys) : null};
        });
    }

    /**
     * min(max(a, lo), hi). Gradient 1 where lo &lt;= a &lt;= hi (edges included, as in PyTorch), else 0.
     */
    public static Tensor clamp(Tensor a, double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        // Bounds in the tensor's dtype: for float32 x = 0.1f and hi = 0.1, the edge must count as inside.
        double l = scalar(a, lo);
        double h = scalar(a, hi);
        return Autograd.record("ClampBackward", map(UnaryOp.CLAMP, l, h, a), inputs(a), inputs(a),
                (n, g) -> new Tensor[] {g.mul(map(UnaryOp.BETWEEN, l, h, n.saved(0)))});
    }

    /** Converts the dtype; the gradient is converted back. */
    public static Tensor toType(Tensor a, DType dtype) {
        if (a.dtype() == dtype) {
            return a;
        }
        DType from = a.dtype();
        Tensor out = Tensor.empty(dtype, a.shape());
        Loops.copy(a, out);
        return Autograd.record("ToTypeBackward", out, inputs(a), (n, g) -> new Tensor[] {g.toType(from)});
    }

    // ---- comparisons and selection -------------------------------------------------------------------

    /** A mask of 1 where {@code op(a, b)} holds, else 0, in the promoted dtype; never requires grad. */
    public static Tensor compare(String name, BinaryOp op, Tensor a, Tensor b) {
        DType t = DType.promote(a.dtype(), b.dtype());
        return zip(name, op, a.detach().toType(t), b.detach().toType(t));
    }

    /** A mask of 1 where {@code op(a, c)} holds, else 0; never requires grad. */
    public static Tensor compare(String name, UnaryOp op, Tensor a, double c) {
        return map(op, scalar(a, c), 0, a.detach());
    }

    /**
     * {@code cond != 0 ? x : y}, all broadcast together. The gradient flows to x where cond holds, to y
     * elsewhere; cond gets none.
     */
    public static Tensor where(Tensor cond, Tensor x, Tensor y) {
        DType t = DType.promote(x.dtype(), y.dtype());
        Tensor a = promoted(x, t);
        Tensor b = promoted(y, t);
        Tensor c = cond.detach().toType(t);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", c.shape(), a.shape()), b.shape());
        Tensor out = Tensor.empty(t, shape);
        Loops.where(c, a, b, out);
        int[] as = a.shape();
        int[] bs = b.shape();
        return Autograd.record("WhereBackward", out, inputs(a, b), inputs(c), (n, g) -> {
            Tensor mask = n.saved(0);
            Tensor zero = Tensor.zeros(g.dtype());
            return new Tensor[] {
                    n.needsInputGrad(0) ? where(mask, g, zero).sumTo(as) : null,
                    n.needsInputGrad(1) ? where(mask, zero, g).sumTo(bs) : null};
        });
    }
}
