package perceptron.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import perceptron.nn.Layer;
import perceptron.nn.Sequential;

/**
 * ONNX export and import of MLPs, checked against ONNX Runtime in the tests.
 *
 * <p><b>Export.</b> {@code Onnx.write(model, new int[] {1, 28, 28}, path)} writes the network in eval mode: input
 * {@code "input"} of shape [batch, 1, 28, 28] with a free ({@code dim_param}) batch axis, output {@code "logits"}
 * (or {@code "probabilities"} when the model ends in a {@link perceptron.nn.Softmax}), weights as float32
 * initializers named as in the state dict ({@code "1.weight"}). Linear is Gemm (MatMul + Add on inputs of higher
 * rank), Flatten is Flatten, BatchNorm1d is BatchNormalization, Dropout and Identity are Identity. Each activation
 * is the native op where the opset has one (Gelu from opset 20, Mish from 18, HardSwish from 14, and Relu, Sigmoid,
 * Tanh, LeakyRelu, PRelu, Elu, Selu, Celu, Softplus, Softsign, HardSigmoid, Clip for hardtanh and relu6 in every
 * supported opset); otherwise an exact composition: silu = x Sigmoid(x), logSigmoid = -Softplus(-x), gelu =
 * x (1 + Erf(x / sqrt 2)) / 2, mish = x Tanh(Softplus(x)), hardSwish = x HardSigmoid(x).
 * The default opset is {@value #DEFAULT_OPSET}, the first with every activation native; opsets
 * {@value #MIN_OPSET} to {@value #MAX_OPSET} are accepted.
 *
 * <p><b>Import.</b> {@link #read} accepts graphs that are a chain from one float input to one output, as
 * {@code torch.onnx.export} writes an {@code nn.Sequential} of Flatten, Linear, BatchNorm1d, Dropout and the
 * activations: Gemm (any transA=0, transB, alpha, beta), MatMul (+ Add), Flatten, Reshape to [batch, features],
 * Identity, Dropout, BatchNormalization (inference), Softmax, LogSoftmax, the activation ops and the compositions
 * above. Anything else is refused with the file, the node's name and its op type.
 *
 * <p>Only float32 weights; the weights are copied (the returned model shares nothing with the file).
 */
public final class Onnx {
    /** The first opset with Gelu, so every activation is one native node. */
    public static final int DEFAULT_OPSET = 20;
    /** Softmax's axis semantics became per-axis in opset 13. */
    public static final int MIN_OPSET = 13;
    public static final int MAX_OPSET = 21;
    /** The name of the model's input. */
    public static final String INPUT_NAME = "input";
    /** The name of the free batch dimension. */
    public static final String BATCH_DIM = "batch";
    /** Files larger than this are refused before they are read. */
    static final long MAX_FILE_BYTES = 1L << 30;

    private Onnx() {
    }

    /** What {@link #load} found: the network, the shape of one example (null if the file does not say), the producer and opset. */
    public record Imported(Sequential model, int[] inputShape, String producer, long opset) {
    }

    /** Writes {@code model} with the default opset; {@code inputShape} is one example's shape, without the batch axis. */
    public static void write(Layer model, int[] inputShape, Path path) throws IOException {
        write(model, inputShape, path, DEFAULT_OPSET);
    }

    /** Writes {@code model} as an ONNX file (atomically: a temporary file renamed into place). */
    public static void write(Layer model, int[] inputShape, Path path, int opset) throws IOException {
        byte[] bytes = toBytes(model, inputShape, opset);
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The serialised ModelProto. */
    public static byte[] toBytes(Layer model, int[] inputShape, int opset) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("Onnx.write: opset " + opset + " is not supported (choose "
                    + MIN_OPSET + " to " + MAX_OPSET + "; default " + DEFAULT_OPSET + ")");
        }
        for (int d : inputShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Onnx.write: the input shape " + java.util.Arrays.toString(inputShape)
                        + " must have positive sizes (one example, without the batch axis)");
            }
        }
        return OnnxExport.export(model, inputShape, opset, "0.1.0");
    }

    /** Reads an MLP-shaped ONNX file into a Sequential in eval mode. */
    public static Sequential read(Path path) throws IOException {
        return load(path).model();
    }

    /** Reads an MLP-shaped ONNX file: the network and what the file says about its input. */
    public static Imported load(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new java.io.FileNotFoundException("no such file: " + path);
        }
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new IOException(path + ": " + size + " bytes is more than the 1 GiB an MLP file may have");
        }
        return fromBytes(Files.readAllBytes(path), path.toString());
    }

    /** As {@link #load}, from bytes; {@code name} is used in error messages. */
    public static Imported fromBytes(byte[] bytes, String name) throws IOException {
        Imported imported = OnnxImport.read(bytes, name);
        imported.model().eval();
        return imported;
    }

    /** The opsets a file imports, by domain ("" is the default ONNX domain): for messages and tools. */
    static Map<String, Long> opsets(byte[] bytes, String name) throws IOException {
        return OnnxGraph.parse(bytes, name).opsets;
    }
}
