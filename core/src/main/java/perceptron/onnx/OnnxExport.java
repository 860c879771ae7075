package perceptron.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import perceptron.ops.Activations;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/** Writes a network of this library's layers as an ONNX ModelProto; see {@link Onnx#write}. */
final class OnnxExport {
    private final int opset;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    /** The value the next layer reads, and its shape without the batch axis. */
    private String current = Onnx.INPUT_NAME;
    private int[] shape;
    private String lastLayerName = "";

    private OnnxExport(int opset, int[] inputShape) {
        this.opset = opset;
        this.shape = inputShape.clone();
    }

    static byte[] export(Layer model, int[] inputShape, int opset, String producerVersion) {
        OnnxExport e = new OnnxExport(opset, inputShape);
        e.layer("", model);
        String output = e.rename(e.current);
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : e.nodes) {
            graph.message(1, n);
        }
        graph.string(2, "perceptron");
        for (ProtoWriter t : e.initializers) {
            graph.message(5, t);
        }
        graph.message(11, valueInfo(Onnx.INPUT_NAME, inputShape));
        graph.message(12, valueInfo(output, e.shape));
        ProtoWriter proto = new ProtoWriter()
                .varint(1, irVersion(opset))
                .string(2, "perceptron")
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, opset));
        return proto.toByteArray();
    }

    /** The IR version that came with each opset (onnx.helper.VERSION_TABLE). */
    static int irVersion(int opset) {
        if (opset <= 14) {
            return 7;
        }
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }

    /** The graph output is called "logits", or "probabilities" behind a softmax head. */
    private String rename(String last) {
        String name = lastLayerName.equals("softmax") ? "probabilities" : "logits";
        node("Identity", "/output/Identity", List.of(last), name, null);
        return name;
    }

    private void layer(String name, Layer m) {
        String where = name.isEmpty() ? "the model" : "layer '" + name + "'";
        if (m instanceof Sequential s) {
            Map<String, Layer> children = s.children();
            for (Map.Entry<String, Layer> c : children.entrySet()) {
                layer(name.isEmpty() ? c.getKey() : name + "." + c.getKey(), c.getValue());
            }
            return;
        }
        String prefix = "/" + (name.isEmpty() ? "0" : name) + "/";
        lastLayerName = "";
        if (m instanceof Linear l) {
            linear(name, prefix, l);
        } else if (m instanceof Flatten f) {
            flatten(where, prefix, f);
        } else if (m instanceof BatchNorm1d bn) {
            batchNorm(name, prefix, bn);
        } else if (m instanceof Dropout || m instanceof Identity) {
            unary("Identity", prefix);
        } else if (m instanceof ReLU) {
            unary("Relu", prefix);
        } else if (m instanceof Sigmoid) {
            unary("Sigmoid", prefix);
        } else if (m instanceof Tanh) {
            unary("Tanh", prefix);
        } else if (m instanceof LeakyReLU l) {
            unary("LeakyRelu", prefix, new ProtoWriter[] {attribute("alpha", (float) l.negativeSlope())});
        } else if (m instanceof ReLU6) {
            clip(prefix, 0, 6);
        } else if (m instanceof Hardtanh h) {
            clip(prefix, h.minValue(), h.maxValue());
        } else if (m instanceof PReLU p) {
            String slope = name + ".weight";
            initializer(slope, p.weight());
            current = node("PRelu", prefix + "PRelu", List.of(current, slope));
        } else if (m instanceof Softmax s) {
            softmax("Softmax", where, prefix, s.axis());
            lastLayerName = "softmax";
        } else if (m instanceof LogSoftmax s) {
            softmax("LogSoftmax", where, prefix, s.axis());
        } else if (m instanceof ActivationLayer a) {
            activation(prefix, a.name());
        } else {
            throw new IllegalArgumentException("Onnx.write: " + where + " is a " + m.getClass().getSimpleName()
                    + ", which has no ONNX export (supported: Linear, Flatten, BatchNorm1d, Dropout, Identity, "
                    + "Softmax, LogSoftmax and the activations " + Activations.names() + ")");
        }
    }

    private void linear(String name, String prefix, Linear l) {
        if (shape.length == 0 || shape[shape.length - 1] != l.inFeatures()) {
            throw new IllegalArgumentException("Onnx.write: layer '" + name + "' is Linear(" + l.inFeatures() + ", "
                    + l.outFeatures() + ") but its input has shape [batch" + tail(shape) + "]");
        }
        String w = name + ".weight";
        String b = null;
        if (l.bias() != null) {
            b = name + ".bias";
            initializer(b, l.bias());
        }
        if (shape.length == 1) {
            initializer(w, l.weight());
            List<String> in = b == null ? List.of(current, w) : List.of(current, w, b);
            current = node("Gemm", prefix + "Gemm", in, new ProtoWriter[] {attribute("transB", 1)});
        } else {
            // Gemm takes only matrices; for [batch, ..., in] the weight goes in transposed, as PyTorch writes it.
            String wt = name + ".weight_transposed";
            initializer(wt, l.weight().t().contiguous());
            current = node("MatMul", prefix + "MatMul", List.of(current, wt));
            if (b != null) {
                current = node("Add", prefix + "Add", List.of(current, b));
            }
        }
        shape[shape.length - 1] = l.outFeatures();
    }

    private void flatten(String where, String prefix, Flatten f) {
        int rank = shape.length + 1;
        int start = f.startAxis() < 0 ? f.startAxis() + rank : f.startAxis();
        int end = f.endAxis() < 0 ? f.endAxis() + rank : f.endAxis();
        if (start < 1 || end < start || end >= rank) {
            throw new IllegalArgumentException("Onnx.write: " + where + " is Flatten(" + f.startAxis() + ", "
                    + f.endAxis() + "), which for an input of rank " + rank + " would merge the batch axis or is "
                    + "empty; only flattening axes after the batch axis can be exported");
        }
        // Without the batch axis: shape[0, start-1) + [product of shape[start-1, end-1]] + shape[end, ...).
        int merged = 1;
        for (int a = start; a <= end; a++) {
            merged *= shape[a - 1];
        }
        int[] result = new int[shape.length - (end - start)];
        System.arraycopy(shape, 0, result, 0, start - 1);
        result[start - 1] = merged;
        System.arraycopy(shape, end, result, start, shape.length - end);
        if (end == rank - 1 && start == 1) {
            current = node("Flatten", prefix + "Flatten", List.of(current), new ProtoWriter[] {attribute("axis", 1)});
        } else {
            // Reshape with 0 for the batch axis (copied from the input) and the other sizes spelled out.
            long[] target = new long[result.length + 1];
            for (int i = 0; i < result.length; i++) {
                target[i + 1] = result[i];
            }
            String s = prefix.substring(1).replace('/', '.') + "shape";
            initializers.add(tensor(s, new long[] {target.length}, null, target));
            current = node("Reshape", prefix + "Reshape", List.of(current, s));
        }
        shape = result;
    }

    private void batchNorm(String name, String prefix, BatchNorm1d bn) {
        if (shape.length < 1 || shape.length > 2 || shape[0] != bn.numFeatures()) {
            throw new IllegalArgumentException("Onnx.write: layer '" + name + "' is BatchNorm1d(" + bn.numFeatures()
                    + ") but its input has shape [batch" + tail(shape) + "]");
        }
        Map<String, Tensor> state = bn.stateDict();
        List<String> in = new ArrayList<>(List.of(current));
        for (String k : new String[] {"weight", "bias", "running_mean", "running_var"}) {
            initializer(name + "." + k, state.get(k));
            in.add(name + "." + k);
        }
        current = node("BatchNormalization", prefix + "BatchNormalization", in,
                new ProtoWriter[] {attribute("epsilon", (float) bn.eps())});
    }

    private void softmax(String op, String where, String prefix, int axis) {
        int rank = shape.length + 1;
        if (axis == 0 || axis == -rank) {
            throw new IllegalArgumentException("Onnx.write: " + where + " is a " + op + " over the batch axis, "
                    + "which cannot be exported with a free batch size");
        }
        current = node(op, prefix + op, List.of(current), new ProtoWriter[] {attribute("axis", axis)});
    }

    /** Each elementwise activation: the native op where this opset has one, else an exact composition. */
    private void activation(String prefix, String name) {
        String x = current;
        switch (name) {
            case "relu" -> unary("Relu", prefix);
            case "sigmoid" -> unary("Sigmoid", prefix);
            case "tanh" -> unary("Tanh", prefix);
            case "prelu" -> {
                String slope = prefix.substring(1).replace('/', '.') + "slope";
                initializers.add(tensor(slope, new long[] {1}, new float[] {0.25f}, null));
                current = node("PRelu", prefix + "PRelu", List.of(x, slope));
            }
            case "leakyRelu" -> unary("LeakyRelu", prefix, new ProtoWriter[] {attribute("alpha", 0.01f)});
            case "elu" -> unary("Elu", prefix, new ProtoWriter[] {attribute("alpha", 1f)});
            case "selu" -> unary("Selu", prefix, new ProtoWriter[] {attribute("alpha", (float) Activations.SELU_ALPHA),
                    attribute("gamma", (float) Activations.SELU_SCALE)});
            case "celu" -> unary("Celu", prefix, new ProtoWriter[] {attribute("alpha", 1f)});
            case "gelu", "geluTanh" -> {
                boolean tanh = name.equals("geluTanh");
                if (opset >= 20) {
                    current = node("Gelu", prefix + "Gelu", List.of(x),
                            new ProtoWriter[] {attribute("approximate", tanh ? "tanh" : "none")});
                } else if (!tanh) {
                    // x * 0.5 * (1 + erf(x / sqrt 2)), as torch.onnx writes gelu before opset 20.
                    String d = node("Div", prefix + "Div", List.of(x, scalar(prefix, "sqrt2", (float) Math.sqrt(2))));
                    String erf = node("Erf", prefix + "Erf", List.of(d));
                    String a = node("Add", prefix + "Add", List.of(erf, scalar(prefix, "one", 1f)));
                    String m = node("Mul", prefix + "Mul", List.of(x, a));
                    current = node("Mul", prefix + "Mul_1", List.of(m, scalar(prefix, "half", 0.5f)));
                } else {
                    // x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
                    String x2 = node("Mul", prefix + "Mul", List.of(x, x));
                    String x3 = node("Mul", prefix + "Mul_1", List.of(x2, x));
                    String c = node("Mul", prefix + "Mul_2", List.of(x3, scalar(prefix, "c", 0.044715f)));
                    String inner = node("Add", prefix + "Add", List.of(x, c));
                    String u = node("Mul", prefix + "Mul_3",
                            List.of(inner, scalar(prefix, "k", (float) Math.sqrt(2 / Math.PI))));
                    String t = node("Tanh", prefix + "Tanh", List.of(u));
                    String a = node("Add", prefix + "Add_1", List.of(t, scalar(prefix, "one", 1f)));
                    String m = node("Mul", prefix + "Mul_4", List.of(x, a));
                    current = node("Mul", prefix + "Mul_5", List.of(m, scalar(prefix, "half", 0.5f)));
                }
            }
            case "silu" -> {
                String s = node("Sigmoid", prefix + "Sigmoid", List.of(x));
                current = node("Mul", prefix + "Mul", List.of(x, s));
            }
            case "mish" -> {
                if (opset >= 18) {
                    unary("Mish", prefix);
                } else {
                    String sp = node("Softplus", prefix + "Softplus", List.of(x));
                    String t = node("Tanh", prefix + "Tanh", List.of(sp));
                    current = node("Mul", prefix + "Mul", List.of(x, t));
                }
            }
            case "softplus" -> unary("Softplus", prefix);
            case "softsign" -> unary("Softsign", prefix);
            case "hardtanh" -> clip(prefix, -1, 1);
            case "relu6" -> clip(prefix, 0, 6);
            case "hardSigmoid" -> unary("HardSigmoid", prefix,
                    new ProtoWriter[] {attribute("alpha", 1f / 6), attribute("beta", 0.5f)});
            case "hardSwish" -> {
                if (opset >= 14) {
                    unary("HardSwish", prefix);
                } else {
                    String h = node("HardSigmoid", prefix + "HardSigmoid", List.of(x),
                            new ProtoWriter[] {attribute("alpha", 1f / 6), attribute("beta", 0.5f)});
                    current = node("Mul", prefix + "Mul", List.of(x, h));
                }
            }
            case "logSigmoid" -> {
                // -softplus(-x): exact for every x, where log(sigmoid(x)) would reach log(0) below about -88.
                String n = node("Neg", prefix + "Neg", List.of(x));
                String sp = node("Softplus", prefix + "Softplus", List.of(n));
                current = node("Neg", prefix + "Neg_1", List.of(sp));
            }
            default -> throw new IllegalArgumentException("Onnx.write: no ONNX export for the activation '" + name
                    + "'");
        }
    }

    private void clip(String prefix, double min, double max) {
        current = node("Clip", prefix + "Clip", List.of(current, scalar(prefix, "min", (float) min),
                scalar(prefix, "max", (float) max)));
    }

    private void unary(String op, String prefix) {
        unary(op, prefix, null);
    }

    private void unary(String op, String prefix, ProtoWriter[] attributes) {
        current = node(op, prefix + op, List.of(current), attributes);
    }

    private String node(String op, String nodeName, List<String> inputs) {
        return node(op, nodeName, inputs, null);
    }

    /** Appends a node and returns the name of its output ({@code nodeName + "_output_0"}, as PyTorch names them). */
    private String node(String op, String nodeName, List<String> inputs, ProtoWriter[] attributes) {
        return node(op, nodeName, inputs, nodeName + "_output_0", attributes);
    }

    private String node(String op, String nodeName, List<String> inputs, String output, ProtoWriter[] attributes) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output).string(3, nodeName).string(4, op);
        if (attributes != null) {
            for (ProtoWriter a : attributes) {
                n.message(5, a);
            }
        }
        nodes.add(n);
        return output;
    }

    private String scalar(String prefix, String what, float value) {
        String name = prefix.substring(1).replace('/', '.') + what;
        initializers.add(tensor(name, new long[0], new float[] {value}, null));
        return name;
    }

    private void initializer(String name, Tensor t) {
        int[] s = t.shape();
        long[] dims = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            dims[i] = s[i];
        }
        initializers.add(tensor(name, dims, t.contiguous().toFloatArray(), null));
    }

    /** A TensorProto with raw little-endian data: float32 values, or int64 values when {@code longs} is given. */
    private static ProtoWriter tensor(String name, long[] dims, float[] floats, long[] longs) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        ByteBuffer raw;
        if (longs != null) {
            t.varint(2, OnnxGraph.INT64);
            raw = ByteBuffer.allocate(8 * longs.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : longs) {
                raw.putLong(v);
            }
        } else {
            t.varint(2, OnnxGraph.FLOAT);
            raw = ByteBuffer.allocate(4 * floats.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : floats) {
                raw.putFloat(v);
            }
        }
        return t.string(8, name).bytes(9, raw.array());
    }

    private static ProtoWriter attribute(String name, float value) {
        return new ProtoWriter().string(1, name).float32(2, value).varint(20, OnnxGraph.ATTR_FLOAT);
    }

    private static ProtoWriter attribute(String name, long value) {
        return new ProtoWriter().string(1, name).varint(3, value).varint(20, OnnxGraph.ATTR_INT);
    }

    private static ProtoWriter attribute(String name, String value) {
        return new ProtoWriter().string(1, name).string(4, value).varint(20, OnnxGraph.ATTR_STRING);
    }

    /** A float tensor value: [batch, ...shape] with the batch axis a dim_param, free at run time. */
    private static ProtoWriter valueInfo(String name, int[] shape) {
        ProtoWriter dims = new ProtoWriter().message(1, new ProtoWriter().string(2, Onnx.BATCH_DIM));
        for (int d : shape) {
            dims.message(1, new ProtoWriter().varint(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, OnnxGraph.FLOAT).message(2, dims);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static String tail(int[] shape) {
        String s = Shape.toString(shape);
        return s.equals("[]") ? "" : ", " + s.substring(1, s.length() - 1);
    }
}
