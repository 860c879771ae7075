package perceptron.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A confusion matrix as a heat map: rows are true classes, columns predicted classes; each cell shows its count
 * and is shaded by the fraction of its row (so a class's recall reads along the diagonal whatever its size).
 */
public final class ConfusionMatrixFigure {
    static {
        Headless.configure();
    }

    private ConfusionMatrixFigure() {
    }

    /** Draws the matrix; {@code counts[i][j]} is how many examples of class i were predicted as j. */
    public static BufferedImage image(long[][] counts, List<String> classNames, String title) {
        int k = counts.length;
        if (classNames.size() != k) {
            throw new IllegalArgumentException("ConfusionMatrixFigure: " + k + " classes but " + classNames.size()
                    + " names");
        }
        int cell = 64;
        int left = 150;
        int top = 90;
        int bottom = 150;
        int right = 90;
        int width = left + k * cell + right;
        int height = top + k * cell + bottom;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 20);
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        Font cellFont = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        centered(g, title, width / 2, 36);

        for (int i = 0; i < k; i++) {
            long row = 0;
            for (long c : counts[i]) {
                row += c;
            }
            for (int j = 0; j < k; j++) {
                double share = row == 0 ? 0 : (double) counts[i][j] / row;
                g.setColor(shade(share));
                int x = left + j * cell;
                int y = top + i * cell;
                g.fillRect(x, y, cell, cell);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                g.setFont(cellFont);
                centered(g, Long.toString(counts[i][j]), x + cell / 2, y + cell / 2 + 5);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, k * cell, k * cell);

        g.setColor(Color.BLACK);
        g.setFont(labelFont);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < k; i++) {
            String name = classNames.get(i);
            g.drawString(name, left - 10 - fm.stringWidth(name), top + i * cell + cell / 2 + 5);
        }
        AffineTransform saved = g.getTransform();
        for (int j = 0; j < k; j++) {
            String name = classNames.get(j);
            g.setTransform(saved);
            g.translate(left + j * cell + cell / 2 + 5, top + k * cell + 10);
            g.rotate(Math.toRadians(45));
            g.drawString(name, 0, 0);
        }
        g.setTransform(saved);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        centered(g, "predicted class", left + k * cell / 2, height - 18);
        g.translate(24, top + k * cell / 2);
        g.rotate(-Math.PI / 2);
        centered(g, "true class", 0, 0);
        g.dispose();
        return img;
    }

    /** Writes the figure as PNG (atomically). */
    public static Path save(long[][] counts, List<String> classNames, String title, Path file) {
        BufferedImage img = image(counts, classNames, title);
        FigureFile.atomically(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
        return file;
    }

    /** White to a deep blue as the share of the row grows. */
    private static Color shade(double share) {
        double t = Math.sqrt(Math.max(0, Math.min(1, share)));
        int r = (int) Math.round(255 + (31 - 255) * t);
        int gr = (int) Math.round(255 + (74 - 255) * t);
        int b = (int) Math.round(255 + (150 - 255) * t);
        return new Color(r, gr, b);
    }

    private static void centered(Graphics2D g, String text, int x, int baseline) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, baseline);
    }
}
