package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import perceptron.tensor.Tensor;

/**
 * Trains on a real standalone cluster (bin/spark-cluster: a Master and two Workers of one core each, separate JVMs
 * on 127.0.0.1) and kills parts of it with kill -9 during training:
 * <ol>
 *   <li>an executor in the middle of epoch 2 of the training's barrier stage: Spark runs the stage again, the new
 *       tasks join the exchange at the epoch and step it had reached, and the Worker starts a new executor;</li>
 *   <li>a whole Worker and its executor in the middle of epoch 2: the cluster then has one task slot for two
 *       partitions, so after 20 s without a step the driver gives up on the stage and makes the rest of the epoch,
 *       and the later epochs, with one Spark job per step.</li>
 * </ol>
 * Each must end with bitwise the weights of the same training in local mode.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path STATE = Path.of(System.getProperty("user.dir"), "target", "cluster-test");

    static String url;

    @BeforeAll
    static void startCluster() throws Exception {
        url = cluster("start", "--workers", "2", "--cores", "1", "--memory", "1g").trim();
        assertTrue(url.matches("spark://127\\.0\\.0\\.1:\\d+"), url);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster("stop");
    }

    static String classpath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static String cluster(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/spark-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("SPARK_CLUSTER_DIR", STATE.toString());
        pb.environment().put("SPARK_CLUSTER_CLASSPATH", classpath());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "bin/spark-cluster " + String.join(" ", args) + " hung");
        assertEquals(0, p.exitValue(), "bin/spark-cluster " + String.join(" ", args) + ": " + out);
        return out;
    }

    /** 3 epochs of 150 steps (3,000 rows, batch 20), so that an epoch lasts long enough to be hit in the middle. */
    static PerceptronClassifier classifier() {
        return new PerceptronClassifier().setHiddenLayers(32).setEpochs(3).setBatchSize(20).setNumPartitions(2)
                .setOptimizer("momentum").setLearningRate(0.05).setDropout(0.1);
    }

    static Map<String, Tensor> train(SparkSession spark, PerceptronClassifier mlp) throws IOException {
        return mlp.fit(FashionMnistFrames.load(spark, null, "train", 3000, 2)).stateDict();
    }

    static SparkSession clusterSession() {
        return LocalSpark.onCluster(url, "perceptron-cluster-test", classpath(), "512m").getOrCreate();
    }

    /** The same training in local mode, the reference for both tests (one SparkContext per JVM at a time). */
    private static Map<String, Tensor> reference;

    static synchronized Map<String, Tensor> reference() throws IOException {
        if (reference == null) {
            SparkSession local = LocalSpark.loopback("local[2]", "perceptron-local-reference").getOrCreate();
            try {
                reference = train(local, classifier());
            } finally {
                local.stop();
            }
        }
        return reference;
    }

    static void assertSameWeights(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).toFloatArray(), actual.get(k).toFloatArray(), k);
        }
    }

    /** Counts lost executors and failed stages; {@link #killSoon} runs {@code kill} 0.3 s later. */
    static final class Faults extends SparkListener {
        final AtomicInteger removed = new AtomicInteger();
        final AtomicInteger failedStages = new AtomicInteger();
        private final Runnable kill;

        Faults(Runnable kill) {
            this.kill = kill;
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            removed.incrementAndGet();
        }

        @Override
        public void onStageCompleted(SparkListenerStageCompleted e) {
            if (e.stageInfo().failureReason().isDefined()) {
                failedStages.incrementAndGet();
            }
        }

        /** Called at the end of epoch 1 (the tasks wait for it): the kill comes 0.3 s into epoch 2. */
        void killSoon() {
            Thread killer = new Thread(() -> {
                sleep(300);
                kill.run();
            }, "killer");
            killer.setDaemon(true);
            killer.start();
        }
    }

    static Map<String, Tensor> trainWithFault(Faults faults) throws IOException {
        SparkSession cluster = clusterSession();
        try {
            cluster.sparkContext().addSparkListener(faults);
            return train(cluster, classifier().setEpochListener(epoch -> {
                System.out.println("cluster: " + epoch);
                if (epoch.epoch() == 1) {
                    faults.killSoon();
                }
            }));
        } finally {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void anExecutorKilledInTheMiddleOfAnEpochCostsARetryOfTheStageAndNothingElse() throws Exception {
        long worker = Long.parseLong(Files.readString(STATE.resolve("worker-1.pid")).trim());
        // kill -9 of worker 1's executor only: the Worker starts a new one, so the stage can run again
        Faults faults = new Faults(() -> ProcessHandle.of(worker)
                .ifPresent(w -> w.descendants().forEach(ProcessHandle::destroyForcibly)));
        Map<String, Tensor> survived = trainWithFault(faults);
        assertTrue(faults.removed.get() >= 1, "no executor was lost");
        assertTrue(faults.failedStages.get() >= 1, "the kill did not hit a running stage (the epoch ended first?)");
        assertSameWeights(reference(), survived);
    }

    @Test
    @Order(2)
    void aWorkerKilledInTheMiddleOfAnEpochLeavesOneSlotAndTheEpochGoesOnWithAJobPerStep() throws Exception {
        long worker = Long.parseLong(Files.readString(STATE.resolve("worker-2.pid")).trim());
        Faults faults = new Faults(() -> killWithChildren(worker));
        Map<String, Tensor> survived = trainWithFault(faults);
        assertTrue(faults.removed.get() >= 1, "no executor was lost");
        assertTrue(faults.failedStages.get() >= 1, "the kill did not hit a running stage (the epoch ended first?)");
        assertSameWeights(reference(), survived);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** kill -9 of a Worker and of its executors: what a machine crash does. */
    static void killWithChildren(long pid) {
        ProcessHandle.of(pid).ifPresent(worker -> {
            List<ProcessHandle> children = worker.descendants().toList();
            worker.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
        });
    }
}
