package perceptron.internal.kernels;

import perceptron.kernels.Parallel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast kernels: SIMD through {@code jdk.incubator.vector}, loaded reflectively by {@link KernelSelection}
 * only when that module is present. The ops in {@link #VECTOR_UNARY} and {@link #VECTOR_BINARY} have kernels
 * here; every other one runs the loop of {@link ScalarKernels}, the reference these are tested against, and
 * VectorKernelsTest pins both sets so that no op takes the slow path unnoticed. Float64 work
 * other than the matrix product also falls through: float32 is the training type.
 *
 * <p>How close to the reference, by design:
 * <ul>
 *   <li>Bitwise equal: every operation whose float32 result is one correctly rounded IEEE operation (add, sub,
 *   mul, div, sqrt, neg, abs, square, reciprocal, max/min with NaN propagation, relu, step, comparisons, where,
 *   clamp), and the ops with a double parameter or a double formula (x + p, x * p, p - x, p / x, the sigmoid and
 *   tanh backward formulas, SGD and Adam steps, conversions), which run in float64 lanes in the reference's
 *   order of operations, then round once. Max and min reductions too.
 *   <li>Within a few ulp: exp, log, tanh and sigmoid (our own lane polynomials in {@link VectorMath}, not the
 *   Vector API's EXP/LOG/TANH, which use SVML once compiled and {@code Math} before, and so differ from run to
 *   run); gelu, silu, mish, elu, celu, softplus, log-sigmoid and their derivatives (built on the same); softmax,
 *   log-softmax, logsumexp and cross-entropy (float32 exponentials, sums in float32 lanes). Tolerances are
 *   measured and tested in VectorKernelsTest. log1p, expm1, sin and cos run the reference.
 *   <li>Sums: blocks of 16 steps in float32 lanes, folded into float64 lanes; relative error about 1e-6 of the
 *   sum of magnitudes at any length (10^7 elements tested), where the reference adds one by one in float64.
 * </ul>
 *
 * <p>Large arrays are split into fixed chunks of {@link #CHUNK} elements over {@link Parallel}; a sum combines
 * its chunks' partial sums in chunk order, so results never depend on the number of threads.
 */
public final class VectorKernels extends ScalarKernels {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int FL = FS.length();
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = DS.length();
    /** Floats as many as the doubles of {@link #DS}: the float side of a float64-lane computation. */
    private static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(DL * 32));
    /** Elements per parallel task of an elementwise kernel or a sum; fixed, so splits never depend on threads. */
    static final int CHUNK = 1 << 14;
    /**
     * Memory-bound kernels (add, relu, sums, ...) shorter than this run on the calling thread. A [256, 256] add
     * takes 4 us on one core and ran at half that speed on two (measured 71 against 35 GB/s): the dispatch and
     * the move of the cache lines to the other core cost more than the work.
     */
    static final int PARALLEL_MIN = 1 << 18;
    /** The same for kernels with a transcendental per element (exp, tanh, sigmoid, softmax): they pay sooner. */
    static final int PARALLEL_MIN_MATH = 1 << 14;

    /** The activations beyond relu, sigmoid and tanh that have a float32-lane kernel ({@link #activationFloat}). */
    private static final java.util.Set<UnaryOp> ACTIVATIONS = java.util.EnumSet.of(UnaryOp.GELU,
            UnaryOp.GELU_DERIVATIVE, UnaryOp.SILU, UnaryOp.SILU_DERIVATIVE, UnaryOp.MISH, UnaryOp.MISH_DERIVATIVE,
            UnaryOp.ELU, UnaryOp.ELU_DERIVATIVE, UnaryOp.CELU, UnaryOp.CELU_DERIVATIVE, UnaryOp.SOFTPLUS,
            UnaryOp.LOG_SIGMOID);
    /** The unary ops that evaluate a transcendental function per element. */
    private static final java.util.Set<UnaryOp> MATH = union(java.util.EnumSet.of(UnaryOp.EXP, UnaryOp.LOG,
            UnaryOp.TANH, UnaryOp.SIGMOID), ACTIVATIONS);
    private static final java.util.Set<UnaryOp> FLOAT_LANES = union(java.util.EnumSet.of(UnaryOp.NEG, UnaryOp.ABS,
            UnaryOp.SQUARE, UnaryOp.SQRT, UnaryOp.RECIPROCAL, UnaryOp.RELU, UnaryOp.STEP, UnaryOp.EXP, UnaryOp.LOG,
            UnaryOp.TANH, UnaryOp.SIGMOID), ACTIVATIONS);
    private static final java.util.Set<UnaryOp> DOUBLE_LANES = java.util.EnumSet.of(UnaryOp.ADD_SCALAR,
            UnaryOp.MUL_SCALAR, UnaryOp.RSUB_SCALAR, UnaryOp.RDIV_SCALAR, UnaryOp.CLAMP);
    private static final java.util.Set<UnaryOp> COMPARISONS = java.util.EnumSet.of(UnaryOp.GT_SCALAR,
            UnaryOp.GE_SCALAR, UnaryOp.LT_SCALAR, UnaryOp.LE_SCALAR, UnaryOp.EQ_SCALAR, UnaryOp.NE_SCALAR,
            UnaryOp.BETWEEN);
    /**
     * The float32 unary ops with a kernel of their own here; every other one runs {@link ScalarKernels}' loop.
     * VectorKernelsTest pins this set, so that a new op cannot silently take the slow path.
     */
    static final java.util.Set<UnaryOp> VECTOR_UNARY = java.util.Collections.unmodifiableSet(
            union(union(FLOAT_LANES, DOUBLE_LANES), COMPARISONS));
    /** The float32 binary ops with a kernel of their own here (pinned by VectorKernelsTest as well). */
    static final java.util.Set<BinaryOp> VECTOR_BINARY = java.util.Collections.unmodifiableSet(java.util.EnumSet.of(
            BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM, BinaryOp.MINIMUM, BinaryOp.EQ,
            BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE, BinaryOp.RELU_BACKWARD,
            BinaryOp.SIGMOID_BACKWARD, BinaryOp.TANH_BACKWARD));

    private static <E extends Enum<E>> java.util.EnumSet<E> union(java.util.Set<E> a, java.util.Set<E> b) {
        java.util.EnumSet<E> u = java.util.EnumSet.copyOf(a);
        u.addAll(b);
        return u;
    }

    /** Public and without arguments: {@link KernelSelection} creates it by reflection. */
    public VectorKernels() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String toString() {
        return "vector, " + FS.vectorBitSize() + "-bit";
    }

    /**
     * Runs body over [0, n) in chunks of {@link #CHUNK}, in parallel when n is large. The per-row callers (the
     * broadcast driver calls unary and binary once per innermost run, e.g. 256 times for a bias add) test
     * {@link #PARALLEL_MIN} first and call their loop directly, so a short call allocates no lambda.
     */
    private interface Range {
        void run(int from, int to);
    }

    private static void chunked(int n, Range body) {
        chunked(n, PARALLEL_MIN, body);
    }

    private static void chunked(int n, int parallelMin, Range body) {
        if (n < parallelMin) {
            body.run(0, n);
            return;
        }
        int tasks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(tasks, t -> body.run(t * CHUNK, Math.min(n, (t + 1) * CHUNK)));
    }

    /** Whether p survives a round trip through float32: then float32 arithmetic with it is exactly the reference. */
    private static boolean isFloat(double p) {
        return (double) (float) p == p || Double.isNaN(p);
    }

    // ---- unary --------------------------------------------------------------------------------------------

    @Override
    public void unary(UnaryOp op, double p, double q, float[] x, int xOff, float[] out, int outOff, int n) {
        if (FLOAT_LANES.contains(op)) {
            int parallelMin = MATH.contains(op) ? PARALLEL_MIN_MATH : PARALLEL_MIN;
            if (n < parallelMin) {
                unaryFloat(op, p, q, x, xOff, out, outOff, n);
            } else {
                chunked(n, parallelMin, (from, to) -> unaryFloat(op, p, q, x, xOff + from, out, outOff + from,
                        to - from));
            }
        } else if (DOUBLE_LANES.contains(op)) {
            if (n < PARALLEL_MIN) {
                unaryDouble(op, p, q, x, xOff, out, outOff, n);
            } else {
                chunked(n, (from, to) -> unaryDouble(op, p, q, x, xOff + from, out, outOff + from, to - from));
            }
        } else if (COMPARISONS.contains(op)) {
            chunked(n, (from, to) -> compareScalar(op, p, q, x, xOff + from, out, outOff + from, to - from));
        } else {
            super.unary(op, p, q, x, xOff, out, outOff, n);
        }
    }

    /**
     * The float32-lane unary ops; the tail goes through the reference. Each case spells out its loop, so that C2
     * sees one straight loop per op. exp, log and tanh come from {@link VectorMath}, not from the Vector API's
     * lanewise operators, whose results change when the JIT compiles them (see VectorMath); log1p, expm1, sin
     * and cos use the scalar reference.
     */
    private static void unaryFloat(UnaryOp op, double p, double q, float[] x, int xOff, float[] out, int outOff,
                                   int n) {
        if (ACTIVATIONS.contains(op)) {
            if ((op == UnaryOp.CELU || op == UnaryOp.CELU_DERIVATIVE || op == UnaryOp.SOFTPLUS) && !isFloat(p)) {
                // alpha or beta not a float: float32 lanes would compute with a different parameter. Rare (the
                // defaults are 1); the reference's loop keeps the result exact.
                for (int i = 0; i < n; i++) {
                    out[outOff + i] = (float) apply(op, x[xOff + i], p, q);
                }
                return;
            }
            activationFloat(op, p, q, x, xOff, out, outOff, n);
            return;
        }
        int bound = FS.loopBound(n);
        int i = 0;
        switch (op) {
            case NEG:
                for (; i < bound; i += FL) {
                    FloatVector.fromArray(FS, x, xOff + i).neg().intoArray(out, outOff + i);
                }
                break;
            case ABS:
                for (; i < bound; i += FL) {
                    FloatVector.fromArray(FS, x, xOff + i).abs().intoArray(out, outOff + i);
                }
                break;
            case SQUARE:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    v.mul(v).intoArray(out, outOff + i);
                }
                break;
            case SQRT:
                for (; i < bound; i += FL) {
                    FloatVector.fromArray(FS, x, xOff + i).sqrt().intoArray(out, outOff + i);
                }
                break;
            case RECIPROCAL: {
                FloatVector one = FloatVector.broadcast(FS, 1f);
                for (; i < bound; i += FL) {
                    one.div(FloatVector.fromArray(FS, x, xOff + i)).intoArray(out, outOff + i);
                }
                break;
            }
            case RELU: {
                // x <= 0 becomes +0 (so relu(-0) = 0, as the reference); NaN compares false and stays NaN.
                FloatVector zero = FloatVector.zero(FS);
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(out, outOff + i);
                }
                break;
            }
            case STEP: {
                FloatVector zero = FloatVector.zero(FS);
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    zero.blend(1f, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
                }
                break;
            }
            case SIGMOID: {
                // e = exp(-|x|) never overflows; sigmoid = 1 / (1 + e) for x >= 0 and e / (1 + e) below.
                FloatVector one = FloatVector.broadcast(FS, 1f);
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    FloatVector e = VectorMath.exp(v.abs().neg());
                    FloatVector r = one.div(one.add(e));
                    r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f)).intoArray(out, outOff + i);
                }
                break;
            }
            case EXP:
                for (; i < bound; i += FL) {
                    VectorMath.exp(FloatVector.fromArray(FS, x, xOff + i)).intoArray(out, outOff + i);
                }
                break;
            case LOG:
                for (; i < bound; i += FL) {
                    VectorMath.log(FloatVector.fromArray(FS, x, xOff + i)).intoArray(out, outOff + i);
                }
                break;
            case TANH:
                for (; i < bound; i += FL) {
                    VectorMath.tanh(FloatVector.fromArray(FS, x, xOff + i)).intoArray(out, outOff + i);
                }
                break;
            default:
                throw new AssertionError(op + " is in FLOAT_LANES but has no loop in unaryFloat");
        }
        if (i < n && MATH.contains(op)) {
            // The last elements through the same lanes, padded: the reference differs in the last bits, and an
            // element's value must not depend on where it falls in the array (a row alone or in a batch).
            float[] pad = new float[FL];
            System.arraycopy(x, xOff + i, pad, 0, n - i);
            unaryFloat(op, p, q, pad, 0, pad, 0, FL);
            System.arraycopy(pad, 0, out, outOff + i, n - i);
            return;
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) apply(op, x[xOff + i], 0, 0);
        }
    }

    /**
     * The smooth activations and their derivatives in float32 lanes, built on {@link VectorMath}'s exp, log and
     * normal cdf; within a few ulp of {@link ActivationMath} (or a few ulp of the larger term where a derivative
     * crosses zero; bounds in VectorKernelsTest). Lanes of a vector that holds NaN or an infinity are recomputed
     * by the reference, so that the special values are exactly its.
     *
     * <p>One loop per op and one small function per activation, as in {@link #unaryFloat}: with every op's
     * formula in one loop body the method grew too large for C2 to keep the vectors in registers, and it ran 20
     * times slower than the scalar reference.
     */
    private static void activationFloat(UnaryOp op, double p, double q, float[] x, int xOff, float[] out,
                                        int outOff, int n) {
        int bound = FS.loopBound(n);
        int i = 0;
        float pf = (float) p;
        float qf = (float) q;
        float qp = (float) (q * p);
        switch (op) {
            case GELU:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, gelu(v), out, outOff, i);
                }
                break;
            case GELU_DERIVATIVE:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, geluDerivative(v), out, outOff, i);
                }
                break;
            case SILU: case SILU_DERIVATIVE: case MISH: case MISH_DERIVATIVE:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, sigmoidFamily(op, v), out, outOff, i);
                }
                break;
            case ELU:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, elu(v, qf, qp), out, outOff, i);
                }
                break;
            case ELU_DERIVATIVE:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, eluDerivative(v, qf, qp), out, outOff, i);
                }
                break;
            case CELU: case CELU_DERIVATIVE:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, celu(op == UnaryOp.CELU, v, pf), out, outOff, i);
                }
                break;
            case SOFTPLUS:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, softplus(v, pf, qf), out, outOff, i);
                }
                break;
            case LOG_SIGMOID:
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
                    store(op, p, q, v, logSigmoid(v), out, outOff, i);
                }
                break;
            default:
                throw new AssertionError(op + " is in ACTIVATIONS but has no loop in activationFloat");
        }
        if (i < n) {
            // The last elements through the same lanes, padded, as in unaryFloat: an element's value must not
            // depend on where it falls in the array (a row alone or in a batch).
            float[] pad = new float[FL];
            System.arraycopy(x, xOff + i, pad, 0, n - i);
            activationFloat(op, p, q, pad, 0, pad, 0, FL);
            System.arraycopy(pad, 0, out, outOff + i, n - i);
        }
    }

    /**
     * Writes r; lanes whose input is NaN or infinite take the reference's value instead. The inputs are taken
     * from {@code v}, not from the array: {@code out} may be the input array (in place, or a padded tail).
     */
    private static void store(UnaryOp op, double p, double q, FloatVector v, FloatVector r, float[] out, int outOff,
                              int i) {
        if (v.test(VectorOperators.IS_FINITE).allTrue()) {
            r.intoArray(out, outOff + i);
            return;
        }
        float[] in = v.toArray();
        r.intoArray(out, outOff + i);
        for (int j = 0; j < FL; j++) {
            if (!Float.isFinite(in[j])) {
                out[outOff + i + j] = (float) apply(op, in[j], p, q);
            }
        }
    }

    /** x Phi(x); for x &lt; 0, (x ratio) e with Phi(x) = ratio e, so that e, subnormal in the far tail, comes last. */
    private static FloatVector gelu(FloatVector v) {
        FloatVector e = VectorMath.expMinusHalfSquare(v);
        FloatVector ratio = VectorMath.normalTailRatio(v);
        return v.mul(ratio.mul(e).neg().add(1f)).blend(v.mul(ratio).mul(e), v.compare(VectorOperators.LT, 0f));
    }

    /** Phi(x) + x phi(x), with x phi(x) = x e / sqrt(2 pi). */
    private static FloatVector geluDerivative(FloatVector v) {
        FloatVector e = VectorMath.expMinusHalfSquare(v);
        FloatVector ratio = VectorMath.normalTailRatio(v);
        FloatVector xPdf = v.mul(0.3989422804014327f);
        return ratio.mul(e).neg().add(1f).add(xPdf.mul(e))
                .blend(ratio.add(xPdf).mul(e), v.compare(VectorOperators.LT, 0f));
    }

    /**
     * silu, mish and their derivatives from h = e^(-|x|/2), e = h^2 and S = 1 / (1 + e): sigmoid(x) = g^2 S and
     * sigmoid(-x) = k^2 S, where g = h for x &lt; 0 (else 1) and k = h for x &gt;= 0 (else 1). The result is
     * factor g g S, with e (subnormal beyond |x| = 87) applied last as two factors h: silu(-90) = -7e-38 keeps
     * all its digits.
     */
    private static FloatVector sigmoidFamily(UnaryOp op, FloatVector v) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        VectorMask<Float> neg = v.compare(VectorOperators.LT, 0f);
        FloatVector h = VectorMath.exp(v.abs().mul(-0.5f));
        FloatVector s = one.div(h.fma(h, one));
        FloatVector g = one.blend(h, neg);
        FloatVector k = h.blend(one, neg);
        FloatVector b = k.mul(k).mul(s);                                    // sigmoid(-x)
        FloatVector factor;
        if (op == UnaryOp.SILU) {
            factor = v;
        } else if (op == UnaryOp.SILU_DERIVATIVE) {
            factor = v.fma(b, one);                                         // 1 + x sigmoid(-x)
        } else if (op == UnaryOp.MISH) {
            // tanh(softplus(x)) = sigmoid(x) (1 + b) / (1 + b^2), since e^-softplus(x) = b.
            // The ratio first: it lies in [1, 1.21], so x times it stays finite where x (1 + b) would overflow
            // (mish(-3e38) is -0, not NaN).
            factor = v.mul(one.add(b).div(b.fma(b, one)));
        } else {
            // mish' = tanh(sp) + x sigmoid(x) sech^2(sp), sech^2(sp) = 4 b^2 / (1 + b^2)^2.
            FloatVector d = b.fma(b, one);
            factor = one.add(b).div(d).add(v.mul(b.mul(b).mul(4f).div(d.mul(d))));
        }
        return factor.mul(g).mul(g).mul(s);
    }

    /** x &gt; 0 ? q x : q p (e^x - 1). */
    private static FloatVector elu(FloatVector v, float qf, float qp) {
        return v.mul(qf).blend(VectorMath.expm1NonPositive(v).mul(qp), v.compare(VectorOperators.LE, 0f));
    }

    /** x &gt; 0 ? q : q p e^x, as (q p h) h with h = e^(x/2): e^x alone is subnormal below -87. */
    private static FloatVector eluDerivative(FloatVector v, float qf, float qp) {
        FloatVector h = VectorMath.exp(v.min(0f).mul(0.5f));
        return FloatVector.broadcast(FS, qf).blend(h.mul(qp).mul(h), v.compare(VectorOperators.LE, 0f));
    }

    /**
     * celu (x &gt; 0 ? x : a (e^(x/a) - 1)) or its derivative (x &gt; 0 ? 1 : e^(x/a)). x / a = d + c exactly to
     * first order (c from the division's remainder): the rounding of d would be multiplied by |d| in e^d, 60 ulps
     * at d = -60.
     */
    private static FloatVector celu(boolean value, FloatVector v, float pf) {
        FloatVector xm = v.min(0f);
        FloatVector d = xm.div(pf);
        FloatVector c = d.neg().fma(FloatVector.broadcast(FS, pf), xm).div(pf);
        VectorMask<Float> le = v.compare(VectorOperators.LE, 0f);
        if (value) {
            FloatVector em1 = VectorMath.expm1NonPositive(d);
            return v.blend(em1.add(em1.add(1f).mul(c)).mul(pf), le);
        }
        return FloatVector.broadcast(FS, 1f).blend(VectorMath.exp(d).mul(c.add(1f)), le);
    }

    /**
     * ln(1 + e^(bx)) / beta, or x where bx &gt; threshold. bx = y + c exactly (fma), and softplus(y + c) =
     * softplus(y) + sigmoid(y) c, so that the rounding of beta x is not amplified where softplus ~ e^(bx).
     */
    private static FloatVector softplus(FloatVector v, float pf, float qf) {
        FloatVector one = FloatVector.broadcast(FS, 1f);
        FloatVector y = v.mul(pf);
        FloatVector c = v.fma(FloatVector.broadcast(FS, pf), y.neg());
        FloatVector u = VectorMath.exp(y.abs().neg());
        FloatVector sig = one.div(one.add(u));
        sig = sig.blend(u.mul(sig), y.compare(VectorOperators.LT, 0f));
        FloatVector sp = y.max(0f).add(VectorMath.log1pNonNegative(u)).add(sig.mul(c));
        return sp.div(pf).blend(v, y.compare(VectorOperators.GT, qf));
    }

    /** min(x, 0) - ln(1 + e^-|x|). */
    private static FloatVector logSigmoid(FloatVector v) {
        return v.min(0f).sub(VectorMath.log1pNonNegative(VectorMath.exp(v.abs().neg())));
    }

    /** Ops with a double parameter, in float64 lanes: bitwise the reference's (float) (x op p). */
    private static void unaryDouble(UnaryOp op, double p, double q, float[] x, int xOff, float[] out, int outOff,
                                    int n) {
        int bound = DS.loopBound(n);
        int i = 0;
        DoubleVector vp = DoubleVector.broadcast(DS, p);
        DoubleVector vq = DoubleVector.broadcast(DS, q);
        for (; i < bound; i += DL) {
            DoubleVector v = widen(x, xOff + i);
            DoubleVector r;
            switch (op) {
                case ADD_SCALAR: r = v.add(vp); break;
                case MUL_SCALAR: r = v.mul(vp); break;
                case RSUB_SCALAR: r = vp.sub(v); break;
                case RDIV_SCALAR: r = vp.div(v); break;
                default: r = v.max(vp).min(vq); break; // CLAMP: max and min propagate NaN, as the reference
            }
            narrow(r, out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) apply(op, x[xOff + i], p, q);
        }
    }

    private static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(FH, x, i).convertShape(VectorOperators.F2D, DS, 0);
    }

    private static void narrow(DoubleVector v, float[] out, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, FH, 0)).intoArray(out, i);
    }

    /** Comparisons with a scalar: 1 or 0. With p (and q) exact in float32, comparing in float32 is exact. */
    private void compareScalar(UnaryOp op, double p, double q, float[] x, int xOff, float[] out, int outOff,
                               int n) {
        if (!isFloat(p) || (op == UnaryOp.BETWEEN && !isFloat(q))) {
            super.unary(op, p, q, x, xOff, out, outOff, n);
            return;
        }
        float pf = (float) p;
        float qf = (float) q;
        FloatVector zero = FloatVector.zero(FS);
        int bound = FS.loopBound(n);
        int i = 0;
        for (; i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(FS, x, xOff + i);
            VectorMask<Float> m;
            switch (op) {
                case GT_SCALAR: m = v.compare(VectorOperators.GT, pf); break;
                case GE_SCALAR: m = v.compare(VectorOperators.GE, pf); break;
                case LT_SCALAR: m = v.compare(VectorOperators.LT, pf); break;
                case LE_SCALAR: m = v.compare(VectorOperators.LE, pf); break;
                case EQ_SCALAR: m = v.compare(VectorOperators.EQ, pf); break;
                case NE_SCALAR: m = v.compare(VectorOperators.NE, pf); break;
                default: m = v.compare(VectorOperators.GE, pf).and(v.compare(VectorOperators.LE, qf)); break;
            }
            zero.blend(1f, m).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) apply(op, x[xOff + i], p, q);
        }
    }

    // ---- binary -------------------------------------------------------------------------------------------

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] out, int outOff, int n) {
        switch (op) {
            case ADD: case SUB: case MUL: case DIV: case MAXIMUM: case MINIMUM:
            case EQ: case NE: case LT: case LE: case GT: case GE: case RELU_BACKWARD:
                if (n < PARALLEL_MIN) {
                    binaryFloat(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
                } else {
                    chunked(n, (from, to) -> binaryFloat(op, a, aOff + from * aStride, aStride, b,
                            bOff + from * bStride, bStride, out, outOff + from, to - from));
                }
                return;
            case SIGMOID_BACKWARD: case TANH_BACKWARD:
                if (n < PARALLEL_MIN) {
                    binaryDouble(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
                } else {
                    chunked(n, (from, to) -> binaryDouble(op, a, aOff + from * aStride, aStride, b,
                            bOff + from * bStride, bStride, out, outOff + from, to - from));
                }
                return;
            default:
                if (VECTOR_BINARY.contains(op)) {
                    throw new AssertionError(op + " is in VECTOR_BINARY but has no loop in binary");
                }
                super.binary(op, a, aOff, aStride, b, bOff, bStride, out, outOff, n);
        }
    }

    /** A vector of x from i, or the broadcast of x[off] when the stride is 0. */
    private static FloatVector load(float[] x, int off, int stride, int i) {
        return stride == 0 ? FloatVector.broadcast(FS, x[off]) : FloatVector.fromArray(FS, x, off + i);
    }

    private static void binaryFloat(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff,
                                    int bStride, float[] out, int outOff, int n) {
        int bound = FS.loopBound(n);
        int i = 0;
        FloatVector zero = FloatVector.zero(FS);
        for (; i < bound; i += FL) {
            FloatVector va = load(a, aOff, aStride, i);
            FloatVector vb = load(b, bOff, bStride, i);
            FloatVector r;
            switch (op) {
                case ADD: r = va.add(vb); break;
                case SUB: r = va.sub(vb); break;
                case MUL: r = va.mul(vb); break;
                case DIV: r = va.div(vb); break;
                case MAXIMUM: r = va.max(vb); break;
                case MINIMUM: r = va.min(vb); break;
                case EQ: r = zero.blend(1f, va.compare(VectorOperators.EQ, vb)); break;
                case NE: r = zero.blend(1f, va.compare(VectorOperators.NE, vb)); break;
                case LT: r = zero.blend(1f, va.compare(VectorOperators.LT, vb)); break;
                case LE: r = zero.blend(1f, va.compare(VectorOperators.LE, vb)); break;
                case GT: r = zero.blend(1f, va.compare(VectorOperators.GT, vb)); break;
                case GE: r = zero.blend(1f, va.compare(VectorOperators.GE, vb)); break;
                default: r = va.blend(zero, vb.compare(VectorOperators.LE, 0f)); break; // RELU_BACKWARD: NaN passes
            }
            r.intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    private static DoubleVector widen(float[] x, int off, int stride, int i) {
        return stride == 0 ? DoubleVector.broadcast(DS, x[off]) : widen(x, off + i);
    }

    /** The backward formulas of sigmoid and tanh in float64 lanes, in the reference's order: bitwise equal. */
    private static void binaryDouble(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff,
                                     int bStride, float[] out, int outOff, int n) {
        int bound = DS.loopBound(n);
        int i = 0;
        DoubleVector one = DoubleVector.broadcast(DS, 1.0);
        for (; i < bound; i += DL) {
            DoubleVector va = widen(a, aOff, aStride, i);
            DoubleVector vb = widen(b, bOff, bStride, i);
            DoubleVector r = op == BinaryOp.SIGMOID_BACKWARD ? va.mul(vb).mul(one.sub(vb))
                    : va.mul(one.sub(vb.mul(vb)));
            narrow(r, out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = (float) apply(op, a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    @Override
    public void where(float[] cond, int cOff, int cStride, float[] a, int aOff, int aStride, float[] b, int bOff,
                      int bStride, float[] out, int outOff, int n) {
        chunked(n, (from, to) -> {
            int len = to - from;
            int co = cOff + from * cStride;
            int ao = aOff + from * aStride;
            int bo = bOff + from * bStride;
            int oo = outOff + from;
            int bound = FS.loopBound(len);
            int i = 0;
            for (; i < bound; i += FL) {
                // cond != 0 is true for NaN, as in the reference.
                VectorMask<Float> m = load(cond, co, cStride, i).compare(VectorOperators.NE, 0f);
                load(b, bo, bStride, i).blend(load(a, ao, aStride, i), m).intoArray(out, oo + i);
            }
            for (; i < len; i++) {
                out[oo + i] = cond[co + i * cStride] != 0 ? a[ao + i * aStride] : b[bo + i * bStride];
            }
        });
    }

    // ---- reductions ---------------------------------------------------------------------------------------

    @Override
    public void reduce(ReduceOp op, float[] x, int xOff, int outer, int len, int inner, float[] out, int outOff) {
        if (op != ReduceOp.SUM && op != ReduceOp.MAX && op != ReduceOp.MIN) {
            super.reduce(op, x, xOff, outer, len, inner, out, outOff);
            return;
        }
        long total = (long) outer * len * inner;
        // Outputs are independent: split over them (rows of the outer axis, or chunks of the inner one).
        if (inner == 1) {
            int rowsPerTask = Math.max(1, CHUNK / Math.max(1, len));
            int tasks = (outer + rowsPerTask - 1) / rowsPerTask;
            java.util.function.IntConsumer body = t -> {
                int end = Math.min(outer, (t + 1) * rowsPerTask);
                for (int o = t * rowsPerTask; o < end; o++) {
                    int base = xOff + o * len;
                    out[outOff + o] = (float) (op == ReduceOp.SUM ? blockSum(x, base, len) : extreme(op, x, base, len));
                }
            };
            forTasks(tasks, total, body);
        } else {
            int colsPerTask = Math.max(2 * FL, CHUNK / Math.max(1, len) / FL * FL);
            int colTasks = (inner + colsPerTask - 1) / colsPerTask;
            forTasks(outer * colTasks, total, t -> {
                int o = t / colTasks;
                int i0 = (t % colTasks) * colsPerTask;
                int i1 = Math.min(inner, i0 + colsPerTask);
                reduceColumns(op, x, xOff + o * len * inner, len, inner, i0, i1, out, outOff + o * inner);
            });
        }
    }

    private static void forTasks(int tasks, long work, java.util.function.IntConsumer body) {
        if (work < PARALLEL_MIN) {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        } else {
            Parallel.forEach(tasks, body);
        }
    }

    /** Max or min of n contiguous floats; NaN wins, as in the reference (Math.max semantics per lane). */
    private static double extreme(ReduceOp op, float[] x, int off, int n) {
        boolean max = op == ReduceOp.MAX;
        float acc = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        int bound = FS.loopBound(n);
        int i = 0;
        if (bound > 0) {
            FloatVector v = FloatVector.broadcast(FS, acc);
            for (; i < bound; i += FL) {
                FloatVector y = FloatVector.fromArray(FS, x, off + i);
                v = max ? v.max(y) : v.min(y);
            }
            acc = v.reduceLanes(max ? VectorOperators.MAX : VectorOperators.MIN);
        }
        for (; i < n; i++) {
            acc = max ? Math.max(acc, x[off + i]) : Math.min(acc, x[off + i]);
        }
        return acc;
    }

    /**
     * Column reductions of a [len, inner] block for columns [i0, i1): vectors run along the columns, the loop
     * along the rows. Sums accumulate in float64 lanes in row order: bitwise the reference's sequential sums.
     */
    private static void reduceColumns(ReduceOp op, float[] x, int base, int len, int inner, int i0, int i1,
                                      float[] out, int outOff) {
        int i = i0;
        if (op == ReduceOp.SUM) {
            for (; i + DL <= i1; i += DL) {
                DoubleVector acc = DoubleVector.zero(DS);
                for (int j = 0; j < len; j++) {
                    acc = acc.add(widen(x, base + j * inner + i));
                }
                narrow(acc, out, outOff + i);
            }
        } else {
            boolean max = op == ReduceOp.MAX;
            for (; i + FL <= i1; i += FL) {
                FloatVector acc = FloatVector.broadcast(FS, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
                for (int j = 0; j < len; j++) {
                    FloatVector y = FloatVector.fromArray(FS, x, base + j * inner + i);
                    acc = max ? acc.max(y) : acc.min(y);
                }
                acc.intoArray(out, outOff + i);
            }
        }
        for (; i < i1; i++) {
            double acc = op == ReduceOp.SUM ? 0.0 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY;
            for (int j = 0; j < len; j++) {
                float v = x[base + j * inner + i];
                acc = op == ReduceOp.SUM ? acc + v : op == ReduceOp.MAX ? Math.max(acc, v) : Math.min(acc, v);
            }
            out[outOff + i] = (float) acc;
        }
    }

    /** Floats summed in one float32 lane before the lane is folded into float64: 16 steps of two vectors. */
    private static final int BLOCK_STEPS = 16;

    /**
     * Sum of n contiguous floats: two float32 vectors accumulate {@link #BLOCK_STEPS} steps (each lane adds 16
     * numbers, so its rounding error stays near 16 ulp of the block), then fold into float64 vectors; the float64
     * lanes are added in a fixed order at the end. Fast as a float sum, accurate as a float64 one.
     */
    static double blockSum(float[] x, int off, int n) {
        DoubleVector total0 = DoubleVector.zero(DS);
        DoubleVector total1 = DoubleVector.zero(DS);
        int block = BLOCK_STEPS * 2 * FL;
        int i = 0;
        for (; i + block <= n; i += block) {
            FloatVector s0 = FloatVector.fromArray(FS, x, off + i);
            FloatVector s1 = FloatVector.fromArray(FS, x, off + i + FL);
            for (int j = 2 * FL; j < block; j += 2 * FL) {
                s0 = s0.add(FloatVector.fromArray(FS, x, off + i + j));
                s1 = s1.add(FloatVector.fromArray(FS, x, off + i + j + FL));
            }
            FloatVector s = s0.add(s1);
            for (int part = 0; part < FL / DL; part++) {
                DoubleVector d = (DoubleVector) s.convertShape(VectorOperators.F2D, DS, part);
                if ((part & 1) == 0) {
                    total0 = total0.add(d);
                } else {
                    total1 = total1.add(d);
                }
            }
        }
        double acc = VectorMath.sumLanes(total0.add(total1));
        for (; i < n; i++) {
            acc += x[off + i];
        }
        return acc;
    }

    @Override
    public double sum(float[] x, int off, int n) {
        if (n < PARALLEL_MIN) {
            return blockSum(x, off, n);
        }
        int tasks = (n + CHUNK - 1) / CHUNK;
        double[] partial = new double[tasks];
        Parallel.forEach(tasks, t -> partial[t] = blockSum(x, off + t * CHUNK, Math.min(CHUNK, n - t * CHUNK)));
        double acc = 0;
        for (double s : partial) {
            acc += s;
        }
        return acc;
    }

    // ---- rows ---------------------------------------------------------------------------------------------

    /** Rows per parallel task of the row kernels: enough that a task has a few thousand elements. */
    private static int rowsPerTask(int cols) {
        return Math.max(1, 4096 / Math.max(1, cols));
    }

    private static void forRows(int rows, int cols, java.util.function.IntConsumer row) {
        int per = rowsPerTask(cols);
        int tasks = (rows + per - 1) / per;
        forTasks(tasks, (long) rows * cols * (PARALLEL_MIN / PARALLEL_MIN_MATH), t -> {
            int end = Math.min(rows, (t + 1) * per);
            for (int r = t * per; r < end; r++) {
                row.accept(r);
            }
        });
    }

    /** Max of a row, NaN-propagating (as the reference's Math.max). */
    private static float rowMax(float[] x, int base, int cols) {
        return (float) extreme(ReduceOp.MAX, x, base, cols);
    }

    /** Writes exp(x - m) for a row to out and returns its sum (float32 lanes, float64 across vectors). */
    private static double expShiftSum(float[] x, int base, int cols, float m, float[] out, int outBase) {
        int bound = FS.loopBound(cols);
        int c = 0;
        double s = 0;
        if (bound > 0) {
            FloatVector vm = FloatVector.broadcast(FS, m);
            FloatVector acc = FloatVector.zero(FS);
            for (; c < bound; c += FL) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(FS, x, base + c).sub(vm));
                if (out != null) {
                    e.intoArray(out, outBase + c);
                }
                acc = acc.add(e);
            }
            s = VectorMath.sumLanes(acc);
        }
        for (; c < cols; c++) {
            float e = (float) Math.exp(x[base + c] - m);
            if (out != null) {
                out[outBase + c] = e;
            }
            s += e;
        }
        return s;
    }

    @Override
    public void softmax(boolean log, float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        forRows(rows, cols, r -> {
            int base = xOff + r * cols;
            int ob = outOff + r * cols;
            float m = rowMax(x, base, cols);
            double s = expShiftSum(x, base, cols, m, log ? null : out, ob);
            int bound = FS.loopBound(cols);
            int c = 0;
            if (log) {
                // (x - m) - log s, in that order: m + log s as one shift would lose log s next to a large m.
                float logS = (float) Math.log(s);
                FloatVector vm = FloatVector.broadcast(FS, m);
                for (; c < bound; c += FL) {
                    FloatVector.fromArray(FS, x, base + c).sub(vm).sub(logS).intoArray(out, ob + c);
                }
                for (; c < cols; c++) {
                    out[ob + c] = (x[base + c] - m) - logS;
                }
            } else {
                float inv = (float) (1.0 / s);
                for (; c < bound; c += FL) {
                    FloatVector.fromArray(FS, out, ob + c).mul(inv).intoArray(out, ob + c);
                }
                for (; c < cols; c++) {
                    out[ob + c] *= inv;
                }
            }
        });
    }

    /** log sum exp of a row, stable; infinite maxima are returned as they are, like the reference. */
    private static double rowLogSumExp(float[] x, int base, int cols) {
        float m = rowMax(x, base, cols);
        if (Float.isInfinite(m)) {
            return m;
        }
        return m + Math.log(expShiftSum(x, base, cols, m, null, 0));
    }

    @Override
    public void logSumExp(float[] x, int xOff, int rows, int cols, float[] out, int outOff) {
        forRows(rows, cols, r -> out[outOff + r] = (float) rowLogSumExp(x, xOff + r * cols, cols));
    }

    @Override
    public void crossEntropy(float[] logits, int off, int rows, int cols, int[] targets, double eps, float[] loss,
                             float[] lse) {
        forRows(rows, cols, r -> {
            int base = off + r * cols;
            double l = rowLogSumExp(logits, base, cols);
            double rowSum = eps != 0 ? blockSum(logits, base, cols) : 0;
            lse[r] = (float) l;
            loss[r] = (float) (l - (1 - eps) * logits[base + targets[r]] - eps / cols * rowSum);
        });
    }

    @Override
    public void crossEntropyBackward(float[] logits, int off, int rows, int cols, int[] targets, double eps,
                                     float[] lse, float[] g, int gOff, int gStride, float[] out, int outOff) {
        float smooth = (float) (eps / cols);
        forRows(rows, cols, r -> {
            int base = off + r * cols;
            int ob = outOff + r * cols;
            float scale = g[gOff + r * gStride];
            float shift = lse[r];
            FloatVector vs = FloatVector.broadcast(FS, shift);
            int bound = FS.loopBound(cols);
            int c = 0;
            for (; c < bound; c += FL) {
                FloatVector p = VectorMath.exp(FloatVector.fromArray(FS, logits, base + c).sub(vs));
                p.sub(smooth).mul(scale).intoArray(out, ob + c);
            }
            for (; c < cols; c++) {
                out[ob + c] = (float) (scale * (Math.exp(logits[base + c] - shift) - smooth));
            }
            // The target's one-hot term, with the reference's formula for that one element.
            int t = targets[r];
            double q = eps / cols + (1 - eps);
            out[ob + t] = (float) (scale * (Math.exp(logits[base + t] - shift) - q));
        });
    }

    // ---- optimiser updates: float64 lanes in the reference's order of operations, so bitwise equal -----------

    @Override
    public void sgdStep(float[] p, float[] g, float[] velocity, int n, double lr, double momentum,
                        double dampening, double weightDecay, boolean nesterov, boolean first) {
        chunked(n, (from, to) -> {
            DoubleVector vwd = DoubleVector.broadcast(DS, weightDecay);
            DoubleVector vlr = DoubleVector.broadcast(DS, lr);
            DoubleVector vmom = DoubleVector.broadcast(DS, momentum);
            DoubleVector vdamp = DoubleVector.broadcast(DS, 1 - dampening);
            int bound = from + DS.loopBound(to - from);
            int i = from;
            for (; i < bound; i += DL) {
                DoubleVector pi = widen(p, i);
                DoubleVector d = widen(g, i).add(vwd.mul(pi));
                if (momentum != 0) {
                    DoubleVector v = first ? d : vmom.mul(widen(velocity, i)).add(vdamp.mul(d));
                    narrow(v, velocity, i);
                    d = nesterov ? d.add(vmom.mul(v)) : v;
                }
                narrow(pi.sub(vlr.mul(d)), p, i);
            }
            for (; i < to; i++) {
                double d = g[i] + weightDecay * p[i];
                if (momentum != 0) {
                    double v = first ? d : momentum * velocity[i] + (1 - dampening) * d;
                    velocity[i] = (float) v;
                    d = nesterov ? d + momentum * v : v;
                }
                p[i] = (float) (p[i] - lr * d);
            }
        });
    }

    @Override
    public void adamStep(float[] p, float[] g, float[] m, float[] v, int n, double lr, double beta1, double beta2,
                         double eps, double weightDecay, boolean decoupled, long t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / bc1;
        double bc2Sqrt = Math.sqrt(bc2);
        double decay = 1 - lr * weightDecay;
        chunked(n, (from, to) -> {
            DoubleVector vb1 = DoubleVector.broadcast(DS, beta1);
            DoubleVector vb2 = DoubleVector.broadcast(DS, beta2);
            DoubleVector v1b1 = DoubleVector.broadcast(DS, 1 - beta1);
            DoubleVector v1b2 = DoubleVector.broadcast(DS, 1 - beta2);
            DoubleVector vwd = DoubleVector.broadcast(DS, weightDecay);
            DoubleVector vdecay = DoubleVector.broadcast(DS, decay);
            DoubleVector vstep = DoubleVector.broadcast(DS, stepSize);
            DoubleVector vbc2 = DoubleVector.broadcast(DS, bc2Sqrt);
            DoubleVector veps = DoubleVector.broadcast(DS, eps);
            int bound = from + DS.loopBound(to - from);
            int i = from;
            for (; i < bound; i += DL) {
                DoubleVector pi = widen(p, i);
                DoubleVector gi = widen(g, i);
                if (decoupled) {
                    pi = pi.mul(vdecay);
                } else {
                    gi = gi.add(vwd.mul(pi));
                }
                DoubleVector mi = vb1.mul(widen(m, i)).add(v1b1.mul(gi));
                DoubleVector vi = vb2.mul(widen(v, i)).add(v1b2.mul(gi).mul(gi));
                narrow(mi, m, i);
                narrow(vi, v, i);
                narrow(pi.sub(vstep.mul(mi).div(vi.sqrt().div(vbc2).add(veps))), p, i);
            }
            for (; i < to; i++) {
                double pi = p[i];
                double gi = g[i];
                if (decoupled) {
                    pi *= decay;
                } else {
                    gi += weightDecay * pi;
                }
                double mi = beta1 * m[i] + (1 - beta1) * gi;
                double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
                m[i] = (float) mi;
                v[i] = (float) vi;
                p[i] = (float) (pi - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps));
            }
        });
    }

    // ---- conversions --------------------------------------------------------------------------------------

    private static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;
    /** Bytes as many as the ints of {@link #IS}. */
    private static final VectorSpecies<Byte> BS = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(Math.max(64, IS.length() * 8)));

    @Override
    public void bytesToFloats(byte[] src, int srcOff, float[] dst, int dstOff, int n, float scale) {
        if (BS.length() != IS.length() || IS.length() != FL) {
            super.bytesToFloats(src, srcOff, dst, dstOff, n, scale);
            return;
        }
        chunked(n, (from, to) -> {
            int bound = from + FS.loopBound(to - from);
            int i = from;
            for (; i < bound; i += FL) {
                IntVector u = (IntVector) ByteVector.fromArray(BS, src, srcOff + i)
                        .convertShape(VectorOperators.B2I, IS, 0);
                FloatVector f = (FloatVector) u.and(0xff).convertShape(VectorOperators.I2F, FS, 0);
                f.mul(scale).intoArray(dst, dstOff + i);
            }
            for (; i < to; i++) {
                dst[dstOff + i] = (src[srcOff + i] & 0xff) * scale;
            }
        });
    }

    @Override
    public void convert(float[] src, int srcOff, double[] dst, int dstOff, int n) {
        chunked(n, (from, to) -> {
            int bound = from + DS.loopBound(to - from);
            int i = from;
            for (; i < bound; i += DL) {
                widen(src, srcOff + i).intoArray(dst, dstOff + i);
            }
            for (; i < to; i++) {
                dst[dstOff + i] = src[srcOff + i];
            }
        });
    }

    @Override
    public void convert(double[] src, int srcOff, float[] dst, int dstOff, int n) {
        chunked(n, (from, to) -> {
            int bound = from + DS.loopBound(to - from);
            int i = from;
            for (; i < bound; i += DL) {
                narrow(DoubleVector.fromArray(DS, src, srcOff + i), dst, dstOff + i);
            }
            for (; i < to; i++) {
                dst[dstOff + i] = (float) src[srcOff + i];
            }
        });
    }

    // ---- matrix products ------------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        FloatGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                     int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        DoubleGemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public int gemmPanelWidth() {
        return FloatGemm.PANEL;
    }

    @Override
    public void gemmPanels(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] panels, int bOff, int width, float beta, float[] c, int cOff, int ldc) {
        FloatGemm.gemmPanels(transA, m, n, k, alpha, a, aOff, lda, panels, bOff, width, beta, c, cOff, ldc);
    }

    @Override
    public void gemmPanels(boolean transA, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                           double[] panels, int bOff, int width, double beta, double[] c, int cOff, int ldc) {
        DoubleGemm.gemmPanels(transA, m, n, k, alpha, a, aOff, lda, panels, bOff, width, beta, c, cOff, ldc);
    }
}
