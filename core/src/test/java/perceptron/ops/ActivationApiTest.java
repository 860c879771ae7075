package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** The public face: names, parameters, errors that say what to do, dtypes, shapes and layouts. */
class ActivationApiTest {

    @Test
    void namesAreTheDocumentedOnesInOrder() {
        assertEquals(List.of("relu", "prelu", "leakyRelu", "elu", "selu", "celu", "gelu", "geluTanh", "silu", "mish",
                "softplus", "softsign", "hardtanh", "relu6", "hardSigmoid", "hardSwish", "logSigmoid", "sigmoid",
                "tanh"), Activations.names());
    }

    @Test
    void byNameIgnoresCaseDashesAndUnderscoresAndKnowsSwish() {
        assertEquals("leakyRelu", Activations.canonicalName("LeakyReLU"));
        assertEquals("leakyRelu", Activations.canonicalName("leaky_relu"));
        assertEquals("hardSwish", Activations.canonicalName("hard-swish"));
        assertEquals("silu", Activations.canonicalName("swish"));
        Tensor x = Tensor.of(-1.0, 0.5);
        assertArrayEquals(x.silu().toDoubleArray(), Activations.byName("Swish").apply(x).toDoubleArray());
    }

    @Test
    void unknownNameListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.byName("relu7"));
        assertTrue(e.getMessage().startsWith("unknown activation 'relu7'; valid names: relu, prelu, leakyRelu"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }

    @Test
    void badParametersAreReportedWithTheOperation() {
        Tensor x = Tensor.of(1f, 2f);
        assertMessage("celu: alpha must not be 0", () -> x.celu(0.0));
        assertMessage("softplus: beta must not be 0", () -> x.softplus(0.0, 20.0));
        assertMessage("hardtanh: min 2.0 must not be greater than max 1.0", () -> x.hardtanh(2.0, 1.0));
        assertMessage("gelu: approximate must be \"none\" or \"tanh\", got \"erf\"", () -> x.gelu("erf"));
        assertMessage("leakyRelu: negative slope must be finite", () -> x.leakyRelu(Double.NaN));
        assertMessage("prelu: alpha [3] does not fit input [2]; alpha must have one element (shared) or one per "
                + "channel, i.e. shape [C] for channels on axis 1", () -> Activations.prelu(x, Tensor.zeros(3)));
        assertMessage("prelu: alpha [3] does not fit input [4, 5]",
                () -> Activations.prelu(Tensor.zeros(4, 5), Tensor.zeros(3)));
    }

    @Test
    void preluPromotesMixedDtypesLikeOtherBinaryOps() {
        Tensor x = Tensor.of(-2f, 3f).requiresGrad();
        Tensor alpha = Tensor.full(DType.FLOAT64, 0.5, 1).requiresGrad();
        Tensor y = Activations.prelu(x, alpha);
        assertEquals(DType.FLOAT64, y.dtype());
        y.sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(-2.0, alpha.grad().item());
    }

    private static void assertMessage(String start, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void tensorMethodsAreTheFunctionalOps() {
        Tensor x = Tensor.randn(new SplittableRandom(2), DType.FLOAT32, 3, 4).mul(3.0);
        assertArrayEquals(Activations.gelu(x).toFloatArray(), x.gelu().toFloatArray());
        assertArrayEquals(Activations.gelu(x, "tanh").toFloatArray(), x.gelu("tanh").toFloatArray());
        assertArrayEquals(Activations.gelu(x).toFloatArray(), x.gelu("none").toFloatArray());
        assertArrayEquals(Activations.leakyRelu(x, 0.01).toFloatArray(), x.leakyRelu().toFloatArray());
        assertArrayEquals(Activations.softplus(x, 1, 20).toFloatArray(), x.softplus().toFloatArray());
        assertArrayEquals(Activations.hardtanh(x, 0, 6).toFloatArray(), x.relu6().toFloatArray());
        assertArrayEquals(Activations.elu(x, 1).toFloatArray(), x.celu().toFloatArray(), 1e-7f);
    }

    @Test
    void dtypeShapeAndGradFnArePreserved() {
        for (String name : Activations.names()) {
            UnaryOperator<Tensor> f = Activations.byName(name);
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                Tensor x = Tensor.randn(new SplittableRandom(9), dtype, 2, 3, 4).requiresGrad();
                Tensor y = f.apply(x);
                assertEquals(dtype, y.dtype(), name);
                assertArrayEquals(new int[] {2, 3, 4}, y.shape(), name);
                assertTrue(y.gradFn() != null && y.gradFn().endsWith("Backward"), name + ": " + y.gradFn());
                Tensor scalar = f.apply(Tensor.scalar(0.5, dtype));
                assertEquals(0, scalar.dim(), name + " of a 0-dim tensor");
                Tensor empty = f.apply(Tensor.zeros(dtype, 0, 3));
                assertArrayEquals(new int[] {0, 3}, empty.shape(), name + " of an empty tensor");
            }
        }
    }

    @Test
    void nonContiguousInputsGiveTheSameValuesAndGradients() {
        for (String name : Activations.names()) {
            UnaryOperator<Tensor> f = Activations.byName(name);
            Tensor base = Tensor.randn(new SplittableRandom(4), DType.FLOAT64, 4, 3).mul(4.0);
            Tensor a = base.copy().requiresGrad();
            Tensor b = base.t().contiguous().requiresGrad();
            f.apply(a.t()).mul(Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4)).sum().backward();
            f.apply(b).mul(Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4)).sum().backward();
            assertArrayEquals(b.grad().t().contiguous().toDoubleArray(), a.grad().toDoubleArray(), 0.0, name);
        }
    }

    @Test
    void nanPropagatesThroughEveryActivation() {
        for (String name : Activations.names()) {
            Tensor y = Activations.byName(name).apply(Tensor.of(Double.NaN));
            assertTrue(Double.isNaN(y.item()), name + "(NaN) = " + y.item());
        }
    }

    @Test
    void preluAlphaGradientHasAlphaShapeAndDefaultIsPyTorchs() {
        Tensor x = Tensor.of(new double[][] {{-1, 2, -3}, {4, -5, 0}}).requiresGrad();
        Tensor alpha = Tensor.full(DType.FLOAT64, 0.25, 3).requiresGrad();
        Activations.prelu(x, alpha).sum().backward();
        assertArrayEquals(new int[] {3}, alpha.grad().shape());
        assertArrayEquals(new double[] {-1, -5, -3}, alpha.grad().toDoubleArray());
        assertArrayEquals(new double[] {0.25, 1, 0.25, 1, 0.25, 0.25}, x.grad().toDoubleArray());
        Tensor shared = Tensor.full(DType.FLOAT64, 0.25).requiresGrad();
        x.zeroGrad();
        Activations.prelu(x, shared).sum().backward();
        assertEquals(0, shared.grad().dim());
        assertEquals(-9.0, shared.grad().item());
    }
}
