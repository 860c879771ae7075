package perceptron.examples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.loss.Loss;
import perceptron.plot.Plot;
import perceptron.tensor.Tensor;

/**
 * d2l 5.4: vanishing gradients (the sigmoid and its gradient), exploding gradients (a product of 100 Gaussian
 * matrices), and the symmetry that a constant initialisation never breaks (the section's discussion).
 */
public final class Section54Init {
    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);

        // x = torch.arange(-8.0, 8.0, 0.1, requires_grad=True); y = torch.sigmoid(x); y.backward(torch.ones_like(x))
        Tensor x = Tensor.arange(-8.0, 8.0, 0.1).requiresGrad();
        Tensor y = x.sigmoid();
        y.backward(Tensor.onesLike(x));
        Examples.save(Plot.line(x.detach(), y.detach(), x.grad()).legend("sigmoid", "gradient").figsize(4.5, 2.5),
                out, "sigmoid-vanishing");

        // M = torch.normal(0, 1, size=(4, 4)); for i in range(100): M = M @ torch.normal(0, 1, size=(4, 4))
        SplittableRandom rng = new SplittableRandom(0);
        Tensor M = Tensor.randn(rng, 4, 4).toType(perceptron.tensor.DType.FLOAT64);
        System.out.println("a single matrix\n" + M);
        for (int i = 0; i < 100; i++) {
            M = M.matmul(Tensor.randn(rng, 4, 4).toType(perceptron.tensor.DType.FLOAT64));
        }
        System.out.println("after multiplying 100 matrices\n" + M);

        // Symmetry: every hidden unit starts equal, gets the same gradient, and stays equal.
        Sequential net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Initializer.CONSTANT.apply(net, rng);
        Tensor X = Tensor.randn(rng, 8, 4);
        Tensor labels = Tensor.of(new float[] {0, 1, 0, 1, 1, 0, 1, 0});
        for (int step = 0; step < Examples.epochs(args, 100); step++) {
            Tensor l = Loss.crossEntropy(net.forward(X), labels);
            for (Tensor p : net.parameters()) {
                p.zeroGrad();
            }
            l.backward();
            try (var g = perceptron.autograd.Autograd.noGrad()) {
                for (Tensor p : net.parameters()) {
                    p.subInPlace(p.grad().mul(0.5));
                }
            }
        }
        System.out.println("first layer after training from a constant initialisation (3 identical rows):\n"
                + net.namedParameters().get("0.weight"));
    }
}
