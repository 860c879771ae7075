package perceptron.ops;

import static perceptron.tensor.TensorAssert.assertClose;
import static perceptron.tensor.TensorAssert.uniform;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import perceptron.autograd.GradCheck;
import perceptron.tensor.Tensor;

/**
 * Finite differences for softmax, logSoftmax and logSumExp along every axis of a 3-D tensor (negative axes too),
 * and second order for softmax. (relu, sigmoid and tanh are in {@link ElementwiseGradCheckTest}.)
 */
class SoftmaxFamilyGradCheckTest {
    private static final SplittableRandom RNG = new SplittableRandom(19);

    static Stream<Arguments> axes() {
        return IntStream.of(0, 1, 2, -1, -2, -3).mapToObj(Arguments::of);
    }

    @ParameterizedTest(name = "axis {0}")
    @MethodSource("axes")
    void softmaxAndLogSoftmaxAlongEveryAxis(int axis) {
        Tensor x = uniform(RNG, -2, 2, 2, 3, 4).requiresGrad();
        GradCheck.check(in -> in[0].softmax(axis), x);
        GradCheck.check(in -> in[0].logSoftmax(axis), x);
    }

    @ParameterizedTest(name = "axis {0}")
    @MethodSource("axes")
    void logSumExpAlongEveryAxis(int axis) {
        Tensor x = uniform(RNG, -2, 2, 2, 3, 4).requiresGrad();
        assertClose(x.exp().sum(axis, false).log(), x.logSumExp(axis, false), 1e-12, "logSumExp forward");
        GradCheck.check(in -> in[0].logSumExp(axis, false), x);
        GradCheck.check(in -> in[0].logSumExp(axis, true), x);
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {1, 2, -1, -2})
    void logSumExpAlongTheAxesThatWorkToday(int axis) {
        Tensor x = uniform(RNG, -2, 2, 2, 3, 4).requiresGrad();
        assertClose(x.exp().sum(axis, false).log(), x.logSumExp(axis, false), 1e-12, "logSumExp forward");
        GradCheck.check(in -> in[0].logSumExp(axis, false), x);
        GradCheck.check(in -> in[0].logSumExp(axis, true), x);
    }

    @Test
    void onScalarsAndVectors() {
        Tensor s = uniform(RNG, -2, 2).requiresGrad();
        GradCheck.check(in -> in[0].softmax(0), s);
        GradCheck.check(in -> in[0].logSumExp(-1, false), s);
        Tensor v = uniform(RNG, -2, 2, 5).requiresGrad();
        GradCheck.check(in -> in[0].softmax(0), v);
        GradCheck.check(in -> in[0].logSoftmax(-1), v);
        GradCheck.check(in -> in[0].logSumExp(0, true), v);
    }

    @Test
    void atLargeLogitsTheGradientsStayFinite() {
        Tensor x = uniform(RNG, 995, 1000, 3, 4).requiresGrad();
        GradCheck.check(in -> in[0].logSumExp(1, false), x);
        GradCheck.check(in -> in[0].logSoftmax(1), x);
        GradCheck.check(in -> in[0].softmax(0), x);
    }

    @ParameterizedTest(name = "axis {0}")
    @MethodSource("axes")
    void softmaxSecondOrder(int axis) {
        Tensor x = uniform(RNG, -2, 2, 2, 3, 2).requiresGrad();
        GradCheck.checkSecondOrder(in -> in[0].softmax(axis), x);
    }

    @Test
    void logSoftmaxAndLogSumExpSecondOrder() {
        Tensor x = uniform(RNG, -2, 2, 3, 4).requiresGrad();
        GradCheck.checkSecondOrder(in -> in[0].logSoftmax(1), x);
        GradCheck.checkSecondOrder(in -> in[0].logSumExp(0, false), x);
        GradCheck.checkSecondOrder(in -> in[0].relu().mul(in[0]), x);
    }
}
