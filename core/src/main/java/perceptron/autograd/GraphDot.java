package perceptron.autograd;

import perceptron.internal.tensor.TensorInternals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * The backward graph of a tensor as Graphviz DOT (d2l section 5.3), in the style of torchviz: one grey box per
 * op with its backward name and output shape, a blue box per leaf that requires grad (its name when one is
 * given), an orange box per tensor an op saved for backward (its shape), joined to that op by a dashed edge, and
 * a green box for the tensor itself. Edges run from inputs to the op that used them, so the picture reads in the
 * direction of the forward pass; gradients flow against the arrows. Ops whose saved tensors a backward pass has
 * already freed are drawn dashed and marked "freed".
 *
 * <pre>{@code
 * Tensor loss = Loss.crossEntropy(model.forward(x), y);
 * String dot = GraphDot.render(loss, model.namedParameters());   // leaves named "1.weight", ...
 * Files.writeString(Path.of("step.svg"), GraphDot.toSvg(dot));   // needs the graphviz package
 * }</pre>
 */
public final class GraphDot {
    /** Program used by {@link #toSvg(String)}; override with {@code -Dperceptron.graphviz.dot=/path/to/dot}. */
    static final String DOT_PROPERTY = "perceptron.graphviz.dot";

    private GraphDot() {
    }

    /** The backward graph of {@code root}, leaves labelled "leaf". */
    public static String render(Tensor root) {
        return render(root, Map.of());
    }

    /**
     * The backward graph of {@code root}, with leaves (and saved tensors that are the same tensor) labelled by
     * name, e.g. {@code model.namedParameters()} or {@code Map.of("x", x)}. Tensors are matched by identity.
     */
    public static String render(Tensor root, Map<String, Tensor> names) {
        if (!root.isRequiresGrad()) {
            throw new IllegalArgumentException("graph: this tensor (shape " + Shape.toString(root.shape())
                    + ") does not require grad, so no backward graph was recorded; call requiresGrad() on the inputs "
                    + "(or use model parameters) before computing it, outside any noGrad scope");
        }
        IdentityHashMap<Tensor, String> nameOf = new IdentityHashMap<>();
        names.forEach((name, t) -> nameOf.put(t, name));

        StringBuilder nodes = new StringBuilder();
        StringBuilder edges = new StringBuilder();
        IdentityHashMap<Node, String> opIds = new IdentityHashMap<>();
        IdentityHashMap<Tensor, String> tensorIds = new IdentityHashMap<>();
        int[] counter = {0};

        String outId = "t" + counter[0]++;
        if (TensorInternals.gradNode(root) == null) {
            return wrap(nodes.append(box(outId, label(root, nameOf), "lightblue", false)), edges);
        }
        nodes.append(box(outId, "output " + describe(root.shape(), root.dtype()), "darkolivegreen1", false));
        ArrayDeque<Node> queue = new ArrayDeque<>();
        Node first = TensorInternals.gradNode(root);
        opIds.put(first, "n" + counter[0]++);
        queue.add(first);
        edges.append("  ").append(opIds.get(first)).append(" -> ").append(outId).append(";\n");
        while (!queue.isEmpty()) {
            Node node = queue.poll();
            String id = opIds.get(node);
            boolean freed = node.isReleased();
            nodes.append(box(id, node.name() + "\n" + describe(node.outputShape(), node.outputType())
                    + (freed ? "\n(freed)" : ""), freed ? "gray92" : "lightgrey", freed));
            for (int i = 0; i < node.inputCount(); i++) {
                Node in = node.inputNode(i);
                Tensor leaf = node.inputLeaf(i);
                String from;
                if (in != null) {
                    from = opIds.get(in);
                    if (from == null) {
                        from = "n" + counter[0]++;
                        opIds.put(in, from);
                        queue.add(in);
                    }
                } else if (leaf != null) {
                    from = tensorIds.get(leaf);
                    if (from == null) {
                        from = "t" + counter[0]++;
                        tensorIds.put(leaf, from);
                        nodes.append(box(from, label(leaf, nameOf), "lightblue", false));
                    }
                } else {
                    continue;
                }
                edges.append("  ").append(from).append(" -> ").append(id).append(";\n");
            }
            for (int i = 0; i < node.savedShapes().size(); i++) {
                String savedId = "s" + counter[0]++;
                String text;
                if (freed) {
                    text = "saved (freed)\n" + Shape.toString(node.savedShapes().get(i));
                } else {
                    String what;
                    try {
                        Tensor t = node.saved(i);
                        String name = nameOf.get(t);
                        what = (name == null ? "saved" : "saved " + name) + "\n" + describe(t.shape(), t.dtype());
                    } catch (IllegalStateException e) {
                        // Modified in place since it was saved: backward would fail, which is worth showing.
                        what = "saved (modified in place)\n" + Shape.toString(node.savedShapes().get(i));
                    }
                    text = what;
                }
                nodes.append(box(savedId, text, "orange", freed));
                edges.append("  ").append(savedId).append(" -> ").append(id).append(" [style=dashed, arrowhead=none];\n");
            }
        }
        return wrap(nodes, edges);
    }

