package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.train.EpochMetrics;

class RunCurvesTest {
    private static EpochMetrics epoch(int n) {
        return new EpochMetrics(n, 1.0 / n, 0.5, Double.NaN, Double.NaN, 1.0 / n, 0.5, 0.1);
    }

    @Test
    void figuresAreDrawnAtMostEveryFewSecondsAndAlwaysAtTheEnd(@TempDir Path tmp) {
        Path base = tmp.resolve("run").resolve("curves");
        RunCurves curves = new RunCurves(false, true, 3, base);
        for (int e = 1; e <= 3; e++) {
            curves.afterStep(e, 1, 1, 1.0 / e);
            curves.onEpochEnd(null, epoch(e));
            curves.save();
        }
        // Three epochs in well under RunCurves.REDRAW_SECONDS: nothing drawn yet.
        assertFalse(Files.exists(base.resolveSibling("curves.png")));
        curves.close();
        assertTrue(Files.exists(base.resolveSibling("curves.png")));
        assertTrue(Files.exists(base.resolveSibling("curves.svg")));
    }

    @Test
    void closingWithNothingNewDrawsNothing(@TempDir Path tmp) {
        Path base = tmp.resolve("curves");
        new RunCurves(false, true, 3, base).close();
        assertFalse(Files.exists(tmp.resolve("curves.png")));
    }
}
