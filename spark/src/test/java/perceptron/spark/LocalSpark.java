package perceptron.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
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
            session = SparkSession.builder().master("local[2]").appName("perceptron-spark-tests")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
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
