package perceptron.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** One local[2] SparkSession for all the tests of this JVM (starting one costs seconds), bound to 127.0.0.1. */
final class LocalSpark {
    private static SparkSession session;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    private LocalSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = loopback("local[2]", "perceptron-spark-tests").config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }

    /** A session builder for tests and benchmarks: the driver on 127.0.0.1, no web UI. */
    static SparkSession.Builder loopback(String master, String appName) {
        return SparkSession.builder().master(master).appName(appName)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false");
    }

    /**
     * A session builder for a standalone cluster on this machine (bin/spark-cluster): our classes reach the
     * executors through the class directories of {@code classpath} (Spark's jars are in the cluster's
     * SPARK_HOME/jars), and the executors get the Vector API.
     */
    static SparkSession.Builder onCluster(String url, String appName, String classpath, String executorMemory) {
        String classes = Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> !e.endsWith(".jar"))
                .map(e -> Path.of(e).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        return loopback(url, appName).config("spark.executor.memory", executorMemory)
                .config("spark.executor.extraClassPath", classes)
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
    }

    /** The first 2,000 Fashion-MNIST training images, cached. */
    static synchronized Dataset<Row> train() {
        if (train == null) {
            train = load("train", 2000);
        }
        return train;
    }

    /** The first 1,000 test images, cached. */
    static synchronized Dataset<Row> test() {
        if (test == null) {
            test = load("test", 1000);
        }
        return test;
    }

    private static Dataset<Row> load(String split, int n) {
        try {
            return FashionMnistFrames.load(session(), null, split, n, 2).cache();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
