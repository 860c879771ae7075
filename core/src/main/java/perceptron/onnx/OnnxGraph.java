package perceptron.onnx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a decoded ONNX model that an MLP needs: the graph's nodes, initializers, inputs and outputs, and
 * the opsets imported. Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, ...).
 */
final class OnnxGraph {
    /** TensorProto.DataType values used here. */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    /** AttributeProto.AttributeType values used here. */
    static final int ATTR_FLOAT = 1;
    static final int ATTR_INT = 2;
    static final int ATTR_STRING = 3;
    static final int ATTR_TENSOR = 4;
    static final int ATTR_FLOATS = 6;
    static final int ATTR_INTS = 7;

    /** A constant tensor (an initializer or a Constant node's value), as floats and, for integer types, longs. */
    record TensorData(String name, int dataType, long[] dims, float[] floats, long[] longs) {
        int size() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return (int) n;
        }
    }

    record Attribute(String name, int type, float f, long i, String s, TensorData t, float[] floats, long[] ints) {
    }

    record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, Attribute> attributes) {
        /** A readable name for errors: the node's name, or its op type and first output when it has none. */
        String label() {
            return name.isEmpty() ? "(unnamed, output " + (outputs.isEmpty() ? "?" : outputs.get(0)) + ")" : name;
        }
    }

    /** A graph input or output: name, element type, and dims (a Long for dim_value, a String for dim_param, null if unknown). */
    record ValueInfo(String name, int elemType, List<Object> dims) {
    }

    final long irVersion;
    final Map<String, Long> opsets;
    final String producer;
    final List<Node> nodes;
    final Map<String, TensorData> initializers;
    final List<ValueInfo> inputs;
    final List<ValueInfo> outputs;

    private OnnxGraph(long irVersion, Map<String, Long> opsets, String producer, List<Node> nodes,
                      Map<String, TensorData> initializers, List<ValueInfo> inputs, List<ValueInfo> outputs) {
        this.irVersion = irVersion;
        this.opsets = opsets;
        this.producer = producer;
        this.nodes = nodes;
        this.initializers = initializers;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Decodes a serialised ModelProto. */
    static OnnxGraph parse(byte[] bytes, String file) throws IOException {
        ProtoReader r = new ProtoReader(bytes, 0, bytes.length, file);
        long ir = 0;
        String producer = "";
        Map<String, Long> opsets = new LinkedHashMap<>();
        OnnxGraph graph = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> ir = r.varint();
                case 2 -> producer = r.string();
                case 7 -> graph = parseGraph(r.message(), ir, opsets, producer);
                case 8 -> {
                    ProtoReader o = r.message();
                    String domain = "";
                    long version = 0;
                    while (o.next()) {
                        switch (o.field()) {
                            case 1 -> domain = o.string();
                            case 2 -> version = o.varint();
                            default -> o.skip();
                        }
                    }
                    opsets.put(domain, version);
                }
                default -> r.skip();
            }
        }
        if (graph == null) {
            throw new IOException(file + ": not an ONNX model: no graph (a ModelProto's field 7)");
        }
        return new OnnxGraph(ir, opsets, producer, graph.nodes, graph.initializers, graph.inputs, graph.outputs);
    }

    private static OnnxGraph parseGraph(ProtoReader r, long ir, Map<String, Long> opsets, String producer)
            throws IOException {
        List<Node> nodes = new ArrayList<>();
        Map<String, TensorData> initializers = new LinkedHashMap<>();
        List<ValueInfo> inputs = new ArrayList<>();
        List<ValueInfo> outputs = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> nodes.add(parseNode(r.message()));
                case 5 -> {
                    TensorData t = parseTensor(r.message());
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(parseValueInfo(r.message()));
                case 12 -> outputs.add(parseValueInfo(r.message()));
                default -> r.skip();
            }
        }
        return new OnnxGraph(ir, opsets, producer, nodes, initializers, inputs, outputs);
    }

    private static Node parseNode(ProtoReader r) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        String name = "";
        String op = "";
        String domain = "";
        Map<String, Attribute> attributes = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> {
                    Attribute a = parseAttribute(r.message());
                    attributes.put(a.name(), a);
                }
                case 7 -> domain = r.string();
                default -> r.skip();
            }
        }
        return new Node(name, op, domain, inputs, outputs, attributes);
    }

    private static Attribute parseAttribute(ProtoReader r) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        TensorData t = null;
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        ProtoReader.LongList ints = new ProtoReader.LongList();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> f = r.float32();
                case 3 -> i = r.varint();
                case 4 -> s = r.string();
                case 5 -> t = parseTensor(r.message());
                case 7 -> r.floats(floats);
                case 8 -> r.int64s(ints);
                case 20 -> type = (int) r.varint();
                default -> r.skip();
            }
        }
        return new Attribute(name, type, f, i, s, t, floats.toArray(), ints.toArray());
    }

    private static TensorData parseTensor(ProtoReader r) throws IOException {
        ProtoReader.LongList dims = new ProtoReader.LongList();
        ProtoReader.FloatList floats = new ProtoReader.FloatList();
        ProtoReader.LongList longs = new ProtoReader.LongList();
        int type = 0;
        String name = "";
        byte[] raw = null;
        int rawOffset = 0;
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.int64s(dims);
                case 2 -> type = (int) r.varint();
                case 4 -> r.floats(floats);
                case 5, 7 -> r.int64s(longs);
                case 8 -> name = r.string();
                case 9 -> {
                    rawOffset = r.offset();
                    raw = r.bytes();
                }
                case 10 -> r.doubles(floats);
                case 14 -> external = r.varint() == 1;
                default -> r.skip();
            }
        }
        String where = r.file() + ": tensor '" + name + "'";
        if (external) {
            throw new IOException(where + " keeps its data in an external file, which is not supported (save the "
                    + "model with its weights inside, e.g. onnx.save(model, path, save_as_external_data=False))");
        }
        long[] shape = dims.toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IOException(where + " has a negative dimension " + d);
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new IOException(where + " has more than 2^31 elements");
            }
        }
        float[] f = floats.toArray();
        long[] l = longs.toArray();
        if (raw != null) {
            int width = switch (type) {
                case FLOAT, INT32 -> 4;
                case INT64, DOUBLE -> 8;
                default -> throw new IOException(where + " has data type " + type + "; only float, double, int32 and "
                        + "int64 tensors are supported");
            };
            if (raw.length != count * width) {
                throw new IOException(where + " (raw data at byte offset " + rawOffset + ") holds " + raw.length
                        + " bytes but its shape " + java.util.Arrays.toString(shape) + " needs " + count * width);
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            f = new float[(int) count];
            l = new long[(int) count];
            for (int i = 0; i < count; i++) {
                switch (type) {
                    case FLOAT -> f[i] = b.getFloat();
                    case DOUBLE -> f[i] = (float) b.getDouble();
                    case INT32 -> l[i] = b.getInt();
                    default -> l[i] = b.getLong();
                }
                if (type == INT32 || type == INT64) {
                    f[i] = l[i];
                }
            }
        } else if (type == INT32 || type == INT64) {
            f = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                f[i] = l[i];
            }
        } else if (type == FLOAT || type == DOUBLE) {
            l = new long[0];
        } else {
            throw new IOException(where + " has data type " + type + "; only float, double, int32 and int64 tensors "
                    + "are supported");
        }
        if (f.length != count) {
            throw new IOException(where + " holds " + f.length + " values but its shape "
                    + java.util.Arrays.toString(shape) + " needs " + count);
        }
        return new TensorData(name, type, shape, f, l);
    }

    private static ValueInfo parseValueInfo(ProtoReader r) throws IOException {
        String name = "";
        int elemType = 0;
        List<Object> dims = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> {
                    ProtoReader type = r.message();
                    while (type.next()) {
                        if (type.field() != 1) {
                            type.skip();
                            continue;
                        }
                        ProtoReader tensor = type.message();
                        while (tensor.next()) {
                            switch (tensor.field()) {
                                case 1 -> elemType = (int) tensor.varint();
                                case 2 -> {
                                    dims = new ArrayList<>();
                                    ProtoReader shape = tensor.message();
                                    while (shape.next()) {
                                        if (shape.field() != 1) {
                                            shape.skip();
                                            continue;
                                        }
                                        ProtoReader dim = shape.message();
                                        Object d = null;
                                        while (dim.next()) {
                                            switch (dim.field()) {
                                                case 1 -> d = dim.varint();
                                                case 2 -> d = dim.string();
                                                default -> dim.skip();
                                            }
                                        }
                                        dims.add(d);
                                    }
                                }
                                default -> tensor.skip();
                            }
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return new ValueInfo(name, elemType, dims);
    }
}
