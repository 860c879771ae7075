package perceptron.ops;

import static perceptron.tensor.TensorAssert.uniform;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import perceptron.autograd.GradCheck;
import perceptron.tensor.Tensor;

/** Finite differences for matmul (every rank combination, broadcast batches, transposed views) and linear. */
class LinalgGradCheckTest {
    private static final SplittableRandom RNG = new SplittableRandom(17);

    static Stream<Arguments> matmulShapes() {
        return Stream.of(
                Arguments.of(new int[] {3}, new int[] {3}),
                Arguments.of(new int[] {2, 3}, new int[] {3}),
                Arguments.of(new int[] {3}, new int[] {3, 4}),
                Arguments.of(new int[] {2, 3}, new int[] {3, 4}),
                Arguments.of(new int[] {1, 1}, new int[] {1, 1}),
                Arguments.of(new int[] {2, 2, 3}, new int[] {3, 4}),
                Arguments.of(new int[] {2, 3}, new int[] {2, 3, 4}),
                Arguments.of(new int[] {2, 2, 3}, new int[] {2, 3, 4}),
                Arguments.of(new int[] {1, 2, 3}, new int[] {2, 3, 2}),
                Arguments.of(new int[] {2, 1, 2, 3}, new int[] {3, 3, 2}),
                Arguments.of(new int[] {3}, new int[] {2, 3, 2}),
                Arguments.of(new int[] {2, 2, 3}, new int[] {3}));
    }

    @ParameterizedTest(name = "{0} @ {1}")
    @MethodSource("matmulShapes")
    void matmulGradientsMatchFiniteDifferences(int[] a, int[] b) {
        GradCheck.check(in -> in[0].matmul(in[1]), uniform(RNG, -1, 1, a).requiresGrad(),
                uniform(RNG, -1, 1, b).requiresGrad());
    }

    @Test
    void transposedViewOperandsAreReadInPlaceAndStillDifferentiate() {
        Tensor a = uniform(RNG, -1, 1, 3, 2).requiresGrad();
        Tensor b = uniform(RNG, -1, 1, 4, 3).requiresGrad();
        GradCheck.check(in -> in[0].t().matmul(in[1].t()), a, b);
        GradCheck.check(in -> in[1].matmul(in[0]).t().matmul(in[1]), a, b);
        Tensor c = uniform(RNG, -1, 1, 2, 3, 4).requiresGrad();
        GradCheck.check(in -> in[0].transpose(-1, -2).matmul(in[0]), c);
        // Strided (sliced) operand that GEMM cannot read directly: copied, gradient still exact.
        Tensor d = uniform(RNG, -1, 1, 3, 6).requiresGrad();
        GradCheck.check(in -> in[0].slice(1, 0, 6, 2).matmul(in[1].t()), d, b.slice(0, 0, 3).detach().requiresGrad());
    }

    @Test
    void linearWithAndWithoutBias() {
        Tensor x = uniform(RNG, -1, 1, 5, 3).requiresGrad();
        Tensor w = uniform(RNG, -1, 1, 4, 3).requiresGrad();
        Tensor bias = uniform(RNG, -1, 1, 4).requiresGrad();
        GradCheck.check(in -> Linalg.linear(in[0], in[1], in[2]), x, w, bias);
        GradCheck.check(in -> Linalg.linear(in[0], in[1], null), x, w);
        Tensor x3 = uniform(RNG, -1, 1, 2, 2, 3).requiresGrad();
        GradCheck.check(in -> Linalg.linear(in[0], in[1], in[2]), x3, w, bias);
        Tensor x1 = uniform(RNG, -1, 1, 3).requiresGrad();
        GradCheck.check(in -> Linalg.linear(in[0], in[1], in[2]), x1, w, bias);
        // A weight stored transposed ([in, out] viewed as [out, in]) and a transposed input.
        Tensor wt = uniform(RNG, -1, 1, 3, 4).requiresGrad();
        Tensor xt = uniform(RNG, -1, 1, 3, 5).requiresGrad();
        GradCheck.check(in -> Linalg.linear(in[0].t(), in[1].t(), in[2]), xt, wt, bias);
    }

    @Test
    void aOneRowProductFollowsItsWeightWhenTheWeightChangesInPlace() {
        // One row goes through a copy of the weight in column panels, kept from call to call (float32 and
        // float64); it must be remade when the weight changes, and agree bitwise with the same row in a batch.
        for (perceptron.tensor.DType type : perceptron.tensor.DType.values()) {
            Tensor w = uniform(RNG, -1, 1, 256, 784).toType(type);
            Tensor x = uniform(RNG, -1, 1, 3, 784).toType(type);
            Tensor row = x.slice(0, 1, 2);
            Tensor before = Linalg.linear(row, w, null);
            w.copyFrom(uniform(RNG, -1, 1, 256, 784).toType(type));
            Tensor after = Linalg.linear(row, w, null);
            Tensor inBatch = Linalg.linear(x, w, null).slice(0, 1, 2);
            org.junit.jupiter.api.Assertions.assertArrayEquals(inBatch.toDoubleArray(), after.toDoubleArray(),
                    type + ": one row after the weight changed");
            org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(before.toDoubleArray(),
                    after.toDoubleArray()), type + ": the old copy was used");
        }
    }

    @Test
    void linearMatchesMatmulPlusBias() {
        Tensor x = uniform(RNG, -1, 1, 5, 3);
        Tensor w = uniform(RNG, -1, 1, 4, 3);
        Tensor b = uniform(RNG, -1, 1, 4);
        perceptron.tensor.TensorAssert.assertClose(x.matmul(w.t()).add(b), Linalg.linear(x, w, b), 1e-14, "linear");
    }

    @Test
    void secondOrderThroughMatmul() {
        Tensor a = uniform(RNG, -1, 1, 2, 3).requiresGrad();
        Tensor b = uniform(RNG, -1, 1, 3, 2).requiresGrad();
        GradCheck.checkSecondOrder(in -> in[0].matmul(in[1]).tanh(), a, b);
        GradCheck.checkSecondOrder(in -> in[0].matmul(in[1]).matmul(in[0]), a, b);
        Tensor w = uniform(RNG, -1, 1, 4, 3).requiresGrad();
        Tensor bias = uniform(RNG, -1, 1, 4).requiresGrad();
        GradCheck.checkSecondOrder(in -> Linalg.linear(in[0], in[1], in[2]).sigmoid(), a, w, bias);
    }
}
