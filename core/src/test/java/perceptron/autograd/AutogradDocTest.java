package perceptron.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Every Java snippet of docs/autograd.md, verbatim, followed by assertions that its comments are true. The last
 * test checks that each ```java block of the page still occurs in this file, so the page cannot drift.
 */
class AutogradDocTest {

    @Test
    void leaves() {
        Tensor x = Tensor.arange(4.0).requiresGrad();   // a leaf that requires grad
        Tensor y = x.mul(x).sum();                       // y = sum(x^2): not a leaf, gradFn "SumBackward"
        y.backward();                                    // dy/dx = 2x
        System.out.println(x.grad());                    // tensor([0., 2., 4., 6.])
        assertEquals("tensor([0., 2., 4., 6.])", x.grad().toString());
        assertTrue(x.isLeaf());
        assertFalse(y.isLeaf());
        assertEquals("SumBackward", y.gradFn());
    }

    @Test
    void accumulation() {
        Tensor x = Tensor.arange(4.0).requiresGrad();
        Tensor y = x.mul(x).sum();
        y.backward(null, true);              // retainGraph: keep the saved x for another pass
        y.backward(null, true);              // gradients add up: x.grad() is now 4x
        x.zeroGrad();                        // zeroes in place (the same tensor, the same memory) - d2l's x.grad.zero_()
        x.clearGrad();                       // or forget it: x.grad() is null again
        assertNull(x.grad());
        y.backward();
        assertEquals("tensor([0., 2., 4., 6.])", x.grad().toString());
    }

    @Test
    void secondDerivative() {
        Tensor x = Tensor.of(0.5).requiresGrad();
        Tensor y = x.tanh();
        y.backward(Tensor.onesLike(y), true, true);   // createGraph: the gradient is recorded too
        Tensor dy = x.grad();                         // 1 - tanh^2(x), and dy.gradFn() is not null
        x.clearGrad();
        dy.backward();                                // d/dx (1 - tanh^2 x) = -2 tanh x (1 - tanh^2 x)
        double t = Math.tanh(0.5);
        assertEquals(-2 * t * (1 - t * t), x.grad().item(), 1e-15);
        assertTrue(dy.isRequiresGrad());
    }

    @Test
    void detachAndNoGrad() {
        Tensor x = Tensor.arange(4.0).requiresGrad();
        Tensor y = x.mul(x);
        Tensor u = y.detach();               // same memory as y, no history: a constant from here on
        Tensor z = u.mul(x).sum();
        z.backward();                        // dz/dx = u = x^2, not 3x^2
        try (var g = Autograd.noGrad()) {    // nothing inside is recorded
            x.subInPlace(x.grad().mul(0.1)); // the hand-written SGD step of d2l
        }
        assertArrayEquals(new double[] {0, 1 - 0.1, 2 - 0.4, 3 - 0.9}, x.toDoubleArray(), 1e-6);
        assertFalse(u.isRequiresGrad());
    }

    @Test
    void inPlace() {
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor c = Tensor.of(3.0, 4.0);
        Tensor y = w.mul(c).sum();           // MulBackward saves c (dy/dw = c)
        c.addInPlace(1.0);                   // c's version goes from 0 to 1
        // y.backward() throws IllegalStateException: one of the variables needed for gradient computation has been
        // modified by an inplace operation: [float64 [2]] is at version 1; expected version 0 instead. It was saved
        // by MulBackward; use an out-of-place op (add instead of addInPlace) or modify a copy.
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("one of the variables needed for gradient computation has been modified"
                + " by an inplace operation: [float64 [2]] is at version 1; expected version 0 instead. It was saved"
                + " by MulBackward; use an out-of-place op (add instead of addInPlace) or modify a copy."),
                e.getMessage());
    }

    @Test
    void functionalGrad() {
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor b = Tensor.of(0.5).requiresGrad();
        Tensor loss = w.mul(w).sum().add(b.mul(3.0).sum());
        Tensor[] g = Autograd.grad(loss, w, b);     // [2w, 3]; w.grad() and b.grad() stay null

        UnaryOperator<Tensor> df = Autograd.grad(t -> t.sin().sum());           // x -> cos x
        UnaryOperator<Tensor> d2f = Autograd.grad(t -> df.apply(t).sum());      // x -> -sin x
        Tensor x = Tensor.of(0.3, 1.2);
        Tensor second = d2f.apply(x);                                            // [-sin 0.3, -sin 1.2]
        assertArrayEquals(new double[] {2, 4}, g[0].toDoubleArray());
        assertArrayEquals(new double[] {3}, g[1].toDoubleArray());
        assertNull(w.grad());
        assertArrayEquals(new double[] {-Math.sin(0.3), -Math.sin(1.2)}, second.toDoubleArray(), 1e-15);
    }

    @Test
    void gradCheck() {
        Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 3, 4).requiresGrad();
        GradCheck.check(in -> in[0].softmax(1), x);              // throws GradCheck.Failure naming the worst element
        GradCheck.checkSecondOrder(in -> in[0].tanh(), x);       // the gradient's own gradient
    }

    @Test
    void anomaly() {
        try {
            Autograd.detectAnomaly(true);    // or run with -Dperceptron.anomaly=true
            Tensor x = Tensor.of(0.0, 4.0).requiresGrad();
            Tensor y = x.sqrt();             // d/dx sqrt(x) = 1 / (2 sqrt x): infinite at 0
            y.sum().backward();
            // IllegalStateException: Function 'SqrtBackward' returned nan or infinite values in its 0th output
            // (gradient of shape [2]). The forward op was created at MyModel.forward(MyModel.java:42)
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().startsWith("Function 'SqrtBackward' returned nan or infinite values in its 0th "
                    + "output (gradient of shape [2]). The forward op was created at perceptron.autograd."
                    + "AutogradDocTest.anomaly(AutogradDocTest.java:"), e.getMessage());
            return;
        } finally {
            Autograd.detectAnomaly(false);
        }
        throw new AssertionError("anomaly mode did not fail");
    }

    @Test
    void kinks() {
        Tensor x = Tensor.of(-1.0, 0.0, 1.0).requiresGrad();
        x.relu().sum().backward();
        System.out.println(x.grad());        // tensor([0., 0., 1.], dtype=float64): relu'(0) = 0
        Tensor a = Tensor.of(-1.0, 0.0, 1.0).requiresGrad();
        a.abs().sum().backward();            // abs'(0) = 0: a.grad() is [-1, 0, 1]
        Tensor c = Tensor.of(-1.0, 0.0, 1.0).requiresGrad();
        c.clamp(-1, 0).sum().backward();     // both edges count as inside: c.grad() is [1, 1, 0]
        Tensor m = Tensor.of(3.0, 1.0, 3.0).requiresGrad();
        m.max().backward();                  // a tie splits the gradient: m.grad() is [0.5, 0, 0.5]
        assertEquals("tensor([0., 0., 1.], dtype=float64)", x.grad().toString());
        assertArrayEquals(new double[] {-1, 0, 1}, a.grad().toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 0}, c.grad().toDoubleArray());
        assertArrayEquals(new double[] {0.5, 0, 0.5}, m.grad().toDoubleArray());
    }

    @Test
    void zeroInitialisedBias() {
        Tensor b = Tensor.zeros(DType.FLOAT64, 3).requiresGrad();   // a bias initialised to 0
        Tensor h = Tensor.zeros(DType.FLOAT64, 3).add(b).relu();    // a zero input: pre-activation exactly 0
        h.sum().backward();
        System.out.println(b.grad());                               // tensor([0., 0., 0.], dtype=float64)
        assertEquals("tensor([0., 0., 0.], dtype=float64)", b.grad().toString());
    }

    @Test
    void dtypes() {
        Tensor a = Tensor.of(1f, 2f);                    // float32 (Java floats)
        Tensor b = Tensor.of(0.5, 0.25);                 // float64 (Java doubles)
        Tensor c = a.mul(b);                             // float64: mixing promotes
        Tensor d = a.mul(0.1);                           // float32: a Java scalar never changes the dtype,
                                                         // and is rounded to float32 first, as in PyTorch
        Tensor i = Tensor.of(3f, 7f, 7f).argmax();       // tensor(1., dtype=float64): first index of the maximum
        Tensor mask = a.gt(1.5);                         // tensor([0., 1.]): a float32 mask of 0s and 1s
        assertEquals(DType.FLOAT64, c.dtype());
        assertEquals(DType.FLOAT32, d.dtype());
        assertEquals((double) (2f * 0.1f), d.get(1), 0.0);
        assertEquals("tensor(1., dtype=float64)", i.toString());
        assertEquals("tensor([0., 1.])", mask.toString());
    }

    // ---- the page and this file agree -------------------------------------------------------------------

    private static String normalise(String code) {
        StringBuilder sb = new StringBuilder();
        for (String line : code.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                sb.append(t).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void everyJavaBlockOfThePageIsInThisFile() throws IOException {
        Path page = Path.of("..", "docs", "autograd.md");
        Path self = Path.of("src", "test", "java", "perceptron", "autograd", "AutogradDocTest.java");
        String doc = Files.readString(page, StandardCharsets.UTF_8);
        String source = normalise(Files.readString(self, StandardCharsets.UTF_8));
        List<String> blocks = new ArrayList<>();
        int at = 0;
        while ((at = doc.indexOf("```java\n", at)) >= 0) {
            int end = doc.indexOf("```", at + 8);
            blocks.add(doc.substring(at + 8, end));
            at = end + 3;
        }
        assertTrue(blocks.size() >= 8, "found " + blocks.size() + " java blocks in " + page);
        for (String b : blocks) {
            assertTrue(source.contains(normalise(b)), "this block of docs/autograd.md is not in AutogradDocTest:\n" + b);
        }
    }
}
