package perceptron.autograd;

import static perceptron.tensor.TensorAssert.assertFails;

import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

/** Every autograd error of the issue, with PyTorch's wording (so that users can search for it). */
class AutogradErrorsTest {

    @Test
    void nonScalarBackwardWithoutAGradient() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor y = x.mul(2.0);
        assertFails(IllegalArgumentException.class, y::backward,
                "grad can be implicitly created only for scalar outputs", "[2]", "backward(Tensor.onesLike(y))");
        // A one-element tensor of any rank is fine, as in PyTorch.
        x.sum(0, true).backward();
    }

    @Test
    void gradientOfTheWrongShape() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor y = x.mul(2.0);
        assertFails(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3)),
                "Mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2]");
        assertFails(IllegalArgumentException.class, () -> y.backward(Tensor.ones(1, 2)), "[1, 2]");
    }

    @Test
    void secondBackwardThroughAFreedGraph() {
        Tensor x = Tensor.of(1.0, -2.0).requiresGrad();
        Tensor y = x.relu();
        y.backward(Tensor.onesLike(y));
        assertFails(IllegalStateException.class, () -> y.backward(Tensor.onesLike(y)),
                "Trying to backward through the graph a second time", "Specify retainGraph=true", "ReluBackward");
        // Autograd.grad frees it too.
        Tensor z = x.exp().sum();
        Autograd.grad(z, x);
        assertFails(IllegalStateException.class, () -> Autograd.grad(z, x), "a second time");
    }

    @Test
    void backwardOnATensorThatDoesNotRequireGrad() {
        Tensor x = Tensor.of(1.0, 2.0);
        assertFails(IllegalStateException.class, () -> x.sum().backward(),
                "element 0 of tensors does not require grad and does not have a gradFn", "requiresGrad()");
        Tensor w = Tensor.of(1.0).requiresGrad();
        try (var g = Autograd.noGrad()) {
            Tensor y = w.mul(2.0);
            assertFails(IllegalStateException.class, y::backward, "inside a noGrad scope");
        }
    }

    @Test
    void inPlaceModificationOfASavedTensorNamesTheOp() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor w = Tensor.of(3.0, 4.0);
        Tensor y = x.mul(w);
        w.addInPlace(1.0);
        assertFails(IllegalStateException.class, () -> y.sum().backward(),
                "one of the variables needed for gradient computation has been modified by an inplace operation",
                "[float64 [2]] is at version 1; expected version 0", "It was saved by MulBackward");
        // Through a view: the version counter belongs to the storage.
        Tensor a = Tensor.of(1.0, 2.0, 3.0);
        Tensor b = x.mul(a.slice(0, 0, 2));
        a.select(0, 2).fill(7.0);
        assertFails(IllegalStateException.class, () -> b.sum().backward(), "MulBackward");
    }

    @Test
    void inPlaceOpOnALeafThatRequiresGrad() {
        Tensor x = Tensor.of(1.0).requiresGrad();
        assertFails(IllegalStateException.class, () -> x.addInPlace(1.0),
                "addInPlace: a leaf Variable that requires grad is being used in an in-place operation",
                "Autograd.noGrad()");
        assertFails(IllegalStateException.class, x::zero, "zero: a leaf Variable that requires grad");
        assertFails(IllegalStateException.class, () -> x.fill(2.0), "fill: a leaf Variable that requires grad");
        assertFails(IllegalStateException.class, () -> x.mulInPlace(Tensor.of(2.0)), "mulInPlace");
        assertFails(IllegalStateException.class, () -> x.copyFrom(Tensor.of(2.0)), "copyFrom");
        assertFails(IllegalStateException.class, () -> x.set(2.0, 0), "set");
    }

    @Test
    void inPlaceOpOnANonLeafThatRequiresGradIsRefused() {
        // A difference from PyTorch, which records most in-place ops: here they are never recorded.
        Tensor x = Tensor.of(1.0).requiresGrad();
        Tensor y = x.mul(2.0);
        assertFails(IllegalStateException.class, () -> y.addInPlace(1.0),
                "addInPlace: in-place operations on a tensor computed with gradient tracking (gradFn=MulBackward)",
                "detach()");
    }

    @Test
    void requiresGradFalseOnANonLeaf() {
        Tensor y = Tensor.of(1.0).requiresGrad().exp();
        assertFails(IllegalStateException.class, () -> y.requiresGrad(false),
                "you can only change requiresGrad flags of leaf variables", "var.detach()");
    }

    @Test
    void autogradGradErrors() {
        Tensor x = Tensor.of(1.0).requiresGrad();
        Tensor unused = Tensor.of(2.0).requiresGrad();
        Tensor y = x.exp().sum();
        assertFails(IllegalArgumentException.class,
                () -> Autograd.grad(y, java.util.List.of(x, unused), null, true, false),
                "One of the differentiated Tensors (input 1, shape [1]) appears to not have been used in the graph",
                "allowUnused=true");
        assertFails(IllegalArgumentException.class,
                () -> Autograd.grad(y, java.util.List.of(Tensor.of(1.0)), null, true, false),
                "input 0 (shape [1]) does not require grad");
    }

    @Test
    void retainGradOnATensorThatDoesNotRequireGrad() {
        assertFails(IllegalStateException.class, () -> Tensor.of(1.0).retainGrad(),
                "can't retain_grad on Tensor that has requires_grad=False");
    }

    @Test
    void setGradChecksTheShape() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        assertFails(IllegalArgumentException.class, () -> x.setGrad(Tensor.ones(3)),
                "setGrad: gradient shape [3] differs from the tensor's shape [2]");
    }
}
