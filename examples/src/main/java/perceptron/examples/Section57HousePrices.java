package perceptron.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.data.ArrayDataset;
import perceptron.data.Csv;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.data.KFold;
import perceptron.data.KaggleHouses;
import perceptron.loss.Loss;
import perceptron.nn.Linear;
import perceptron.nn.Sequential;
import perceptron.nn.init.Initializer;
import perceptron.optim.SGD;
import perceptron.plot.TrainingCurves;
import perceptron.tensor.Tensor;
import perceptron.train.EpochMetrics;
import perceptron.train.Progress;
import perceptron.train.Trainer;

/**
 * d2l 5.7, Kaggle house prices: preprocessing (standardise, fill missing numbers with 0, one-hot with a category
 * for missing), a linear model on log prices, K-fold cross-validation with its curves, then a fit on all rows
 * and a submission file. Kaggle's files cannot be shipped, so this runs on {@link KaggleHouses}' generated files
 * with Kaggle's schema; pass {@code --train FILE --test FILE} to use the real ones.
 */
public final class Section57HousePrices {
    public static void main(String[] args) throws Exception {
        Path out = Examples.out(args);
        Path trainFile = out.resolve("kaggle_house_pred_train.csv");
        Path testFile = out.resolve("kaggle_house_pred_test.csv");
        Files.writeString(trainFile, KaggleHouses.train(1460, 1));
        Files.writeString(testFile, KaggleHouses.test(1459, 2));
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--train")) {
                trainFile = Path.of(args[i + 1]);
            } else if (args[i].equals("--test")) {
                testFile = Path.of(args[i + 1]);
            }
        }
        Csv.Table rawTrain = Csv.read(trainFile);
        Csv.Table rawVal = Csv.read(testFile);
        System.out.println("train " + rawTrain.size() + " x " + rawTrain.columns().size() + ", test " + rawVal.size()
                + " x " + rawVal.columns().size());

        // def preprocess(self): standardise, fillna(0), get_dummies(dummy_na=True); labels: log(SalePrice)
        Csv.Encoder encoder = Csv.Encoder.fit(rawTrain, "SalePrice", "Id");
        ArrayDataset encoded = encoder.encode(rawTrain);
        Dataset data = ArrayDataset.of(encoded.features(), encoded.labels().log());
        System.out.println(encoder.featureCount() + " features after one-hot encoding");

        int k = 5;
        int maxEpochs = 10;     // a linear model on 1,460 rows: the book's epochs are quick even in a short run
        TrainingCurves board = new TrainingCurves("epoch", "train_loss", "val_loss").yscale("log")
                .xlim(1, Math.max(maxEpochs, 2)).title("fold 1");
        List<Double> valLoss = new ArrayList<>();
        for (KFold.Fold fold : KFold.splitInOrder(data.size(), k)) {      // d2l's contiguous folds
            Sequential model = linearRegression(encoder.featureCount());
            List<EpochMetrics> history = fit(model, data.subset(fold.train()), data.subset(fold.validation()),
                    maxEpochs);
            if (fold.index() == 0) {
                for (EpochMetrics m : history) {
                    board.add(m.epoch(), m.trainLoss(), m.validationLoss());
                }
            }
            valLoss.add(history.get(history.size() - 1).validationLoss());
        }
        board.save(out.resolve("house-prices-fold-1"));
        System.out.println("figure: " + out.resolve("house-prices-fold-1.png"));
        double mean = valLoss.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "average validation log mse = %.4f (log-RMSE %.4f)%n", mean, Math.sqrt(mean));

        // Train on all rows, predict the test file, write the submission.
        Sequential model = linearRegression(encoder.featureCount());
        fit(model, data, null, maxEpochs);
        Tensor preds;
        try (Autograd.Scope g = Autograd.noGrad()) {
            preds = model.forward(encoder.encodeFeatures(rawVal)).exp();
        }
        StringBuilder submission = new StringBuilder("Id,SalePrice\n");
        float[] p = preds.toFloatArray();
        int id = rawVal.column("Id");
        for (int r = 0; r < rawVal.size(); r++) {
            submission.append(rawVal.get(r, id)).append(',').append(String.format(Locale.ROOT, "%.2f", p[r]))
                    .append('\n');
        }
        Files.writeString(out.resolve("submission.csv"), submission);
        System.out.println("submission: " + out.resolve("submission.csv"));
    }

    /** d2l.LinearRegression(lr=0.01): one Linear layer, weights N(0, 0.01), bias 0. */
    static Sequential linearRegression(int inputs) {
        Sequential net = new Sequential(new Linear(inputs, 1));
        Initializer.NORMAL.apply(net, new SplittableRandom(0));
        return net;
    }

    /** d2l.Trainer(max_epochs=10).fit(model, data) with batches of 64 and the mean squared error. */
    static List<EpochMetrics> fit(Sequential model, Dataset train, Dataset val, int maxEpochs) {
        try (DataLoader trainIter = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build();
             DataLoader valIter = val != null ? DataLoader.sequential(val, 1024) : null) {
            return Trainer.builder(model, new SGD(model.parameters(), 0.01)).epochs(maxEpochs).loss(Loss::mse)
                    .classification(false).progress(Progress.silent()).build()
                    .fit(trainIter, valIter, null, 1, 0);
        }
    }
}
