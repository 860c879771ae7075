package perceptron.spark;

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

/**
 * Benchmarks of perceptron on Spark (bench/spark-bench.sh runs them; results in bench/RESULTS.md). In the test
 * sources of package perceptron.spark, so that it can time the package's own exchange.
 * <ul>
 *   <li>{@code exchange}: the per-step cost of moving one gradient of d2l's MLP (203,530 floats) from every
 *       partition to one place and the new weights back, with no compute: a job per step (broadcast + map +
 *       collect), a treeAggregate per step, barrier mode's allGather, and {@link GradientExchange} (the one used);</li>
 *   <li>{@code epoch}: epochs of d2l's MLP through Spark against the same epochs in this JVM's Trainer;</li>
 *   <li>{@code mllib} and {@code perceptron}: MultilayerPerceptronClassifier (L-BFGS, sigmoid) and
 *       PerceptronClassifier on the same Fashion-MNIST DataFrame, each in its own JVM (run one, then the other),
 *       with time, test accuracy and the process's peak memory; {@code perceptron} also reports when the test
 *       accuracy first reached a target (MLlib's).</li>
 * </ul>
 * Usage: SparkBench exchange|epoch|mllib|perceptron [master] [partitions] [args]. A {@code spark://} master is a
 * standalone cluster on this machine (bin/spark-cluster): the executors get this JVM's class directories.
 */
public final class SparkBench {
    private static final int GRADIENT = 784 * 256 + 256 + 256 * 10 + 10;

    public static void main(String[] args) throws Exception {
        watchLiveHeap();
        String what = args.length > 0 ? args[0] : "exchange";
        String master = args.length > 1 ? args[1] : "local[2]";
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String app = "perceptron-bench-" + what;
        SparkSession.Builder builder = master.startsWith("spark://")
                ? LocalSpark.onCluster(master, app, System.getProperty("java.class.path"), "2g")
                : LocalSpark.loopback(master, app);
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            switch (what) {
                case "exchange" -> exchange(spark, partitions, args.length > 3 ? Integer.parseInt(args[3]) : 50);
                case "epoch" -> epoch(spark, partitions);
                case "mllib" -> mllib(spark, partitions, args.length > 3 ? Integer.parseInt(args[3]) : 100);
                case "perceptron" -> perceptron(spark, partitions, args.length > 3 ? Integer.parseInt(args[3]) : 10,
                        args.length > 4 ? Double.parseDouble(args[4]) : Double.NaN);
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
            double rpcMs = rpcExchange(sc, parts, steps * 10);
            System.out.printf(Locale.ROOT, "exchange of %d floats, %d partitions: job per step (broadcast + map + "
                    + "collect) %.1f ms, treeAggregate per step %.1f ms, barrier allGather %.1f ms, "
                    + "GradientExchange %.2f ms per step%n", GRADIENT, partitions, jobMs, treeMs, barrierMs, rpcMs);
        }
    }

