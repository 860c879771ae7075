package perceptron.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.markers.Marker;

/**
 * One rendered panel: XChart draws the axes, ticks, grid, titles and markers; the lines and the legend inside the
 * axes are drawn here, on top. XChart strokes a line one segment at a time, which restarts a dash pattern at every
 * data point (a dashed curve sampled every 0.1 looks solid) and leaves beads at the joins; one path per series
 * fixes both. Then the legend must come after the lines, so it is drawn here too (the legend outside, on the right, stays XChart's).
 */
final class Panel {
    /** A polyline in data coordinates; NaN points break it. */
    record Line(double[] x, double[] y, Color color, BasicStroke stroke) {
    }

    /** A legend entry: what its sample looks like. */
    record Entry(String label, Color color, BasicStroke stroke, Marker marker) {
    }

    /** Where an inside legend may go; {@link #BEST} picks the corner covering the fewest line samples. */
    enum Corner {
        UPPER_RIGHT, UPPER_LEFT, LOWER_LEFT, LOWER_RIGHT, UPPER_CENTER, LOWER_CENTER, BEST
    }

    static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 8);
    private static final double INSET = 5;
    private static final double PADDING = 4;
    private static final double SAMPLE_LENGTH = 18;
    private static final double GAP = 4;
    private static final int MARKER_SIZE = 5;

    private final XYChart chart;
    private final double[] xr;
    private final double[] yr;
    private final List<Line> lines;
    private final List<double[][]> points;
    private final List<Entry> legend;
    private final Corner corner;

    /**
     * @param xr, yr  the axes' ranges (null without data: then nothing is drawn over the chart)
     * @param points  the points of marker-only series, for placing the legend
     * @param legend  entries to draw inside the axes (empty when XChart draws the legend outside)
     */
    Panel(XYChart chart, double[] xr, double[] yr, List<Line> lines, List<double[][]> points, List<Entry> legend,
          Corner corner) {
        this.chart = chart;
        this.xr = xr;
        this.yr = yr;
        this.lines = lines;
        this.points = points;
        this.legend = legend;
        this.corner = corner;
    }

    XYChart chart() {
        return chart;
    }

    void paint(Graphics2D g, int width, int height) {
        chart.paint(g, width, height);
        if (xr == null || yr == null) {
            return;
        }
        double left = chart.getScreenXFromChart(xr[0]);
        double right = chart.getScreenXFromChart(xr[1]);
        double top = chart.getScreenYFromChart(yr[1]);
        double bottom = chart.getScreenYFromChart(yr[0]);
        Rectangle2D area = new Rectangle2D.Double(left, top, right - left, bottom - top);
        Graphics2D gg = (Graphics2D) g.create();
        try {
            gg.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gg.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            gg.setClip(area);
            for (Line line : lines) {
                gg.setColor(line.color());
                gg.setStroke(line.stroke());
                gg.draw(path(line));
            }
            if (!legend.isEmpty()) {
                gg.setClip(null);
                drawLegend(gg, area);
            }
        } finally {
            gg.dispose();
        }
    }

    private Path2D path(Line line) {
        Path2D.Double p = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < line.x().length; i++) {
            if (Double.isNaN(line.x()[i]) || Double.isNaN(line.y()[i])) {
                pen = false;
                continue;
            }
            double sx = chart.getScreenXFromChart(line.x()[i]);
            double sy = chart.getScreenYFromChart(line.y()[i]);
            if (pen) {
                p.lineTo(sx, sy);
            } else {
                p.moveTo(sx, sy);
                pen = true;
            }
        }
        return p;
    }

    // ---- the legend -----------------------------------------------------------------------------------------

    private void drawLegend(Graphics2D g, Rectangle2D area) {
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        double labelWidth = 0;
        for (Entry e : legend) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(e.label()));
        }
        double rowHeight = fm.getAscent() + fm.getDescent() + 1;
        double w = PADDING + SAMPLE_LENGTH + GAP + labelWidth + PADDING;
        double h = 2 * PADDING + legend.size() * rowHeight;
        Rectangle2D box = place(corner == Corner.BEST ? best(area, w, h) : corner, area, w, h);

        g.setColor(new Color(255, 255, 255, 220));
        RoundRectangle2D frame = new RoundRectangle2D.Double(box.getX(), box.getY(), w, h, 4, 4);
        g.fill(frame);
        g.setColor(new Color(0xcccccc));
        g.setStroke(new BasicStroke(0.8f));
        g.draw(frame);
        for (int i = 0; i < legend.size(); i++) {
            Entry e = legend.get(i);
            double cy = box.getY() + PADDING + (i + 0.5) * rowHeight;
            double x0 = box.getX() + PADDING;
            g.setColor(e.color());
            if (e.stroke() != null) {
                g.setStroke(e.stroke());
                g.draw(new Line2D.Double(x0, cy, x0 + SAMPLE_LENGTH, cy));
            }
            if (e.marker() != null) {
                e.marker().paint(g, x0 + SAMPLE_LENGTH / 2, cy, MARKER_SIZE);
            }
            g.setColor(Color.BLACK);
            g.drawString(e.label(), (float) (x0 + SAMPLE_LENGTH + GAP),
                    (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
    }

    private static Rectangle2D place(Corner c, Rectangle2D area, double w, double h) {
        double leftX = area.getMinX() + INSET;
        double rightX = area.getMaxX() - INSET - w;
        double centerX = area.getCenterX() - w / 2;
        double topY = area.getMinY() + INSET;
        double bottomY = area.getMaxY() - INSET - h;
        switch (c) {
            case UPPER_LEFT: return new Rectangle2D.Double(leftX, topY, w, h);
            case LOWER_LEFT: return new Rectangle2D.Double(leftX, bottomY, w, h);
            case LOWER_RIGHT: return new Rectangle2D.Double(rightX, bottomY, w, h);
            case UPPER_CENTER: return new Rectangle2D.Double(centerX, topY, w, h);
            case LOWER_CENTER: return new Rectangle2D.Double(centerX, bottomY, w, h);
            default: return new Rectangle2D.Double(rightX, topY, w, h);
        }
    }

    /**
     * matplotlib's "best": the place whose box covers the fewest samples of the drawn lines and points (lines are
     * sampled along their segments, in screen space); upper right first on ties, then upper left, lower left,
     * lower right, upper center, lower center.
     */
    private Corner best(Rectangle2D area, double w, double h) {
        Corner[] candidates = {Corner.UPPER_RIGHT, Corner.UPPER_LEFT, Corner.LOWER_LEFT, Corner.LOWER_RIGHT,
            Corner.UPPER_CENTER, Corner.LOWER_CENTER};
        Rectangle2D[] boxes = new Rectangle2D[candidates.length];
        for (int k = 0; k < candidates.length; k++) {
            boxes[k] = place(candidates[k], area, w, h);
        }
        int[] counts = new int[candidates.length];
        for (Line line : lines) {
            double[] x = line.x();
            double[] y = line.y();
            for (int i = 0; i + 1 < x.length; i++) {
                if (Double.isNaN(x[i]) || Double.isNaN(x[i + 1]) || Double.isNaN(y[i]) || Double.isNaN(y[i + 1])) {
                    continue;
                }
                double ax = chart.getScreenXFromChart(x[i]);
                double ay = chart.getScreenYFromChart(y[i]);
                double bx = chart.getScreenXFromChart(x[i + 1]);
                double by = chart.getScreenYFromChart(y[i + 1]);
                // One sample per point of screen length, at least one per segment.
                int samples = Math.max(1, (int) Math.ceil(Math.hypot(bx - ax, by - ay)));
                for (int s = 0; s < samples; s++) {
                    double t = s / (double) samples;
                    count(boxes, counts, ax + t * (bx - ax), ay + t * (by - ay));
                }
            }
        }
        for (double[][] p : points) {
            for (int i = 0; i < p[0].length; i++) {
                count(boxes, counts, chart.getScreenXFromChart(p[0][i]), chart.getScreenYFromChart(p[1][i]));
            }
        }
        int best = 0;
        for (int k = 1; k < candidates.length; k++) {
            if (counts[k] < counts[best]) {
                best = k;
            }
        }
        return candidates[best];
    }

    private static void count(Rectangle2D[] boxes, int[] counts, double x, double y) {
        for (int k = 0; k < boxes.length; k++) {
            if (boxes[k].contains(x, y)) {
                counts[k]++;
            }
        }
    }
}
