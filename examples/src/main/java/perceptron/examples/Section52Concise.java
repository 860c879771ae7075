package perceptron.examples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.nn.Flatten;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.optim.SGD;
import perceptron.plot.TrainingCurves;
import perceptron.train.Callback;
import perceptron.train.Trainer;

/** d2l 5.2.2: the same MLP with nn.Sequential, trained by the library's Trainer (d2l's Trainer.fit). */
public final class Section52Concise {
    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        FashionMnist data = FashionMnist.load(null);
        int maxEpochs = Examples.epochs(args, 10);
        // self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_hiddens), nn.ReLU(), nn.LazyLinear(num_outputs))
        Sequential net = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Initializer.NORMAL.apply(net, new SplittableRandom(42));
        SGD optimizer = new SGD(net.parameters(), 0.1);
        TrainingCurves board = new TrainingCurves("epoch", "train_loss", "val_loss", "val_acc").xlim(0, maxEpochs);
        Callback plot = Examples.board(board);
        try (DataLoader train = DataLoader.builder(Examples.train(data, args)).batchSize(256).shuffle(true).seed(42)
                .build();
             DataLoader test = DataLoader.sequential(Examples.test(data, args), 1000)) {
            Trainer.builder(net, optimizer).epochs(maxEpochs).callback(plot).build().fit(train, test);
        }
        board.save(out.resolve("mlp-concise"));
        System.out.println("figure: " + out.resolve("mlp-concise.png"));
    }
}
