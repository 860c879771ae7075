package perceptron.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reading back what the tests wrote. */
final class Images {
    private Images() {
    }

    static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new AssertionError(file + " is not a readable image");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pixels that are not (nearly) white. */
    static int inked(BufferedImage image) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (!white(image.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Inked pixels within {@code margin} pixels of the image's edge: text or lines cut off by the edge show up here.
     */
    static int inkedAtEdges(BufferedImage image, int margin) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                boolean edge = x < margin || y < margin || x >= image.getWidth() - margin
                        || y >= image.getHeight() - margin;
                if (edge && !white(image.getRGB(x, y))) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels close to the given colour. */
    static int pixelsOf(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                int dr = ((p >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((p >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (p & 0xff) - (rgb & 0xff);
                if (dr * dr + dg * dg + db * db < 40 * 40) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean white(int rgb) {
        return ((rgb >> 16) & 0xff) > 245 && ((rgb >> 8) & 0xff) > 245 && (rgb & 0xff) > 245;
    }
}
