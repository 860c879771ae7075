package perceptron.ops;

import perceptron.internal.tensor.TensorInternals;

import static perceptron.tensor.TensorAssert.awayFromZero;
import static perceptron.tensor.TensorAssert.uniform;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import perceptron.autograd.GradCheck;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Finite differences (float64) against autograd for every elementwise op, on shapes that broadcast in every way
 * NumPy allows. Inputs stay away from kinks (0 for abs, the clamp edges, ties for maximum); the values AT the
 * kinks are tested in {@link KinkValuesTest}.
 */
class ElementwiseGradCheckTest {
    private static final SplittableRandom RNG = new SplittableRandom(7);

    /** Pairs of shapes that broadcast: the cases and a few more. */
    static final List<int[][]> BROADCAST_PAIRS = List.of(
            new int[][] {{3, 1}, {1, 4}},
            new int[][] {{2, 3, 4}, {4}},
            new int[][] {{4}, {2, 3, 4}},
            new int[][] {{}, {2, 3}},
            new int[][] {{2, 3}, {}},
            new int[][] {{}, {}},
            new int[][] {{2, 1, 4}, {3, 1}},
            new int[][] {{5}, {5}},
            new int[][] {{1}, {2, 2}});

    static Stream<Arguments> binaryOps() {
        record Op(String name, BinaryOperator<Tensor> f, boolean positiveB) {
        }
        List<Op> ops = List.of(
                new Op("add", Tensor::add, false),
                new Op("sub", Tensor::sub, false),
                new Op("mul", Tensor::mul, false),
                new Op("div", Tensor::div, true),
                new Op("pow", Tensor::pow, false),
                new Op("maximum", Tensor::maximum, false),
                new Op("minimum", Tensor::minimum, false),
                new Op("where", (a, b) -> Tensor.where(a.detach().gt(0.0), a, b), false));
        return ops.stream().flatMap(op -> BROADCAST_PAIRS.stream().map(p -> Arguments.of(op.name(), op.f(),
                op.positiveB() || op.name().equals("pow"), p[0], p[1])));
    }

    @ParameterizedTest(name = "{0} {3} with {4}")
    @MethodSource("binaryOps")
    void binaryOpGradientsMatchFiniteDifferences(String name, BinaryOperator<Tensor> f, boolean positive,
                                                  int[] shapeA, int[] shapeB) {
        Tensor a;
        Tensor b;
        if (name.equals("pow")) {
            a = uniform(RNG, 0.5, 2.0, shapeA);        // positive base: real powers and logs
            b = uniform(RNG, -2.0, 2.0, shapeB);
        } else if (name.equals("maximum") || name.equals("minimum")) {
            // Disjoint ranges interleaved by sign, so no element pair is within 1e-3 of a tie.
            a = awayFromZero(RNG, 0.1, shapeA);
            b = awayFromZero(RNG, 0.1, shapeB).mul(0.37);
        } else {
            a = awayFromZero(RNG, 0.1, shapeA);
            b = positive ? uniform(RNG, 0.5, 2.0, shapeB) : awayFromZero(RNG, 0.1, shapeB);
        }
        GradCheck.check(in -> f.apply(in[0], in[1]), a.requiresGrad(), b.requiresGrad());
    }

    static Stream<Arguments> unaryOps() {
        record Op(String name, Function<Tensor, Tensor> f, double lo, double hi) {
        }
        return Stream.of(
                new Op("neg", Tensor::neg, -2, 2),
                new Op("exp", Tensor::exp, -2, 2),
                new Op("log", Tensor::log, 0.2, 3),
                new Op("sqrt", Tensor::sqrt, 0.2, 3),
                new Op("abs", Tensor::abs, -2, 2),
                new Op("sign", Tensor::sign, -2, 2),
                new Op("square", Tensor::square, -2, 2),
                new Op("log1p", Tensor::log1p, -0.5, 2),
                new Op("expm1", Tensor::expm1, -2, 2),
                new Op("sin", Tensor::sin, -3, 3),
                new Op("cos", Tensor::cos, -3, 3),
                new Op("pow 0", x -> x.pow(0.0), -2, 2),
                new Op("pow 1", x -> x.pow(1.0), -2, 2),
                new Op("pow 2", x -> x.pow(2.0), -2, 2),
                new Op("pow 3", x -> x.pow(3.0), -2, 2),
                new Op("pow 0.5", x -> x.pow(0.5), 0.2, 3),
                new Op("pow -1", x -> x.pow(-1.0), 0.5, 3),
                new Op("pow -2.5", x -> x.pow(-2.5), 0.5, 3),
                new Op("add scalar", x -> x.add(1.5), -2, 2),
                new Op("sub scalar", x -> x.sub(1.5), -2, 2),
                new Op("rsub", x -> x.rsub(1.5), -2, 2),
                new Op("mul scalar", x -> x.mul(-2.5), -2, 2),
                new Op("div scalar", x -> x.div(-2.5), -2, 2),
                new Op("rdiv", x -> x.rdiv(3.0), 0.5, 3),
                new Op("clamp", x -> x.clamp(-0.5, 0.5), -2, 2),
                new Op("clampMin", x -> x.clampMin(0.3), -2, 2),
                new Op("clampMax", x -> x.clampMax(0.3), -2, 2),
                new Op("relu", Tensor::relu, -2, 2),
                new Op("sigmoid", Tensor::sigmoid, -4, 4),
                new Op("tanh", Tensor::tanh, -3, 3),
                new Op("toType float64 (no-op)", x -> x.toType(DType.FLOAT64), -2, 2),
                new Op("copy", Tensor::copy, -2, 2),
                new Op("alias", Tensor::alias, -2, 2))
                .flatMap(op -> Stream.of(new int[] {}, new int[] {5}, new int[] {2, 3})
                        .map(shape -> Arguments.of(op.name(), op.f(), op.lo(), op.hi(), shape)));
    }

