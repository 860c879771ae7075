package perceptron.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.ops.Activations;

/** The whole gallery, generated into a temporary folder, as the CLI's {@code plot activations} does. */
class ActivationGalleryTest {

    @Test
    void pngGalleryHasOneFigureOfTheExpectedSizePerActivationAndAnIndex(@TempDir Path dir) throws IOException {
        List<Path> files = ActivationGallery.write(dir, "png");
        List<String> names = Activations.names();
        assertEquals(names.size() + 2, files.size());
        assertEquals(dir.resolve("overview.png"), files.get(files.size() - 2));
        assertEquals(dir.resolve("index.html"), files.get(files.size() - 1));
        BufferedImage overview = Images.read(dir.resolve("overview.png"));
        assertEquals(1800, overview.getWidth(), "12 x 5.2 inches");
        assertEquals(780, overview.getHeight());
        assertEquals(0, Images.inkedAtEdges(overview, 2));
        for (String name : names) {
            Path png = dir.resolve(name + ".png");
            assertTrue(Files.size(png) > 10_000, name + ": " + Files.size(png) + " bytes");
            BufferedImage image = Images.read(png);
            // figsize 7 x 2.6 inches at 150 dpi
            assertEquals(1050, image.getWidth(), name);
            assertEquals(390, image.getHeight(), name);
            assertTrue(Images.inked(image) > 20_000, name + " looks empty");
            assertEquals(0, Images.inkedAtEdges(image, 2), name + ": something is drawn at the very edge (clipped?)");
            assertTrue(Images.pixelsOf(image, 0x1f77b4) > 300, name + ": the function's line (blue) is missing");
            assertTrue(Images.pixelsOf(image, 0xbf00bf) > 300, name + ": the gradient's line (magenta) is missing");
        }
        String html = Files.readString(dir.resolve("index.html"), StandardCharsets.UTF_8);
        for (String name : names) {
            assertTrue(html.contains("src=\"" + name + ".png\""), "index.html shows " + name);
        }
        assertTrue(html.contains("src=\"overview.png\""));
        assertTrue(html.startsWith("<!DOCTYPE html>"));
    }

    @Test
    void svgGalleryHasVectorFiguresSizedInPoints(@TempDir Path dir) throws IOException {
        ActivationGallery.write(dir, "SVG");
        for (String name : Activations.names()) {
            String svg = Files.readString(dir.resolve(name + ".svg"), StandardCharsets.UTF_8);
            assertTrue(svg.length() > 10_000, name);
            assertTrue(svg.contains("<svg"), name);
            // 7 x 2.6 inches = 504 x 187 points
            assertTrue(svg.contains("width=\"504px\"") && svg.contains("height=\"187px\""), name);
            assertTrue(svg.trim().endsWith("</svg>"), name + " is complete");
        }
        assertTrue(Files.readString(dir.resolve("index.html")).contains("src=\"gelu.svg\""));
    }

    @Test
    void unknownFormatIsRefusedWithTheChoices(@TempDir Path dir) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ActivationGallery.write(dir, "jpg"));
        assertEquals("unknown format 'jpg'; use png or svg", e.getMessage());
    }
}
