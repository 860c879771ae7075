package perceptron.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import perceptron.nn.ActivationLayer;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Dropout;
import perceptron.nn.Flatten;
import perceptron.nn.Hardtanh;
import perceptron.nn.Identity;
import perceptron.nn.Layer;
import perceptron.nn.LeakyReLU;
import perceptron.nn.Linear;
import perceptron.nn.LogSoftmax;
import perceptron.nn.PReLU;
import perceptron.nn.ReLU;
import perceptron.nn.ReLU6;
import perceptron.nn.Sequential;
import perceptron.nn.Sigmoid;
import perceptron.nn.Softmax;
import perceptron.nn.Tanh;
import perceptron.onnx.Onnx;
import perceptron.tensor.Tensor;
import perceptron.train.ModelSpec;
import perceptron.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code perceptron import FILE.onnx --out RUN}: a run directory from an ONNX MLP, so that evaluate, predict,
 * regions, export and serve work on it.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Make a run directory from an ONNX file of an MLP (as torch.onnx.export writes an "
                + "nn.Sequential of Flatten, Linear, BatchNorm1d, Dropout and one activation). See docs/deploy.md."})
public final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the .onnx file")
    Path file;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "the run directory to create")
    Path out;

    @Option(names = "--input-shape", paramLabel = "D1,D2,...", split = ",",
            description = "one example's shape without the batch axis, when the file does not say (e.g. 1,28,28)")
    int[] inputShape;

    @Override
    public Integer call() throws IOException {
        RunDirectory run = new RunDirectory(out);
        if (run.exists()) {
            throw new UserException(out + " already holds a run (model.json); choose another --out");
        }
        Onnx.Imported imported = Onnx.load(file);
        int[] shape = inputShape != null ? inputShape : imported.inputShape();
        if (shape == null) {
            throw new UserException(file + " does not give the input's shape; pass --input-shape, e.g. 1,28,28");
        }
        Spec found = spec(imported.model(), shape);
        Sequential model = found.spec().build(new SplittableRandom(0), 0);
        copyWeights(imported.model(), model);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("imported_from", file.toAbsolutePath().toString());
        source.put("producer", imported.producer());
        source.put("opset", imported.opset());
        run.saveImported(model, found.spec(), source);
        System.out.println("imported " + file + ": " + found.spec() + ", " + String.format("%,d", model.parameterCount())
                + " parameters" + (found.droppedHead() ? " (the final softmax is left out: a run stores logits, and "
                + "predict and serve apply softmax themselves)" : ""));
        System.out.println("wrote " + out + ": model.safetensors, model.json");
        return 0;
    }

    private record Spec(ModelSpec spec, boolean droppedHead) {
    }

    /**
     * The architecture a run directory can describe: [Flatten], then (Linear, [BatchNorm1d], activation,
     * [Dropout]) per hidden layer with one activation throughout, then Linear, and at most a softmax head.
     */
    static Spec spec(Sequential model, int[] inputShape) {
        List<Layer> layers = new ArrayList<>(model.layers());
        boolean head = !layers.isEmpty() && (layers.get(layers.size() - 1) instanceof Softmax
                || layers.get(layers.size() - 1) instanceof LogSoftmax);
        if (head) {
            layers.remove(layers.size() - 1);
        }
        layers.removeIf(l -> l instanceof Dropout || l instanceof Identity);
        int i = 0;
        if (i < layers.size() && layers.get(i) instanceof Flatten) {
            i++;
        }
        List<Integer> hidden = new ArrayList<>();
        String activation = null;
        Boolean batchNorm = null;
        int outputs = -1;
        while (i < layers.size()) {
            if (!(layers.get(i) instanceof Linear linear)) {
                throw notAnMlp(model, "layer " + layers.get(i) + " where a Linear layer should be");
            }
            i++;
            if (i == layers.size()) {
                outputs = linear.outFeatures();
                break;
            }
            boolean bn = layers.get(i) instanceof BatchNorm1d;
            if (bn) {
                i++;
            }
            String act = "identity";
            if (i < layers.size() && !(layers.get(i) instanceof Linear)) {
                act = activationName(layers.get(i));
                if (act == null) {
                    throw notAnMlp(model, "layer " + layers.get(i) + ", which a run directory cannot describe (only "
                            + "activations with their default parameters)");
                }
                i++;
            }
            if ((activation != null && !activation.equals(act)) || (batchNorm != null && batchNorm != bn)) {
                throw notAnMlp(model, "different activations or batch norms in different hidden layers");
            }
            activation = act;
            batchNorm = bn;
            hidden.add(linear.outFeatures());
        }
        if (outputs < 0) {
            throw notAnMlp(model, "no final Linear layer");
        }
        int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
        return new Spec(new ModelSpec(inputShape, widths, activation == null ? "relu" : activation, new double[0],
                batchNorm != null && batchNorm, outputs), head);
    }

    /** The model.json name of an activation layer with its default parameters; null for anything else. */
    private static String activationName(Layer l) {
        if (l instanceof ReLU) {
            return "relu";
        } else if (l instanceof Sigmoid) {
            return "sigmoid";
        } else if (l instanceof Tanh) {
            return "tanh";
        } else if (l instanceof ReLU6) {
            return "relu6";
        } else if (l instanceof Hardtanh h) {
            return h.minValue() == -1 && h.maxValue() == 1 ? "hardtanh" : null;
        } else if (l instanceof LeakyReLU r) {
            return r.negativeSlope() == 0.01 ? "leakyRelu" : null;
        } else if (l instanceof PReLU p) {
            return p.weight().size() == 1 ? "prelu" : null;
        } else if (l instanceof ActivationLayer a) {
            return a.name();
        }
        return null;
    }

    private static UserException notAnMlp(Sequential model, String what) {
        return new UserException("the imported graph is valid but a run directory cannot describe it: found " + what
                + ". Use perceptron.onnx.Onnx.read from Java for such models. The graph: "
                + model.toString().replace("\n", " "));
    }

    /** Copies parameters and buffers layer by layer, in order, between two networks of the same architecture. */
    private static void copyWeights(Sequential from, Sequential to) {
        List<Layer> source = withState(from);
        List<Layer> target = withState(to);
        for (int k = 0; k < target.size(); k++) {
            Map<String, Tensor> state = new LinkedHashMap<>(source.get(k).stateDict());
            if (source.get(k) instanceof Linear l && l.bias() == null) {
                state.put("bias", Tensor.zeros(l.outFeatures()));   // a missing bias is a zero bias
            }
            target.get(k).loadStateDict(state);
        }
    }

    private static List<Layer> withState(Sequential s) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : s.layers()) {
            if (!l.stateDict().isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }
}
