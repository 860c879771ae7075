package perceptron.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A DataFrame turned into training data for {@link DataParallelTrainer}: validated row by row, numbered in the
 * input's order, dealt to {@code partitions} partitions by row number modulo P and put in row-number order (so a
 * partition's content does not depend on how the input happened to be partitioned, an empty input partition is
 * harmless, and a recomputed partition is the same bytes), packed into one cached {@link Block} per partition.
 */
final class TrainingData implements AutoCloseable {
    /** Largest number of classes accepted, so that a stray label such as 1e9 is an error, not a huge layer. */
    static final int MAX_CLASSES = 100_000;

    final JavaRDD<Block> blocks;
    final int features;
    final int[] trainCounts;
    final int[] validationCounts;
    /** max label + 1 for classification, 1 for regression. */
    final int outputs;

    private TrainingData(JavaRDD<Block> blocks, int features, int[] trainCounts, int[] validationCounts, int outputs) {
        this.blocks = blocks;
        this.features = features;
        this.trainCounts = trainCounts;
        this.validationCounts = validationCounts;
        this.outputs = outputs;
    }

    long trainRows() {
        long n = 0;
        for (int c : trainCounts) {
            n += c;
        }
        return n;
    }

    long validationRows() {
        long n = 0;
        for (int c : validationCounts) {
            n += c;
        }
        return n;
    }

    @Override
    public void close() {
        blocks.unpersist(false);
    }

    /** Checks that {@code column} exists and holds ml Vectors; the error names what was found instead. */
    static void checkFeaturesColumn(StructType schema, String column) {
        StructField field = field(schema, column, "features");
        if (!field.dataType().equals(SQLDataTypes.VectorType())) {
            throw new InvalidInputException("features column '" + column + "' must hold "
                    + "org.apache.spark.ml.linalg.Vector values (use a VectorAssembler), found "
                    + field.dataType().simpleString());
        }
    }

    static void checkLabelColumn(StructType schema, String column) {
        DataType type = field(schema, column, "label").dataType();
        if (!(type instanceof NumericType)) {
            throw new InvalidInputException("label column '" + column + "' must be numeric, found "
                    + type.simpleString());
        }
    }

