package perceptron.internal.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp, log and tanh on float32 lanes, built only from operations IEEE 754 defines exactly (add, multiply, fma,
 * compare, bit moves), with Cephes' polynomials: within 2 ulp of the float64 reference.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API computes those with {@code Math} until C2
 * compiles the loop and with Intel's SVML afterwards, and the two differ in the last bit. A training run then
 * depends on when the JIT kicked in: the same seed gave different weights from one run to the next (measured:
 * 28,494 of 200,704 first-layer weights differed after 20 steps). These functions give the same bits
 * interpreted, compiled, on 1 or 2 threads and on any x86 or ARM CPU, which is what makes a seed reproduce a run.
 */
final class VectorMath {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split in two so that n * LN2_HI is exact for |n| < 2^9 (Cody and Waite).
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** Adding and subtracting 1.5 * 2^23 rounds a float to the nearest integer (ties to even). */
    private static final float ROUND = 12582912f;
    private static final float EXP_OVERFLOW = 88.72283905206835f;
    private static final float EXP_UNDERFLOW = -103.97207708f;
    private static final float SQRT_HALF = 0.707106781186547524f;

    private VectorMath() {
    }

    /**
     * The sum of the lanes, first to last. {@code reduceLanes(ADD)} may add in another order once compiled (its
     * javadoc allows it), which changes the last bit of a softmax between the first and the thousandth step.
     */
    static float sumLanes(FloatVector v) {
        // Constant lane indices: a variable index is not intrinsified and falls back to a slow copy.
        switch (v.length()) {
            case 4:
                return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3);
            case 8:
                return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3) + v.lane(4) + v.lane(5) + v.lane(6) + v.lane(7);
            default: {
                float s = 0;
                for (int i = 0; i < v.length(); i++) {
                    s += v.lane(i);
                }
                return s;
            }
        }
    }

    /** The sum of the lanes, first to last (see {@link #sumLanes(FloatVector)}). */
    static double sumLanes(jdk.incubator.vector.DoubleVector v) {
        switch (v.length()) {
            case 2:
                return v.lane(0) + v.lane(1);
            case 4:
                return v.lane(0) + v.lane(1) + v.lane(2) + v.lane(3);
            default: {
                double s = 0;
                for (int i = 0; i < v.length(); i++) {
                    s += v.lane(i);
                }
                return s;
            }
        }
    }

    private static FloatVector splat(float v) {
        return FloatVector.broadcast(FS, v);
    }

    /** e^x. Overflows to +inf above ~88.72, underflows to 0 below ~-103.97 (through the subnormals); NaN stays. */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(EXP_UNDERFLOW).min(EXP_OVERFLOW);
        FloatVector n = clamped.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(splat(-LN2_HI), clamped);
        r = n.fma(splat(-LN2_LO), r);
        // Cephes expf on |r| <= ln2 / 2: e^r = 1 + r + r^2 p(r).
        FloatVector p = FloatVector.broadcast(FS, 1.9875691500e-4f);
        p = p.fma(r, splat(1.3981999507e-3f));
        p = p.fma(r, splat(8.3334519073e-3f));
        p = p.fma(r, splat(4.1665795894e-2f));
        p = p.fma(r, splat(1.6666665459e-1f));
        p = p.fma(r, splat(5.0000001201e-1f));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n in two factors, so that n down to -150 (subnormal results) needs no special case.
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector half = k.lanewise(VectorOperators.ASHR, 1);
        y = y.mul(powerOfTwo(half)).mul(powerOfTwo(k.sub(half)));
        VectorMask<Float> over = x.compare(VectorOperators.GT, EXP_OVERFLOW);
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_UNDERFLOW);
        y = y.blend(Float.POSITIVE_INFINITY, over).blend(0f, under);
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** 2^k for k in [-126, 127], as a float built from its exponent bits. */
    private static FloatVector powerOfTwo(IntVector k) {
        return (FloatVector) k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretShape(FS, 0);
    }

    /** ln x. ln 0 = -inf, ln of a negative = NaN, ln +inf = +inf; subnormals are scaled up first. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> tiny = x.compare(VectorOperators.LT, Float.MIN_NORMAL);
        FloatVector scaled = x.blend(x.mul(8388608f), tiny);          // 2^23
        IntVector bits = (IntVector) scaled.reinterpretShape(IS, 0);
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(127);
        FloatVector m = (FloatVector) bits.and(0x007fffff).or(0x3f800000).reinterpretShape(FS, 0);
        // m in [1, 2); move it to [sqrt(1/2), sqrt(2)) so that f = m - 1 is small either way.
        VectorMask<Float> big = m.compare(VectorOperators.GT, 2 * SQRT_HALF);
        m = m.blend(m.mul(0.5f), big);
        FloatVector ef = ((FloatVector) e.convert(VectorOperators.I2F, 0))
                .add(FloatVector.zero(FS).blend(1f, big))
                .sub(FloatVector.zero(FS).blend(23f, tiny));
        FloatVector f = m.sub(1f);
        FloatVector z = f.mul(f);
        // Cephes logf: ln(1 + f) = f - f^2 / 2 + f^3 q(f).
        FloatVector q = FloatVector.broadcast(FS, 7.0376836292e-2f);
        q = q.fma(f, splat(-1.1514610310e-1f));
        q = q.fma(f, splat(1.1676998740e-1f));
        q = q.fma(f, splat(-1.2420140846e-1f));
        q = q.fma(f, splat(1.4249322787e-1f));
        q = q.fma(f, splat(-1.6668057665e-1f));
        q = q.fma(f, splat(2.0000714765e-1f));
        q = q.fma(f, splat(-2.4999993993e-1f));
        q = q.fma(f, splat(3.3333331174e-1f));
        FloatVector y = q.mul(f).mul(z);
        y = ef.fma(splat(LN2_LO), y);
        y = z.fma(splat(-0.5f), y);
        FloatVector result = f.add(y).add(ef.mul(LN2_HI));
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        result = result.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return result.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /** tanh x: an odd polynomial below |x| = 0.625 (no cancellation), 1 - 2 / (e^(2|x|) + 1) above. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        // Cephes tanhf, |x| < 0.625.
        FloatVector p = FloatVector.broadcast(FS, -5.70498872745e-3f);
        p = p.fma(z, splat(2.06390887954e-2f));
        p = p.fma(z, splat(-5.37397155531e-2f));
        p = p.fma(z, splat(1.33314422036e-1f));
        p = p.fma(z, splat(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = exp(a.add(a).min(40f));
        FloatVector large = FloatVector.broadcast(FS, 1f).sub(FloatVector.broadcast(FS, 2f).div(e.add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector y = small.blend(large, a.compare(VectorOperators.GE, 0.625f));
        return y.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /**
     * ln(1 + u) for u &gt;= 0 (or NaN), without losing u when it is tiny: w = 1 + u is rounded, and
     * ln(w) u / (w - 1) corrects for that rounding (Goldberg, "What every computer scientist should know about
     * floating-point arithmetic", theorem 4); where w rounds to 1, ln(1 + u) = u to float precision.
     */
    static FloatVector log1pNonNegative(FloatVector u) {
        FloatVector w = u.add(1f);
        FloatVector wm1 = w.sub(1f);
        FloatVector r = log(w).mul(u).div(wm1);
        return r.blend(u, wm1.compare(VectorOperators.EQ, 0f));
    }

    /**
     * e^x - 1 for x &lt;= 0 (larger x are treated as 0: callers blend them away), accurate near 0 where
     * e^x - 1 cancels: with u = e^x rounded, (u - 1) x / ln u (Kahan's trick; the error of u cancels between the
     * numerator and ln u); x itself where u rounds to 1, and -1 where u - 1 does.
     */
    static FloatVector expm1NonPositive(FloatVector x) {
        FloatVector xm = x.min(0f);
        FloatVector u = exp(xm);
        FloatVector um1 = u.sub(1f);
        FloatVector r = um1.mul(xm).div(log(u));
        r = r.blend(xm, um1.compare(VectorOperators.EQ, 0f));
        return r.blend(-1f, um1.compare(VectorOperators.EQ, -1f));
    }

    private static final float INV_SQRT2_HI = 0.70710677f;
    private static final float INV_SQRT2_LO = (float) (0.7071067811865476 - 0.70710677f);
    /** Beyond |x| = 15 both Phi(-|x|) and phi(x) are below the smallest float: clamping keeps z^2 finite. */
    private static final float NORMAL_TAIL = 15f;

    /**
     * e^(-x^2 / 2) for finite x, to a few ulp also in the tail. With z = |x| / sqrt 2, z^2 is carried as a sum of
     * two floats: rounding |x| / sqrt 2 and its square would each cost up to 2 z^2 ulps (160 ulps at z = 9).
     * Then e^(-z^2) = e^(-hi) (1 - lo) to first order.
     */
    static FloatVector expMinusHalfSquare(FloatVector x) {
        FloatVector a = x.abs().min(NORMAL_TAIL);
        FloatVector z = a.mul(INV_SQRT2_HI);
        FloatVector zLow = a.fma(splat(INV_SQRT2_HI), z.neg()).add(a.mul(INV_SQRT2_LO));
        FloatVector z2 = z.mul(z);
        FloatVector z2Low = z.fma(z, z2.neg()).add(z.add(z).mul(zLow));
        return exp(z2.neg()).mul(FloatVector.broadcast(FS, 1f).sub(z2Low));
    }

    /**
     * Phi(-|x|) / e^(-x^2 / 2) for finite x, Phi the standard normal cdf: erfc(z) / 2 = (t e^P(t) / 2) e^(-z^2)
     * with z = |x| / sqrt 2 and t = 1 / (1 + z / 2). P (degree 9, written out so that C2 sees constants) was
     * fitted by tools/reference/erfc_float_fit.py on z in [0, 10.1], beyond which erfc is below the smallest
     * float; the whole formula is within 3.5e-7 relative in float32 when z^2 is exact. Callers multiply by {@link #expMinusHalfSquare} last, so that a result that is a
     * normal float keeps its digits even where e^(-x^2 / 2) alone is subnormal. Within about 4 ulp.
     */
    static FloatVector normalTailRatio(FloatVector x) {
        FloatVector z = x.abs().min(NORMAL_TAIL).mul(INV_SQRT2_HI);
        FloatVector t = FloatVector.broadcast(FS, 1f).div(z.mul(0.5f).add(1f));
        FloatVector p = FloatVector.broadcast(FS, 0.14574456214904785f);
        p = p.fma(t, splat(-0.6852697730064392f));
        p = p.fma(t, splat(1.1672064065933228f));
        p = p.fma(t, splat(-0.710214376449585f));
        p = p.fma(t, splat(-0.06871341168880463f));
        p = p.fma(t, splat(-0.004886916372925043f));
        p = p.fma(t, splat(0.03669869899749756f));
        p = p.fma(t, splat(0.3862014412879944f));
        p = p.fma(t, splat(0.9986839294433594f));
        p = p.fma(t, splat(-1.2654504776000977f));
        return t.mul(exp(p)).mul(0.5f);
    }
}
