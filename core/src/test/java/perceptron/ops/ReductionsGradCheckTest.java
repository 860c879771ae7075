package perceptron.ops;

import static perceptron.tensor.TensorAssert.distinct;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import perceptron.autograd.GradCheck;
import perceptron.tensor.Tensor;

/** Finite differences for sum, mean, max and min over all elements, each axis (negative too), and axis sets. */
class ReductionsGradCheckTest {
    private static final SplittableRandom RNG = new SplittableRandom(11);

    static Stream<Arguments> reductions() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int axis : new int[] {0, 1, 2, -1, -2, -3}) {
            for (boolean keep : new boolean[] {false, true}) {
                b.add(Arguments.of("sum(" + axis + ", " + keep + ")", (Function<Tensor, Tensor>) x -> x.sum(axis, keep)));
                b.add(Arguments.of("mean(" + axis + ", " + keep + ")", (Function<Tensor, Tensor>) x -> x.mean(axis, keep)));
                b.add(Arguments.of("max(" + axis + ", " + keep + ")", (Function<Tensor, Tensor>) x -> x.max(axis, keep)));
                b.add(Arguments.of("min(" + axis + ", " + keep + ")", (Function<Tensor, Tensor>) x -> x.min(axis, keep)));
            }
        }
        b.add(Arguments.of("sum()", (Function<Tensor, Tensor>) Tensor::sum));
        b.add(Arguments.of("mean()", (Function<Tensor, Tensor>) Tensor::mean));
        b.add(Arguments.of("max()", (Function<Tensor, Tensor>) Tensor::max));
        b.add(Arguments.of("min()", (Function<Tensor, Tensor>) Tensor::min));
        b.add(Arguments.of("sum([0, 2], false)", (Function<Tensor, Tensor>) x -> x.sum(new int[] {0, 2}, false)));
        b.add(Arguments.of("sum([-1, 0], true)", (Function<Tensor, Tensor>) x -> x.sum(new int[] {-1, 0}, true)));
        b.add(Arguments.of("mean([1, 2], true)", (Function<Tensor, Tensor>) x -> x.mean(new int[] {1, 2}, true)));
        b.add(Arguments.of("mean([0, 1, 2], false)", (Function<Tensor, Tensor>) x -> x.mean(new int[] {0, 1, 2}, false)));
        b.add(Arguments.of("sum of a transposed view", (Function<Tensor, Tensor>) x -> x.transpose(0, 2).sum(1)));
        b.add(Arguments.of("max of a transposed view", (Function<Tensor, Tensor>) x -> x.transpose(0, 2).max(-1)));
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reductions")
    void reductionGradientsMatchFiniteDifferences(String name, Function<Tensor, Tensor> f) {
        // Distinct values: max and min have a single winner, so they are differentiable at these points.
        Tensor x = distinct(RNG, 0.05, 2, 3, 4).requiresGrad();
        GradCheck.check(in -> f.apply(in[0]), x);
    }

    @Test
    void reductionsOfScalarsAndVectors() {
        Tensor s = distinct(RNG, 0.05).requiresGrad();
        GradCheck.check(in -> in[0].sum(), s);
        GradCheck.check(in -> in[0].sum(0), s);
        GradCheck.check(in -> in[0].mean(-1, true), s);
        GradCheck.check(in -> in[0].max(), s);
        Tensor v = distinct(RNG, 0.05, 6).requiresGrad();
        GradCheck.check(in -> in[0].max(0, true), v);
        GradCheck.check(in -> in[0].mean(0), v);
    }

    @Test
    void reductionsComposeWithBroadcasting() {
        // A typical normalisation: (x - mean) / sqrt(var + eps) over the last axis.
        Tensor x = distinct(RNG, 0.05, 3, 4).requiresGrad();
        GradCheck.check(in -> {
            Tensor mu = in[0].mean(-1, true);
            Tensor centred = in[0].sub(mu);
            return centred.div(centred.square().mean(-1, true).add(1e-5).sqrt());
        }, x);
    }

    @Test
    void secondOrderThroughReductions() {
        Tensor x = distinct(RNG, 0.05, 3, 4).requiresGrad();
        GradCheck.checkSecondOrder(in -> in[0].square().sum(1).mul(in[0].max(1)), x);
        GradCheck.checkSecondOrder(in -> in[0].exp().mean(0, true).log(), x);
    }
}