    private static StructField field(StructType schema, String column, String role) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(column)) {
                return f;
            }
        }
        throw new InvalidInputException(role + " column '" + column + "' does not exist; the columns are "
                + List.of(schema.fieldNames()));
    }

    /**
     * Validates and packs {@code dataset}. Rows whose hash (of the seed and the row's index) falls below
     * {@code validationFraction} are held out for validation.
     */
    static TrainingData prepare(Dataset<?> dataset, String featuresCol, String labelCol, boolean classification,
                                int partitions, double validationFraction, long seed) {
        checkFeaturesColumn(dataset.schema(), featuresCol);
        checkLabelColumn(dataset.schema(), labelCol);
        JavaRDD<Row> rows = dataset.select(dataset.col(featuresCol), dataset.col(labelCol).cast("double"))
                .toJavaRDD();
        try {
            List<Row> first = rows.take(1);
            if (first.isEmpty()) {
                throw new InvalidInputException("the training DataFrame is empty (features column '" + featuresCol
                        + "', label column '" + labelCol + "'): there is nothing to train on");
            }
            if (first.get(0).get(0) == null) {
                throw new InvalidInputException("features column '" + featuresCol + "' row 0 is null");
            }
            int features = ((Vector) first.get(0).get(0)).size();
            if (features == 0) {
                throw new InvalidInputException("features column '" + featuresCol + "' row 0 is an empty vector");
            }
            RowReader reader = new RowReader(featuresCol, labelCol, features, classification);
            // Rows are numbered in the input's order from each input partition's row count (as zipWithIndex
            // does); knowing the total, each row then goes straight to its place in its block as it arrives
            // (row i is row i / P of partition i mod P), with no sort and no second copy.
            List<Long> sizes = rows.mapPartitions(it -> {
                long n = 0;
                for (; it.hasNext(); it.next()) {
                    n++;
                }
                return List.of(n).iterator();
            }).collect();
            long[] firstRow = new long[sizes.size() + 1];
            for (int i = 0; i < sizes.size(); i++) {
                firstRow[i + 1] = firstRow[i] + sizes.get(i);
            }
            long total = firstRow[sizes.size()];
            JavaPairRDD<Long, float[]> numbered = rows.mapPartitionsWithIndex(
                    (part, it) -> (Iterator<Tuple2<Long, float[]>>) new Iterator<Tuple2<Long, float[]>>() {
                        private long index = firstRow[part];

                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Tuple2<Long, float[]> next() {
                            long i = index++;
                            return new Tuple2<>(i, reader.read(it.next(), i));
                        }
                    }, true).mapToPair(t -> t);
            JavaRDD<Block> blocks = numbered.partitionBy(new ModuloPartitioner(partitions))
                    .mapPartitionsWithIndex((p, it) -> List.of(pack(it, rowsOf(p, partitions, total), partitions,
                            features, validationFraction, seed)).iterator(), true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            List<int[]> counts = blocks.map(b -> new int[] {b.n, b.validationN, maxLabel(b)}).collect();
            int[] train = new int[partitions];
            int[] validation = new int[partitions];
            int maxLabel = 0;
            for (int p = 0; p < partitions; p++) {
                train[p] = counts.get(p)[0];
                validation[p] = counts.get(p)[1];
                maxLabel = Math.max(maxLabel, counts.get(p)[2]);
            }
            for (int p = 0; p < partitions; p++) {
                if (train[p] == 0) {
                    blocks.unpersist(false);
                    long rowsSeen = java.util.Arrays.stream(train).sum() + java.util.Arrays.stream(validation).sum();
                    throw new InvalidInputException("partition " + p + " of " + partitions + " has no training rows"
                            + " (" + rowsSeen + " rows, validation fraction " + validationFraction + "): every"
                            + " partition needs at least one; use fewer partitions or a smaller validation fraction");
                }
            }
            return new TrainingData(blocks, features, train, validation, classification ? maxLabel + 1 : 1);
        } catch (Exception e) {
            throw InvalidInputException.unwrap(e);
        }
    }

    private static int maxLabel(Block b) {
        float max = 0;
        for (float v : b.y) {
            max = Math.max(max, v);
        }
        for (float v : b.validationY) {
            max = Math.max(max, v);
        }
        return (int) max;
    }

    /** How many of {@code total} rows dealt by row number modulo P fall to partition p. */
    static int rowsOf(int p, int partitions, long total) {
        return (int) ((total - p + partitions - 1) / partitions);
    }

    /**
     * Packs partition p's {@code count} rows, arriving in any order, into a block in row-number order: row i goes
     * to place i / P. Held-out rows are then copied out and the training rows closed up behind them.
     */
    private static Block pack(Iterator<Tuple2<Long, float[]>> rows, int count, int partitions, int features,
                              double validationFraction, long seed) {
        float[] x = new float[Math.multiplyExact(count, features)];
        float[] y = new float[count];
        boolean[] held = new boolean[count];
        boolean[] filled = new boolean[count];
        int placed = 0;
        int validationN = 0;
        while (rows.hasNext()) {
            Tuple2<Long, float[]> row = rows.next();
            long place = row._1() / partitions;
            if (place >= count || filled[(int) place]) {
                throw changedOnRecomputation();
            }
            int i = (int) place;
            filled[i] = true;
            placed++;
            System.arraycopy(row._2(), 0, x, i * features, features);
            y[i] = row._2()[features];
            held[i] = heldOut(row._1(), validationFraction, seed);
            validationN += held[i] ? 1 : 0;
        }
        if (placed != count) {
            throw changedOnRecomputation();
        }
        float[] validationX = new float[validationN * features];
        float[] validationY = new float[validationN];
        int kept = 0;
        int v = 0;
        for (int i = 0; i < count; i++) {
            if (held[i]) {
                System.arraycopy(x, i * features, validationX, v * features, features);
                validationY[v++] = y[i];
            } else {
                System.arraycopy(x, i * features, x, kept * features, features);
                y[kept++] = y[i];
            }
        }
        if (kept < count) {
            x = java.util.Arrays.copyOf(x, kept * features);
            y = java.util.Arrays.copyOf(y, kept);
        }
        return new Block(features, x, y, validationX, validationY);
    }

    /** The input is read more than once (counted, numbered, dealt): it must give the same rows each time. */
    private static InvalidInputException changedOnRecomputation() {
        return new InvalidInputException("the training DataFrame gave different rows when Spark read it again (it is "
                + "read several times while it is packed): cache it first, or make its row order deterministic");
    }

    /** Whether row {@code index} is a validation row: a hash of (seed, index) mapped to [0, 1), below the fraction. */
    static boolean heldOut(long index, double fraction, long seed) {
        if (fraction <= 0) {
            return false;
        }
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < fraction;
    }

    /** Row number i goes to partition i mod P: every partition gets its share, whatever the input's order. */
    static final class ModuloPartitioner extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ModuloPartitioner(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((Long) key % partitions);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ModuloPartitioner m && m.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