    /**
     * Milliseconds per step of {@link GradientExchange} with no compute: one barrier stage in which every task
     * sends a zero gradient of d2l's MLP each step, the driver sums the P of them and makes an SGD step, and every
     * task receives the new weights (what a training step does around its forward and backward passes).
     */
    static double rpcExchange(JavaSparkContext sc, JavaRDD<Integer> parts, int steps) {
        perceptron.train.TrainingSettings settings = perceptron.train.TrainingSettings.d2l();
        int partitions = parts.getNumPartitions();
        TrainingState state = new TrainingState(settings, settings.buildModel(perceptron.train.ModelSpec.d2lMlp()),
                partitions, steps);
        state.beginEpoch(1);
        String name = "perceptron-exchange-bench-" + System.nanoTime();
        org.apache.spark.rpc.RpcEnv rpc = sc.env().rpcEnv();
        org.apache.spark.rpc.RpcEndpointRef endpoint = rpc.setupEndpoint(name, new GradientExchange(rpc, state));
        long t0 = System.nanoTime();
        try {
            scala.reflect.ClassTag<Integer> tag = scala.reflect.ClassTag$.MODULE$.apply(Integer.class);
            scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Integer>> body =
                    (scala.Function1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Integer>>
                            & java.io.Serializable) it -> {
                        org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
                        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
                        org.apache.spark.rpc.RpcEndpointRef driver =
                                org.apache.spark.util.RpcUtils.makeDriverRef(name, env.conf(), env.rpcEnv());
                        int p = task.partitionId();
                        GradientExchange.ask(driver, new GradientExchange.Join(task.stageAttemptNumber(), p),
                                Object[].class, task);
                        for (long s = 0; s < steps; s++) {
                            float[][] gradients = {new float[784 * 256], new float[256], new float[256 * 10],
                                new float[10]};
                            Contribution c = new Contribution(p, s, gradients, 0, 0, 1);
                            GradientExchange.ask(driver, new GradientExchange.Contribute(1, task.stageAttemptNumber(),
                                    c), float[][].class, task);
                        }
                        return it;
                    };
            parts.rdd().barrier().mapPartitions(body, false, tag).count();
        } finally {
            rpc.stop(endpoint);
        }
        return (System.nanoTime() - t0) / 1e6 / steps;
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

    /**
     * Epochs of d2l's MLP (SGD 0.1, batch 256) through Spark against the same epochs in this JVM's Trainer: each
     * trains 3 epochs; the first epoch (which includes starting Spark's stage) and the mean of epochs 2 and 3 (a
     * steady epoch, what the rest of a longer training costs) are reported, in alternating rounds.
     */
    static void epoch(SparkSession spark, int partitions) throws Exception {
        Dataset<Row> train = FashionMnistFrames.load(spark, null, "train", 0, partitions).cache();
        train.count();
        perceptron.data.FashionMnist data = perceptron.data.FashionMnist.load(null);
        for (int round = 0; round < 3; round++) {
            perceptron.train.TrainingSettings settings = perceptron.train.TrainingSettings.d2l().withEpochs(3);
            perceptron.nn.Layer net = settings.buildModel(perceptron.train.ModelSpec.d2lMlp());
            List<perceptron.train.EpochMetrics> single;
            try (perceptron.data.DataLoader loader = perceptron.data.DataLoader.builder(data.train()).batchSize(256)
                    .shuffle(true).seed(42).build()) {
                single = perceptron.train.Trainer.builder(net, settings.optimizerFor(net)).epochs(3).build()
                        .fit(loader, null);
            }
            List<SparkEpoch> viaSpark = new PerceptronClassifier().setEpochs(3).setNumPartitions(partitions)
                    .fit(train).history();
            double singleSteady = (single.get(1).seconds() + single.get(2).seconds()) / 2;
            double sparkSteady = (viaSpark.get(1).seconds() + viaSpark.get(2).seconds()) / 2;
            System.out.printf(Locale.ROOT, "d2l's MLP (235 steps of batch 256 per epoch), steady epoch (mean of "
                    + "epochs 2, 3): single JVM %.2f s, Spark %s with %d partitions %.2f s (%.1f ms per step), "
                    + "ratio %.2f; first epoch %.2f s and %.2f s%n", singleSteady, spark.sparkContext().master(),
                    partitions, sparkSteady, sparkSteady * 1000 / 235, sparkSteady / singleSteady,
                    single.get(0).seconds(), viaSpark.get(0).seconds());
        }
    }

    /** MLlib's MLP, d2l's shape with MLlib's sigmoid hidden layer, L-BFGS for {@code iterations} iterations. */
    static void mllib(SparkSession spark, int partitions, int iterations) throws Exception {
        // Not cached: MLlib's trainer caches the blocks it stacks from the input (as PerceptronClassifier caches
        // its own packed blocks), and the input is read from the IDX files again cheaply.
        Dataset<Row> train = FashionMnistFrames.load(spark, null, "train", 0, partitions);
        Dataset<Row> test = FashionMnistFrames.load(spark, null, "test", 0, partitions);
        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel mllib = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {784, 256, 10}).setMaxIter(iterations).setSeed(42).fit(train);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(mllib.transform(test));
        System.out.printf(Locale.ROOT, "MLlib MultilayerPerceptronClassifier 784-256-10 (sigmoid, L-BFGS, %d "
                + "iterations, %s, %d partitions): %.1f s, test accuracy %.4f; %s%n", iterations,
                spark.sparkContext().master(), partitions, seconds, accuracy, memory());
    }

