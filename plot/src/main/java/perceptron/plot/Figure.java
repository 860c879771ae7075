package perceptron.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Panels of {@link Plot}s in a grid, with a size in inches (matplotlib's figsize) at {@value Plot#DPI} dpi, an
 * optional title over all panels, saved as PNG or SVG.
 *
 * <pre>{@code
 * Figure.row(Plot.line(x, x.relu()).title("relu"), Plot.line(x, x.sigmoid()).title("sigmoid"))
 *       .figsize(7, 2.5).save("two.png");     // 1050 x 375 pixels
 * }</pre>
 */
public final class Figure {
    static {
        Headless.configure();
    }

    private final int rows;
    private final int cols;
    private final List<Plot> panels;
    private double[] figsize;
    private String title;

    private Figure(int rows, int cols, List<Plot> panels) {
        this.rows = rows;
        this.cols = cols;
        this.panels = panels;
        this.figsize = new double[] {cols * Plot.DEFAULT_FIGSIZE[0], rows * Plot.DEFAULT_FIGSIZE[1]};
    }

    /** {@code rows x cols} panels, filled row by row (fewer panels leave blanks). */
    public static Figure of(int rows, int cols, Plot... panels) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("Figure: need at least one row and one column, got " + rows + " x " + cols);
        }
        if (panels.length == 0 || panels.length > rows * cols) {
            throw new IllegalArgumentException("Figure: " + panels.length + " panels do not fit " + rows + " x " + cols);
        }
        return new Figure(rows, cols, List.of(panels));
    }

    /** Panels side by side. */
    public static Figure row(Plot... panels) {
        return of(1, panels.length, panels);
    }

    /** Width and height in inches; default 3.5 x 2.5 per panel. */
    public Figure figsize(double widthInches, double heightInches) {
        this.figsize = checkSize(widthInches, heightInches);
        return this;
    }

    /** A title over all panels (matplotlib's suptitle). */
    public Figure title(String text) {
        this.title = text;
        return this;
    }

    /** Width of the PNG in pixels: width in inches times {@value Plot#DPI}. */
    public int widthPixels() {
        return (int) Math.round(figsize[0] * Plot.DPI);
    }

    /** Height of the PNG in pixels. */
    public int heightPixels() {
        return (int) Math.round(figsize[1] * Plot.DPI);
    }

    /** Width in points (1/72 inch): the SVG's width. */
    int widthPoints() {
        return (int) Math.round(figsize[0] * 72);
    }

    int heightPoints() {
        return (int) Math.round(figsize[1] * 72);
    }

    List<Plot> panels() {
        return panels;
    }

    // ---- output ---------------------------------------------------------------------------------------------

    /** Writes PNG or SVG, chosen by the file's extension (.png or .svg); returns the path. */
    public Path save(Path file) {
        return FigureFile.write(this, file);
    }

    public Path save(String file) {
        return save(Path.of(file));
    }

    /**
     * Opens a window showing the figure. Without a display (a server, CI, {@code java.awt.headless}) writes a PNG
     * to the directory of {@code -Dperceptron.plot.dir} (default: the temporary directory), prints its path on
     * stderr and returns it; returns null when a window opened.
     */
    public Path show() {
        if (Headless.isHeadless()) {
            Path file = FigureFile.showFile(name());
            save(file);
            System.err.println("perceptron: no display (headless), so the figure was written to " + file.toAbsolutePath()
                    + "; open it with an image viewer");
            return file;
        }
        Window.show(name(), toImage());
        return null;
    }

    /** The figure's title, else its first panel's, for window titles and file names. */
    private String name() {
        if (title != null && !title.isEmpty()) {
            return title;
        }
        String first = panels.get(0).title();
        return first != null && !first.isEmpty() ? first : "figure";
    }

    /** The figure as an image, {@link #widthPixels()} x {@link #heightPixels()}. */
    public BufferedImage toImage() {
        int w = widthPixels();
        int h = heightPixels();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            // Everything is laid out in points and scaled to pixels, so fonts and lines keep their size in inches.
            g.scale(w / (double) widthPoints(), h / (double) heightPoints());
            paint(g);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Paints the figure in points: {@link #widthPoints()} x {@link #heightPoints()}. */
    void paint(Graphics2D g) {
        int width = widthPoints();
        int height = heightPoints();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int top = 0;
        if (title != null && !title.isEmpty()) {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
            g.setFont(font);
            g.setColor(Color.BLACK);
            FontMetrics m = g.getFontMetrics();
            top = m.getHeight() + 6;
            g.drawString(title, (width - m.stringWidth(title)) / 2, 4 + m.getAscent());
        }
        int panelHeight = (height - top) / rows;
        int panelWidth = width / cols;
        for (int i = 0; i < panels.size(); i++) {
            int r = i / cols;
            int c = i % cols;
            int x0 = c * panelWidth;
            int y0 = top + r * panelHeight;
            // The last column and row take the rounding remainder, so the panels tile the figure exactly.
            int w = c == cols - 1 ? width - x0 : panelWidth;
            int h = r == rows - 1 ? height - y0 : panelHeight;
            Panel p = panels.get(i).toPanel(w, h);
            Graphics2D panel = (Graphics2D) g.create();
            try {
                panel.translate(x0, y0);
                panel.clipRect(0, 0, w, h);
                p.paint(panel, w, h);
            } finally {
                panel.dispose();
            }
        }
    }

    static double[] checkSize(double widthInches, double heightInches) {
        if (!(widthInches >= 0.5 && heightInches >= 0.5 && widthInches <= 100 && heightInches <= 100)) {
            throw new IllegalArgumentException("figsize: width and height in inches between 0.5 and 100, got "
                    + widthInches + " x " + heightInches);
        }
        return new double[] {widthInches, heightInches};
    }
}
