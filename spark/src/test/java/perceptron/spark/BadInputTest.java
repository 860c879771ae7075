package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class BadInputTest {
    static final StructType SCHEMA = new StructType().add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);

    /** Rows of 3 features; {@code bad} replaces row 5 when not null. */
    static Dataset<Row> frame(int n, Row bad, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(i == 5 && bad != null ? bad : RowFactory.create(Vectors.dense(i, -i, 1), (double) (i % 3)));
        }
        return LocalSpark.session().createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    static PerceptronClassifier mlp() {
        return new PerceptronClassifier().setHiddenLayers(4).setEpochs(1).setBatchSize(8).setNumPartitions(2);
    }

    static String failure(Dataset<Row> data) {
        return assertThrows(IllegalArgumentException.class, () -> mlp().fit(data)).getMessage();
    }

    @Test
    void aFeaturesColumnThatIsNotAVectorIsRejectedByName() {
        Dataset<Row> data = frame(20, null, 1).withColumn("features", org.apache.spark.sql.functions.lit(1.0));
        String m = failure(data);
        assertTrue(m.contains("features column 'features'") && m.contains("found double"), m);
    }

    @Test
    void aVectorOfTheWrongLengthNamesTheRowAndTheLengths() {
        String m = failure(frame(20, RowFactory.create(Vectors.dense(1, 2), 0.0), 1).coalesce(1));
        assertTrue(m.contains("features column 'features' row 5 has 2 values; expected 3"), m);
    }

    @Test
    void nanFeaturesAreRejectedWithTheirPosition() {
        String m = failure(frame(20, RowFactory.create(Vectors.dense(1, Double.NaN, 3), 0.0), 1).coalesce(1));
        assertTrue(m.contains("row 5 element 1 is NaN"), m);
    }

    @Test
    void nonIntegralAndNegativeLabelsAreRejectedForClassification() {
        String m = failure(frame(20, RowFactory.create(Vectors.dense(1, 2, 3), 1.5), 1).coalesce(1));
        assertTrue(m.contains("label column 'label' row 5 is 1.5"), m);
        m = failure(frame(20, RowFactory.create(Vectors.dense(1, 2, 3), -1.0), 1).coalesce(1));
        assertTrue(m.contains("label column 'label' row 5 is -1.0"), m);
    }

    @Test
    void anEmptyDataFrameIsAnErrorNotAHang() {
        String m = failure(frame(0, null, 1));
        assertTrue(m.contains("empty"), m);
    }

    @Test
    void emptyInputPartitionsAreHarmlessButEveryWorkerNeedsARow() {
        Dataset<Row> sparse = frame(3, null, 8);       // 8 input partitions, at most 3 of them with a row
        assertEquals(1, mlp().fit(sparse).history().size());
        String m = assertThrows(IllegalArgumentException.class, () -> mlp().setNumPartitions(4).fit(sparse))
                .getMessage();
        assertTrue(m.contains("partition 3 of 4 has no training rows"), m);
    }

    @Test
    void aValidationFractionReportsValidationLossAndAccuracyEachEpoch() {
        PerceptronClassificationModel model = mlp().setValidationFraction(0.3).setEpochs(3).setEarlyStoppingPatience(1)
                .fit(frame(60, null, 2));
        assertTrue(!model.history().isEmpty() && model.history().size() <= 3);
        for (SparkEpoch e : model.history()) {
            assertTrue(Double.isFinite(e.validationLoss()), e.toString());
            assertTrue(e.validationAccuracy() >= 0 && e.validationAccuracy() <= 1, e.toString());
        }
    }

    @Test
    void scoringAVectorOfTheWrongLengthNamesTheColumn() {
        PerceptronClassificationModel model = mlp().fit(frame(20, null, 1));
        Exception e = assertThrows(Exception.class, () -> model.transform(
                LocalSpark.session().createDataFrame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.0)), SCHEMA))
                .collectAsList());
        assertTrue(e.getMessage().contains("features column 'features' has a vector of 2 values; the model expects 3"),
                e.getMessage());
    }
}
