package perceptron.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import perceptron.internal.kernels.ActivationMath;
import perceptron.nn.ActivationLayer;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Flatten;
import perceptron.nn.Hardtanh;
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
import perceptron.onnx.OnnxGraph.Attribute;
import perceptron.onnx.OnnxGraph.Node;
import perceptron.onnx.OnnxGraph.TensorData;
import perceptron.tensor.Tensor;

/**
 * Turns an MLP-shaped ONNX graph into a {@link Sequential}: a chain from the one graph input to the one graph
 * output, each step a layer. See {@link Onnx#read} for what is accepted.
 */
final class OnnxImport {
    static final String SUPPORTED = "Gemm, MatMul (+ Add), Flatten, Reshape to [batch, features], Identity, "
            + "Dropout, BatchNormalization, Softmax, LogSoftmax, Relu, PRelu, LeakyRelu, Elu, Selu, Celu, Gelu, Mish, "
            + "Softplus, Softsign, Clip, HardSigmoid, HardSwish, Sigmoid, Tanh, Log(Sigmoid(x)), and any small "
            + "elementwise graph of Add, Sub, Mul, Div, Pow, Neg, Abs, Exp, Log, Sqrt, Erf, Tanh, Sigmoid, Softplus "
            + "that computes one of the activations (x*Sigmoid(x), x*0.5*(1+Erf(x/sqrt 2)), x/(1+Abs(x)), ...)";

    private final OnnxGraph g;
    private final String file;
    private final long opset;
    private final Map<String, TensorData> constants = new LinkedHashMap<>();
    private final Map<String, List<Node>> consumers = new LinkedHashMap<>();
    private final Set<Node> done = new HashSet<>();
    private final List<Layer> layers = new ArrayList<>();
    /** The shape of the current value without the batch axis; null where the graph does not say. */
    private int[] shape;
    private String current;

    private OnnxImport(OnnxGraph g, String file) {
        this.g = g;
        this.file = file;
        Long v = g.opsets.get("");
        this.opset = v == null ? g.opsets.getOrDefault("ai.onnx", 0L) : v;
    }

    static Onnx.Imported read(byte[] bytes, String file) throws IOException {
        OnnxGraph g = OnnxGraph.parse(bytes, file);
        return new OnnxImport(g, file).convert();
    }

