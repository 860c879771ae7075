package perceptron.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import perceptron.autograd.GraphDot;
import perceptron.loss.Loss;
import perceptron.tensor.Tensor;

/**
 * d2l 5.3: the computational graph of a one-hidden-layer MLP with L2 regularisation, as the section writes it:
 * {@code z = W1 x, h = phi(z), o = W2 h, L = l(o, y), s = lambda/2 (||W1||^2 + ||W2||^2), J = L + s}. Backward
 * propagation then gives dJ/dW1 and dJ/dW2 by the chain rule; the figure is the graph autograd recorded.
 */
public final class Section53Graph {
    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        SplittableRandom rng = new SplittableRandom(0);
        int d = 4;
        int h = 3;
        int q = 2;
        double lambda = 0.1;
        Tensor x = Tensor.randn(rng, 1, d);
        Tensor y = Tensor.of(1f);
        Tensor W1 = Tensor.randn(rng, h, d).requiresGrad();
        Tensor W2 = Tensor.randn(rng, q, h).requiresGrad();

        Tensor z = x.matmul(W1.t());                       // z = W(1) x
        Tensor hidden = z.relu();                          // h = phi(z)
        Tensor o = hidden.matmul(W2.t());                  // o = W(2) h
        Tensor L = Loss.crossEntropy(o, y);                // L = l(o, y)
        Tensor s = W1.square().sum().add(W2.square().sum()).mul(lambda / 2);   // s = lambda/2 (||W1||^2 + ||W2||^2)
        Tensor J = L.add(s);                               // J = L + s
        J.backward();

        Map<String, Tensor> names = new LinkedHashMap<>();
        names.put("x", x);
        names.put("W1", W1);
        names.put("W2", W2);
        names.put("y", y);
        String dot = GraphDot.render(J, names);
        Files.writeString(out.resolve("backprop-graph.dot"), dot);
        System.out.println("graph: " + out.resolve("backprop-graph.dot"));
        if (GraphDot.isDotInstalled()) {
            Files.writeString(out.resolve("backprop-graph.svg"), GraphDot.toSvg(dot));
            System.out.println("figure: " + out.resolve("backprop-graph.svg"));
        } else {
            System.out.println("(install graphviz to draw it as SVG)");
        }
        // dJ/dW2 = dL/do h^T + lambda W2: the chain rule of the section, checked against autograd.
        Tensor dLdo = o.detach().softmax(1).sub(Tensor.of(new float[] {0, 1}).reshape(1, 2));
        Tensor byHand = dLdo.t().matmul(hidden.detach()).add(W2.detach().mul(lambda));
        System.out.println("dJ/dW2 by autograd: " + W2.grad());
        System.out.println("dJ/dW2 by hand:     " + byHand);
    }
}
