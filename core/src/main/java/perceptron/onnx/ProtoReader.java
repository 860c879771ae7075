package perceptron.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fields of one protobuf message from {@code buf[start, end)}. Every length is checked against the
 * bytes that remain before anything is allocated, and every error names the file and the byte offset.
 *
 * <pre>{@code
 * ProtoReader r = new ProtoReader(bytes, 0, bytes.length, "model.onnx");
 * while (r.next()) {
 *     switch (r.field()) {
 *         case 1 -> irVersion = r.varint();
 *         case 7 -> graph = readGraph(r.message());
 *         default -> r.skip();
 *     }
 * }
 * }</pre>
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buf;
    private final int end;
    private final String file;
    private int pos;
    private int field;
    private int wireType;
    private int fieldStart;

    ProtoReader(byte[] buf, int start, int end, String file) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.file = file;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() throws IOException {
        if (pos >= end) {
            return false;
        }
        fieldStart = pos;
        long tag = rawVarint();
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (field == 0) {
            throw error("field number 0 in a tag");
        }
        return true;
    }

    int field() {
        return field;
    }

    int wireType() {
        return wireType;
    }

    /** The byte offset of the current field's tag, for error messages. */
    int offset() {
        return fieldStart;
    }

    String file() {
        return file;
    }

    long varint() throws IOException {
        expect(VARINT);
        return rawVarint();
    }

    float float32() throws IOException {
        expect(FIXED32);
        need(4);
        int bits = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    String string() throws IOException {
        int[] span = span();
        return new String(buf, span[0], span[1] - span[0], StandardCharsets.UTF_8);
    }

    byte[] bytes() throws IOException {
        int[] span = span();
        return java.util.Arrays.copyOfRange(buf, span[0], span[1]);
    }

    /** A reader over the nested message in the current (length-delimited) field. */
    ProtoReader message() throws IOException {
        int[] span = span();
        return new ProtoReader(buf, span[0], span[1], file);
    }

    /**
     * A repeated int64 field, packed (one length-delimited run of varints) or not (one varint per field): both
     * encodings are legal and both occur in the wild. Appends to {@code into}.
     */
    void int64s(LongList into) throws IOException {
        if (wireType == LENGTH_DELIMITED) {
            ProtoReader packed = new ProtoReader(buf, 0, 0, file);
            int[] span = span();
            packed.pos = span[0];
            while (packed.pos < span[1]) {
                into.add(packed.rawVarintBounded(span[1]));
            }
        } else {
            into.add(varint());
        }
    }

    /** A repeated float field, packed or not. */
    void floats(FloatList into) throws IOException {
        if (wireType == LENGTH_DELIMITED) {
            int[] span = span();
            if ((span[1] - span[0]) % 4 != 0) {
                throw error("a packed float field of " + (span[1] - span[0]) + " bytes (not a multiple of 4)");
            }
            for (int p = span[0]; p < span[1]; p += 4) {
                int bits = (buf[p] & 0xff) | (buf[p + 1] & 0xff) << 8 | (buf[p + 2] & 0xff) << 16 | (buf[p + 3] & 0xff) << 24;
                into.add(Float.intBitsToFloat(bits));
            }
        } else {
            into.add(float32());
        }
    }

    /** A repeated double field, packed or not. */
    void doubles(FloatList into) throws IOException {
        if (wireType == LENGTH_DELIMITED) {
            int[] span = span();
            if ((span[1] - span[0]) % 8 != 0) {
                throw error("a packed double field of " + (span[1] - span[0]) + " bytes (not a multiple of 8)");
            }
            for (int p = span[0]; p < span[1]; p += 8) {
                long bits = 0;
                for (int i = 7; i >= 0; i--) {
                    bits = (bits << 8) | (buf[p + i] & 0xff);
                }
                into.add((float) Double.longBitsToDouble(bits));
            }
        } else {
            expect(FIXED64);
            need(8);
            long bits = 0;
            for (int i = 7; i >= 0; i--) {
                bits = (bits << 8) | (buf[pos + i] & 0xff);
            }
            pos += 8;
            into.add((float) Double.longBitsToDouble(bits));
        }
    }

    /** Skips the current field's value, whatever its type. */
    void skip() throws IOException {
        switch (wireType) {
            case VARINT -> rawVarint();
            case FIXED64 -> {
                need(8);
                pos += 8;
            }
            case LENGTH_DELIMITED -> span();
            case FIXED32 -> {
                need(4);
                pos += 4;
            }
            default -> throw error("unsupported wire type " + wireType + " (field " + field + ")");
        }
    }

    IOException error(String what) {
        return new IOException(file + ": not a valid ONNX (protobuf) file: " + what + " at byte offset " + fieldStart);
    }

    private void expect(int type) throws IOException {
        if (wireType != type) {
            throw error("field " + field + " has wire type " + wireType + ", expected " + type);
        }
    }

    private int[] span() throws IOException {
        expect(LENGTH_DELIMITED);
        long length = rawVarint();
        if (length < 0 || length > end - pos) {
            throw error("field " + field + " claims " + length + " bytes but only " + (end - pos) + " remain");
        }
        int start = pos;
        pos += (int) length;
        return new int[] {start, pos};
    }

    private void need(int n) throws IOException {
        if (end - pos < n) {
            throw error("field " + field + " needs " + n + " bytes but only " + (end - pos) + " remain");
        }
    }

    private long rawVarint() throws IOException {
        return rawVarintBounded(end);
    }

    private long rawVarintBounded(int limit) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw error("a varint runs past the end of its message");
            }
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw error("a varint longer than 10 bytes");
    }

    /** A growable long array. */
    static final class LongList {
        long[] values = new long[8];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    /** A growable float array. */
    static final class FloatList {
        float[] values = new float[8];
        int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