    private static String label(Tensor leaf, Map<Tensor, String> nameOf) {
        String name = nameOf.get(leaf);
        return (name == null ? "leaf" : name) + "\n" + describe(leaf.shape(), leaf.dtype());
    }

    private static String describe(int[] shape, DType dtype) {
        return Shape.toString(shape) + (dtype == DType.FLOAT32 ? "" : " " + dtype.displayName());
    }

    private static String box(String id, String label, String fill, boolean dashed) {
        return "  " + id + " [label=\"" + escape(label) + "\", fillcolor=" + fill
                + (dashed ? ", style=\"filled,dashed\", fontcolor=gray40" : "") + "];\n";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String wrap(StringBuilder nodes, StringBuilder edges) {
        return "digraph backward {\n"
                + "  node [shape=box, style=filled, fontname=\"monospace\", fontsize=10, height=0.2];\n"
                + nodes + edges + "}\n";
    }

    /** Whether the Graphviz {@code dot} program can be run. */
    public static boolean isDotInstalled() {
        try {
            Process p = new ProcessBuilder(dotProgram(), "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Lays out DOT text as SVG with the Graphviz {@code dot} program. Fails with a message naming the graphviz
     * package when the program is not installed.
     */
    public static String toSvg(String dot) {
        return toSvg(dot, dotProgram());
    }

    static String toSvg(String dot, String program) {
        Path input = null;
        Path errors = null;
        try {
            input = Files.createTempFile("perceptron-graph", ".dot");
            errors = Files.createTempFile("perceptron-graph", ".err");
            Files.writeString(input, dot, StandardCharsets.UTF_8);
            Process p;
            try {
                p = new ProcessBuilder(program, "-Tsvg", input.toString())
                        .redirectError(errors.toFile()).start();
            } catch (IOException e) {
                throw new IllegalStateException("graph: cannot run the Graphviz program '" + program + "' ("
                        + e.getMessage() + "); install the graphviz package (Debian/Ubuntu: apt-get install graphviz; "
                        + "macOS: brew install graphviz) or render the DOT text elsewhere");
            }
            byte[] svg = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("graph: " + program + " did not finish within 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("graph: " + program + " failed with exit code " + p.exitValue() + ": "
                        + Files.readString(errors, StandardCharsets.UTF_8).strip());
            }
            return new String(svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("graph: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("graph: interrupted while waiting for " + program, e);
        } finally {
            deleteQuietly(input);
            deleteQuietly(errors);
        }
    }

    private static String dotProgram() {
        return System.getProperty(DOT_PROPERTY, "dot");
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A temporary file left behind is harmless.
            }
        }
    }
}
