package perceptron.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example of the chapter runs (shortened where it trains) and draws its figures. */
class ExamplesTest {

    static Stream<Examples.Entry> examples() {
        return Examples.ALL.stream();
    }

    private static boolean needsFashionMnist(Examples.Entry e) {
        return e.section().startsWith("5.2") || e.section().startsWith("5.6");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void runsAndDrawsItsFigures(Examples.Entry example, @TempDir Path out) throws Exception {
        if (needsFashionMnist(example)) {
            Assumptions.assumeTrue(Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist")),
                    "install dataset-fashion-mnist for the examples that train on it");
        }
        example.run("--short", "--out", out.toString());
        try (Stream<Path> files = Files.list(out)) {
            List<Path> figures = files.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".dot"))
                    .toList();
            assertTrue(!figures.isEmpty(), example.section() + " drew nothing in " + out);
            for (Path f : figures) {
                assertTrue(Files.size(f) > 100, f.toString());
            }
        }
        assertTrue(example.source().contains("public static void main"), example.section());
    }

    @Test
    void sectionNumbersFindTheirExamples() {
        assertEquals(2, Examples.find("5.2").size());
        assertEquals("5.6-concise", Examples.find("5.6-concise").get(0).section());
        assertTrue(Examples.find("9.9").isEmpty());
    }

    @Test
    void theHousePricesExampleWritesAKaggleSubmission(@TempDir Path out) throws Exception {
        Section57HousePrices.main(new String[] {"--out", out.toString()});
        List<String> lines = Files.readAllLines(out.resolve("submission.csv"));
        assertEquals("Id,SalePrice", lines.get(0));
        assertEquals(1460, lines.size());
    }

    @Test
    void dropoutFromScratchKeepsOrZeroesAndScales() throws IOException {
        perceptron.tensor.Tensor x = perceptron.tensor.Tensor.arange(16).reshape(2, 8);
        assertEquals(x.toString(), Section56Scratch.dropoutLayer(x, 0).toString());
        for (float v : Section56Scratch.dropoutLayer(x, 1).toFloatArray()) {
            assertEquals(0f, v);
        }
        float[] half = Section56Scratch.dropoutLayer(x, 0.5).toFloatArray();
        for (int i = 0; i < 16; i++) {
            assertTrue(half[i] == 0f || half[i] == 2f * i, "element " + i + ": " + half[i]);
        }
    }
}
