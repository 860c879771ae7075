package perceptron.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

class PlotTest {

    private static final Tensor X = Tensor.arange(-8.0, 8.0, 0.1);

    @Test
    void figsizeIsInInchesAtAFixedDpi(@TempDir Path dir) throws IOException {
        BufferedImage d2l = Images.read(Plot.line(X, X.relu()).save(dir.resolve("a.png")));
        assertEquals(525, d2l.getWidth());
        assertEquals(375, d2l.getHeight());
        BufferedImage wide = Images.read(Plot.line(X, X.relu()).figsize(5, 2.5).save(dir.resolve("b.png")));
        assertEquals(750, wide.getWidth());
        assertEquals(375, wide.getHeight());
        String svg = Files.readString(Plot.line(X, X.relu()).figsize(5, 2.5).save(dir.resolve("b.svg")));
        assertTrue(svg.contains("width=\"360px\"") && svg.contains("height=\"180px\""), "5 x 2.5 in = 360 x 180 pt");
    }

    @Test
    void severalSeriesWithLegendLabelsLimitsAndFormatsRenderReadably(@TempDir Path dir) {
        Path file = Plot.line(X, X.sigmoid(), X.tanh(), X.relu().mul(0.1))
                .legend("sigmoid", "tanh", "relu / 10").fmts("-", "m--", "g-.", "r:")
                .xlabel("x").ylabel("f(x)").title("three activations").xlim(-6, 6).ylim(-1.2, 1.2).grid(true)
                .save(dir.resolve("three.png"));
        BufferedImage image = Images.read(file);
        assertTrue(Images.pixelsOf(image, 0x1f77b4) > 100, "first series in the default colour");
        assertTrue(Images.pixelsOf(image, 0xbf00bf) > 100, "'m--' is magenta");
        assertTrue(Images.pixelsOf(image, 0x008000) > 100, "'g-.' is green");
        assertEquals(0, Images.inkedAtEdges(image, 2), "nothing clipped at the edges");
    }

    @Test
    void tensorsAreDetachedAndTwoDimensionalTensorsAreSeveralSeries() {
        Tensor x = Tensor.arange(-2.0, 2.0, 0.5, DType.FLOAT64).requiresGrad();
        Tensor y = x.tanh();
        Plot p = Plot.line(x, y);
        assertEquals(1, p.seriesCount());
        assertNull(x.grad(), "plotting never runs backward");
        Tensor rows = Tensor.stack(0, x.sigmoid(), x.tanh(), x.relu());
        assertEquals(3, Plot.line(x, rows).seriesCount());
        assertEquals(3, Plot.line(rows).seriesCount(), "against 0 .. n-1 like d2l.plot(Y)");
        assertTrue(p.toImage().getWidth() == 525);
    }

    @Test
    void logScalesSkipNonPositiveValues(@TempDir Path dir) {
        double[] epochs = {1, 2, 3, 4, 5};
        double[] loss = {2.3, 0.9, 0.0, 0.2, 0.05};
        BufferedImage image = Images.read(Plot.line(epochs, loss).yscale("log").xscale("linear")
                .save(dir.resolve("log.png")));
        assertTrue(Images.inked(image) > 5_000);
    }

    @Test
    void mistakesAreExplained(@TempDir Path dir) {
        assertMessage("save: cannot tell the format of", () -> Plot.line(X, X).save(dir.resolve("x.jpg")));
        assertMessage("Plot: x has 160 values but series 2 has 3",
                () -> Plot.line(X, X).add(X.toDoubleArray(), new double[3]));
        assertMessage("fmt: cannot read 'q-'", () -> Plot.line(X, X).fmts("q-"));
        assertMessage("xlim: need finite min < max", () -> Plot.line(X, X).xlim(1, 1));
        assertMessage("yscale: \"linear\" or \"log\"", () -> Plot.line(X, X).yscale("symlog"));
        assertMessage("figsize: width and height in inches", () -> Plot.line(X, X).figsize(0, 2));
        assertMessage("legendPosition: \"middle\" is not one of", () -> Plot.line(X, X).legendPosition("middle"));
        assertMessage("Plot: y must be 1-D", () -> Plot.line(X, Tensor.zeros(2, 2, 2)));
        assertMessage("Figure: 3 panels do not fit 1 x 2",
                () -> Figure.of(1, 2, Plot.line(X, X), Plot.line(X, X), Plot.line(X, X)));
    }

    private static void assertMessage(String start, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    @Test
    void multiPanelFiguresTileTheirPanels(@TempDir Path dir) {
        Figure f = Figure.of(2, 2, Plot.line(X, X.relu()), Plot.line(X, X.sigmoid()), Plot.line(X, X.tanh()))
                .title("three of four panels").figsize(7, 5);
        assertEquals(1050, f.widthPixels());
        assertEquals(750, f.heightPixels());
        BufferedImage image = Images.read(f.save(dir.resolve("grid.png")));
        assertEquals(1050, image.getWidth());
        // The empty fourth panel stays white.
        BufferedImage corner = image.getSubimage(600, 450, 400, 250);
        assertEquals(0, Images.inked(corner));
    }

    @Test
    void activationFigureIsTwoLabelledPanels() {
        Figure f = Plot.activation("leaky_relu");
        assertEquals(2, f.panels().size());
        assertEquals(1050, f.widthPixels());
        assertEquals(390, f.heightPixels());
        Figure custom = Plot.activation("x^3", x -> x.pow(3), -2, 2, 0.1);
        assertEquals(2, custom.panels().size());
    }

    @Test
    void showWithoutADisplayWritesAFileAndSaysWhere(@TempDir Path dir) {
        assertTrue(java.awt.GraphicsEnvironment.isHeadless(), "tests run headless (no DISPLAY)");
        String previous = System.getProperty("perceptron.plot.dir");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setProperty("perceptron.plot.dir", dir.toString());
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Path file = Plot.activation("relu").show();
            assertTrue(Files.isRegularFile(file) && file.startsWith(dir), String.valueOf(file));
            assertEquals(1050, Images.read(file).getWidth());
            String message = captured.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains("no display") && message.contains(file.toAbsolutePath().toString()), message);
        } finally {
            System.setErr(err);
            if (previous == null) {
                System.clearProperty("perceptron.plot.dir");
            } else {
                System.setProperty("perceptron.plot.dir", previous);
            }
        }
    }

    @Test
    void logTickDecadesAreCountedInclusively() {
        assertEquals(1, Plot.decadesVisible(new double[] {0.3, 2.5}));
        assertEquals(5, Plot.decadesVisible(new double[] {0.001, 10}));
        assertEquals(0, Plot.decadesVisible(new double[] {2, 9}));
    }

    @Test
    void tickLabelsHaveNoFloatNoise() {
        assertEquals("0.7", Plot.tickLabel(0.7000000000000001, new double[] {-1.1, 1.1}));
        assertEquals("0.05", Plot.tickLabel(0.05, new double[] {-0.1, 0.2}));
        assertEquals("0", Plot.tickLabel(-1e-17, new double[] {-1, 1}));
        assertEquals("-8", Plot.tickLabel(-8.0, new double[] {-8.8, 8.7}));
        assertEquals("2.50e+06", Plot.tickLabel(2.5e6, new double[] {0, 5e6}));
    }
}
