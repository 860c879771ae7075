package perceptron.spark.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import perceptron.spark.FashionMnistFrames;
import perceptron.spark.PerceptronClassificationModel;
import perceptron.spark.PerceptronClassifier;

/**
 * Benchmarks of perceptron on Spark (bench/spark-bench.sh runs them; results in bench/RESULTS.md):
 * <ul>
 *   <li>{@code exchange}: the per-step cost of moving one gradient of d2l's MLP (203,530 floats) from every
 *       partition to one place, with no compute: a job per step (broadcast + map + collect), a treeAggregate per
 *       step, and barrier mode's allGather inside one stage;</li>
 *   <li>{@code mllib}: MultilayerPerceptronClassifier (L-BFGS, sigmoid) against PerceptronClassifier on the same
 *       Fashion-MNIST DataFrame, time and test accuracy.</li>
 * </ul>
 * Usage: SparkBench exchange|mllib [master] [partitions] [args]
 */
public final class SparkBench {
    private static final int GRADIENT = 784 * 256 + 256 + 256 * 10 + 10;

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "exchange";
        String master = args.length > 1 ? args[1] : "local[2]";
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        SparkSession spark = SparkSession.builder().master(master).appName("perceptron-bench-" + what)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            switch (what) {
                case "exchange" -> exchange(spark, partitions, args.length > 3 ? Integer.parseInt(args[3]) : 50);
                case "epoch" -> epoch(spark, partitions);
                case "mllib" -> mllib(spark, partitions, args.length > 3 ? Integer.parseInt(args[3]) : 100,
                        args.length > 4 ? Integer.parseInt(args[4]) : 10);
                default -> throw new IllegalArgumentException("unknown benchmark " + what);
            }
        } finally {
            spark.stop();
        }
    }

    static void exchange(SparkSession spark, int partitions, int steps) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            ids.add(i);
        }
        JavaRDD<Integer> parts = sc.parallelize(ids, partitions).cache();
        parts.count();
        float[] weights = new float[GRADIENT];
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                Broadcast<float[]> b = sc.broadcast(weights);
                List<float[]> g = parts.map(p -> new float[b.value().length]).collect();
                float[] sum = new float[GRADIENT];
                for (float[] x : g) {
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += x[i];
                    }
                }
                b.unpersist(false);
            }
            double jobMs = (System.nanoTime() - t0) / 1e6 / steps;

            t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                Broadcast<float[]> b = sc.broadcast(weights);
                parts.map(p -> new float[b.value().length]).treeAggregate(new float[GRADIENT], SparkBench::add,
                        SparkBench::add, 2);
                b.unpersist(false);
            }
            double treeMs = (System.nanoTime() - t0) / 1e6 / steps;

            int gathers = Math.max(2, steps / 10);
            t0 = System.nanoTime();
            parts.rdd().barrier().mapPartitions(new AllGatherSteps(gathers), false,
                    scala.reflect.ClassTag$.MODULE$.apply(Integer.class)).count();
            double barrierMs = (System.nanoTime() - t0) / 1e6 / gathers;
            System.out.printf(Locale.ROOT, "exchange of %d floats, %d partitions: job per step (broadcast + map + "
                    + "collect) %.1f ms, treeAggregate per step %.1f ms, barrier allGather %.1f ms per step%n",
                    GRADIENT, partitions, jobMs, treeMs, barrierMs);
        }
    }

    private static float[] add(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    /** A barrier task that allGathers a gradient-sized message {@code steps} times. */
    static final class AllGatherSteps extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Integer>,
            scala.collection.Iterator<Integer>> implements java.io.Serializable {
        private final int steps;

        AllGatherSteps(int steps) {
            this.steps = steps;
        }

        @Override
        public scala.collection.Iterator<Integer> apply(scala.collection.Iterator<Integer> it) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            String message = Base64.getEncoder().encodeToString(new byte[4 * GRADIENT]);
            for (int s = 0; s < steps; s++) {
                ctx.allGather(message);
            }
            return scala.jdk.javaapi.CollectionConverters.asScala(List.of(steps).iterator());
        }
    }

    /** One epoch of d2l's MLP (SGD 0.1, batch 256) through Spark against the same epoch in this JVM's Trainer. */
    static void epoch(SparkSession spark, int partitions) throws Exception {
        Dataset<Row> train = FashionMnistFrames.load(spark, null, "train", 0, partitions).cache();
        train.count();
        perceptron.data.FashionMnist data = perceptron.data.FashionMnist.load(null);
        for (int round = 0; round < 2; round++) {
            perceptron.train.TrainingSettings settings = perceptron.train.TrainingSettings.d2l().withEpochs(1);
            perceptron.nn.Layer net = settings.buildModel(perceptron.train.ModelSpec.d2lMlp());
            long t0 = System.nanoTime();
            try (perceptron.data.DataLoader loader = perceptron.data.DataLoader.builder(data.train()).batchSize(256)
                    .shuffle(true).seed(42).build()) {
                perceptron.train.Trainer.builder(net, settings.optimizerFor(net)).epochs(1).build()
                        .fit(loader, null);
            }
            double single = (System.nanoTime() - t0) / 1e9;
            PerceptronClassificationModel model = new PerceptronClassifier().setEpochs(1)
                    .setNumPartitions(partitions).fit(train);
            double viaSpark = model.history().get(0).seconds();
            System.out.printf(Locale.ROOT, "one epoch of d2l's MLP (235 steps of batch 256): single JVM %.2f s, "
                    + "Spark %s with %d partitions %.2f s (%.1f ms per step), ratio %.1f%n", single,
                    spark.sparkContext().master(), partitions, viaSpark, viaSpark * 1000 / 235, viaSpark / single);
        }
    }

    static void mllib(SparkSession spark, int partitions, int mllibIterations, int epochs) throws Exception {
        Dataset<Row> train = FashionMnistFrames.load(spark, null, "train", 0, partitions).cache();
        Dataset<Row> test = FashionMnistFrames.load(spark, null, "test", 0, partitions).cache();
        train.count();
        test.count();
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");

        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {784, 256, 10}).setMaxIter(mllibIterations).setSeed(42).fit(train);
        double mllibSeconds = (System.nanoTime() - t0) / 1e9;
        double mllibAccuracy = accuracy.evaluate(mllib.transform(test));
        System.out.printf(Locale.ROOT, "MLlib MultilayerPerceptronClassifier 784-256-10 (sigmoid, L-BFGS, %d "
                + "iterations): %.1f s, test accuracy %.4f%n", mllibIterations, mllibSeconds, mllibAccuracy);

        double[] reachedAt = {Double.NaN};
        long start = System.nanoTime();
        PerceptronClassificationModel[] holder = new PerceptronClassificationModel[1];
        PerceptronClassifier mlp = new PerceptronClassifier().setEpochs(epochs).setNumPartitions(partitions)
                .setHiddenLayers(256).setOptimizer("adam").setLearningRate(1e-3).setInit("default");
        holder[0] = mlp.fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double acc = accuracy.evaluate(holder[0].transform(test));
        double[] perEpoch = holder[0].history().stream().mapToDouble(e -> e.seconds()).toArray();
        System.out.printf(Locale.ROOT, "perceptron PerceptronClassifier 784-256-10 (relu, adam 1e-3, batch 256, "
                + "%d epochs): %.1f s (epochs %s s), test accuracy %.4f; time ratio to MLlib %.2f%n", epochs, seconds,
                Arrays.toString(Arrays.stream(perEpoch).map(x -> Math.round(x * 10) / 10.0).toArray()), acc,
                seconds / mllibSeconds);
        if (Double.isNaN(reachedAt[0])) {
            reachedAt[0] = 0;
        }
    }
}
