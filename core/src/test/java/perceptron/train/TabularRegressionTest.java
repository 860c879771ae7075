package perceptron.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.autograd.Autograd;
import perceptron.data.ArrayDataset;
import perceptron.data.Csv;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.data.KFold;
import perceptron.loss.Loss;
import perceptron.nn.Linear;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.optim.Adam;
import perceptron.tensor.Tensor;

/**
 * d2l section 5.7 end to end on a house-price table in Kaggle's shape: CSV with numeric, categorical and missing
 * values, standardisation and one-hot encoding, log prices, k-fold cross-validation, Adam, log-RMSE.
 */
class TabularRegressionTest {

    /** Prices that depend on area, rooms, age and neighbourhood, with 5% multiplicative noise. */
    private static String housePrices(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] hoods = {"NAmes", "CollgCr", "OldTown", "Edwards"};
        double[] premium = {1.0, 1.3, 0.8, 0.9};
        StringBuilder csv = new StringBuilder("Id,LotArea,Rooms,YearBuilt,Neighborhood,SalePrice\n");
        for (int i = 0; i < n; i++) {
            double area = 4000 + rng.nextDouble() * 16000;
            int rooms = 3 + rng.nextInt(6);
            int year = 1900 + rng.nextInt(110);
            int hood = rng.nextInt(hoods.length);
            double price = 20 * area * premium[hood] * (1 + 0.08 * rooms) * (1 + (year - 1900) / 300.0)
                    * Math.exp(0.05 * rng.nextGaussian());
            boolean missingYear = rng.nextInt(20) == 0;
            csv.append(String.format(Locale.ROOT, "%d,%.0f,%d,%s,%s,%.0f%n", i, area, rooms,
                    missingYear ? "NA" : Integer.toString(year), rng.nextInt(30) == 0 ? "NA" : hoods[hood], price));
        }
        return csv.toString();
    }

    @Test
    void kFoldCrossValidationOfAnMlpOnLogPricesReachesLowLogRmse() throws IOException {
        Csv.Table table = Csv.parse(housePrices(600, 1), "houses.csv");
        Csv.Encoder encoder = Csv.Encoder.fit(table, "SalePrice", "Id");
        assertTrue(encoder.featureNames().contains("Neighborhood_OldTown"), encoder.featureNames().toString());
        ArrayDataset encoded = encoder.encode(table);
        // d2l trains on log prices, so the squared error is a relative error.
        Tensor logPrices = encoded.labels().log();
        Dataset data = ArrayDataset.of(encoded.features(), logPrices);
        List<KFold.Fold> folds = KFold.split(data.size(), 5, 3);
        double total = 0;
        for (KFold.Fold fold : folds) {
            SplittableRandom rng = new SplittableRandom(fold.index());
            int d = encoder.featureCount();
            Sequential net = new Sequential(new Linear(d, 32, rng), new ReLU(), new Linear(32, 1, rng));
            try (Autograd.Scope g = Autograd.noGrad()) {
                net.namedParameters().get("2.bias").fill(12.0);   // start near a typical log price
            }
            Adam adam = new Adam(net.parameters(), 0.01);
            try (DataLoader train = DataLoader.builder(data.subset(fold.train())).batchSize(64).shuffle(true)
                    .seed(fold.index()).build()) {
                Trainer.builder(net, adam).epochs(60).loss(Loss::mse).classification(false)
                        .progress(Progress.silent()).build().fit(train, null);
            }
            net.eval();
            Dataset valid = data.subset(fold.validation());
            float[] x = new float[valid.size() * d];
            float[] y = new float[valid.size()];
            int[] all = new int[valid.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            valid.read(all, 0, all.length, x, y);
            Tensor predictedPrice = net.forward(Tensor.wrap(x, valid.size(), d)).exp();
            double logRmse = Loss.logRmse(predictedPrice, Tensor.wrap(y, valid.size(), 1).exp()).item();
            total += logRmse;
        }
        double mean = total / folds.size();
        assertEquals(5, folds.size());
        System.out.println("mean validation log-RMSE " + mean);
        assertTrue(mean < 0.09, "mean validation log-RMSE over 5 folds: " + mean);
    }
}
