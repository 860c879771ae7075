package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import perceptron.autograd.GraphDot;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.data.FashionMnist;
import perceptron.data.ImageDataset;
import perceptron.io.AtomicFiles;
import perceptron.loss.Loss;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code perceptron graph --model RUN}: the computational graph of one training step (d2l section 5.3). */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Draw the backward graph of one training step of a model (forward pass and loss on a "
                + "minibatch of test images): ops, shapes, the tensors saved for backward, the parameters.",
                "Writes DOT, and SVG when Graphviz's `dot` is installed (Debian package graphviz)."})
public final class GraphCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "RUN", required = true, description = "the run directory")
    Path runDir;

    @Option(names = "--out", paramLabel = "FILE", description = "the .dot or .svg to write (default: RUN/graph.svg)")
    Path out;

    @Option(names = "--batch-size", paramLabel = "N", description = "examples in the minibatch (default: 256)")
    int batchSize = 256;

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        if (batchSize < 1) {
            throw new UserException("--batch-size must be at least 1, got " + batchSize);
        }
        Runs.Loaded loaded = Runs.load(runDir);
        Layer model = loaded.model();
        model.train();
        FashionMnist fashion = FashionMnist.load(data);
        ImageDataset test = fashion.test();
        Runs.requireFits(test, "test", fashion, loaded.spec());
        Tensor loss;
        try (DataLoader first = DataLoader.builder(test).batchSize(Math.min(batchSize, test.size())).prefetch(0)
                .build(); DataLoader.Epoch batches = first.epoch(0)) {
            Batch b = batches.next();
            loss = Loss.crossEntropy(model.forward(b.features()), b.labels());
        }
        String dot = loss.graph(model.namedParameters());
        Path target = out != null ? out : runDir.resolve("graph.svg");
        String name = target.getFileName().toString();
        Path dotFile = name.endsWith(".svg") ? target.resolveSibling(name.substring(0, name.length() - 4) + ".dot")
                : target;
        AtomicFiles.writeString(dotFile, dot);
        o.printf("wrote %s%n", dotFile);
        if (name.endsWith(".svg")) {
            if (GraphDot.isDotInstalled()) {
                AtomicFiles.writeString(target, GraphDot.toSvg(dot));
                o.printf("wrote %s%n", target);
            } else {
                o.println("Graphviz's dot is not installed (apt-get install graphviz), so no SVG; render the DOT "
                        + "file with any Graphviz viewer");
            }
        }
        if (Files.exists(dotFile)) {
            o.printf(java.util.Locale.ROOT, "the step: %d ops, loss %.4f%n", countOps(dot), loss.item());
        }
        return 0;
    }

    private static long countOps(String dot) {
        return dot.lines().filter(l -> l.contains("Backward")).count();
    }
}
