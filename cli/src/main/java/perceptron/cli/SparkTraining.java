package perceptron.cli;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import perceptron.io.Json;
import perceptron.plot.TrainingCurves;
import perceptron.train.EpochMetrics;
import perceptron.train.ModelSpec;
import perceptron.train.RunDirectory;
import perceptron.train.TrainingSettings;

/**
 * {@code perceptron train --spark MASTER}: runs perceptron.spark.SparkTrain in a JVM of its own, because Spark
 * is not on the CLI's classpath (the spark module keeps it a provided dependency) and needs JVM flags of its own.
 * That JVM's classpath is the CLI's jars, spark/target/perceptron-spark-*.jar and the Spark jars the spark
 * module copies to spark/target/lib ({@code mvn -pl spark -am package -DskipTests}); its flags are in
 * spark/target/classes/perceptron/spark/jvm-options. Then the curves are drawn here, as for a local run.
 */
final class SparkTraining {
    private SparkTraining() {
    }

    static int run(String master, int partitions, boolean resume, ModelSpec spec, TrainingSettings settings,
                   Path data, Path out) throws IOException {
        if (resume) {
            throw new UserException("--resume is not available with --spark; start a new run");
        }
        Path cliJar = cliJar();
        Path root = cliJar.getParent().getParent().getParent();
        Path sparkTarget = root.resolve("spark/target");
        Path options = sparkTarget.resolve("classes/perceptron/spark/jvm-options");
        List<Path> sparkJars = new ArrayList<>();
        if (Files.isDirectory(sparkTarget.resolve("lib"))) {
            try (var s = Files.list(sparkTarget)) {
                s.filter(p -> p.getFileName().toString().matches("perceptron-spark-.*\\.jar")).forEach(sparkJars::add);
            }
        }
        if (sparkJars.isEmpty() || !Files.exists(options)) {
            throw new UserException("--spark needs the spark module built: (cd " + root
                    + " && mvn -pl spark -am package -DskipTests), which also copies Spark's jars to spark/target/lib");
        }
        String classpath = String.join(File.pathSeparator, cliJar.toString(), cliJar.getParent().resolve("lib/*").toString(),
                sparkJars.get(0).toString(), sparkTarget.resolve("lib/*").toString());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "@" + options, "-Xss4m", "-cp", classpath,
                "perceptron.spark.SparkTrain", "--master", master, "--partitions", Integer.toString(partitions),
                "--spec", Json.write(spec.toJson()), "--settings", Json.write(settings.toJson()),
                "--data", data == null ? "" : data.toString(), "--out", out.toString()));
        int status;
        try {
            status = new ProcessBuilder(command).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training through Spark", e);
        }
        if (status != 0) {
            return status;
        }
        List<EpochMetrics> history = new RunDirectory(out).readMetrics();
        TrainingCurves curves = new TrainingCurves("epoch", "train loss", "train acc", "test acc")
                .xlim(1, Math.max(settings.epochs(), 2));
        for (EpochMetrics m : history) {
            curves.add(m.epoch(), m.trainLoss(), m.trainAccuracy(), m.testAccuracy());
        }
        curves.save(out.resolve("curves"));
        EpochMetrics last = history.get(history.size() - 1);
        System.out.printf(java.util.Locale.ROOT, "test accuracy %.4f after %d epochs%n", last.testAccuracy(),
                last.epoch());
        System.out.printf("saved %s: %s, %s, %s, curves.png, curves.svg%n", out, RunDirectory.MODEL,
                RunDirectory.DESCRIPTION, RunDirectory.METRICS);
        return 0;
    }

    private static Path cliJar() {
        try {
            return Path.of(SparkTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
