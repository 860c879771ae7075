package perceptron.spark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.io.Json;
import perceptron.nn.Layer;
import perceptron.train.EpochMetrics;
import perceptron.train.Metrics;
import perceptron.train.ModelSpec;
import perceptron.train.RunDirectory;
import perceptron.train.TrainingSettings;

/**
 * {@code perceptron train --spark MASTER}: trains the configuration the CLI resolved (its model.json words)
 * through Spark on Fashion-MNIST and writes the same run directory as a local run (model.safetensors,
 * model.json, metrics.csv and a checkpoint after every epoch; the CLI then draws the curves). The CLI starts this
 * class in a JVM of its own, with Spark's jars and the flags Spark needs on JDK 17+.
 *
 * <p>Arguments: {@code --master M --partitions N --spec JSON --settings JSON --data DIR|"" --out DIR}.
 */
public final class SparkTrain {
    private SparkTrain() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "classpath:perceptron/spark/log4j2-cli.properties");
        }
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i], args[i + 1]);
        }
        ModelSpec spec = ModelSpec.fromJson((Map<String, Object>) Json.parse(a.get("--spec")));
        TrainingSettings settings = TrainingSettings.fromJson((Map<String, Object>) Json.parse(a.get("--settings")));
        Path data = a.get("--data").isEmpty() ? null : Path.of(a.get("--data"));
        try {
            run(a.get("--master"), Integer.parseInt(a.get("--partitions")), spec, settings, data,
                    Path.of(a.get("--out")));
        } catch (InvalidInputException | java.io.IOException e) {   // the user's data or options; bugs keep their trace
            System.err.println("perceptron train --spark: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(String master, int partitions, ModelSpec spec, TrainingSettings settings, Path data, Path out)
            throws Exception {
        if (spec.batchNorm()) {
            throw new InvalidInputException("--batch-norm is not available with --spark (each partition would "
                    + "normalise with its own share of the minibatch, and the running statistics stay on the executors)");
        }
        FashionMnist fashion = FashionMnist.load(data);
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("perceptron train")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        if (master.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            builder.config("spark.jars", String.join(",", jarsOf(ModelSpec.class, SparkTrain.class)));
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            int p = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            System.out.printf(Locale.ROOT, "data: Fashion-MNIST from %s as a DataFrame in %d partitions%n",
                    fashion.directory(), p);
            System.out.printf(Locale.ROOT, "model: %s; spark %s, synchronous data-parallel SGD on %d partitions%n",
                    spec, master, p);
            RunDirectory run = new RunDirectory(out);
            Files.createDirectories(out);
            List<EpochMetrics> history = new ArrayList<>();
            long[] steps = {0};
            try (TrainingData train = TrainingData.prepare(
                    FashionMnistFrames.load(spark, fashion.directory(), "train", 0, p), "features", "label", true,
                    p, 0, settings.seed())) {
                DataParallelTrainer.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), train,
                        new NetworkConfig(spec, settings, true), 1, (epoch, net, optimizer) -> {
                            steps[0] += epoch.steps();
                            double testAccuracy = accuracy(net, fashion);
                            EpochMetrics m = new EpochMetrics(epoch.epoch(), epoch.trainLoss(), epoch.trainAccuracy(),
                                    testAccuracy, epoch.seconds());
                            history.add(m);
                            run.saveCheckpoint(net, optimizer, spec, settings, epoch.epoch(), steps[0], history);
                            System.out.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f  train acc %.4f  test acc "
                                    + "%.4f  %.2f s%n", epoch.epoch(), settings.epochs(), epoch.trainLoss(),
                                    epoch.trainAccuracy(), testAccuracy, epoch.seconds());
                        });
            }
        } finally {
            spark.stop();
        }
    }

    /** Test accuracy on the driver, in eval mode (10,000 images: well under a second). */
    static double accuracy(Layer net, FashionMnist fashion) {
        net.eval();
        long correct = 0;
        try (Autograd.Scope noGrad = Autograd.noGrad();
             DataLoader test = DataLoader.sequential(fashion.test(), 1000)) {
            for (Batch b : test) {
                correct += Metrics.countCorrect(net.forward(b.features()), b.labels());
            }
        } finally {
            net.train();
        }
        return (double) correct / fashion.test().size();
    }

    /** The jars (or class folders) holding these classes, for executors on other JVMs. */
    private static List<String> jarsOf(Class<?>... classes) throws Exception {
        List<String> jars = new ArrayList<>();
        for (Class<?> c : classes) {
            jars.add(new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath());
        }
        return jars;
    }
}
