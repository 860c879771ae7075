package perceptron.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import perceptron.data.FashionMnist;
import perceptron.data.Idx;

/**
 * Fashion-MNIST (IDX files) as a DataFrame of {@code features} (a dense Vector of 784 pixels scaled to [0, 1], as
 * PyTorch's ToTensor does) and {@code label} (0-9, a double). Every partition reads the files itself, so the
 * driver never holds the pixels; the files must be at the same path on every machine (always true in local mode
 * and for bin/spark-cluster).
 */
public final class FashionMnistFrames {
    public static final StructType SCHEMA = new StructType(new StructField[] {
            new StructField("features", SQLDataTypes.VectorType(), false, org.apache.spark.sql.types.Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty())});

    private FashionMnistFrames() {
    }

    /**
     * The first {@code limit} images of a split (all of them if limit <= 0) in {@code partitions} partitions.
     *
     * @param directory where the IDX files are, or null to search as {@code perceptron train} does
     * @param split     "train" or "test"
     */
    public static Dataset<Row> load(SparkSession spark, Path directory, String split, int limit, int partitions)
            throws IOException {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException("split must be \"train\" or \"test\", got \"" + split + "\"");
        };
        // Reads and checks all four files on the driver (headers, counts), so the partitions' slices are sound.
        Path dir = FashionMnist.load(directory).directory();
        String images = file(dir, prefix + "-images-idx3-ubyte").toString();
        String labels = file(dir, prefix + "-labels-idx1-ubyte").toString();
        int available = Idx.readLabels(Path.of(labels)).count();
        int n = limit > 0 ? Math.min(limit, available) : available;
        List<Integer> slices = IntStream.range(0, partitions).boxed().toList();
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(slices, partitions)
                .flatMap(p -> rows(images, labels, (int) ((long) n * p / partitions),
                        (int) ((long) n * (p + 1) / partitions)));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /**
     * Rows {@code from} to {@code to} of the files: only that slice of each file is read, and the rows are made one
     * at a time as Spark pulls them (a list of them all would hold the slice's pixels as doubles, 8 times the
     * file's bytes, until the partition is done).
     */
    private static Iterator<Row> rows(String imagesFile, String labelsFile, int from, int to) {
        Idx.Data images;
        Idx.Data labels;
        try {
            images = Idx.readRange(Path.of(imagesFile), from, to - from);
            labels = Idx.readRange(Path.of(labelsFile), from, to - from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int pixels = images.shape()[1] * images.shape()[2];
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < to - from;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                double[] x = new double[pixels];
                for (int j = 0; j < pixels; j++) {
                    x[j] = (images.data()[i * pixels + j] & 0xFF) / 255.0;
                }
                Row row = RowFactory.create(Vectors.dense(x), (double) (labels.data()[i] & 0xFF));
                i++;
                return row;
            }
        };
    }

    private static Path file(Path dir, String name) {
        Path raw = dir.resolve(name);
        return Files.exists(raw) ? raw : dir.resolve(name + ".gz");
    }
}
