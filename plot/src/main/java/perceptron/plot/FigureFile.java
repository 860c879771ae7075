package perceptron.plot;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import perceptron.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes a {@link Figure} to a file: PNG (at {@value Plot#DPI} dpi) or SVG (in points), chosen by the extension.
 * The file is written under a temporary name beside the target and renamed into place, so a reader (a browser
 * refreshing a gallery, a training run redrawing its curves) never sees half a file.
 */
public final class FigureFile {
    private FigureFile() {
    }

    /** The formats we write, by extension. */
    enum Format {
        PNG, SVG;

        static Format of(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".png")) {
                return PNG;
            }
            if (name.endsWith(".svg")) {
                return SVG;
            }
            throw new IllegalArgumentException("save: cannot tell the format of '" + file + "'; end the name in .png or .svg");
        }
    }

    static Path write(Figure figure, Path file) {
        Format format = Format.of(file);
        atomically(file, out -> {
            if (format == Format.PNG) {
                if (!ImageIO.write(figure.toImage(), "png", out)) {
                    throw new IOException("no PNG writer in this Java runtime");
                }
            } else {
                svg(figure, out);
            }
        });
        return file;
    }

    /** What goes into a file. */
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes under a temporary name beside {@code file}, then renames it into place (core's {@link AtomicFiles},
     * which every file of the project goes through), creating the directory first.
     */
    public static void atomically(Path file, Content content) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            AtomicFiles.write(target, content::writeTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void svg(Figure figure, OutputStream out) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        figure.paint(g);
        Document doc = new SVGProcessor().getDocument(g.getCommands(),
                new PageSize(0, 0, figure.widthPoints(), figure.heightPoints()));
        doc.writeTo(out);
    }

    /** Where {@link Figure#show()} writes without a display: a new PNG in -Dperceptron.plot.dir or the temp dir. */
    static Path showFile(String title) {
        String dir = System.getProperty("perceptron.plot.dir", System.getProperty("java.io.tmpdir"));
        String stem = title.replaceAll("[^A-Za-z0-9._-]+", "-");
        try {
            Files.createDirectories(Path.of(dir));
            Path file = Files.createTempFile(Path.of(dir), "perceptron-" + stem + "-", ".png");
            Files.delete(file); // only the unique name is wanted; the figure is written with normal permissions
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a file in " + dir + " for the figure: " + e.getMessage(), e);
        }
    }
}
