package perceptron.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {

    @Test
    void curvesAreRedrawnAsPngAndSvgAfterEveryEpoch(@TempDir Path dir) throws IOException {
        TrainingCurves curves = new TrainingCurves("epoch", "train loss", "train acc", "test acc")
                .xlim(1, 3).ylim(0.3, 0.9).writeTo(dir.resolve("mlp.png"));
        curves.add(1, 0.8, 0.5, 0.55);
        Path png = dir.resolve("mlp.png");
        Path svg = dir.resolve("mlp.svg");
        assertTrue(Files.size(png) > 1000 && Files.size(svg) > 1000);
        long firstSize = Files.size(png);
        curves.add(2, 0.6, 0.7, 0.68);
        curves.add(3, 0.5, 0.8, 0.79);
        assertTrue(Files.size(png) != firstSize, "redrawn");
        assertEquals(525, Images.read(png).getWidth());
        assertEquals(375, Images.read(png).getHeight());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void nanMeansNoValueSoSeriesMayBeSampledAtDifferentX() {
        TrainingCurves curves = new TrainingCurves("epoch", "train loss", "test acc");
        curves.add(0.5, 1.2, Double.NaN);
        curves.add(1.0, 0.9, 0.6);
        curves.add(1.5, 0.7);
        assertArrayEquals(new double[] {0.5, 1.0, 1.5}, curves.series("train loss")[0]);
        assertArrayEquals(new double[] {1.0}, curves.series("test acc")[0]);
        assertArrayEquals(new double[] {0.6}, curves.series("test acc")[1]);
        assertEquals("TrainingCurves train loss: 3 points, test acc: 1 points", curves.toString());
    }

    @Test
    void saveWritesBothFormatsAndPlotIsASnapshot(@TempDir Path dir) {
        TrainingCurves curves = new TrainingCurves("epoch", "loss").yscale("log").ylabel("loss").title("run 1")
                .figsize(4, 3).legendPosition("upper right").fmts("b-o");
        for (int e = 1; e <= 10; e++) {
            curves.add(e, 2.0 / e);
        }
        List<Path> files = curves.save(dir.resolve("loss"));
        assertEquals(List.of(dir.resolve("loss.png"), dir.resolve("loss.svg")), files);
        assertEquals(600, Images.read(files.get(0)).getWidth());
        assertEquals(1, curves.plot().seriesCount());
    }

    @Test
    void mistakesAreExplained() {
        TrainingCurves curves = new TrainingCurves("epoch", "loss", "acc");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> curves.add(1, 0.1, 0.2, 0.3));
        assertEquals("TrainingCurves.add: 3 values for 2 series [loss, acc]; pass one value per series (NaN for none)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> curves.add(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> curves.series("test acc"));
        assertThrows(IllegalArgumentException.class, () -> new TrainingCurves("epoch"));
        assertThrows(IllegalArgumentException.class, () -> curves.xlim(3, 1));
    }
}
