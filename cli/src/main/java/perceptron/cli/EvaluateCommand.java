package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import perceptron.data.FashionMnist;
import perceptron.cli.experiments.Confusion;
import perceptron.nn.Layer;
import perceptron.plot.ConfusionMatrixFigure;
import perceptron.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perceptron evaluate runs/NAME}: test accuracy, per-class accuracy and the confusion matrix. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained run on the Fashion-MNIST test set: accuracy, per-class accuracy, "
                + "confusion matrix (printed, and drawn to RUN/confusion.png)."})
public final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run directory, e.g. runs/mlp-20261129-101500")
    Path runDir;

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        Runs.Loaded loaded = Runs.load(runDir);
        RunDirectory run = loaded.run();
        Layer model = loaded.model();
        FashionMnist fashion = FashionMnist.load(data);
        Runs.requireFits(fashion.test(), "test", fashion, loaded.spec());
        List<String> names = FashionMnist.CLASS_NAMES;
        int k = names.size();
        long[][] confusion = Confusion.of(model, fashion.test(), k);
        long correct = 0;
        long total = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                total += confusion[i][j];
                if (i == j) {
                    correct += confusion[i][j];
                }
            }
        }
        o.printf(Locale.ROOT, "test accuracy %.4f (%,d of %,d images)%n%n", (double) correct / total, correct, total);
        o.printf("%-12s %8s %8s%n", "class", "accuracy", "images");
        for (int i = 0; i < k; i++) {
            long row = 0;
            for (int j = 0; j < k; j++) {
                row += confusion[i][j];
            }
            o.printf(Locale.ROOT, "%-12s %8.4f %8d%n", names.get(i), row == 0 ? 0 : (double) confusion[i][i] / row, row);
        }
        o.printf("%nconfusion matrix (rows: true class, columns: predicted class)%n");
        StringBuilder header = new StringBuilder(String.format("%-12s", ""));
        for (String n : names) {
            header.append(String.format(" %9s", abbreviate(n)));
        }
        o.println(header);
        for (int i = 0; i < k; i++) {
            StringBuilder line = new StringBuilder(String.format("%-12s", names.get(i)));
            for (int j = 0; j < k; j++) {
                line.append(String.format(" %9d", confusion[i][j]));
            }
            o.println(line);
        }
        Path figure = run.file("confusion.png");
        if (!run.isWritable()) {
            // The results above are what was asked for; a read-only run (a shared or archived copy) only
            // costs the figure.
            System.err.printf("perceptron evaluate: %s is read-only; the confusion matrix figure was not written%n",
                    run.path());
            return 0;
        }
        ConfusionMatrixFigure.save(confusion, names, "Confusion matrix of " + run.path().getFileName()
                + String.format(Locale.ROOT, " (test accuracy %.4f)", (double) correct / total), figure);
        o.printf("%nwrote %s%n", figure);
        return 0;
    }

    private static String abbreviate(String name) {
        return name.length() <= 9 ? name : name.substring(0, 9);
    }
}
