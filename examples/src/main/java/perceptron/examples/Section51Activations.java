package perceptron.examples;

import java.nio.file.Path;
import perceptron.plot.Plot;
import perceptron.tensor.Tensor;

/** d2l 5.1: ReLU, sigmoid and tanh, and their gradients by autograd; the six figures of the section. */
public final class Section51Activations {
    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);

        // x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True); y = torch.relu(x)
        Tensor x = Tensor.arange(-8.0, 8.0, 0.1).requiresGrad();
        Tensor y = x.relu();
        Examples.save(Plot.line(x.detach(), y.detach()).xlabel("x").ylabel("relu(x)").figsize(5, 2.5), out, "relu");
        // y.backward(torch.ones_like(x), retain_graph=True)
        y.backward(Tensor.onesLike(x), true);
        Examples.save(Plot.line(x.detach(), x.grad()).xlabel("x").ylabel("grad of relu").figsize(5, 2.5), out,
                "relu-grad");

        y = x.sigmoid();
        Examples.save(Plot.line(x.detach(), y.detach()).xlabel("x").ylabel("sigmoid(x)").figsize(5, 2.5), out,
                "sigmoid");
        x.zeroGrad();                                  // x.grad.data.zero_()
        y.backward(Tensor.onesLike(x), true);
        Examples.save(Plot.line(x.detach(), x.grad()).xlabel("x").ylabel("grad of sigmoid").figsize(5, 2.5), out,
                "sigmoid-grad");

        y = x.tanh();
        Examples.save(Plot.line(x.detach(), y.detach()).xlabel("x").ylabel("tanh(x)").figsize(5, 2.5), out, "tanh");
        x.zeroGrad();
        y.backward(Tensor.onesLike(x), true);
        Examples.save(Plot.line(x.detach(), x.grad()).xlabel("x").ylabel("grad of tanh").figsize(5, 2.5), out,
                "tanh-grad");

        // What the figures show at 0: the largest gradients of sigmoid (0.25) and tanh (1); relu'(0) is 0, as PyTorch.
        Tensor zero = Tensor.of(0.0).requiresGrad();
        zero.sigmoid().sum().backward();
        double sigmoidAt0 = zero.grad().item();
        zero.zeroGrad();
        zero.tanh().sum().backward();
        double tanhAt0 = zero.grad().item();
        zero.zeroGrad();
        zero.relu().sum().backward();
        System.out.println("sigmoid'(0) = " + sigmoidAt0 + ", tanh'(0) = " + tanhAt0 + ", relu'(0) = "
                + zero.grad().item());
    }
}
