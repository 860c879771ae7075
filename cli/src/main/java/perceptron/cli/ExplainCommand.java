package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import perceptron.analysis.BatchDependence;
import perceptron.analysis.InitStudy;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.data.ImageDataset;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.plot.analysis.BatchDependenceFigure;
import perceptron.plot.analysis.InitStudyFigure;
import perceptron.tensor.Tensor;
import perceptron.train.ModelSpec;
import perceptron.train.Progress;
import perceptron.train.Trainer;
import perceptron.train.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perceptron explain batch-dependence | init}: the chapter's exercises, measured and drawn. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Experiments from the chapter, measured: ",
                "  batch-dependence  what goes wrong when a nonlinearity depends on the whole minibatch (BatchNorm)",
                "  init              gradient norms per layer for sigmoid vs ReLU under N(0, 0.01), Xavier and "
                        + "Kaiming initialisation, and the exploding product of random matrices (section 5.4)"})
public final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TOPIC", description = "batch-dependence or init")
    String topic;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write the figures (default: runs/explain)")
    Path out = Path.of("runs", "explain");

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;

    @Option(names = "--epochs", paramLabel = "N", description = "batch-dependence: epochs per model (default: 2)")
    int epochs = 2;

    @Override
    public Integer call() throws IOException {
        switch (topic) {
            case "batch-dependence": return batchDependence();
            case "init": return init();
            default: throw new UserException("unknown topic '" + topic + "' (choose batch-dependence or init)");
        }
    }

    private int batchDependence() throws IOException {
        PrintStream o = System.out;
        FashionMnist fashion = FashionMnist.load(data);
        Files.createDirectories(out);
        Map<String, BatchDependence.Report> reports = new LinkedHashMap<>();
        ImageDataset test = fashion.test();
        // The first 1000 test images, as one batch kept beyond the loader.
        Tensor pool;
        try (DataLoader first = DataLoader.builder(test).batchSize(1000).prefetch(0).build();
             DataLoader.Epoch batches = first.epoch(0)) {
            pool = batches.next().copy().features();
        }
        for (boolean batchNorm : new boolean[] {true, false}) {
            String name = batchNorm ? "with BatchNorm before ReLU" : "without (plain MLP)";
            ModelSpec spec = new ModelSpec(new int[] {1, 28, 28}, new int[] {128, 64}, "relu", new double[0],
                    batchNorm, 10);
            TrainingSettings settings = new TrainingSettings(TrainingSettings.OptimizerType.SGD, 0.1, 0, 0, 256,
                    epochs, perceptron.nn.init.Initializer.KAIMING, 7, TrainingSettings.ScheduleType.CONSTANT, 0);
            Layer model = settings.buildModel(spec);
            Optimizer opt = settings.optimizerFor(model);
            o.printf("training %s: %s, %d epochs%n", name, spec, epochs);
            try (DataLoader train = DataLoader.builder(fashion.train()).batchSize(256).shuffle(true).seed(7).build();
                 DataLoader testLoader = DataLoader.sequential(test, 1000)) {
                Trainer t = Trainer.builder(model, opt).epochs(epochs).progress(Progress.silent()).build();
                t.fit(train, testLoader).forEach(m -> o.printf(Locale.ROOT, "  epoch %d: train loss %.4f, "
                        + "test acc %.4f%n", m.epoch(), m.trainLoss(), m.testAccuracy()));
            }
            BatchDependence.Report r = BatchDependence.measure(model, pool);
            reports.put(name, r);
            o.printf("%nhow much one test image's logits move when only the other images in its batch change (%s):%n",
                    name);
            o.print(r.table());
            o.println();
        }
        Path png = out.resolve("batch-dependence.png");
        BatchDependenceFigure.save(reports, png);
        o.println("In training mode BatchNorm normalises each example with its minibatch's mean and variance, so an "
                + "example's output depends on its companions, most at small batch sizes; a batch of one is refused "
                + "(its variance is 0). In eval mode the running statistics replace the batch's: the output is a "
                + "function of the example alone, and the difference is exactly 0. Without BatchNorm it is 0 in both "
                + "modes. The eval-alone column, against the example classified on its own, is 0 as well: every "
                + "matrix product adds up each output in the same order whatever the batch size (docs/analysis.md).");
        o.printf("wrote %s%n", png);
        return 0;
    }

    private int init() throws IOException {
        PrintStream o = System.out;
        Files.createDirectories(out);
        InitStudy.GradientStudy g = InitStudy.gradients();
        o.print(g.table());
        o.println();
        InitStudy.ProductStudy p = InitStudy.matrixProducts();
        o.print(p.table());
        Path a = InitStudyFigure.saveGradients(g, out.resolve("init-gradients.png"));
        Path b = InitStudyFigure.saveProducts(p, out.resolve("init-products.png"));
        o.printf("%nwrote %s and %s%n", a, b);
        return 0;
    }
}