    /**
     * PerceptronClassifier 784-256-10 (ReLU, Adam 1e-3, batch 256) for {@code epochs} epochs; after each epoch the
     * driver's network is scored on the 10,000 test images in this JVM (that time is left out of the training
     * time), and the training time at which the test accuracy first reached {@code target} is reported.
     */
    static void perceptron(SparkSession spark, int partitions, int epochs, double target) throws Exception {
        Dataset<Row> train = FashionMnistFrames.load(spark, null, "train", 0, partitions);   // as for mllib
        perceptron.data.FashionMnist fashion = perceptron.data.FashionMnist.load(null);
        PerceptronClassifier mlp = new PerceptronClassifier().setEpochs(epochs).setNumPartitions(partitions)
                .setHiddenLayers(256).setOptimizer("adam").setLearningRate(1e-3).setInit("default");
        long start = System.nanoTime();
        long[] scoring = {0};
        double[] reachedAt = {Double.NaN};
        List<String> log = new ArrayList<>();
        try (TrainingData data = TrainingData.prepare(train, "features", "label", true, partitions, 0,
                mlp.getSeed())) {
            NetworkConfig config = new NetworkConfig(mlp.modelSpec(data.features, data.outputs),
                    mlp.trainingSettings(), true);
            DataParallelTrainer.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), data, config, 1,
                    (epoch, net, optimizer) -> {
                        long s0 = System.nanoTime();
                        double trained = (s0 - start - scoring[0]) / 1e9;
                        double acc;
                        try (perceptron.data.DataLoader loader = perceptron.data.DataLoader
                                .builder(fashion.test()).batchSize(1000).build()) {
                            acc = perceptron.train.Trainer.builder(net, optimizer).build().evaluate(loader)
                                    .accuracy();
                        }
                        if (Double.isNaN(reachedAt[0]) && acc >= target) {
                            reachedAt[0] = trained;
                        }
                        log.add(String.format(Locale.ROOT, "epoch %d: %.1f s, test accuracy %.4f", epoch.epoch(),
                                trained, acc));
                        scoring[0] += System.nanoTime() - s0;
                    });
        }
        double seconds = (System.nanoTime() - start - scoring[0]) / 1e9;
        log.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "perceptron PerceptronClassifier 784-256-10 (relu, adam 1e-3, batch 256, %d "
                + "epochs, %s, %d partitions): %.1f s including data preparation; test accuracy %.4f first reached "
                + "at %s; %s%n", epochs, spark.sparkContext().master(), partitions, seconds, target,
                Double.isNaN(reachedAt[0]) ? "no epoch" : String.format(Locale.ROOT, "%.1f s", reachedAt[0]),
                memory());
    }

    /** The largest heap in use right after a garbage collection so far: the live data's peak, in bytes. */
    private static final java.util.concurrent.atomic.AtomicLong PEAK_LIVE_HEAP =
            new java.util.concurrent.atomic.AtomicLong();

    /** Starts watching every collection's heap-after-GC (main calls it first). */
    static void watchLiveHeap() {
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory
                .getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                        .equals(notification.getType())) {
                    return;
                }
                com.sun.management.GarbageCollectionNotificationInfo info = com.sun.management
                        .GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData)
                                notification.getUserData());
                long live = 0;
                for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
                        .getMemoryPoolMXBeans()) {
                    java.lang.management.MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc()
                            .get(pool.getName());
                    if (pool.getType() == java.lang.management.MemoryType.HEAP && after != null) {
                        live += after.getUsed();
                    }
                }
                PEAK_LIVE_HEAP.accumulateAndGet(live, Math::max);
            }, null, null);
        }
    }

    /**
     * This process's peak resident memory (VmHWM: what the machine had to give it, which depends on -Xmx and on
     * how lazily the collector runs) and its peak live heap (the most heap in use right after a collection: what
     * the computation needed).
     */
    static String memory() throws java.io.IOException {
        String hwm = java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
        long kb = Long.parseLong(hwm.replaceAll("[^0-9]", ""));
        return String.format(Locale.ROOT, "peak RSS %d MB, peak live heap %d MB (max heap %d MB)", kb >> 10,
                PEAK_LIVE_HEAP.get() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
}
