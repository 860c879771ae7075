package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.ops.Activations;

/** {@code perceptron plot ...} through {@link Main#run}, as the launcher runs it. */
class PlotCommandTest {

    /** Exit code, stdout and stderr of one run. */
    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void activationsWritesOneFigurePerActivationAndAGallery(@TempDir Path dir) throws IOException {
        Run r = run("plot", "activations", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : Activations.names()) {
            assertTrue(Files.size(dir.resolve(name + ".png")) > 10_000, name);
        }
        assertTrue(Files.readString(dir.resolve("index.html")).contains("relu.png"));
        assertTrue(r.out().startsWith("wrote 20 figures and "), r.out());
    }

    @Test
    void activationsInSvg(@TempDir Path dir) throws IOException {
        Run r = run("plot", "activations", "--out", dir.resolve("svg").toString(), "--format", "svg");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("svg").resolve("gelu.svg")).contains("<svg"));
    }

    @Test
    void activationCsvPrintsXValueAndGradient() {
        Run r = run("plot", "activation", "relu", "--from", "-1", "--to", "1.5", "--step", "0.5", "--csv");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("x,relu(x),relu'(x)", "-1.0,0.0,0.0", "-0.5,0.0,0.0", "0.0,0.0,0.0", "0.5,0.5,1.0",
                "1.0,1.0,1.0"), r.out().lines().toList());
    }

    @Test
    void activationCsvDefaultsToD2lsRange() {
        Run r = run("plot", "activation", "LeakyReLU", "--csv");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(161, lines.size(), "header and x = -8, -7.9, ..., 7.9");
        assertEquals("-8.0,-0.08,0.01", lines.get(1));
        assertEquals("-7.7,-0.077,0.01", lines.get(4));
        assertEquals("7.9,7.9,1.0", lines.get(160));
    }

    @Test
    void activationWritesAFigure(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gelu.svg");
        Run r = run("plot", "activation", "gelu", "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(file).contains("<svg"));
        assertEquals("wrote " + file, r.out().trim());
    }

    @Test
    void unknownNameIsOneLineListingTheValidNames() {
        Run r = run("plot", "activation", "relu7", "--csv");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("unknown activation 'relu7'; valid names: relu, prelu, leakyRelu, elu, selu, celu, "
                + "gelu, geluTanh, silu, mish, softplus, softsign, hardtanh, relu6, hardSigmoid, hardSwish, "
                + "logSigmoid, sigmoid, tanh"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void otherMistakesAreOneLineToo(@TempDir Path dir) {
        Run bad = run("plot", "activations", "--out", dir.toString(), "--format", "jpg");
        assertEquals(2, bad.code());
        assertEquals("perceptron activations: unknown format 'jpg'; use png or svg", bad.err().trim());
        Run both = run("plot", "activation", "relu", "--csv", "--out", "x.png");
        assertEquals(2, both.code());
        assertEquals(1, both.err().lines().count(), both.err());
        Run range = run("plot", "activation", "relu", "--from", "2", "--to", "1", "--csv");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("need from < to"), range.err());
        Run nothing = run("plot");
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("plot activations --out DIR"), nothing.err());
    }

    @Test
    void helpListsTheSubcommands() {
        Run r = run("plot", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("activations") && r.out().contains("activation"), r.out());
    }
}
