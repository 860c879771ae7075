package perceptron.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;
import perceptron.train.EpochMetrics;
import perceptron.train.RunDirectory;

/**
 * How a Spark model is saved: Spark's own metadata (the params, written by DefaultParamsWriter) and a
 * {@code data/} folder with model.json (architecture, training settings, task) and model.safetensors (the
 * weights, loadable in PyTorch). Paths go through Hadoop's FileSystem, so HDFS, S3 and local folders all work.
 * Also converts to and from the run directories of {@code perceptron train}.
 */
final class ModelFolder {
    static final String DESCRIPTION = "data/model.json";
    static final String WEIGHTS = "data/model.safetensors";

    private ModelFolder() {
    }

    /** The writer of a model that holds {@code network}. */
    static MLWriter writer(Params model, Network network) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter.saveMetadata(model, path, sparkSession());
                Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
                write(conf, path, DESCRIPTION, network.describe().getBytes(StandardCharsets.UTF_8));
                write(conf, path, WEIGHTS, Network.toBytes(network.stateDict()));
            }
        };
    }

    /** A reader that restores the params, then installs the network with {@code install}. */
    static <M extends Params> MLReader<M> reader(java.util.function.BiConsumer<M, Network> install) {
        return new MLReader<M>() {
            @Override
            public M load(String path) {
                M model = new DefaultParamsReader<M>().load(path);
                Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
                String description = new String(read(conf, path, DESCRIPTION), StandardCharsets.UTF_8);
                byte[] weights = read(conf, path, WEIGHTS);
                Network.checkReadable(weights, path + "/" + WEIGHTS);
                install.accept(model, Network.fromDescription(description, weights));
                return model;
            }
        };
    }

    private static void write(Configuration conf, String folder, String name, byte[] bytes) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(folder, name);
        try (OutputStream out = file.getFileSystem(conf).create(file, true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(Configuration conf, String folder, String name) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(folder, name);
        try {
            FileSystem fs = file.getFileSystem(conf);
            if (!fs.exists(file)) {
                throw new IllegalArgumentException("not a perceptron model folder: " + file + " is missing");
            }
            try (InputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The network of a run directory written by {@code perceptron train} (a classifier). */
    static Network fromRunDirectory(Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        RunDirectory.Description d = run.readDescription();
        Layer model = run.loadModel();
        return new Network(d.spec(), d.settings(), true, Network.toBytes(model.stateDict()));
    }

    /**
     * Writes {@code network} as a run directory, so that {@code perceptron evaluate}, {@code predict} and
     * {@code regions} work on it. The optimiser state is {@code optimizerState} (from training) or a fresh one.
     */
    static void toRunDirectory(Network network, Path dir, byte[] optimizerState, List<EpochMetrics> history,
                               long steps) throws IOException {
        Layer model = network.build();
        Optimizer optimizer = network.settings().optimizerFor(model);
        if (optimizerState != null && optimizerState.length > 0) {
            optimizer.loadStateDict(DataParallelTrainer.read(optimizerState));
        }
        int epoch = history.isEmpty() ? network.settings().epochs() : history.get(history.size() - 1).epoch();
        new RunDirectory(dir).saveCheckpoint(model, optimizer, network.spec(), network.settings(), epoch, steps,
                history);
    }
}
