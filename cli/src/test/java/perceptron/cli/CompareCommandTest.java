package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code perceptron compare}: what differs, how runs ended, one figure on shared axes. */
class CompareCommandTest {

    static Path fakeRun(Path dir, double lr, String hidden, String metrics) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"perceptron-run/1\", \"architecture\": "
                + "{\"type\": \"mlp\", \"hidden\": [" + hidden + "], \"activation\": \"relu\"}, \"parameters\": 1000, "
                + "\"training\": {\"optimizer\": \"sgd\", \"lr\": " + lr + ", \"epochs\": 3, \"seed\": 42}}");
        Files.writeString(dir.resolve("metrics.csv"), "epoch,train_loss,train_acc,test_acc,seconds\n" + metrics);
        return dir;
    }

    @Test
    void printsTheSettingsThatDifferAndDrawsOneCurvePerRun(@TempDir Path tmp) throws IOException {
        Path a = fakeRun(tmp.resolve("runs/a"), 0.1, "256", "1,1.0,0.6,0.7,1.5\n2,0.6,0.8,0.8,1.0\n3,0.5,0.85,0.83,1.0\n");
        Path b = fakeRun(tmp.resolve("runs/b"), 0.3, "256,256", "1,0.9,0.65,0.72,1.5\n2,0.5,0.82,0.81,1.0\n");
        Path figure = tmp.resolve("cmp.svg");
        CliRun r = CliRun.of("compare", a.toString(), b.toString(), "--out", figure.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("the same in every run: activation relu, optimizer sgd, epochs 3, seed 42"), r.out());
        assertTrue(r.out().matches("(?s).*run +hidden +lr +epochs +train_loss +train_acc +test_acc +time\n"
                + "a +256 +0\\.1 +3 +0\\.5000 +0\\.8500 +0\\.8300 +3\\.5 s\n"
                + "b +256,256 +0\\.3 +2/3 +0\\.5000 +0\\.8200 +0\\.8100 +2\\.5 s\n.*"), r.out());
        String svg = Files.readString(figure);
        assertTrue(svg.contains("hidden=256,256 lr=0.3"), "the legend names what differs");

        // A directory of runs (a sweep) stands for every run under it.
        CliRun all = CliRun.of("compare", tmp.resolve("runs").toString(), "--out", tmp.resolve("all.png").toString());
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().startsWith("2 runs"), all.out());
        assertTrue(Files.size(tmp.resolve("all.png")) > 1000);
    }

    @Test
    void refusesWhatIsNotARunInOneLine(@TempDir Path tmp) throws IOException {
        CliRun missing = CliRun.of("compare", tmp.resolve("nope").toString());
        assertEquals(2, missing.code());
        assertEquals("perceptron compare: " + tmp.resolve("nope") + " is not a directory (give run directories, "
                + "e.g. runs/mlp-20261129-101500)\n", missing.err());
        Files.createDirectories(tmp.resolve("empty"));
        CliRun empty = CliRun.of("compare", tmp.resolve("empty").toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("is not a run (no model.json or metrics.csv) and holds none"), empty.err());
    }
}
