package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.ops.Activations;

/** {@code perceptron plot ...} through {@link Main#run}, as the launcher runs it. */
class PlotCommandTest {

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void activationsWritesOneFigurePerActivationAndAGallery(@TempDir Path dir) throws IOException {
        CliRun r = run("plot", "activations", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : Activations.names()) {
            assertTrue(Files.size(dir.resolve(name + ".png")) > 10_000, name);
        }
        assertTrue(Files.readString(dir.resolve("index.html")).contains("relu.png"));
        assertTrue(r.out().startsWith("wrote 20 figures and "), r.out());
    }

    @Test
    void activationsInSvg(@TempDir Path dir) throws IOException {
        CliRun r = run("plot", "activations", "--out", dir.resolve("svg").toString(), "--format", "svg");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("svg").resolve("gelu.svg")).contains("<svg"));
    }

    @Test
    void activationCsvPrintsXValueAndGradient() {
        CliRun r = run("plot", "activation", "relu", "--from", "-1", "--to", "1.5", "--step", "0.5", "--csv");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("x,relu(x),relu'(x)", "-1.0,0.0,0.0", "-0.5,0.0,0.0", "0.0,0.0,0.0", "0.5,0.5,1.0",
                "1.0,1.0,1.0"), r.out().lines().toList());
    }

    @Test
    void activationCsvDefaultsToD2lsRange() {
        CliRun r = run("plot", "activation", "LeakyReLU", "--csv");
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
        CliRun r = run("plot", "activation", "gelu", "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(file).contains("<svg"));
        assertEquals("wrote " + file, r.out().trim());
    }

    @Test
    void unknownNameIsOneLineListingTheValidNames() {
        CliRun r = run("plot", "activation", "relu7", "--csv");
        assertEquals(2, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("unknown activation 'relu7'; valid names: relu, prelu, leakyRelu, elu, selu, celu, "
                + "gelu, geluTanh, silu, mish, softplus, softsign, hardtanh, relu6, hardSigmoid, hardSwish, "
                + "logSigmoid, sigmoid, tanh"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void otherMistakesAreOneLineToo(@TempDir Path dir) {
        CliRun bad = run("plot", "activations", "--out", dir.toString(), "--format", "jpg");
        assertEquals(2, bad.code());
        assertEquals("perceptron activations: unknown format 'jpg'; use png or svg", bad.err().trim());
        CliRun both = run("plot", "activation", "relu", "--csv", "--out", "x.png");
        assertEquals(2, both.code());
        assertEquals(1, both.err().lines().count(), both.err());
        CliRun range = run("plot", "activation", "relu", "--from", "2", "--to", "1", "--csv");
        assertEquals(2, range.code());
        assertTrue(range.err().contains("need from < to"), range.err());
        CliRun nothing = run("plot");
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("plot activations --out DIR"), nothing.err());
    }

    @Test
    void helpListsTheSubcommands() {
        CliRun r = run("plot", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("activations") && r.out().contains("activation"), r.out());
    }
}
