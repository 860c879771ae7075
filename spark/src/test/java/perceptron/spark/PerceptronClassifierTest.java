package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

class PerceptronClassifierTest {
    static PerceptronClassifier small() {
        return new PerceptronClassifier().setHiddenLayers(32).setEpochs(3).setBatchSize(64).setLearningRate(0.3)
                .setNumPartitions(2);
    }

    static double accuracy(Dataset<Row> predictions) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    }

    @Test
    void learnsFashionMnistAndScoresWithProbabilities() {
        PerceptronClassificationModel model = small().fit(LocalSpark.train());
        assertEquals(3, model.history().size());
        assertEquals(10, model.numClasses());
        assertEquals(784, model.numFeatures());
        assertTrue(model.history().get(2).trainLoss() < model.history().get(0).trainLoss(), model.history().toString());
        Dataset<Row> predictions = model.transform(LocalSpark.test());
        double acc = accuracy(predictions);
        assertTrue(acc > 0.55, "test accuracy " + acc);     // 3 short epochs on 2,000 images; chance is 0.1
        Row first = predictions.select("probability").first();
        double sum = 0;
        for (double p : ((Vector) first.get(0)).toArray()) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void sameSeedAndPartitionsGiveBitwiseTheSameWeights() {
        PerceptronClassifier mlp = small().setHiddenLayers(16).setEpochs(2).setBatchSize(100).setOptimizer("adam")
                .setLearningRate(1e-3).setDropout(0.2);
        Dataset<Row> data = LocalSpark.train().limit(600);
        Map<String, Tensor> a = mlp.fit(data).stateDict();
        // coalesce keeps the rows' order and changes the input's partitioning, which must not matter
        Map<String, Tensor> b = mlp.fit(data.coalesce(1)).stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        }
        Map<String, Tensor> other = mlp.setSeed(7).fit(data).stateDict();
        assertTrue(!java.util.Arrays.equals(a.get("1.weight").toFloatArray(), other.get("1.weight").toFloatArray()));
    }

    @Test
    void morePartitionsThanTaskSlotsTrainWithOneJobPerStepAndStayDeterministic() {
        // local[2] has two task slots: a barrier stage of three tasks cannot run, so every step is its own job.
        PerceptronClassifier mlp = small().setHiddenLayers(8).setEpochs(2).setBatchSize(100).setNumPartitions(3)
                .setDropout(0.2);
        Dataset<Row> data = LocalSpark.train().limit(300);
        PerceptronClassificationModel a = mlp.fit(data);
        assertEquals(2, a.history().size());
        assertEquals(3, a.history().get(0).steps());
        Map<String, Tensor> b = mlp.fit(data).stateDict();
        for (String k : b.keySet()) {
            assertArrayEquals(a.stateDict().get(k).toFloatArray(), b.get(k).toFloatArray(), k);
        }
    }
}
