package perceptron.io;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259) for model descriptions and safetensors headers.
 *
 * <p>Values map to Java as: object to {@code LinkedHashMap<String, Object>} (key order kept), array to
 * {@code List<Object>}, string to {@code String}, {@code true/false} to {@code Boolean}, {@code null} to
 * {@code null}, and a number to {@code Long} when written without fraction or exponent and in range, else to
 * {@code Double}.
 *
 * <p>Strict means: no comments, no trailing commas, no single quotes, no {@code NaN}, no leading zeros, no raw
 * control characters in strings, no duplicate keys, nothing after the value but whitespace. Every error names the
 * line and column (both 1-based) and the character offset.
 *
 * <pre>{@code
 * Map<?, ?> spec = (Map<?, ?>) Json.parse("{\"layers\": [784, 256, 10], \"dropout\": 0.5}");
 * long hidden = (Long) ((List<?>) spec.get("layers")).get(1);     // 256
 * String text = Json.pretty(spec);
 * }</pre>
 */
public final class Json {
    /** Deeper nesting than this is refused, so hostile input cannot overflow the stack. */
    static final int MAX_DEPTH = 512;

    private Json() {
    }

    /** A JSON text that does not follow the grammar, with where it stops following it. */
    public static final class SyntaxError extends InvalidInputException {
        private static final long serialVersionUID = 1L;
        private final int line;
        private final int column;
        private final int offset;

        SyntaxError(String message, int line, int column, int offset) {
            super("JSON syntax error at line " + line + ", column " + column + " (character " + offset + "): "
                    + message);
            this.line = line;
            this.column = column;
            this.offset = offset;
        }

        /** 1-based line of the offending character. */
        public int line() {
            return line;
        }

        /** 1-based column of the offending character. */
        public int column() {
            return column;
        }

        /** 0-based index of the offending character in the text. */
        public int offset() {
            return offset;
        }
    }

    // =========================================================================================================
    // Reading
    // =========================================================================================================

