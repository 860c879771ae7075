package perceptron.autograd;

import perceptron.internal.tensor.TensorInternals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertClose;
import static perceptron.tensor.TensorAssert.assertValues;

import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** The PyTorch semantics of the tape: leaves, gradFn, accumulation, retainGraph, createGraph, detach, noGrad. */
class BackwardSemanticsTest {

    @Test
    void leavesAndComputedTensors() {
        Tensor x = Tensor.of(1.0, 2.0);
        assertTrue(x.isLeaf());
        assertFalse(x.isRequiresGrad());
        assertSame(x, x.requiresGrad());
        assertTrue(x.isLeaf());
        assertNull(x.gradFn());
        assertNull(x.grad());
        Tensor y = x.mul(3.0).exp();
        assertFalse(y.isLeaf());
        assertTrue(y.isRequiresGrad());
        assertEquals("ExpBackward", y.gradFn());
        // Ops on tensors that do not require grad record nothing: the result is a leaf.
        Tensor z = Tensor.of(1.0).exp();
        assertTrue(z.isLeaf());
        assertFalse(z.isRequiresGrad());
        // requiresGrad(true) on a computed tensor is a no-op (it already requires grad), like PyTorch.
        assertSame(y, y.requiresGrad(true));
        // A leaf can be switched off again.
        assertFalse(Tensor.of(1.0).requiresGrad().requiresGrad(false).isRequiresGrad());
    }

    @Test
    void scalarBackwardFillsLeafGradients() {
        Tensor w = Tensor.of(1.0, -2.0).requiresGrad();
        Tensor b = Tensor.scalar(0.5, DType.FLOAT64).requiresGrad();
        Tensor loss = w.mul(w).sum().add(b.mul(3.0));
        loss.backward();
        assertValues(w.grad(), 2, -4);
        assertValues(b.grad(), 3);
        assertEquals(0, b.grad().dim());
    }

    @Test
    void gradientsAccumulateInPlaceUntilZeroGrad() {
        Tensor x = Tensor.of(1f, 2f, 3f).requiresGrad();
        Tensor y = x.mul(x);
        y.backward(Tensor.onesLike(y), true);
        Tensor first = x.grad();
        float[] memory = TensorInternals.floatData(first);
        assertValues(first, 2, 4, 6);
        y.backward(Tensor.onesLike(y), true);
        assertSame(first, x.grad(), "accumulates into the same tensor");
        assertSame(memory, TensorInternals.floatData(x.grad()), "and the same memory");
        assertValues(x.grad(), 4, 8, 12);
        x.zeroGrad();
        assertSame(first, x.grad(), "zeroGrad keeps the tensor");
        assertSame(memory, TensorInternals.floatData(x.grad()), "and its memory");
        assertValues(x.grad(), 0, 0, 0);
        y.backward(Tensor.onesLike(y));
        assertValues(x.grad(), 2, 4, 6);
        x.clearGrad();
        assertNull(x.grad());
        // zeroGrad before any backward is harmless.
        Tensor fresh = Tensor.of(1f).requiresGrad();
        fresh.zeroGrad();
        assertNull(fresh.grad());
    }

