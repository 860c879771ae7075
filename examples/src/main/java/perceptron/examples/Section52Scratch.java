package perceptron.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.loss.Loss;
import perceptron.plot.TrainingCurves;
import perceptron.tensor.Tensor;
import perceptron.train.Metrics;

/**
 * d2l 5.2.1: an MLP from scratch. The parameters are plain tensors, relu is {@code max(X, 0)}, the model is two
 * matrix products, and the training loop is written out: forward, loss, backward, an SGD step by hand.
 */
public final class Section52Scratch {
    static int numInputs = 784;
    static int numOutputs = 10;
    static int numHiddens = 256;
    static double sigma = 0.01;

    // W1 = nn.Parameter(torch.randn(num_inputs, num_hiddens) * sigma); b1 = zeros(num_hiddens); ...
    static SplittableRandom rng = new SplittableRandom(42);
    static Tensor W1 = Tensor.randn(rng, numInputs, numHiddens).mul(sigma).requiresGrad();
    static Tensor b1 = Tensor.zeros(numHiddens).requiresGrad();
    static Tensor W2 = Tensor.randn(rng, numHiddens, numOutputs).mul(sigma).requiresGrad();
    static Tensor b2 = Tensor.zeros(numOutputs).requiresGrad();
    static List<Tensor> params = List.of(W1, b1, W2, b2);

    /** def relu(X): a = torch.zeros_like(X); return torch.max(X, a) */
    static Tensor relu(Tensor X) {
        Tensor a = Tensor.zerosLike(X);
        return X.maximum(a);
    }

    /** def forward(self, X): X = X.reshape((-1, num_inputs)); H = relu(X @ W1 + b1); return H @ W2 + b2 */
    static Tensor forward(Tensor X) {
        X = X.reshape(-1, numInputs);
        Tensor H = relu(X.matmul(W1).add(b1));
        return H.matmul(W2).add(b2);
    }

    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        FashionMnist data = FashionMnist.load(null);
        int maxEpochs = Examples.epochs(args, 10);
        double lr = 0.1;
        TrainingCurves board = new TrainingCurves("epoch", "train_loss", "val_loss", "val_acc")
                .xlim(0, maxEpochs);
        try (DataLoader trainIter = DataLoader.builder(Examples.train(data, args)).batchSize(256).shuffle(true)
                .seed(42).build();
             DataLoader valIter = DataLoader.sequential(Examples.test(data, args), 256)) {
            int batches = trainIter.batchesPerEpoch();
            for (int epoch = 0; epoch < maxEpochs; epoch++) {
                double lossSum = 0;
                int n = 0;
                int i = 0;
                try (DataLoader.Epoch e = trainIter.epoch(epoch)) {
                    for (Batch batch : e) {
                        Tensor l = Loss.crossEntropy(forward(batch.features()), batch.labels());
                        for (Tensor p : params) {
                            p.zeroGrad();
                        }
                        l.backward();
                        try (Autograd.Scope g = Autograd.noGrad()) {      // with torch.no_grad(): param -= lr * grad
                            for (Tensor p : params) {
                                p.subInPlace(p.grad().mul(lr));
                            }
                        }
                        lossSum += l.item();
                        n++;
                        i++;
                        if (i % Math.max(1, batches / 2) == 0) {       // the board plots twice per epoch
                            board.add(epoch + (double) i / batches, lossSum / n);
                            lossSum = 0;
                            n = 0;
                        }
                    }
                }
                double[] val = evaluate(valIter);
                board.add(epoch + 1, Double.NaN, val[0], val[1]);
                System.out.println("epoch " + (epoch + 1) + "  val_loss " + Examples.f(val[0]) + "  val_acc "
                        + Examples.f(val[1]) + "  (the book's 'val' is the test set)");
            }
        }
        board.save(out.resolve("mlp-scratch"));
        System.out.println("figure: " + out.resolve("mlp-scratch.png"));
    }

    /** Mean loss and accuracy over a loader, without a graph. */
    static double[] evaluate(DataLoader loader) {
        double loss = 0;
        long correct = 0;
        long n = 0;
        try (Autograd.Scope g = Autograd.noGrad(); DataLoader.Epoch e = loader.epoch(0)) {
            for (Batch b : e) {
                Tensor yHat = forward(b.features());
                loss += Loss.crossEntropy(yHat, b.labels()).item() * b.size();
                correct += Metrics.countCorrect(yHat, b.labels());
                n += b.size();
            }
        }
        return new double[] {loss / n, (double) correct / n};
    }
}