    /** Parses one JSON value; see the class comment for the Java types. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + printable(text.charAt(p.pos)) + "' after the end of the value");
        }
        return value;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH + " levels");
            }
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return string();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error("unexpected '" + printable(c) + "', expected a value");
            }
        }

        Map<String, Object> object(int depth) {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error(pos >= s.length() ? "unexpected end of input inside an object"
                            : "expected a string key, found '" + printable(s.charAt(pos)) + "'");
                }
                int keyStart = pos;
                String key = string();
                if (map.containsKey(key)) {
                    pos = keyStart;
                    throw error("duplicate key \"" + key + "\"");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(key, value(depth + 1));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    pos--;
                    throw error(pos >= s.length() ? "unexpected end of input inside an object"
                            : "expected ',' or '}', found '" + printable(c) + "'");
                }
            }
        }

        List<Object> array(int depth) {
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth + 1));
                skipWhitespace();
                char c = peek();
                pos++;
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    pos--;
                    throw error(pos >= s.length() ? "unexpected end of input inside an array"
                            : "expected ',' or ']', found '" + printable(c) + "'");
                }
            }
        }

        String string() {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("raw control character " + printable(c) + " in a string; write it as an escape");
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                if (pos + 1 >= s.length()) {
                    throw error("unterminated escape");
                }
                char e = s.charAt(pos + 1);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int p = pos + 2 + i;
                            char h = p < s.length() ? s.charAt(p) : 'x';
                            // Character.digit would also accept non-ASCII digits such as U+0663.
                            int d = h < 0x80 ? Character.digit(h, 16) : -1;
                            if (d < 0) {
                                throw error("\\u must be followed by four hexadecimal digits");
                            }
                            code = code * 16 + d;
                        }
                        sb.append((char) code);
                        pos += 4;
                        break;
                    default:
                        throw error("invalid escape \\" + printable(e));
                }
                pos += 2;
            }
        }

        Object number() {
            int start = pos;
            boolean integral = true;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (peek() >= '0' && peek() <= '9') {
                    throw error("leading zeros are not allowed in numbers");
                }
            } else {
                digits("a digit");
            }
            if (peek() == '.') {
                integral = false;
                pos++;
                digits("a digit after the decimal point");
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                digits("a digit in the exponent");
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooLong) {
                    // Beyond the range of long: fall through to a double, as JavaScript would read it.
                }
            }
            double d = Double.parseDouble(text);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number " + InvalidInputException.shorten(text, 40) + " is out of the range of a double");
            }
            return d;
        }

        void digits(String what) {
            if (peek() < '0' || peek() > '9') {
                throw error(pos >= s.length() ? "unexpected end of input, expected " + what
                        : "expected " + what + ", found '" + printable(s.charAt(pos)) + "'");
            }
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
        }

        Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected '" + printable(s.charAt(pos)) + "', expected a value");
            }
            pos += word.length();
            return value;
        }

        void expect(char c) {
            if (peek() != c) {
                throw error(pos >= s.length() ? "unexpected end of input, expected '" + c + "'"
                        : "expected '" + c + "', found '" + printable(s.charAt(pos)) + "'");
            }
            pos++;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        SyntaxError error(String message) {
            int line = 1;
            int lineStart = 0;
            int end = Math.min(pos, s.length());
            for (int i = 0; i < end; i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new SyntaxError(message, line, end - lineStart + 1, end);
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    // =========================================================================================================
    // Writing
    // =========================================================================================================

    /**
     * Compact JSON, no whitespace: {@code {"a":[1,2]}}. Accepts what {@link #parse} returns, plus any
     * {@link Map} with String keys, {@link Collection}, Java array, {@link Number} and {@link CharSequence}.
     *
     * @throws IllegalArgumentException for NaN or infinite numbers, non-string keys or other types
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0);
        return sb.toString();
    }

    /**
     * Pretty JSON: two-space indentation, one member per line, arrays of plain values on one line
     * ({@code "shape": [784, 256]}), no trailing newline.
     */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, 0);
        return sb.toString();
    }

    /** {@code "text"} with JSON escapes, exactly as serde_json writes it (so safetensors headers match). */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2);
        quote(sb, text);
        return sb.toString();
    }

    /** indent &lt; 0: compact; otherwise the current indentation level in the pretty form. */
    private static void write(StringBuilder sb, Object v, int indent, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Json.write: nesting deeper than " + MAX_DEPTH
                    + " levels (a cycle?)");
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean) {
            sb.append(v.toString());
        } else if (v instanceof CharSequence) {
            quote(sb, v.toString());
        } else if (v instanceof Number) {
            number(sb, (Number) v);
        } else if (v instanceof Map) {
            Map<?, ?> map = (Map<?, ?>) v;
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("Json.write: object keys must be strings, found "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName()));
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent < 0 ? -1 : indent + 1);
                quote(sb, (String) e.getKey());
                sb.append(indent < 0 ? ":" : ": ");
                write(sb, e.getValue(), indent < 0 ? -1 : indent + 1, depth + 1);
            }
            newline(sb, indent);
            sb.append('}');
        } else if (v instanceof Collection || v.getClass().isArray()) {
            List<Object> items = asList(v);
            if (items.isEmpty()) {
                sb.append("[]");
                return;
            }
            boolean inline = indent < 0 || items.stream().noneMatch(x -> x instanceof Map
                    || x instanceof Collection || (x != null && x.getClass().isArray()));
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(indent < 0 ? "," : inline ? ", " : ",");
                }
                if (!inline) {
                    newline(sb, indent + 1);
                }
                write(sb, items.get(i), indent < 0 ? -1 : indent + 1, depth + 1);
            }
            if (!inline) {
                newline(sb, indent);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("Json.write: cannot write a " + v.getClass().getName());
        }
    }

    private static List<Object> asList(Object v) {
        if (v instanceof Collection) {
            return new ArrayList<>((Collection<?>) v);
        }
        int n = Array.getLength(v);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Array.get(v, i));
        }
        return out;
    }

    private static void newline(StringBuilder sb, int indent) {
        if (indent >= 0) {
            sb.append('\n');
            sb.append("  ".repeat(indent));
        }
    }

    private static void number(StringBuilder sb, Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("Json.write: " + d + " has no JSON representation");
            }
            // Float.toString keeps a float's shortest form (0.1f prints 0.1, not 0.10000000149011612).
            sb.append(n instanceof Float ? Float.toString(n.floatValue()) : Double.toString(d));
        } else {
            sb.append(n.toString());
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
