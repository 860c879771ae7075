package perceptron.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonFieldsTest {

    private static String refusal(String json, java.util.function.Consumer<JsonFields> read) {
        JsonFields f = JsonFields.parse("m.json", json);
        return assertThrows(InvalidInputException.class, () -> read.accept(f)).getMessage();
    }

    @Test
    void anIntegerBeyondTheRangeOfIntIsRefusedNotWrapped() {
        // (int) 4294967552L is 256: the old reader loaded "hidden": [4294967552] as a 256-unit layer.
        assertEquals("m.json: a.hidden[0] must be an integer from 1 to 2147483647, got 4294967552",
                refusal("{\"a\": {\"hidden\": [4294967552]}}", f -> f.object("a").integers("hidden", 1,
                        Integer.MAX_VALUE)));
        assertEquals("m.json: epoch must be an integer from 1 to 2147483647, got 99999999999",
                refusal("{\"epoch\": 99999999999}", f -> f.integer("epoch", 1, Integer.MAX_VALUE)));
        assertEquals("m.json: epoch must be an integer from 1 to 2147483647, got -5",
                refusal("{\"epoch\": -5}", f -> f.integer("epoch", 1, Integer.MAX_VALUE)));
    }

    @Test
    void fractionalOrRoundedNumbersAreNotReadAsIntegers() {
        assertEquals("m.json: n must be an integer from 0 to 2147483647, got 2.5",
                refusal("{\"n\": 2.5}", f -> f.integer("n", 0, Integer.MAX_VALUE)));
        assertEquals("m.json: n must be an integer from 0 to 2147483647, got 1.0E10",
                refusal("{\"n\": 1e10}", f -> f.integer("n", 0, Integer.MAX_VALUE)));
        assertTrue(refusal("{\"seed\": 123456789012345678901234}", f -> f.longInteger("seed", Long.MIN_VALUE,
                Long.MAX_VALUE)).endsWith("(too large to be read exactly)"));
        assertEquals(256, JsonFields.parse("m", "{\"n\": 256.0}").integer("n", 1, 1000));
    }

    @Test
    void missingAndMistypedFieldsNameTheFileTheFieldAndWhatWasExpected() {
        assertEquals("m.json: progress.epoch is missing",
                refusal("{\"progress\": {}}", f -> f.object("progress").integer("epoch", 0, 9)));
        // Strings are quoted, so that "0.1" is not mistaken for the number it looks like.
        assertEquals("m.json: lr must be a finite number >= 0, got \"0.1\"",
                refusal("{\"lr\": \"0.1\"}", f -> f.number("lr", 0, Double.MAX_VALUE)));
        assertEquals("m.json: training must be an object {...}, got a list of 2",
                refusal("{\"training\": [1, 2]}", f -> f.object("training")));
        assertEquals("m.json: format must be \"x/1\", got nothing (it is missing)",
                refusal("{}", f -> f.require("format", "x/1")));
        assertEquals("m.json: d[1] must be a finite number from 0 to 1, got 1.5",
                refusal("{\"d\": [0.5, 1.5]}", f -> f.numbers("d", 0, 1)));
        assertArrayEquals(new double[] {0.5, 0.25}, JsonFields.parse("m", "{\"d\": [0.5, 0.25]}").numbers("d", 0, 1));
    }

    @Test
    void aHugeNumberIsNotEchoedWhole() {
        String digits = "9".repeat(100_000);
        String message = assertThrows(InvalidInputException.class,
                () -> JsonFields.parse("m.json", "{\"n\": " + digits + "e9}")).getMessage();
        assertTrue(message.length() < 300, () -> message.length() + " characters: " + message.substring(0, 200));
        assertTrue(message.startsWith("m.json: JSON syntax error at line 1, column 7"), message);
    }

    @Test
    void aBinaryFileIsReportedAsNotUtf8WithTheOffset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.json");
        Files.write(f, new byte[] {'{', '"', 'a', (byte) 0xC3, 0x28, '"'});
        String message = assertThrows(InvalidInputException.class, () -> JsonFields.read(f)).getMessage();
        assertEquals(f + ": not UTF-8 text (a JSON file was expected): the byte at offset 3 is 0xC3; is this a "
                + "binary file?", message);
        Files.writeString(f, "[1]");
        assertEquals(f + ": expected a JSON object {...} at the top level, got a list of 1",
                assertThrows(InvalidInputException.class, () -> JsonFields.read(f)).getMessage());
    }
}
