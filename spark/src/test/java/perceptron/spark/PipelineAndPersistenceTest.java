package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineAndPersistenceTest {
    @TempDir
    Path tmp;

    /** A small tabular table: y = 2a - b + 0.5 plus noise; class = (y > 0.5). */
    static Dataset<Row> table(int n) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            double a = rng.nextDouble() * 10;
            double b = rng.nextDouble() * 5;
            double y = 2 * (a / 10) - b / 5 + 0.5 + 0.01 * rng.nextGaussian();
            rows.add(RowFactory.create(a, b, y, y > 0.5 ? 1.0 : 0.0));
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType)
                .add("y", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
        return LocalSpark.session().createDataFrame(rows, schema);
    }

    static PipelineStage[] features() {
        return new PipelineStage[] {
            new VectorAssembler().setInputCols(new String[] {"a", "b"}).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features")};
    }

    @Test
    void classifierIsAPipelineStageAfterAssemblerAndScalerAndThePipelineSavesAndLoads() throws Exception {
        PerceptronClassifier mlp = new PerceptronClassifier().setHiddenLayers(16).setActivation("tanh")
                .setOptimizer("adam").setLearningRate(0.01).setBatchSize(32).setEpochs(5).setNumPartitions(2)
                .setInit("default");
        PipelineStage[] stages = java.util.Arrays.copyOf(features(), 3);
        stages[2] = mlp;
        Dataset<Row> data = table(600);
        PipelineModel model = new Pipeline().setStages(stages).fit(data);
        double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(data));
        assertTrue(acc > 0.9, "accuracy " + acc);

        String path = tmp.resolve("pipeline").toString();
        model.write().overwrite().save(path);
        assertTrue(Files.exists(tmp.resolve("pipeline/stages/2_" + model.stages()[2].uid()
                + "/data/model.safetensors")));
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> before = model.transform(data).select("probability").collectAsList();
        List<Row> after = loaded.transform(data).select("probability").collectAsList();
        assertEquals(before, after);
        PerceptronClassificationModel stage = (PerceptronClassificationModel) loaded.stages()[2];
        assertEquals(model.stages()[2].uid(), stage.uid());
        assertEquals(2, stage.numClasses());
    }

    @Test
    void crossValidatorSearchesAParamGrid() {
        PerceptronRegressor mlp = new PerceptronRegressor().setHiddenLayers(8).setBatchSize(32).setEpochs(4)
                .setNumPartitions(2).setOptimizer("adam").setInit("default");
        PipelineStage[] stages = java.util.Arrays.copyOf(features(), 3);
        stages[2] = mlp.setLabelCol("y");
        ParamMap[] grid = new ParamGridBuilder().addGrid(mlp.learningRate(), new double[] {1e-4, 0.03}).build();
        CrossValidatorModel cv = new CrossValidator().setEstimator(new Pipeline().setStages(stages))
                .setEstimatorParamMaps(grid).setNumFolds(2).setSeed(3)
                .setEvaluator(new RegressionEvaluator().setLabelCol("y").setMetricName("rmse")).fit(table(400));
        double[] rmse = cv.avgMetrics();
        assertEquals(2, rmse.length);
        assertTrue(rmse[1] < rmse[0], java.util.Arrays.toString(rmse));    // lr 0.03 learns, 1e-4 barely moves
        assertTrue(rmse[1] < 0.2, java.util.Arrays.toString(rmse));
    }

    @Test
    void runDirectoryRoundTripsThroughASparkModel() throws Exception {
        PerceptronClassificationModel model = PerceptronClassifierTest.small().setEpochs(1).fit(LocalSpark.train());
        Path run = tmp.resolve("run");
        model.toRunDirectory(run);
        assertTrue(Files.exists(run.resolve("model.safetensors")));
        assertTrue(Files.exists(run.resolve("metrics.csv")));
        PerceptronClassificationModel back = PerceptronClassificationModel.fromRunDirectory(run);
        assertEquals(model.modelSpec(), back.modelSpec());
        for (String k : model.stateDict().keySet()) {
            assertArrayEquals(model.stateDict().get(k).toFloatArray(), back.stateDict().get(k).toFloatArray(), k);
        }
        List<Row> a = model.transform(LocalSpark.test()).select("prediction").collectAsList();
        List<Row> b = back.transform(LocalSpark.test()).select("prediction").collectAsList();
        assertEquals(a, b);
        String saved = tmp.resolve("spark-model").toString();
        back.write().save(saved);
        assertEquals(a, PerceptronClassificationModel.load(saved).transform(LocalSpark.test()).select("prediction")
                .collectAsList());
    }
}