    @ParameterizedTest(name = "{0} on {4}")
    @MethodSource("unaryOps")
    void unaryOpGradientsMatchFiniteDifferences(String name, Function<Tensor, Tensor> f, double lo, double hi,
                                                int[] shape) {
        Tensor x = uniform(RNG, lo, hi, shape);
        // Keep 0.02 away from the kinks that these ranges contain: 0 (abs, relu, sign) and the clamp edges.
        double[] d = TensorInternals.doubleData(x);
        for (int i = 0; i < d.length; i++) {
            for (double kink : new double[] {0.0, 0.5, -0.5, 0.3}) {
                if (Math.abs(d[i] - kink) < 0.02) {
                    d[i] = kink + 0.05;
                }
            }
        }
        GradCheck.check(in -> f.apply(in[0]), x.requiresGrad());
    }

    @Test
    void mixedPrecisionOperandsPromoteAndGradientsComeBackInEachDtype() {
        // float32 operand that does not require grad, float64 one that does: the result and the check are float64.
        Tensor c = Tensor.of(0.5f, -1.5f, 2f);
        Tensor x = uniform(RNG, -1, 1, 3).requiresGrad();
        GradCheck.check(in -> in[0].mul(c).add(c.exp()).div(c.abs().add(1.0)), x);
    }

    @Test
    void chainedBroadcastsSumBackToEachShape() {
        Tensor a = awayFromZero(RNG, 0.1, 3, 1).requiresGrad();
        Tensor b = awayFromZero(RNG, 0.1, 4).requiresGrad();
        Tensor s = awayFromZero(RNG, 0.1).requiresGrad();
        GradCheck.check(in -> in[0].mul(in[1]).add(in[2]).div(in[1].square().add(1.0)).mul(in[0]), a, b, s);
    }

    // ---- second order -----------------------------------------------------------------------------------

    static Stream<Arguments> secondOrder() {
        record Op(String name, Function<Tensor[], Tensor> f, double lo, double hi) {
        }
        return Stream.of(
                new Op("tanh", in -> in[0].tanh(), -2, 2),
                new Op("sigmoid", in -> in[0].sigmoid(), -3, 3),
                new Op("exp", in -> in[0].exp(), -2, 2),
                new Op("log", in -> in[0].log(), 0.3, 3),
                new Op("sqrt", in -> in[0].sqrt(), 0.3, 3),
                new Op("pow 3", in -> in[0].pow(3.0), -2, 2),
                new Op("pow -1.5", in -> in[0].pow(-1.5), 0.5, 2),
                new Op("mul", in -> in[0].mul(in[1]), -2, 2),
                new Op("div", in -> in[0].div(in[1].abs().add(0.5)), -2, 2),
                new Op("pow tensor", in -> in[0].abs().add(0.5).pow(in[1]), -1.5, 1.5),
                new Op("sin cos", in -> in[0].sin().mul(in[1].cos()), -2, 2),
                new Op("abs (0 second derivative)", in -> in[0].abs().mul(in[1]), -2, 2))
                .map(op -> Arguments.of(op.name(), op.f(), op.lo(), op.hi()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrder")
    void secondDerivativesMatchFiniteDifferences(String name, Function<Tensor[], Tensor> f, double lo, double hi) {
        Tensor a = uniform(RNG, lo, hi, 2, 3);
        Tensor b = uniform(RNG, lo, hi, 3);           // broadcast in the second operand
        for (double[] d : new double[][] {TensorInternals.doubleData(a), TensorInternals.doubleData(b)}) {
            for (int i = 0; i < d.length; i++) {
                if (Math.abs(d[i]) < 0.05) {
                    d[i] = 0.1;
                }
            }
        }
        GradCheck.checkSecondOrder(f, a.requiresGrad(), b.requiresGrad());
    }
}
