package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import perceptron.tensor.Tensor;

/**
 * Trains on a real standalone cluster (bin/spark-cluster: a Master and two Workers, separate JVMs on 127.0.0.1),
 * kills one Worker and its executor with kill -9 during the second epoch, and checks that training completes
 * with bitwise the weights of the same run in local mode.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
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

    static PerceptronClassifier classifier() {
        return new PerceptronClassifier().setHiddenLayers(16).setEpochs(3).setBatchSize(100).setNumPartitions(2)
                .setOptimizer("momentum").setLearningRate(0.1).setDropout(0.1);
    }

    static Map<String, Tensor> train(SparkSession spark, PerceptronClassifier mlp) throws IOException {
        return mlp.fit(FashionMnistFrames.load(spark, null, "train", 600, 2)).stateDict();
    }

    @Test
    void trainingSurvivesAKilledWorkerAndEqualsLocalMode() throws Exception {
        // Our classes reach the executors through their classpath (same machine); Spark's are in SPARK_HOME/jars.
        String ours = List.of(classpath().split(File.pathSeparator)).stream().filter(e -> !e.endsWith(".jar"))
                .collect(Collectors.joining(File.pathSeparator));
        SparkSession cluster = SparkSession.builder().master(url).appName("perceptron-cluster-test")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.executor.memory", "512m")
                .config("spark.executor.extraClassPath", ours)
                .config("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector")
                .getOrCreate();
        AtomicInteger removed = new AtomicInteger();
        Map<String, Tensor> survived;
        try {
            cluster.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
                    removed.incrementAndGet();
                }
            });
            long worker = Long.parseLong(Files.readString(STATE.resolve("worker-1.pid")).trim());
            survived = train(cluster, classifier().setEpochListener(epoch -> {
                System.out.println("cluster: " + epoch);
                if (epoch.epoch() == 1) {
                    killWithChildren(worker);
                }
            }));
        } finally {
            cluster.stop();
        }
        assertTrue(removed.get() >= 1, "no executor was lost");

        SparkSession local = SparkSession.builder().master("local[2]").appName("perceptron-local-reference")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        Map<String, Tensor> reference;
        try {
            reference = train(local, classifier());
        } finally {
            local.stop();
        }
        for (String k : reference.keySet()) {
            assertArrayEquals(reference.get(k).toFloatArray(), survived.get(k).toFloatArray(), k);
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
