package perceptron.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object read field by field, with every type and range checked: the typed face of what {@link Json#parse}
 * returns. Each error is an {@link InvalidInputException} naming the file, the field (with its path, as in
 * {@code architecture.hidden[0]}) and what was expected:
 *
 * <pre>
 * runs/x/model.json: architecture.hidden[0] must be an integer from 1 to 2147483647, got 4294967552
 * </pre>
 *
 * <p>Numbers are exact or refused: an int field never wraps (4294967552 is not read as 256), a fractional or
 * rounded value is never truncated, and a double must be finite and in range.
 *
 * <pre>{@code
 * JsonFields d = JsonFields.read(Path.of("runs/x/model.json"));
 * int epoch = d.object("progress").integer("epoch", 0, Integer.MAX_VALUE);
 * }</pre>
 */
public final class JsonFields {
    /** JSON files this reader is meant for (descriptions, checkpoint state) are small; a bigger one is refused. */
    public static final long MAX_FILE_BYTES = 16 << 20;
    /** The largest integer a double holds exactly (2^53): longs beyond it written as doubles are refused. */
    private static final double EXACT_DOUBLE_LIMIT = 9007199254740992.0;

    private final String source;
    private final String path;
    private final Map<String, Object> fields;

    private JsonFields(String source, String path, Map<String, Object> fields) {
        this.source = source;
        this.path = path;
        this.fields = fields;
    }

    /**
     * Reads a file that holds one JSON object. Refuses, naming the file: a missing file, one larger than
     * {@link #MAX_FILE_BYTES}, bytes that are not UTF-8 (with their offset), a syntax error (with line and column),
     * and a value that is not an object.
     */
    public static JsonFields read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "the file is missing");
        }
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new InvalidInputException(file + ": " + size + " bytes is too large for a JSON description (at most "
                    + MAX_FILE_BYTES + ")");
        }
        return parse(file.toString(), decodeUtf8(file, Files.readAllBytes(file)));
    }

    /** Parses {@code text}, which must hold one JSON object; {@code source} names it in errors (a file name). */
    public static JsonFields parse(String source, String text) {
        Object value;
        try {
            value = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new InvalidInputException(source + ": " + e.getMessage(), e);
        }
        if (!(value instanceof Map)) {
            throw new InvalidInputException(source + ": expected a JSON object {...} at the top level, got "
                    + describe(value));
        }
        return new JsonFields(source, "", cast(value));
    }

    /** Wraps a map already parsed; {@code source} names where it came from in errors. */
    public static JsonFields of(String source, Map<String, Object> fields) {
        return new JsonFields(source, "", fields);
    }

    private static String decodeUtf8(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            throw new InvalidInputException(file + ": not UTF-8 text (a JSON file was expected): the byte at offset "
                    + in.position() + " is " + String.format("0x%02X", bytes[in.position()] & 0xff)
                    + "; is this a binary file?");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The file (or other source) this object was read from. */
    public String source() {
        return source;
    }

    /** True if the object has this field (even if its value is null). */
    public boolean has(String key) {
        return fields.containsKey(key);
    }

    /** The field names, in the order of the file. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(fields.keySet());
    }

    /** A nested object. */
    public JsonFields object(String key) {
        Object v = field(key);
        if (!(v instanceof Map)) {
            throw error(key, "must be an object {...}, got " + describe(v));
        }
        return new JsonFields(source, name(key), cast(v));
    }

    public String string(String key) {
        Object v = field(key);
        if (!(v instanceof String s)) {
            throw error(key, "must be a string, got " + describe(v));
        }
        return s;
    }

    /** A string that must equal {@code expected}, as a format tag. */
    public void require(String key, String expected) {
        Object v = has(key) ? fields.get(key) : null;
        if (!expected.equals(v)) {
            throw error(key, "must be \"" + expected + "\", got " + (has(key) ? describe(v) : "nothing (it is missing)"));
        }
    }

    public boolean bool(String key) {
        Object v = field(key);
        if (!(v instanceof Boolean b)) {
            throw error(key, "must be true or false, got " + describe(v));
        }
        return b;
    }

    /** An integer in [min, max], exactly as written. */
    public int integer(String key, int min, int max) {
        return (int) exactInteger(name(key), field(key), min, max);
    }

    /** A long in [min, max], exactly as written. */
    public long longInteger(String key, long min, long max) {
        return exactInteger(name(key), field(key), min, max);
    }

    /** A finite number in [min, max]. */
    public double number(String key, double min, double max) {
        return finite(name(key), field(key), min, max);
    }

    /** A list of integers, each in [min, max]. */
    public int[] integers(String key, int min, int max) {
        List<?> list = list(key);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) exactInteger(name(key) + "[" + i + "]", list.get(i), min, max);
        }
        return out;
    }

    /** A list of finite numbers, each in [min, max]. */
    public double[] numbers(String key, double min, double max) {
        List<?> list = list(key);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = finite(name(key) + "[" + i + "]", list.get(i), min, max);
        }
        return out;
    }

    /** An error about a field of this object, for checks the caller makes itself: "FILE: FIELD MESSAGE". */
    public InvalidInputException error(String key, String message) {
        return new InvalidInputException(source + ": " + name(key) + " " + message);
    }

    private List<?> list(String key) {
        Object v = field(key);
        if (!(v instanceof List<?> l)) {
            throw error(key, "must be a list [...], got " + describe(v));
        }
        return l;
    }

    private Object field(String key) {
        if (!fields.containsKey(key)) {
            throw error(key, "is missing");
        }
        return fields.get(key);
    }

    private String name(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private long exactInteger(String name, Object v, long min, long max) {
        String expected = "must be an integer from " + min + " to " + max;
        if (v instanceof Long l) {
            if (l < min || l > max) {
                throw new InvalidInputException(source + ": " + name + " " + expected + ", got " + l);
            }
            return l;
        }
        if (v instanceof Double d) {
            // Json reads integers beyond the range of a long, and anything with a fraction or exponent, as doubles.
            if (d != Math.rint(d) || Math.abs(d) >= EXACT_DOUBLE_LIMIT) {
                throw new InvalidInputException(source + ": " + name + " " + expected + ", got " + describe(v)
                        + (d == Math.rint(d) ? " (too large to be read exactly)" : ""));
            }
            if (d < min || d > max) {
                throw new InvalidInputException(source + ": " + name + " " + expected + ", got " + describe(v));
            }
            return d.longValue();
        }
        if (v instanceof Number n) {
            // Maps built in Java (not parsed) may hold Integer or Short.
            return exactInteger(name, n.longValue(), min, max);
        }
        throw new InvalidInputException(source + ": " + name + " " + expected + ", got " + describe(v));
    }

    private double finite(String name, Object v, double min, double max) {
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())
                || n.doubleValue() < min || n.doubleValue() > max) {
            String range = max == Double.MAX_VALUE ? ">= " + plain(min) : "from " + plain(min) + " to " + plain(max);
            throw new InvalidInputException(source + ": " + name + " must be a finite number " + range + ", got "
                    + describe(v));
        }
        return n.doubleValue();
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A value for an error message: strings quoted, long texts cut short, containers named. */
    static String describe(Object v) {
        return InvalidInputException.show(v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
