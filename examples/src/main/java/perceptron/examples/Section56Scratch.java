package perceptron.examples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.nn.Layer;
import perceptron.nn.Linear;
import perceptron.nn.init.Initializer;
import perceptron.optim.SGD;
import perceptron.plot.TrainingCurves;
import perceptron.tensor.Tensor;
import perceptron.train.Callback;
import perceptron.train.Trainer;

/**
 * d2l 5.6.4: dropout from scratch. {@code dropout_layer} keeps each element with probability 1 - p and scales
 * the kept ones by 1 / (1 - p); the model applies it after each hidden layer, in training only. The current
 * edition uses dropout 0.5 and 0.5 with lr 0.1 (the older one 0.2 and 0.5 with lr 0.5).
 */
public final class Section56Scratch {
    static SplittableRandom rng = new SplittableRandom(42);

    /** def dropout_layer(X, dropout): mask = (torch.rand(X.shape) > dropout).float(); return mask * X / (1.0 - dropout) */
    static Tensor dropoutLayer(Tensor X, double dropout) {
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1], got " + dropout);
        }
        if (dropout == 1) {
            return Tensor.zerosLike(X);
        }
        Tensor mask = Tensor.rand(rng, X.shape()).gt(dropout).toType(X.dtype());
        return mask.mul(X).div(1.0 - dropout);
    }

    /** class DropoutMLPScratch: Linear, relu, dropout, Linear, relu, dropout, Linear. */
    static final class DropoutMLPScratch extends Layer {
        final Linear lin1;
        final Linear lin2;
        final Linear lin3;
        final double dropout1;
        final double dropout2;

        DropoutMLPScratch(int numOutputs, int numHiddens1, int numHiddens2, double dropout1, double dropout2) {
            this.lin1 = registerLayer("lin1", new Linear(784, numHiddens1));
            this.lin2 = registerLayer("lin2", new Linear(numHiddens1, numHiddens2));
            this.lin3 = registerLayer("lin3", new Linear(numHiddens2, numOutputs));
            this.dropout1 = dropout1;
            this.dropout2 = dropout2;
        }

        @Override
        public Tensor forward(Tensor X) {
            Tensor H1 = lin1.forward(X.reshape(X.size(0), -1)).relu();
            if (isTraining()) {
                H1 = dropoutLayer(H1, dropout1);
            }
            Tensor H2 = lin2.forward(H1).relu();
            if (isTraining()) {
                H2 = dropoutLayer(H2, dropout2);
            }
            return lin3.forward(H2);
        }
    }

    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        // X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
        Tensor X = Tensor.arange(16).reshape(2, 8);
        System.out.println("dropout_p = 0:\n" + dropoutLayer(X, 0));
        System.out.println("dropout_p = 0.5:\n" + dropoutLayer(X, 0.5));
        System.out.println("dropout_p = 1:\n" + dropoutLayer(X, 1));

        FashionMnist data = FashionMnist.load(null);
        int maxEpochs = Examples.epochs(args, 10);
        DropoutMLPScratch model = new DropoutMLPScratch(10, 256, 256, 0.5, 0.5);
        Initializer.NORMAL.apply(model, rng);
        train(model, new SGD(model.parameters(), 0.1), data, args, maxEpochs, out.resolve("dropout-scratch"));
    }

    /** Trains with the library's Trainer and draws d2l's board: train_loss, val_loss, val_acc (val = test set). */
    static void train(Layer model, SGD optimizer, FashionMnist data, String[] args, int maxEpochs, Path figure)
            throws Exception {
        TrainingCurves board = new TrainingCurves("epoch", "train_loss", "val_loss", "val_acc").xlim(0, maxEpochs);
        Callback plot = Examples.board(board);
        try (DataLoader train = DataLoader.builder(Examples.train(data, args)).batchSize(256).shuffle(true).seed(42)
                .build();
             DataLoader test = DataLoader.sequential(Examples.test(data, args), 1000)) {
            Trainer.builder(model, optimizer).epochs(maxEpochs).callback(plot).build().fit(train, test);
        }
        board.save(figure);
        System.out.println("figure: " + figure + ".png");
    }
}
