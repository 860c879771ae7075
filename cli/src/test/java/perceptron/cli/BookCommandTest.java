package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.examples.Examples;

/** {@code perceptron book} and {@code bin/example}: the chapter's figures, each beside its code. */
class BookCommandTest {

    @Test
    void aSectionRunsItsExampleIntoItsOwnDirectory(@TempDir Path tmp) throws IOException {
        CliRun r = CliRun.of("book", "--section", "5.1", "--out", tmp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("== 5.1: Multilayer perceptrons"), r.out());
        assertTrue(Files.size(tmp.resolve("5.1/relu-grad.png")) > 1000);
        assertTrue(r.out().contains("sigmoid'(0) = 0.25, tanh'(0) = 1.0, relu'(0) = 0.0"), r.out());
        CliRun unknown = CliRun.of("book", "--section", "9.9", "--out", tmp.toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("no example for section 9.9; the sections are [5.1, 5.2-scratch"),
                unknown.err());
    }

    @Test
    void theIndexShowsEachFigureBesideTheCodeThatMadeIt(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("5.4"));
        Files.write(tmp.resolve("5.4/sigmoid-vanishing.png"), new byte[200]);
        Examples.Entry init = Examples.find("5.4").get(0);
        Examples.Entry houses = Examples.find("5.7").get(0);
        String html = BookCommand.index(tmp, java.util.List.of(init, houses), Map.of(houses, "no data"));
        assertTrue(html.contains("<img src=\"5.4/sigmoid-vanishing.png\""), html);
        assertTrue(html.contains("Tensor y = x.sigmoid();"), "the code is on the page");
        assertTrue(html.contains("List&lt;Double&gt;"), "and escaped");
        assertTrue(html.contains("<p>Not run: no data</p>"), html);
    }
}
