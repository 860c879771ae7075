package perceptron.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * DoubleGemm.java is generated from FloatGemm.java (the two differ only in types), so that they cannot drift
 * apart again (the few-rows path once changed in the float one only). This test fails when the checked-in
 * DoubleGemm.java is not what FloatGemm.java generates. To regenerate after editing FloatGemm.java:
 *
 * <pre>
 * mvn -B -q -pl core -am test -Dtest=GemmSourceTest -Dsurefire.failIfNoSpecifiedTests=false -Dperceptron.regenerate=true
 * </pre>
 */
class GemmSourceTest {
    private static final Path SOURCES = Path.of("src/main/java/perceptron/internal/kernels");
    /** The one paragraph that speaks of the generation itself, and what it becomes in the generated file. */
    private static final String FLOAT_NOTE = " * <p>The float64 product is generated from this file by GemmSourceTest,"
            + " which fails when the two differ: edit\n * this one, regenerate the other (see the test), and write"
            + " comments that hold for both.\n";
    private static final String DOUBLE_NOTE = " * <p>Generated from FloatGemm.java by GemmSourceTest: do not edit"
            + " this file; edit FloatGemm.java and\n * regenerate (see the test).\n";

    /** FloatGemm's source with the types, literals and names of float64. */
    static String doubleSource(String floatSource) {
        assertTrue(floatSource.contains(FLOAT_NOTE), "FloatGemm.java lost the paragraph about its generated twin");
        String s = floatSource.replace(FLOAT_NOTE, "\u0000");
        s = s.replaceAll("\\bFloatGemm\\b", "DoubleGemm")
                .replaceAll("\\bFloatVector\\b", "DoubleVector")
                .replace("<Float>", "<Double>")
                .replaceAll("\\bfloat\\b", "double")
                .replace("float32", "float64")
                .replaceAll("\\b(\\d+)f\\b", "$1.0");
        return s.replace("\u0000", DOUBLE_NOTE);
    }

    @Test
    void doubleGemmIsGeneratedFromFloatGemm() throws IOException {
        String floatSource = Files.readString(SOURCES.resolve("FloatGemm.java"), StandardCharsets.UTF_8);
        String expected = doubleSource(floatSource);
        Path doubleFile = SOURCES.resolve("DoubleGemm.java");
        if (Boolean.getBoolean("perceptron.regenerate")) {
            Files.writeString(doubleFile, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(doubleFile, StandardCharsets.UTF_8),
                "DoubleGemm.java is not what FloatGemm.java generates: edit FloatGemm.java, then regenerate with "
                        + "-Dperceptron.regenerate=true (see GemmSourceTest)");
    }
}
