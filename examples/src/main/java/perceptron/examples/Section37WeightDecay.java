package perceptron.examples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.data.ArrayDataset;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.Synthetic;
import perceptron.plot.TrainingCurves;
import perceptron.tensor.Tensor;

/**
 * Weight decay from scratch (d2l 3.7 in the current edition; 4.5 in the older one): 200 inputs, only 20 training
 * examples, so linear regression overfits; the penalty lambda/2 ||w||^2 keeps the weights small and the
 * validation loss down. Two figures: lambda = 0 and lambda = 3.
 */
public final class Section37WeightDecay {
    static final int NUM_INPUTS = 200;

    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        // Data(num_train=20, num_val=100, num_inputs=200): y = 0.05 + sum(0.01 x_i) + N(0, 0.01^2)
        double[] w = new double[NUM_INPUTS];
        java.util.Arrays.fill(w, 0.01);
        ArrayDataset train = Synthetic.linear(w, 0.05, 20, 0.01, 1);
        ArrayDataset val = Synthetic.linear(w, 0.05, 100, 0.01, 2);
        for (double lambd : new double[] {0, 3}) {
            // 20 examples: the book's 10 epochs take a moment, so even a short run trains them all.
            double norm = trainScratch(lambd, train, val, 10,
                    out.resolve("weight-decay-lambda-" + (int) lambd));
            System.out.println("lambda " + lambd + ": L2 norm of w: " + Examples.f(norm));
        }
    }

    /** l2_penalty(w) = (w ** 2).sum() / 2 */
    static Tensor l2Penalty(Tensor w) {
        return w.square().sum().div(2);
    }

    /** Trains LinearRegressionScratch with weight decay lambd (lr 0.01, batch 5); returns ||w||. */
    static double trainScratch(double lambd, ArrayDataset train, ArrayDataset val, int maxEpochs, Path figure) {
        SplittableRandom rng = new SplittableRandom(0);
        Tensor w = Tensor.randn(rng, NUM_INPUTS, 1).mul(0.01).requiresGrad();
        Tensor b = Tensor.zeros(1).requiresGrad();
        double lr = 0.01;
        TrainingCurves board = new TrainingCurves("epoch", "train_loss", "val_loss").yscale("log")
                .xlim(0, maxEpochs).title("lambda = " + lambd);
        try (DataLoader trainIter = DataLoader.builder(train).batchSize(5).shuffle(true).seed(0).build()) {
            for (int epoch = 0; epoch < maxEpochs; epoch++) {
                try (DataLoader.Epoch e = trainIter.epoch(epoch)) {
                    for (Batch batch : e) {
                        Tensor yHat = batch.features().matmul(w).add(b);
                        // loss = (y_hat - y) ** 2 / 2, averaged, + lambd * l2_penalty(w)
                        Tensor l = yHat.sub(batch.labels()).square().div(2).mean().add(l2Penalty(w).mul(lambd));
                        w.zeroGrad();
                        b.zeroGrad();
                        l.backward();
                        try (Autograd.Scope g = Autograd.noGrad()) {
                            w.subInPlace(w.grad().mul(lr));
                            b.subInPlace(b.grad().mul(lr));
                        }
                    }
                }
                try (Autograd.Scope g = Autograd.noGrad()) {
                    board.add(epoch + 1, loss(train, w, b), loss(val, w, b));
                }
            }
        }
        board.save(figure);
        System.out.println("figure: " + figure + ".png");
        return Math.sqrt(w.detach().square().sum().item());
    }

    /** The mean squared error / 2 of the whole dataset, the board's loss. */
    static double loss(ArrayDataset data, Tensor w, Tensor b) {
        return data.features().matmul(w).add(b).sub(data.labels()).square().div(2).mean().item();
    }
}
