package perceptron.cli.experiments;

import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.Dataset;
import perceptron.nn.Layer;

/**
 * The confusion matrix of a classifier on a dataset: {@code counts[true][predicted]}, the prediction being the
 * argmax of the logits. The model must be in eval mode (dropout off, batch norm on running statistics).
 */
public final class Confusion {
    private Confusion() {
    }

    public static long[][] of(Layer model, Dataset data, int classes) {
        long[][] counts = new long[classes][classes];
        try (DataLoader loader = DataLoader.sequential(data, 1000);
             Autograd.Scope g = Autograd.noGrad()) {
            for (Batch b : loader) {
                int[] predicted = model.forward(b.features()).argmax(1).toIntArray();
                int[] truth = b.labels().toIntArray();
                for (int i = 0; i < predicted.length; i++) {
                    counts[truth[i]][predicted[i]]++;
                }
            }
        }
        return counts;
    }

    /** The accuracy of each class: the diagonal over the row sums (NaN for a class with no examples). */
    public static double[] perClassAccuracy(long[][] counts) {
        double[] acc = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            long row = 0;
            for (long c : counts[i]) {
                row += c;
            }
            acc[i] = row == 0 ? Double.NaN : (double) counts[i][i] / row;
        }
        return acc;
    }
}