    private Onnx.Imported convert() throws IOException {
        if (opset == 0) {
            throw new IOException(file + ": the model imports no version of the default ONNX opset");
        }
        constants.putAll(g.initializers);
        List<OnnxGraph.ValueInfo> inputs = new ArrayList<>();
        for (OnnxGraph.ValueInfo v : g.inputs) {
            if (!g.initializers.containsKey(v.name())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1 || g.outputs.size() != 1) {
            throw new IOException(file + ": an MLP graph has one input and one output; this one has " + inputs.size()
                    + " inputs " + names(inputs) + " and " + g.outputs.size() + " outputs " + names(g.outputs));
        }
        OnnxGraph.ValueInfo input = inputs.get(0);
        if (input.elemType() != OnnxGraph.FLOAT) {
            throw new IOException(file + ": the input '" + input.name() + "' has element type " + input.elemType()
                    + "; only float32 (1) inputs are supported");
        }
        int[] inputShape = exampleShape(input);
        shape = inputShape == null ? null : inputShape.clone();
        current = input.name();
        for (Node n : g.nodes) {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                throw refuse(n, "its domain '" + n.domain() + "' is not the standard ONNX domain");
            }
            if (n.outputs().isEmpty() || n.outputs().get(0).isEmpty()) {
                throw refuse(n, "it has no output");
            }
            if (n.opType().equals("Constant")) {
                constants.put(n.outputs().get(0), constantValue(n));
                done.add(n);
                continue;
            }
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        foldConstants();
        String output = g.outputs.get(0).name();
        while (!current.equals(output)) {
            step();
        }
        for (Node n : g.nodes) {
            if (!done.contains(n)) {
                throw refuse(n, "it is not on the chain from the input '" + input.name() + "' to the output '"
                        + output + "'");
            }
        }
        return new Onnx.Imported(new Sequential(layers), inputShape, g.producer, opset);
    }

    /** Nodes whose inputs are all constants (a Transpose of a weight, say) become constants themselves. */
    private void foldConstants() throws IOException {
        for (Node n : g.nodes) {
            if (done.contains(n) || n.inputs().isEmpty()) {
                continue;
            }
            boolean allConstant = true;
            for (String in : n.inputs()) {
                allConstant &= in.isEmpty() || constants.containsKey(in);
            }
            if (!allConstant) {
                continue;
            }
            TensorData x = constants.get(n.inputs().get(0));
            switch (n.opType()) {
                case "Identity" -> constants.put(n.outputs().get(0), x);
                case "Transpose" -> {
                    if (x.dims().length != 2) {
                        throw refuse(n, "only 2-D constants can be transposed, this one has shape "
                                + java.util.Arrays.toString(x.dims()));
                    }
                    int r = (int) x.dims()[0];
                    int c = (int) x.dims()[1];
                    constants.put(n.outputs().get(0), new TensorData(n.outputs().get(0), x.dataType(),
                            new long[] {c, r}, transpose(x.floats(), r, c), x.longs()));
                }
                default -> throw refuse(n, "it computes on constants only, which is not supported for "
                        + n.opType());
            }
            done.add(n);
        }
    }

    /** Consumes the node(s) that read the current value and appends the layer they compute. */
    private void step() throws IOException {
        List<Node> users = new ArrayList<>();
        for (Node n : consumers.getOrDefault(current, List.of())) {
            if (!done.contains(n)) {
                users.add(n);
            }
        }
        if (users.isEmpty()) {
            throw new IOException(file + ": the value '" + current + "' is read by no node and is not the graph's "
                    + "output");
        }
        if ((users.size() > 1 || MATH.contains(users.get(0).opType()) && !DIRECT.contains(users.get(0).opType()))
                && composition()) {
            return;
        }
        if (users.size() != 1) {
            throw refuse(users.get(1), "the value '" + current + "' is read by " + users.size() + " nodes; an MLP "
                    + "is a chain, and these nodes compute no known activation from it");
        }
        Node n = users.get(0);
        if (!n.inputs().get(0).equals(current)) {
            throw refuse(n, "it reads '" + current + "' as input " + n.inputs().indexOf(current)
                    + "; the layer input must come first");
        }
        switch (n.opType()) {
            case "Identity", "Dropout" -> advance(n);
            case "Flatten" -> flatten(n);
            case "Reshape" -> reshape(n);
            case "Gemm" -> gemm(n);
            case "MatMul" -> matmul(n);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu" -> layer(n, new ReLU());
            case "Tanh" -> layer(n, new Tanh());
            case "Sigmoid" -> {
                Node log = soleUser(n, "Log");
                if (log != null) {
                    done.add(n);
                    layer(log, ActivationLayer.of("logSigmoid"));
                } else {
                    layer(n, new Sigmoid());
                }
            }
            case "LeakyRelu" -> layer(n, new LeakyReLU(floatAttribute(n, "alpha", 0.01f)));
            case "Elu" -> layer(n, withAlphaOne(n, "elu"));
            case "Celu" -> layer(n, withAlphaOne(n, "celu"));
            case "Selu" -> {
                double alpha = floatAttribute(n, "alpha", 1.67326319217681884765625f);
                double gamma = floatAttribute(n, "gamma", 1.05070102214813232421875f);
                if (Math.abs(alpha - Activations.SELU_ALPHA) > 1e-6 || Math.abs(gamma - Activations.SELU_SCALE) > 1e-6) {
                    throw refuse(n, "Selu with alpha=" + alpha + ", gamma=" + gamma + " (only the standard SELU "
                            + "constants are supported)");
                }
                layer(n, ActivationLayer.of("selu"));
            }
            case "Gelu" -> {
                String approximate = stringAttribute(n, "approximate", "none");
                if (!approximate.equals("none") && !approximate.equals("tanh")) {
                    throw refuse(n, "Gelu with approximate='" + approximate + "'");
                }
                layer(n, ActivationLayer.of(approximate.equals("tanh") ? "geluTanh" : "gelu"));
            }
            case "Mish" -> layer(n, ActivationLayer.of("mish"));
            case "Softplus" -> layer(n, ActivationLayer.of("softplus"));
            case "Softsign" -> layer(n, ActivationLayer.of("softsign"));
            case "HardSwish" -> layer(n, ActivationLayer.of("hardSwish"));
            case "HardSigmoid" -> {
                requireHardSigmoidSixth(n);
                layer(n, ActivationLayer.of("hardSigmoid"));
            }
            case "Clip" -> clip(n);
            case "PRelu" -> prelu(n);
            case "Softmax", "LogSoftmax" -> {
                int axis = (int) intAttribute(n, "axis", opset >= 13 ? -1 : 1);
                int rank = shape == null ? 2 : shape.length + 1;
                if (opset < 13 && rank != 2) {
                    throw refuse(n, n.opType() + " before opset 13 on a tensor of rank " + rank);
                }
                layer(n, n.opType().equals("Softmax") ? new Softmax(axis) : new LogSoftmax(axis));
            }
            default -> throw refuse(n, "this op is not part of an MLP that perceptron can import");
        }
    }

    /** Math ops that are layers by themselves when they are alone (a Sigmoid is a sigmoid layer). */
    private static final Set<String> DIRECT = Set.of("Relu", "Sigmoid", "Tanh", "Softplus", "HardSigmoid");

    /** Ops an elementwise composition may use (see {@link #composition}). */
    private static final Set<String> MATH = Set.of("Add", "Sub", "Mul", "Div", "Pow", "Neg", "Abs", "Exp", "Log",
            "Sqrt", "Erf", "Tanh", "Sigmoid", "Softplus", "Relu", "Reciprocal", "HardSigmoid");

    /**
     * An activation spelled as a small elementwise graph (gelu as x * 0.5 * (1 + Erf(x / sqrt 2)), softsign as
     * x / (1 + Abs(x)), ...): the nodes from the current value to the one value where all their paths meet. The
     * region is evaluated in float64 on 4001 points of [-20, 20] and compared with every activation of
     * {@link Activations#names()}; one that agrees within 1e-6 (relative) is the layer. Returns false if the
     * nodes do not close into such a region or compute no known activation.
     */
    private boolean composition() {
        // In graph (topological) order, take every node that reads a value derived from the current one, until
        // exactly one derived value is still read outside the region: that value is the activation's output.
        java.util.LinkedHashSet<Node> region = new java.util.LinkedHashSet<>();
        Set<String> derived = new HashSet<>(Set.of(current));
        for (Node n : g.nodes) {
            if (done.contains(n) || n.inputs().stream().noneMatch(derived::contains)) {
                continue;
            }
            if (!MATH.contains(n.opType()) || n.outputs().size() != 1 || region.size() == 24) {
                return false;
            }
            region.add(n);
            derived.add(n.outputs().get(0));
            List<String> open = new ArrayList<>();
            for (String v : derived) {
                boolean readOutside = g.outputs.get(0).name().equals(v);
                for (Node c : consumers.getOrDefault(v, List.of())) {
                    readOutside |= !region.contains(c);
                }
                if (readOutside) {
                    open.add(v);
                }
            }
            if (open.size() == 1 && !open.get(0).equals(current) && closed(region)) {
                // x (1 + erf(x / sqrt 2)) closes a region too; keep going until the values are an activation's.
                String name = activationComputedBy(region, open.get(0));
                if (name != null) {
                    done.addAll(region);
                    layers.add(ActivationLayer.of(name));
                    current = open.get(0);
                    return true;
                }
            }
        }
        return false;
    }

    /** The activation that the region computes from the current value to {@code end}, or null. */
    private String activationComputedBy(Set<Node> region, String end) {
        double[] grid = new double[4001];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -20 + i * 0.01;
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put(current, grid);
        for (Node n : g.nodes) {
            if (region.contains(n)) {
                double[] v = evaluate(n, values, grid.length);
                if (v == null) {
                    return null;
                }
                values.put(n.outputs().get(0), v);
            }
        }
        double[] f = values.get(end);
        for (String name : Activations.names()) {
            double[] candidate = Activations.byName(name).apply(Tensor.wrap(grid.clone(), grid.length)).toDoubleArray();
            boolean same = true;
            for (int i = 0; i < grid.length && same; i++) {
                same = Math.abs(f[i] - candidate[i]) <= 1e-6 * Math.max(1, Math.abs(candidate[i]));
            }
            if (same) {
                return name;
            }
        }
        return null;
    }

    /** True if every input of the region's nodes is the current value, a constant or another region node's output. */
    private boolean closed(Set<Node> region) {
        Set<String> produced = new HashSet<>();
        for (Node n : region) {
            produced.addAll(n.outputs());
        }
        for (Node n : region) {
            for (String in : n.inputs()) {
                if (!in.equals(current) && !constants.containsKey(in) && !produced.contains(in)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One elementwise node on float64 values; null for a non-scalar constant or an op outside {@link #MATH}. */
    private double[] evaluate(Node n, Map<String, double[]> values, int size) {
        double[][] in = new double[n.inputs().size()][];
        for (int k = 0; k < in.length; k++) {
            String name = n.inputs().get(k);
            TensorData c = constants.get(name);
            if (c != null) {
                if (c.size() != 1) {
                    return null;
                }
                in[k] = new double[size];
                java.util.Arrays.fill(in[k], c.floats()[0]);
            } else {
                in[k] = values.get(name);
            }
            if (in[k] == null) {
                return null;
            }
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            double a = in[0][i];
            double b = in.length > 1 ? in[1][i] : 0;
            out[i] = switch (n.opType()) {
                case "Add" -> a + b;
                case "Sub" -> a - b;
                case "Mul" -> a * b;
                case "Div" -> a / b;
                case "Pow" -> Math.pow(a, b);
                case "Neg" -> -a;
                case "Abs" -> Math.abs(a);
                case "Exp" -> Math.exp(a);
                case "Log" -> Math.log(a);
                case "Sqrt" -> Math.sqrt(a);
                case "Erf" -> ActivationMath.erf(a);
                case "Tanh" -> Math.tanh(a);
                case "Sigmoid" -> 1 / (1 + Math.exp(-a));
                case "Softplus" -> ActivationMath.softplus(a);
                case "Relu" -> Math.max(a, 0);
                case "Reciprocal" -> 1 / a;
                case "HardSigmoid" -> Math.max(0, Math.min(1, floatAttribute(n, "alpha", 0.2f) * a
                        + floatAttribute(n, "beta", 0.5f)));
                default -> Double.NaN;
            };
        }
        return out;
    }

    /** The node's only reader, if there is exactly one and (when given) it has that op type; else null. */
    private Node soleUser(Node n, String opType) {
        List<Node> users = consumers.getOrDefault(n.outputs().get(0), List.of());
        if (users.size() != 1 || (opType != null && !users.get(0).opType().equals(opType))) {
            return null;
        }
        return users.get(0);
    }

    private void advance(Node n) {
        done.add(n);
        current = n.outputs().get(0);
    }

    private void layer(Node n, Layer layer) {
        layers.add(layer);
        advance(n);
    }

    private void flatten(Node n) throws IOException {
        long axis = intAttribute(n, "axis", 1);
        int rank = shape == null ? -1 : shape.length + 1;
        if (axis != 1 && !(rank > 0 && axis == 1 - rank)) {
            throw refuse(n, "Flatten with axis=" + axis + " (only axis=1, which keeps the batch axis)");
        }
        layers.add(new Flatten());
        shape = shape == null ? null : new int[] {product(shape)};
        advance(n);
    }

    private void reshape(Node n) throws IOException {
        TensorData target = constant(n, 1, "the target shape");
        long[] t = target.longs();
        int features = shape == null ? -1 : product(shape);
        boolean keepsBatch = t.length == 2 && (t[0] == 0 || t[0] == -1)
                && (t[1] == features || (t[1] == -1 && t[0] == 0) || (shape == null && t[1] > 0));
        if (!keepsBatch) {
            throw refuse(n, "Reshape to " + java.util.Arrays.toString(t) + "; only a reshape to [batch, features] "
                    + "(a flatten) is supported" + (shape == null ? "" : ", here [0, " + features + "]"));
        }
        layers.add(new Flatten());
        shape = new int[] {(int) (t[1] > 0 ? t[1] : features)};
        advance(n);
    }

    private void gemm(Node n) throws IOException {
        if (intAttribute(n, "transA", 0) != 0) {
            throw refuse(n, "Gemm with transA=1 (the batch would lie along columns)");
        }
        if (shape != null && shape.length != 1) {
            throw refuse(n, "Gemm on an input of rank " + (shape.length + 1) + "; Gemm takes [batch, features]");
        }
        double alpha = floatAttribute(n, "alpha", 1f);
        double beta = floatAttribute(n, "beta", 1f);
        TensorData b = constant(n, 1, "the weight");
        if (b.dims().length != 2) {
            throw refuse(n, "its weight '" + b.name() + "' has shape " + java.util.Arrays.toString(b.dims())
                    + "; expected 2-D");
        }
        boolean transB = intAttribute(n, "transB", 0) != 0;
        int out = (int) (transB ? b.dims()[0] : b.dims()[1]);
        int in = (int) (transB ? b.dims()[1] : b.dims()[0]);
        float[] w = transB ? b.floats().clone() : transpose(b.floats(), in, out);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (w[i] * alpha);
        }
        float[] bias = null;
        if (n.inputs().size() > 2 && !n.inputs().get(2).isEmpty()) {
            TensorData c = constant(n, 2, "the bias");
            if (c.size() != out && c.size() != 1) {
                throw refuse(n, "its bias '" + c.name() + "' has shape " + java.util.Arrays.toString(c.dims())
                        + "; expected [" + out + "], [1, " + out + "] or a scalar");
            }
            bias = new float[out];
            for (int j = 0; j < out; j++) {
                bias[j] = (float) (beta * c.floats()[c.size() == 1 ? 0 : j]);
            }
        }
        linear(n, in, out, w, bias);
        advance(n);
    }

    private void matmul(Node n) throws IOException {
        TensorData b = constant(n, 1, "the weight");
        if (b.dims().length != 2) {
            throw refuse(n, "MatMul with a weight of shape " + java.util.Arrays.toString(b.dims())
                    + "; expected 2-D [in, out]");
        }
        int in = (int) b.dims()[0];
        int out = (int) b.dims()[1];
        float[] bias = null;
        Node add = soleUser(n, "Add");
        if (add != null) {
            int other = add.inputs().get(0).equals(n.outputs().get(0)) ? 1 : 0;
            TensorData c = constants.get(add.inputs().get(other));
            if (c != null && c.size() == out) {
                bias = c.floats().clone();
            } else {
                add = null;
            }
        }
        linear(n, in, out, transpose(b.floats(), in, out), bias);
        advance(n);
        if (add != null) {
            advance(add);
        }
    }

    private void linear(Node n, int in, int out, float[] weight, float[] bias) throws IOException {
        if (shape != null && shape[shape.length - 1] != in) {
            throw refuse(n, "its weight takes " + in + " features but its input has shape [batch, "
                    + java.util.Arrays.toString(shape).replaceAll("[\\[\\]]", "") + "]");
        }
        Linear l = new Linear(in, out, bias != null, new SplittableRandom(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put("weight", Tensor.wrap(weight, out, in));
        if (bias != null) {
            state.put("bias", Tensor.wrap(bias, out));
        }
        l.loadStateDict(state);
        layers.add(l);
        if (shape != null) {
            shape[shape.length - 1] = out;
        }
    }

    private void batchNorm(Node n) throws IOException {
        if (n.outputs().size() > 1 && n.outputs().subList(1, n.outputs().size()).stream().anyMatch(s -> !s.isEmpty())) {
            throw refuse(n, "BatchNormalization in training mode (it has running-statistics outputs)");
        }
        if (intAttribute(n, "training_mode", 0) != 0) {
            throw refuse(n, "BatchNormalization with training_mode=1");
        }
        String[] keys = {"weight", "bias", "running_mean", "running_var"};
        Map<String, Tensor> state = new LinkedHashMap<>();
        int features = -1;
        for (int i = 0; i < 4; i++) {
            TensorData t = constant(n, i + 1, keys[i]);
            if (features < 0) {
                features = t.size();
            }
            if (t.dims().length != 1 || t.size() != features) {
                throw refuse(n, "its " + keys[i] + " '" + t.name() + "' has shape " + java.util.Arrays.toString(t.dims())
                        + "; expected [" + features + "]");
            }
            state.put(keys[i], Tensor.wrap(t.floats().clone(), features));
        }
        if (shape != null && (shape.length < 1 || shape.length > 2 || shape[0] != features)) {
            throw refuse(n, "BatchNormalization of " + features + " features on an input of shape [batch, "
                    + java.util.Arrays.toString(shape).replaceAll("[\\[\\]]", "") + "]");
        }
        BatchNorm1d bn = new BatchNorm1d(features, floatAttribute(n, "epsilon", 1e-5f), 0.1);
        state.put("num_batches_tracked", Tensor.scalar(0, perceptron.tensor.DType.FLOAT64));
        bn.loadStateDict(state);
        bn.eval();
        layer(n, bn);
    }

    private void clip(Node n) throws IOException {
        double min;
        double max;
        if (opset >= 11) {
            min = n.inputs().size() > 1 && !n.inputs().get(1).isEmpty() ? scalar(n, 1, "min") : Double.NEGATIVE_INFINITY;
            max = n.inputs().size() > 2 && !n.inputs().get(2).isEmpty() ? scalar(n, 2, "max") : Double.POSITIVE_INFINITY;
        } else {
            min = floatAttribute(n, "min", Float.NEGATIVE_INFINITY);
            max = floatAttribute(n, "max", Float.POSITIVE_INFINITY);
        }
        if (min == 0 && max == 6) {
            layer(n, new ReLU6());
        } else if (min == 0 && max == Double.POSITIVE_INFINITY) {
            layer(n, new ReLU());
        } else if (Double.isFinite(min) && Double.isFinite(max) && min < max) {
            layer(n, new Hardtanh(min, max));
        } else {
            throw refuse(n, "Clip to [" + min + ", " + max + "]; a bounded interval or [0, inf) is supported");
        }
    }

    private void prelu(Node n) throws IOException {
        TensorData slope = constant(n, 1, "the slope");
        int count = slope.size();
        int channels = shape == null || shape.length == 0 ? -1 : shape[0];
        boolean perChannel = count > 1 && (channels < 0 || count == channels)
                && (slope.dims().length == 1 || (slope.dims().length >= 2 && slope.dims()[0] == count));
        if (count != 1 && !perChannel) {
            throw refuse(n, "PRelu with a slope of shape " + java.util.Arrays.toString(slope.dims())
                    + "; one slope, or one per channel (axis 1), is supported");
        }
        PReLU p = new PReLU(count, 0.25);
        p.loadStateDict(Map.of("weight", Tensor.wrap(slope.floats().clone(), count)));
        layer(n, p);
    }

    private Layer withAlphaOne(Node n, String name) throws IOException {
        double alpha = floatAttribute(n, "alpha", 1f);
        if (alpha != 1) {
            throw refuse(n, n.opType() + " with alpha=" + alpha + " (only alpha=1, PyTorch's default)");
        }
        return ActivationLayer.of(name);
    }

    private void requireHardSigmoidSixth(Node n) throws IOException {
        double alpha = floatAttribute(n, "alpha", 0.2f);
        double beta = floatAttribute(n, "beta", 0.5f);
        if (Math.abs(alpha - 1.0 / 6) > 1e-7 || beta != 0.5) {
            throw refuse(n, "HardSigmoid with alpha=" + alpha + ", beta=" + beta + " (PyTorch's hardsigmoid is "
                    + "alpha=1/6, beta=0.5)");
        }
    }

    // ---- attributes and constants -------------------------------------------------------------------------

    private TensorData constant(Node n, int index, String what) throws IOException {
        if (n.inputs().size() <= index || n.inputs().get(index).isEmpty()) {
            throw refuse(n, what + " (input " + index + ") is missing");
        }
        TensorData t = constants.get(n.inputs().get(index));
        if (t == null) {
            throw refuse(n, what + " '" + n.inputs().get(index) + "' is computed at run time; it must be an "
                    + "initializer or a Constant");
        }
        return t;
    }

    private double scalar(Node n, int index, String what) throws IOException {
        TensorData t = constant(n, index, what);
        if (t.size() != 1) {
            throw refuse(n, what + " '" + t.name() + "' is not a scalar");
        }
        return t.floats()[0];
    }

    private TensorData constantValue(Node n) throws IOException {
        String out = n.outputs().get(0);
        for (Attribute a : n.attributes().values()) {
            switch (a.name()) {
                case "value" -> {
                    TensorData t = a.t();
                    return new TensorData(out, t.dataType(), t.dims(), t.floats(), t.longs());
                }
                case "value_float" -> {
                    return new TensorData(out, OnnxGraph.FLOAT, new long[0], new float[] {a.f()}, new long[0]);
                }
                case "value_floats" -> {
                    return new TensorData(out, OnnxGraph.FLOAT, new long[] {a.floats().length}, a.floats(), new long[0]);
                }
                case "value_int" -> {
                    return new TensorData(out, OnnxGraph.INT64, new long[0], new float[] {a.i()}, new long[] {a.i()});
                }
                case "value_ints" -> {
                    float[] f = new float[a.ints().length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = a.ints()[i];
                    }
                    return new TensorData(out, OnnxGraph.INT64, new long[] {f.length}, f, a.ints());
                }
                default -> {
                }
            }
        }
        throw refuse(n, "a Constant without a numeric value");
    }

    /**
     * A float attribute as the decimal it was written from: ONNX stores 0.01 as the float32 nearest to it, and
     * Float.toString gives back "0.01" (where widening the float would give 0.009999999776482582).
     */
    private static double floatAttribute(Node n, String name, float fallback) {
        Attribute a = n.attributes().get(name);
        return Double.parseDouble(Float.toString(a == null ? fallback : a.f()));
    }

    private static long intAttribute(Node n, String name, long fallback) {
        Attribute a = n.attributes().get(name);
        return a == null ? fallback : a.i();
    }

    private static String stringAttribute(Node n, String name, String fallback) {
        Attribute a = n.attributes().get(name);
        return a == null || a.s() == null ? fallback : a.s();
    }

    private IOException refuse(Node n, String reason) {
        return new IOException(file + ": node '" + n.label() + "' (" + n.opType() + ") is not supported: " + reason
                + ". perceptron imports MLP graphs of: " + SUPPORTED);
    }

    // ---- small helpers ---------------------------------------------------------------------------------------

    private static int[] exampleShape(OnnxGraph.ValueInfo input) {
        List<Object> dims = input.dims();
        if (dims == null || dims.isEmpty()) {
            return null;
        }
        int[] s = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            if (!(dims.get(i) instanceof Long l) || l <= 0) {
                return null;
            }
            s[i - 1] = (int) (long) l;
        }
        return s;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static int product(int[] shape) {
        int p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }

    private static String names(List<OnnxGraph.ValueInfo> values) {
        List<String> n = new ArrayList<>();
        for (OnnxGraph.ValueInfo v : values) {
            n.add(v.name());
        }
        return n.toString();
    }
}
