package perceptron.io;

import perceptron.internal.tensor.TensorInternals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Storage;
import perceptron.tensor.Tensor;

/**
 * The safetensors format of Hugging Face, so that state dicts move between this library and PyTorch unchanged.
 *
 * <pre>
 * bytes 0..7       N, the header length: unsigned 64-bit little-endian
 * bytes 8..8+N     the header: UTF-8 JSON object, starting with '{', padded with spaces to a multiple of 8
 *                  {"__metadata__": {"k": "v"},                       (optional, string values only)
 *                   "fc1.weight": {"dtype": "F32", "shape": [256, 784], "data_offsets": [0, 802816]}, ...}
 * bytes 8+N..end   the data buffer: each tensor row-major, little-endian, at data_offsets [begin, end)
 *                  relative to byte 8+N; the tensors cover the buffer exactly, without holes or overlaps
 * </pre>
 *
 * <p>Writing produces the same bytes as the reference implementation ({@code safetensors} 0.4,
 * {@code serialize}): tensors ordered by dtype (F64 before F32) and then by name, {@code __metadata__} first,
 * compact JSON, and the header padded so the data starts 8-byte aligned. Tensors are written as F32 or F64
 * after their dtype. Scalars (shape {@code []}) and empty tensors (a 0 in the shape) are allowed.
 *
 * <p>Reading validates everything before allocating: the header length against the file size and a 100 MB
 * limit (as the reference), the JSON, each dtype, shape and offset pair, and that the offsets tile the data
 * buffer exactly. Errors name the file, the tensor and the byte offset in the file. Besides F32 and F64 it reads
 * F16 and BF16 (converted exactly to float32) and the integer and BOOL dtypes (converted to float64, exact up to
 * 2^53), so that PyTorch state dicts with {@code num_batches_tracked} (I64) load; {@link Loaded#dtypes()} keeps
 * the stored dtype. Unknown keys in a tensor entry are ignored, as the reference does.
 *
 * <pre>{@code
 * SafeTensors.write(path, model.stateDict(), Map.of("format", "pt"));
 * SafeTensors.Loaded in = SafeTensors.read(path);
 * Tensor w = in.tensors().get("fc1.weight");           // [256, 784] float32
 * }</pre>
 */
public final class SafeTensors {
    /** The reference implementation refuses larger headers; so do we. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK = 1 << 16;

    private SafeTensors() {
    }

    /**
     * The contents of a file.
     *
     * @param tensors  the tensors in the order of their data in the file (a {@link LinkedHashMap})
     * @param metadata the {@code __metadata__} map in header order, empty if the file has none
     * @param dtypes   each tensor's dtype as stored ({@code "F32"}, {@code "I64"}, ...)
     */
    public record Loaded(Map<String, Tensor> tensors, Map<String, String> metadata, Map<String, String> dtypes) {
    }

    // =========================================================================================================
    // Writing
    // =========================================================================================================