    @Test
    void leafGradientHasTheLeafsDtypeAndShape() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad();
        Tensor y = x.toType(DType.FLOAT64).mul(Tensor.of(0.5, 0.25)).sum();
        assertEquals(DType.FLOAT64, y.dtype());
        y.backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertValues(x.grad(), 0.5, 0.25);
        // A float32 gradient passed for a float64 output is converted, as in PyTorch.
        Tensor z = Tensor.of(1.0, 2.0).requiresGrad();
        z.mul(2.0).backward(Tensor.of(1f, 1f));
        assertEquals(DType.FLOAT64, z.grad().dtype());
        assertValues(z.grad(), 2, 2);
    }

    @Test
    void retainGraphAllowsASecondPassAndItsAbsenceFreesTheGraph() {
        Tensor x = Tensor.of(0.5, 1.0).requiresGrad();
        Tensor y = x.exp().sum();
        y.backward(null, true);
        y.backward(null, true);
        assertClose(new double[] {2 * Math.exp(0.5), 2 * Math.exp(1.0)}, x.grad(), 1e-15, 1e-15, "twice");
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("Trying to backward through the graph a second time"), e.getMessage());
        assertTrue(e.getMessage().contains("Specify retainGraph=true"), e.getMessage());
        assertTrue(e.getMessage().contains("ExpBackward"), e.getMessage());
    }

    @Test
    void graphsWithoutSavedTensorsCanBeWalkedTwiceAsInPyTorch() {
        // add and sum save nothing, so nothing is freed: PyTorch allows the second pass too.
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor y = x.add(1.0).sum();
        y.backward();
        y.backward();
        assertValues(x.grad(), 2, 2);
    }

    @Test
    void createGraphGivesDifferentiableGradientsSecondDerivativeOfTanh() {
        Tensor x = Tensor.linspace(-2, 2, 9, DType.FLOAT64).requiresGrad();
        Tensor y = x.tanh();
        y.backward(Tensor.onesLike(y), true, true);
        Tensor dy = x.grad();
        assertTrue(dy.isRequiresGrad(), "the gradient is itself part of a graph");
        double[] xs = x.toDoubleArray();
        double[] first = new double[xs.length];
        double[] second = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double t = Math.tanh(xs[i]);
            first[i] = 1 - t * t;
            second[i] = -2 * t * (1 - t * t);
        }
        assertClose(first, dy, 1e-15, 1e-14, "tanh'");
        x.clearGrad();
        dy.backward(Tensor.onesLike(dy));
        assertClose(second, x.grad(), 1e-15, 1e-14, "tanh''");
    }

    @Test
    void createGraphWithoutRetainGraphFreesTheFirstGraphAsInPyTorch() {
        // PyTorch's backward(create_graph=True) defaults retain_graph to True; here both flags are explicit, and
        // tanh's double backward needs tanh's saved output, so retainGraph=false makes the second pass fail.
        Tensor x = Tensor.of(0.3, -0.7).requiresGrad();
        Tensor y = x.tanh();
        y.backward(Tensor.onesLike(y), false, true);
        Tensor dy = x.grad();
        x.clearGrad();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dy.sum().backward());
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    }

    @Test
    void accumulationWithCreateGraphIsOutOfPlace() {
        Tensor x = Tensor.of(2.0).requiresGrad();
        Tensor y = x.pow(3);
        y.backward(null, true, true);      // x.grad = 3x^2 = 12, differentiable
        Tensor g1 = x.grad();
        y.backward(null, true, true);      // x.grad = 24, a new tensor; g1 is untouched
        assertValues(g1, 12);
        assertValues(x.grad(), 24);
        assertTrue(x.grad() != g1);
    }

    @Test
    void detachSharesMemoryButNotTheGraph() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor y = x.mul(2.0);
        Tensor d = y.detach();
        assertFalse(d.isRequiresGrad());
        assertTrue(d.isLeaf());
        assertSame(TensorInternals.doubleData(y), TensorInternals.doubleData(d));
        // The version counter is shared, so modifying the detached tensor is caught if the graph needs it.
        Tensor z = y.log();                    // LogBackward saves its input, y
        d.mulInPlace(10.0);
        assertValues(y, 20, 40);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> z.sum().backward());
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        assertTrue(e.getMessage().contains("LogBackward"), e.getMessage());
        // Gradients stop at a detach.
        Tensor a = Tensor.of(3.0).requiresGrad();
        Tensor b = a.mul(a.detach());
        b.sum().backward();
        assertValues(a.grad(), 3);
    }

    @Test
    void noGradScopesNestRestoreAndSurviveExceptions() {
        Tensor x = Tensor.of(1.0).requiresGrad();
        assertTrue(Autograd.isGradEnabled());
        try (var outer = Autograd.noGrad()) {
            assertFalse(x.mul(2.0).isRequiresGrad());
            try (var inner = Autograd.noGrad()) {
                assertFalse(Autograd.isGradEnabled());
            }
            assertFalse(Autograd.isGradEnabled(), "closing the inner scope keeps the outer one");
            try (var on = Autograd.enableGrad()) {
                assertTrue(x.mul(2.0).isRequiresGrad());
            }
            assertFalse(Autograd.isGradEnabled());
        }
        assertTrue(Autograd.isGradEnabled());
        assertThrows(IllegalStateException.class, () -> {
            try (var g = Autograd.noGrad()) {
                throw new IllegalStateException("boom");
            }
        });
        assertTrue(Autograd.isGradEnabled(), "restored after an exception");
    }

    @Test
    void noGradAllowsTheHandWrittenSgdStep() {
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad();
        w.mul(w).sum().backward();
        try (var g = Autograd.noGrad()) {
            w.subInPlace(w.grad().mul(0.1));
        }
        assertValues(w, 0.8, 1.6);
        assertTrue(w.isLeaf());
        assertTrue(w.isRequiresGrad());
    }

    @Test
    void retainGradKeepsGradientsOfNonLeaves() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor h = x.mul(3.0);
        Tensor k = x.mul(2.0);
        assertSame(h, h.retainGrad());
        h.mul(h).sum().add(k.sum()).backward();
        assertValues(h.grad(), 6, 12);
        assertNull(k.grad(), "no retainGrad, no grad for a non-leaf");
        assertValues(x.grad(), 20, 38);         // 2h * 3 + 2
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.of(1.0).retainGrad());
        assertTrue(e.getMessage().contains("can't retain_grad on Tensor that has requires_grad=False"));
    }

    @Test
    void sharedSubexpressionsSumTheirGradients() {
        // A diamond: h feeds y through three paths. y = h^2 + h + 2h with h = e^x: dy/dx = (2h + 3) h.
        Tensor x = Tensor.of(0.1, -0.4).requiresGrad();
        Tensor h = x.exp();
        Tensor y = h.mul(h).add(h).add(h.mul(2.0));
        y.sum().backward();
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double e = Math.exp(x.toDoubleArray()[i]);
            expected[i] = (2 * e + 3) * e;
        }
        assertClose(expected, x.grad(), 1e-14, 1e-14, "diamond");
        // The same leaf twice in one op, and in two broadcast roles.
        Tensor a = Tensor.of(3.0).requiresGrad();
        a.mul(a).add(a.broadcastTo(2, 1).sum()).sum().backward();
        assertValues(a.grad(), 8);
    }

    @Test
    void aDeepChainDoesNotOverflowTheStack() {
        Tensor x = Tensor.of(1.0).requiresGrad();
        Tensor y = x;
        for (int i = 0; i < 10_000; i++) {
            y = y.mul(1.0001);
        }
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 10_000), x.grad().item(), 1e-9);
        // And through a long chain of views and a second derivative.
        Tensor z = Tensor.of(0.5).requiresGrad();
        Tensor w = z;
        for (int i = 0; i < 10_000; i++) {
            w = w.reshape(1, 1).reshape(1);
        }
        Tensor dw = Autograd.grad(w.tanh().sum(), z)[0];
        assertEquals(1 - Math.tanh(0.5) * Math.tanh(0.5), dw.item(), 1e-15);
    }

    @Test
    void backwardFromALeafAndFromSeveralOutputs() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        x.backward(Tensor.of(3.0, 4.0));
        assertValues(x.grad(), 3, 4);
        x.clearGrad();
        Tensor a = x.mul(2.0);
        Tensor b = x.mul(x);
        Autograd.backward(java.util.List.of(a, b), java.util.List.of(Tensor.onesLike(a), Tensor.onesLike(b)), false,
                false);
        assertValues(x.grad(), 4, 6);
    }

    @Test
    void inPlaceOpsBumpTheSharedVersionCounter() {
        Tensor x = Tensor.of(1.0, 2.0, 3.0);
        Tensor view = x.slice(0, 1, 3);
        int v = x.version();
        view.addInPlace(1.0);
        assertEquals(v + 1, x.version());
        assertValues(x, 1, 3, 4);
        x.zero();
        x.fill(2.0);
        x.set(5.0, 0);
        x.copyFrom(Tensor.of(1.0, 1.0, 1.0));
        x.clampInPlace(0, 0.5);
        assertEquals(v + 6, x.version());
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, x.toDoubleArray());
        assertNotNull(x.toString());
    }
}
