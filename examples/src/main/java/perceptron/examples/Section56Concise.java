package perceptron.examples;

import java.nio.file.Path;
import java.util.SplittableRandom;
import perceptron.data.FashionMnist;
import perceptron.nn.Dropout;
import perceptron.nn.Flatten;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.optim.SGD;

/** d2l 5.6.5: the same model with the library's Dropout layer, active in training mode only. */
public final class Section56Concise {
    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        FashionMnist data = FashionMnist.load(null);
        // hparams = {'num_hiddens_1': 256, 'num_hiddens_2': 256, 'dropout_1': 0.5, 'dropout_2': 0.5, 'lr': 0.1}
        Sequential net = new Sequential(new Flatten(),
                new Linear(784, 256), new ReLU(), new Dropout(0.5, 1),
                new Linear(256, 256), new ReLU(), new Dropout(0.5, 2),
                new Linear(256, 10));
        Initializer.NORMAL.apply(net, new SplittableRandom(42));
        Section56Scratch.train(net, new SGD(net.parameters(), 0.1), data, args, Examples.epochs(args, 10),
                out.resolve("dropout-concise"));
    }
}