    /** {@link #write(Path, Map, Map)} without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, null);
    }

    /**
     * Writes {@code tensors} to {@code file} atomically (temporary file in the same directory, fsync, rename; see
     * {@link AtomicFiles}).
     *
     * @param metadata the {@code __metadata__} map, or null to leave it out (an empty map writes {@code {}})
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        List<Map.Entry<String, Tensor>> order = checkAndOrder(tensors, metadata);
        AtomicFiles.write(file, out -> writeTo(out, order, metadata));
    }

    /** The bytes of a safetensors file, in memory. */
    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out, checkAndOrder(tensors, metadata), metadata);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return out.toByteArray();
    }

    /** Writes a safetensors file to a stream (not closed). */
    public static void writeTo(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        writeTo(out, checkAndOrder(tensors, metadata), metadata);
    }

    private static List<Map.Entry<String, Tensor>> checkAndOrder(Map<String, Tensor> tensors,
                                                                 Map<String, String> metadata) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("SafeTensors.write: null name or tensor (" + e.getKey() + ")");
            }
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors.write: \"" + METADATA_KEY
                        + "\" is reserved for the metadata map and cannot name a tensor");
            }
            order.add(Map.entry(e.getKey(), e.getValue()));
        }
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("SafeTensors.write: metadata keys and values must not be "
                            + "null (" + e.getKey() + " = " + e.getValue() + ")");
                }
            }
        }
        // The reference sorts by descending dtype alignment, then by name (byte order of the UTF-8 names).
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().byteSize())
                .thenComparing(Map.Entry::getKey, SafeTensors::compareCodePoints));
        return order;
    }

    /** UTF-8 byte order is code point order, which String.compareTo (UTF-16 units) is not above U+D800. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    private static void writeTo(OutputStream out, List<Map.Entry<String, Tensor>> order,
                                Map<String, String> metadata) throws IOException {
        StringBuilder header = new StringBuilder("{");
        if (metadata != null) {
            header.append(Json.quote(METADATA_KEY)).append(':').append(Json.write(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            long bytes = (long) t.size() * t.dtype().byteSize();
            if (header.length() > 1) {
                header.append(',');
            }
            header.append(Json.quote(e.getKey())).append(":{\"dtype\":\"").append(dtypeName(t.dtype()))
                    .append("\",\"shape\":").append(Json.write(t.shape()))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        header.append('}');
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padding = (8 - json.length % 8) % 8;
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length + padding);
        out.write(buf.array(), 0, 8);
        out.write(json);
        for (int i = 0; i < padding; i++) {
            out.write(' ');
        }
        buf.clear();
        for (Map.Entry<String, Tensor> e : order) {
            writeData(out, e.getValue().contiguous(), buf);
        }
        out.write(buf.array(), buf.arrayOffset(), buf.position());
    }

    private static void writeData(OutputStream out, Tensor t, ByteBuffer buf) throws IOException {
        int n = t.size();
        int off = t.offset();
        if (t.dtype() == DType.FLOAT32) {
            float[] a = TensorInternals.floatData(t);
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 4) {
                    flush(out, buf);
                }
                buf.putFloat(a[off + i]);
            }
        } else {
            double[] a = TensorInternals.doubleData(t);
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 8) {
                    flush(out, buf);
                }
                buf.putDouble(a[off + i]);
            }
        }
    }

    private static void flush(OutputStream out, ByteBuffer buf) throws IOException {
        out.write(buf.array(), buf.arrayOffset(), buf.position());
        buf.clear();
    }

    private static String dtypeName(DType d) {
        return d == DType.FLOAT32 ? "F32" : "F64";
    }

    // =========================================================================================================
    // Reading
    // =========================================================================================================

    /** Reads and validates a file; see the class comment for what is checked and how dtypes convert. */
    public static Loaded read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file.toString(), ch.size(), (pos, dst) -> {
                while (dst.hasRemaining()) {
                    int r = ch.read(dst, pos);
                    if (r < 0) {
                        throw new IOException(file + ": file shrank while being read (at byte offset " + pos + ")");
                    }
                    pos += r;
                }
            });
        }
    }

    /** Reads a safetensors file held in memory; {@code name} stands for the file in error messages. */
    public static Loaded fromBytes(byte[] bytes, String name) throws IOException {
        return read(name, bytes.length, (pos, dst) -> dst.put(bytes, (int) pos, dst.remaining()));
    }

    /** Random access to the file's bytes: fills {@code dst} from byte {@code pos}. */
    private interface Source {
        void read(long pos, ByteBuffer dst) throws IOException;
    }

    /** A tensor entry of the header, before its data is read. */
    private record Entry(String name, String dtype, int width, int[] shape, long begin, long end) {
    }

    private static Loaded read(String file, long size, Source src) throws IOException {
        if (size < 8) {
            throw new IOException(file + ": the file is " + size + " bytes; a safetensors file starts with an "
                    + "8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.read(0, lenBuf);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new IOException(file + ": header length " + Long.toUnsignedString(n) + " at byte offset 0 is "
                    + "more than the " + MAX_HEADER_BYTES + "-byte limit; is this a safetensors file?");
        }
        if (8 + n > size) {
            throw new IOException(file + ": header length " + n + " at byte offset 0 runs past the end of the "
                    + "file (" + size + " bytes); the file is truncated or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        src.read(8, headerBytes);
        headerBytes.flip();
        String header = decodeUtf8(file, headerBytes);
        if (header.isEmpty() || header.charAt(0) != '{') {
            throw new IOException(file + ": the header at byte offset 8 must start with '{', found "
                    + (header.isEmpty() ? "nothing" : "'" + header.charAt(0) + "'"));
        }
        Object parsed;
        try {
            parsed = Json.parse(header);
        } catch (Json.SyntaxError e) {
            long at = 8L + header.substring(0, e.offset()).getBytes(StandardCharsets.UTF_8).length;
            throw new IOException(file + ": invalid JSON in the header at byte offset " + at + ": "
                    + e.getMessage(), e);
        }
        if (!(parsed instanceof Map)) {
            throw new IOException(file + ": the header at byte offset 8 is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) parsed).entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                entries.add(entry(file, name, e.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        long expected = 0;
        for (Entry e : entries) {
            String where = file + ": tensor '" + e.name() + "' (data_offsets [" + e.begin() + ", " + e.end()
                    + "], file bytes " + (dataStart + e.begin()) + " to " + (dataStart + e.end()) + ")";
            if (e.begin() > expected) {
                throw new IOException(where + " leaves a hole: the previous tensor ends at data offset " + expected
                        + " (file byte " + (dataStart + expected) + "); the data buffer must be covered exactly");
            }
            if (e.begin() < expected) {
                throw new IOException(where + " overlaps the previous tensor, which ends at data offset "
                        + expected + " (file byte " + (dataStart + expected) + ")");
            }
            if (e.end() < e.begin()) {
                throw new IOException(where + ": the end offset is before the begin offset");
            }
            long numel = (long) Shape.numel(e.shape());
            if (e.end() - e.begin() != numel * e.width()) {
                throw new IOException(where + ": shape " + Shape.toString(e.shape()) + " of " + e.dtype()
                        + " needs " + numel * e.width() + " bytes, the offsets span " + (e.end() - e.begin()));
            }
            if (e.end() > dataLength) {
                throw new IOException(where + " runs past the end of the file (" + size + " bytes)");
            }
            expected = e.end();
        }
        if (expected != dataLength) {
            throw new IOException(file + ": the tensors end at data offset " + expected + " (file byte "
                    + (dataStart + expected) + ") but the file has " + (dataLength - expected)
                    + " more bytes; the data buffer must be covered exactly");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> dtypes = new LinkedHashMap<>();
        for (Entry e : entries) {
            tensors.put(e.name(), readTensor(e, dataStart, src));
            dtypes.put(e.name(), e.dtype());
        }
        return new Loaded(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(dtypes));
    }

    private static String decodeUtf8(String file, ByteBuffer bytes) throws IOException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.remaining());
        CoderResult r = dec.decode(bytes, out, true);
        if (r.isError()) {
            throw new IOException(file + ": the header is not valid UTF-8 at byte offset " + (8 + bytes.position()));
        }
        dec.flush(out);
        return out.flip().toString();
    }

    private static void readMetadata(String file, Object value, Map<String, String> into) throws IOException {
        if (!(value instanceof Map)) {
            throw new IOException(file + ": \"" + METADATA_KEY + "\" in the header must be an object of strings");
        }
        for (Map.Entry<?, ?> m : ((Map<?, ?>) value).entrySet()) {
            if (!(m.getValue() instanceof String)) {
                throw new IOException(file + ": \"" + METADATA_KEY + "\" entry \"" + m.getKey()
                        + "\" must be a string, found " + Json.write(m.getValue()));
            }
            into.put((String) m.getKey(), (String) m.getValue());
        }
    }

    private static Entry entry(String file, String name, Object value) throws IOException {
        String where = file + ": tensor '" + name + "' in the header";
        if (!(value instanceof Map)) {
            throw new IOException(where + " must be an object with dtype, shape and data_offsets");
        }
        Map<?, ?> m = (Map<?, ?>) value;
        Object dtype = m.get("dtype");
        if (!(dtype instanceof String)) {
            throw new IOException(where + " has no string \"dtype\"");
        }
        int width = width((String) dtype);
        if (width == 0) {
            throw new IOException(where + " has dtype " + dtype + ", which this reader does not support "
                    + "(supported: F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL)");
        }
        long[] dims = integers(where, m.get("shape"), "shape", -1);
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            numel = dims[i] == 0 || numel == 0 ? 0 : (numel > Integer.MAX_VALUE / dims[i] ? -1 : numel * dims[i]);
            if (dims[i] > Integer.MAX_VALUE || numel < 0 || numel > Integer.MAX_VALUE - 8) {
                throw new IOException(where + " has shape " + m.get("shape") + ", more elements than a Java array "
                        + "holds");
            }
            shape[i] = (int) dims[i];
        }
        long[] offsets = integers(where, m.get("data_offsets"), "data_offsets", 2);
        return new Entry(name, (String) dtype, width, shape, offsets[0], offsets[1]);
    }

    private static long[] integers(String where, Object value, String key, int count) throws IOException {
        if (!(value instanceof List)) {
            throw new IOException(where + " has no \"" + key + "\" array");
        }
        List<?> list = (List<?>) value;
        if (count >= 0 && list.size() != count) {
            throw new IOException(where + ": \"" + key + "\" must have " + count + " entries, found " + list.size());
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Long) || (Long) v < 0) {
                throw new IOException(where + ": \"" + key + "\" entry " + i + " is " + Json.write(v)
                        + ", not a non-negative integer");
            }
            out[i] = (Long) v;
        }
        return out;
    }

    /** Bytes per element of a readable dtype, 0 if unsupported. */
    private static int width(String dtype) {
        switch (dtype) {
            case "F64": case "I64": case "U64":
                return 8;
            case "F32": case "I32": case "U32":
                return 4;
            case "F16": case "BF16": case "I16": case "U16":
                return 2;
            case "I8": case "U8": case "BOOL":
                return 1;
            default:
                return 0;
        }
    }

    private static Tensor readTensor(Entry e, long dataStart, Source src) throws IOException {
        int n = (int) ((e.end() - e.begin()) / e.width());
        boolean toFloat = e.dtype().startsWith("F") || e.dtype().equals("BF16");
        DType dtype = e.dtype().equals("F64") || !toFloat ? DType.FLOAT64 : DType.FLOAT32;
        Storage storage = Storage.heap(dtype, n);
        ByteBuffer buf = ByteBuffer.allocate(Math.max(8, Math.min(CHUNK, n * e.width())))
                .order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + e.begin();
        int done = 0;
        while (done < n) {
            int count = Math.min(n - done, buf.capacity() / e.width());
            buf.clear().limit(count * e.width());
            src.read(pos, buf);
            buf.flip();
            for (int i = 0; i < count; i++) {
                if (dtype == DType.FLOAT32) {
                    storage.floats()[done + i] = readFloat(e.dtype(), buf);
                } else {
                    storage.doubles()[done + i] = readDouble(e.dtype(), buf);
                }
            }
            pos += (long) count * e.width();
            done += count;
        }
        return TensorInternals.fromStorage(storage, 0, e.shape(), Shape.contiguousStrides(e.shape()));
    }

    private static float readFloat(String dtype, ByteBuffer b) {
        switch (dtype) {
            case "F32":
                return b.getFloat();
            case "BF16":
                return Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            default:
                return halfToFloat(b.getShort() & 0xffff);
        }
    }

    private static double readDouble(String dtype, ByteBuffer b) {
        switch (dtype) {
            case "F64": return b.getDouble();
            case "I64": return b.getLong();
            case "U64": long u = b.getLong(); return u >= 0 ? u : (u >>> 1) * 2.0 + (u & 1);
            case "I32": return b.getInt();
            case "U32": return b.getInt() & 0xffffffffL;
            case "I16": return b.getShort();
            case "U16": return b.getShort() & 0xffff;
            case "I8": return b.get();
            case "U8": return b.get() & 0xff;
            default: return b.get() != 0 ? 1 : 0;  // BOOL
        }
    }

    /** IEEE binary16 to float32, exact (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
