package perceptron.ops;

import static perceptron.tensor.TensorAssert.uniform;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import perceptron.autograd.GradCheck;
import perceptron.tensor.Tensor;

/** Finite differences for the ops that move elements: views, copies, gathers and joins. */
class ShapeOpsGradCheckTest {
    private static final SplittableRandom RNG = new SplittableRandom(13);

    private static Arguments op(String name, Function<Tensor, Tensor> f) {
        return Arguments.of(name, f);
    }

    static Stream<Arguments> moves() {
        return Stream.of(
                op("reshape", x -> x.reshape(4, 6)),
                op("reshape -1", x -> x.reshape(-1, 3)),
                op("reshape of a transposed view (copies)", x -> x.transpose(0, 2).reshape(-1)),
                op("flatten", Tensor::flatten),
                op("flatten(1, 2)", x -> x.flatten(1, 2)),
                op("transpose(0, 2)", x -> x.transpose(0, 2)),
                op("transpose(-1, -2)", x -> x.transpose(-1, -2)),
                op("permute(2, 0, 1)", x -> x.permute(2, 0, 1)),
                op("unsqueeze(1)", x -> x.unsqueeze(1)),
                op("unsqueeze(-1)", x -> x.unsqueeze(-1)),
                op("squeeze after unsqueeze", x -> x.unsqueeze(0).squeeze(0)),
                op("squeeze()", x -> x.reshape(2, 1, 12, 1).squeeze()),
                op("broadcastTo", x -> x.reshape(2, 3, 1, 4).broadcastTo(2, 3, 2, 4)),
                op("broadcastTo new leading axes", x -> x.broadcastTo(2, 2, 3, 4)),
                op("sumTo", x -> x.sumTo(3, 1)),
                op("sumTo []", x -> x.sumTo()),
                op("slice", x -> x.slice(1, 1, 3)),
                op("slice with step", x -> x.slice(2, 0, 4, 3)),
                op("slice with negative bounds", x -> x.slice(-1, -3, -1)),
                op("slice of a slice", x -> x.slice(2, 1, 4).slice(2, 1, 3, 1)),
                op("select", x -> x.select(1, 2)),
                op("select negative", x -> x.select(-1, -1)),
                op("indexSelect with repeats", x -> x.indexSelect(2, 3, 0, 3, 3)),
                op("indexSelect negative", x -> x.indexSelect(0, -1, 0)),
                op("contiguous of a transposed view", x -> x.transpose(1, 2).contiguous()),
                op("t of a matrix", x -> x.select(0, 1).t()),
                op("concat with itself", x -> Tensor.concat(1, x, x.mul(2.0))),
                op("stack with itself", x -> Tensor.stack(-1, x, x.square())),
                op("elementwise on a transposed view", x -> x.transpose(0, 1).mul(x.transpose(0, 1)).exp()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("moves")
    void shapeOpGradientsMatchFiniteDifferences(String name, Function<Tensor, Tensor> f) {
        Tensor x = uniform(RNG, -1, 1, 2, 3, 4).requiresGrad();
        GradCheck.check(in -> f.apply(in[0]), x);
    }

    @Test
    void concatAndStackOfSeveralInputs() {
        Tensor a = uniform(RNG, -1, 1, 2, 3).requiresGrad();
        Tensor b = uniform(RNG, -1, 1, 2, 1).requiresGrad();
        Tensor c = uniform(RNG, -1, 1, 2, 2).requiresGrad();
        GradCheck.check(in -> Tensor.concat(1, in[0], in[1], in[2]), a, b, c);
        GradCheck.check(in -> Tensor.concat(-1, in[2], in[0]).sum(0), a, b, c);
        Tensor d = uniform(RNG, -1, 1, 2, 3).requiresGrad();
        GradCheck.check(in -> Tensor.stack(0, in[0], in[1]), a, d);
        GradCheck.check(in -> Tensor.stack(2, in[0], in[1]), a, d);
    }

    @Test
    void secondOrderThroughViews() {
        Tensor x = uniform(RNG, -1, 1, 3, 4).requiresGrad();
        GradCheck.checkSecondOrder(in -> in[0].t().slice(0, 1, 3).tanh().indexSelect(1, 2, 2, 0), x);
        GradCheck.checkSecondOrder(in -> Tensor.concat(0, in[0], in[0].exp()).reshape(2, -1).sigmoid(), x);
    }
}
