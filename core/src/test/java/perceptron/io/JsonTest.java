package perceptron.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesEveryKindOfValueIntoTheDocumentedJavaTypes() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"x\\ny\"}} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-2.5, a.get(1));
        assertEquals(300.0, a.get(2));
        assertEquals(Boolean.TRUE, a.get(3));
        assertEquals(Boolean.FALSE, a.get(4));
        assertNull(a.get(5));
        assertEquals("x\ny", ((Map<?, ?>) m.get("b")).get("c"));
    }

    @Test
    void keepsKeyOrder() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":1,\"a\":2,\"m\":3}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(m.keySet()));
    }

    @Test
    void integersBeyondLongBecomeDoubles() {
        assertEquals(9223372036854775807L, Json.parse("9223372036854775807"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"));
        assertEquals(-0.0, (Double) Json.parse("-0.0"));
    }

    @Test
    void decodesEscapesAndUnicode() {
        assertEquals("\"\\/\b\f\n\r\t\u00e9\ud83d\ude00", Json.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00E9\\ud83d\\ude00\""));
        assertEquals("héllo 😀", Json.parse("\"héllo 😀\""));
    }

    @Test
    void roundTripsThroughCompactAndPrettyForms() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "mlp \"small\"\n");
        m.put("layers", List.of(784L, 256L, 10L));
        m.put("dropout", 0.5);
        m.put("tiny", 1e-5);
        m.put("empty", List.of());
        m.put("nested", List.of(Map.of("k", true), new LinkedHashMap<>()));
        m.put("nothing", null);
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals(m, Json.parse(Json.pretty(m)));
    }

    @Test
    void prettyPutsPlainArraysOnOneLine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", new int[] {784, 256});
        m.put("layers", List.of(Map.of("type", "linear")));
        m.put("none", Map.of());
        assertEquals("{\n  \"shape\": [784, 256],\n  \"layers\": [\n    {\n      \"type\": \"linear\"\n    }\n  ],\n"
                + "  \"none\": {}\n}", Json.pretty(m));
        assertEquals("{\"shape\":[784,256],\"layers\":[{\"type\":\"linear\"}],\"none\":{}}", Json.write(m));
    }

    @Test
    void writesNumbersInTheirShortestForm() {
        assertEquals("[0.1,0.1,3,3.0,-7]", Json.write(new Object[] {0.1f, 0.1, 3, 3.0, -7L}));
    }

    @Test
    void escapesControlCharactersLikeSerdeJson() {
        assertEquals("\"a\\u0001b\\u001f\\t\"", Json.quote("a\u0001b\u001f\t"));
    }

    @Test
    void refusesToWriteNonFiniteNumbersAndNonStringKeys() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void errorsNameLineAndColumn() {
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse("{\n  \"a\": 1,\n  \"b\": 01\n}"));
        assertEquals(3, e.line());
        assertEquals(9, e.column());
        assertTrue(e.getMessage().contains("line 3, column 9"), e.getMessage());
        assertTrue(e.getMessage().contains("leading zeros"), e.getMessage());
    }

    @Test
    void rejectsWhatStrictJsonRejects() {
        String[][] cases = {
            {"[1, 2,]", "expected a value"},
            {"{\"a\": 1,}", "expected a string key"},
            {"{'a': 1}", "expected a string key"},
            {"[NaN]", "expected a value"},
            {"\"tab\there\"", "raw control character"},
            {"\"abc", "unterminated string"},
            {"\"\\x\"", "invalid escape"},
            {"\"\\u12\"", "four hexadecimal digits"},
            {"\"\\u\u0663\u0663\u0663\u0663\"", "four hexadecimal digits"},
            {"{\"a\": 1, \"a\": 2}", "duplicate key \"a\""},
            {"[1] [2]", "after the end of the value"},
            {"", "unexpected end of input"},
            {"[1 2]", "expected ',' or ']'"},
            {"{\"a\" 1}", "expected ':'"},
            {"1.", "a digit after the decimal point"},
            {"1e", "a digit in the exponent"},
            {"-", "a digit"},
            {"1e999", "out of the range"},
            {"tru", "expected a value"},
            {"// comment\n1", "expected a value"},
            {"[\u0661]", "expected a value"},
        };
        for (String[] c : cases) {
            Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse(c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void deepNestingFailsWithAMessageNotAStackOverflow() {
        char[] open = new char[100_000];
        Arrays.fill(open, '[');
        Json.SyntaxError e = assertThrows(Json.SyntaxError.class, () -> Json.parse(new String(open)));
        assertTrue(e.getMessage().contains("nesting deeper than"), e.getMessage());
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }
}
