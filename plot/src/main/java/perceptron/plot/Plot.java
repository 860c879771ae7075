package perceptron.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.None;
import perceptron.tensor.Tensor;

/**
 * One panel of line plots, d2l's {@code d2l.plot} in Java: several series, a legend, axis labels, limits, log
 * scales and matplotlib line formats, with a figure size in inches at {@value #DPI} dpi.
 *
 * <pre>{@code
 * Tensor x = Tensor.arange(-8.0, 8.0, 0.1);
 * Plot.line(x, x.relu()).xlabel("x").ylabel("relu(x)").figsize(5, 2.5).save("relu.png");
 * Plot.line(x, x.sigmoid(), x.tanh()).legend("sigmoid", "tanh").fmts("-", "m--").save("both.svg");
 * }</pre>
 *
 * <p>Tensors are detached and copied when passed in (like d2l's {@code x.detach()}), so the plot never holds on to
 * a graph. A 2-D y tensor {@code [k, n]} is k series. Setters return this plot; {@link #save} writes PNG or SVG by
 * the file's extension; {@link #show} opens a window, or without a display writes a PNG and says where. Several
 * panels side by side: {@link Figure#row}. The d2l activation figure: {@link #activation(String)}.
 */
public final class Plot {
    static {
        Headless.configure();
    }

    /** Pixels per inch of PNG output: figsize(3.5, 2.5) is 525 x 375 pixels. SVG sizes are in points (72/inch). */
    public static final int DPI = 150;
    /** d2l's default figure size in inches. */
    static final double[] DEFAULT_FIGSIZE = {3.5, 2.5};

    private record Series(double[] x, double[] y) {
    }

    private final List<Series> series = new ArrayList<>();
    private List<String> legend = List.of();
    private List<String> fmts = Arrays.asList(LineFormat.D2L_FMTS);
    private String legendPosition = "best";
    private String title;
    private String xlabel;
    private String ylabel;
    private double[] xlim;
    private double[] ylim;
    private boolean xlog;
    private boolean ylog;
    private boolean grid = true;
    private double[] figsize = DEFAULT_FIGSIZE.clone();

    Plot() {
    }

    // ---- creation ----------------------------------------------------------------------------------------

    /** y against x; each y is one series, or k series if it is {@code [k, n]}. */
    public static Plot line(Tensor x, Tensor... ys) {
        Plot p = new Plot();
        double[] xs = values("x", x);
        for (Tensor y : ys) {
            for (double[] row : rows(y)) {
                p.add(xs, row);
            }
        }
        return p;
    }

    /** y against x; each y array is one series. */
    public static Plot line(double[] x, double[]... ys) {
        Plot p = new Plot();
        for (double[] y : ys) {
            p.add(x, y);
        }
        return p;
    }

    /** y against 0, 1, ..., n - 1 (d2l's {@code plot(Y)}); a {@code [k, n]} tensor is k series. */
    public static Plot line(Tensor y) {
        Plot p = new Plot();
        for (double[] row : rows(y)) {
            p.add(indices(row.length), row);
        }
        return p;
    }

    /** y against 0, 1, ..., n - 1. */
    public static Plot line(double[] y) {
        return new Plot().add(indices(y.length), y);
    }

    /** Adds a series with its own x. */
    public Plot add(Tensor x, Tensor y) {
        return add(values("x", x), values("y", y));
    }

    /** Adds a series with its own x; the arrays are copied. */
    public Plot add(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("Plot: x has " + x.length + " values but series " + (series.size() + 1)
                    + " has " + y.length + "; x and y need one value per point");
        }
        series.add(new Series(x.clone(), y.clone()));
        return this;
    }

    // ---- decoration -----------------------------------------------------------------------------------------

    /** Labels of the series in the legend, in order (d2l's {@code legend}); fewer labels leave series unlabelled. */
    public Plot legend(String... labels) {
        this.legend = List.of(labels);
        return this;
    }

    /**
     * Where the legend goes, by matplotlib's names: "best" (default: the inside corner covering least of the
     * lines), "upper right", "upper left", "lower left", "lower right", "upper center", "lower center", or
     * "outside right" (beside the axes, which get narrower).
     */
    public Plot legendPosition(String position) {
        legendPositionOf(position);
        this.legendPosition = position;
        return this;
    }

    /** The inside place of a legend position, or null for the two outside ones (which XChart draws). */
    static Panel.Corner legendPositionOf(String position) {
        switch (position == null ? "" : position) {
            case "best": return Panel.Corner.BEST;
            case "upper right": return Panel.Corner.UPPER_RIGHT;
            case "upper left": return Panel.Corner.UPPER_LEFT;
            case "lower left": return Panel.Corner.LOWER_LEFT;
            case "lower right": return Panel.Corner.LOWER_RIGHT;
            case "upper center": return Panel.Corner.UPPER_CENTER;
            case "lower center": return Panel.Corner.LOWER_CENTER;
            case "outside right": return null;
            default: throw new IllegalArgumentException("legendPosition: \"" + position + "\" is not one of best, "
                    + "upper right, upper left, lower left, lower right, upper center, lower center, outside right");
        }
    }

    /**
     * matplotlib format strings per series, cycled (default d2l's "-", "m--", "g-.", "r:"): an optional colour
     * letter (b g r c m y k w), marker (o . s ^ v d + x) and line style (- -- -. :); a marker alone draws no line.
     */
    public Plot fmts(String... formats) {
        if (formats.length == 0) {
            throw new IllegalArgumentException("fmts: give at least one format, e.g. \"-\"");
        }
        for (String f : formats) {
            LineFormat.parse(f);
        }
        this.fmts = List.of(formats);
        return this;
    }

    public Plot title(String text) {
        this.title = text;
        return this;
    }

    public Plot xlabel(String text) {
        this.xlabel = text;
        return this;
    }

    public Plot ylabel(String text) {
        this.ylabel = text;
        return this;
    }

    /** The x axis range; without it the data range plus 5% on each side (matplotlib's margins). */
    public Plot xlim(double min, double max) {
        this.xlim = limits("xlim", min, max);
        return this;
    }

    public Plot ylim(double min, double max) {
        this.ylim = limits("ylim", min, max);
        return this;
    }

    /** "linear" or "log". */
    public Plot xscale(String scale) {
        this.xlog = isLog("xscale", scale);
        return this;
    }

    /** "linear" or "log". */
    public Plot yscale(String scale) {
        this.ylog = isLog("yscale", scale);
        return this;
    }

    /** Grid lines (on by default, as d2l turns them on). */
    public Plot grid(boolean on) {
        this.grid = on;
        return this;
    }

    /** Size in inches when saved alone (default d2l's 3.5 x 2.5); {@value #DPI} pixels per inch in PNG. */
    public Plot figsize(double widthInches, double heightInches) {
        this.figsize = Figure.checkSize(widthInches, heightInches);
        return this;
    }

    String title() {
        return title;
    }

    double[] figsize() {
        return figsize.clone();
    }

    int seriesCount() {
        return series.size();
    }

    // ---- output ---------------------------------------------------------------------------------------------

    /** Writes the plot as PNG or SVG, chosen by the extension; returns the path. */
    public Path save(Path file) {
        return asFigure().save(file);
    }

    public Path save(String file) {
        return save(Path.of(file));
    }

    /** Opens a window; without a display writes a PNG instead and prints where (the path is returned, else null). */
    public Path show() {
        return asFigure().show();
    }

    /** The plot rendered at {@value #DPI} dpi. */
    public BufferedImage toImage() {
        return asFigure().toImage();
    }

    private Figure asFigure() {
        return Figure.of(1, 1, this).figsize(figsize[0], figsize[1]);
    }

    // ---- d2l's activation figure ----------------------------------------------------------------------------

    /**
     * The figure of d2l section 5.1 for a named activation: the function and its gradient (by autograd) over
     * [-8, 8) in steps of 0.1, in two labelled panels. Names as in {@code Activations.byName}.
     * {@code Plot.activation("relu").save("relu.png")}.
     */
    public static Figure activation(String name) {
        return activation(ActivationCurve.of(name, -8.0, 8.0, 0.1));
    }

    /** As {@link #activation(String)} over [from, to) in steps of {@code step}. */
    public static Figure activation(String name, double from, double to, double step) {
        return activation(ActivationCurve.of(name, from, to, step));
    }

    /** Any elementwise function and its autograd gradient, e.g. {@code Plot.activation("x sin x", x -> x.mul(x.sin()), -8, 8, 0.1)}. */
    public static Figure activation(String title, UnaryOperator<Tensor> f, double from, double to, double step) {
        return activation(ActivationCurve.of(title, f, from, to, step));
    }

    /** The two-panel figure of a computed curve. */
    public static Figure activation(ActivationCurve curve) {
        String name = curve.name();
        Plot value = line(curve.x(), curve.y()).title(name).xlabel("x").ylabel(name + "(x)");
        Plot gradient = line(curve.x(), curve.dydx()).fmts("m-").title("gradient of " + name + " (autograd)")
                .xlabel("x").ylabel("d/dx " + name + "(x)");
        return Figure.row(value, gradient).figsize(7.0, 2.6);
    }

    // ---- rendering --------------------------------------------------------------------------------------------

    private static final String FONT = Font.SANS_SERIF;

    /** This plot laid out as a panel of {@code width x height} points. */
    Panel toPanel(int width, int height) {
        XYChart chart = new XYChart(width, height);
        XYStyler s = chart.getStyler();
        s.setLocale(Locale.ROOT);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(0x333333));
        s.setPlotGridLinesVisible(grid);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setPlotGridLinesStroke(new BasicStroke(0.6f));
        s.setPlotTicksMarksVisible(false);
        s.setAxisTicksLineVisible(false);
        s.setPlotMargin(0);
        s.setChartPadding(5);
        s.setChartFontColor(Color.BLACK);
        s.setAxisTickLabelsColor(Color.BLACK);
        s.setChartTitleFont(new Font(FONT, Font.PLAIN, 10));
        s.setChartTitlePadding(4);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleVisible(title != null && !title.isEmpty());
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 9));
        s.setAxisTitlePadding(6);
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 8));
        s.setAxisTickPadding(3);
        s.setAxisTickMarkLength(3);
        s.setLegendFont(new Font(FONT, Font.PLAIN, 8));
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setLegendPadding(4);
        s.setLegendSeriesLineLength(18);
        s.setMarkerSize(5);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setXAxisLogarithmic(xlog);
        s.setYAxisLogarithmic(ylog);
        if (title != null) {
            chart.setTitle(title);
        }
        chart.setXAxisTitle(xlabel == null ? "" : xlabel);
        chart.setYAxisTitle(ylabel == null ? "" : ylabel);
        s.setXAxisTitleVisible(xlabel != null && !xlabel.isEmpty());
        s.setYAxisTitleVisible(ylabel != null && !ylabel.isEmpty());

        double[] xr = xlim != null ? xlim : offLattice(padded(range(true), xlog), true);
        double[] yr = ylim != null ? ylim : offLattice(padded(range(false), ylog), false);
        int colorIndex = 0;
        List<Panel.Line> lines = new ArrayList<>();
        List<double[][]> points = new ArrayList<>();
        List<Panel.Entry> entries = new ArrayList<>();
        Panel.Corner corner = legendPositionOf(legendPosition);
        for (int i = 0; i < series.size(); i++) {
            Series d = series.get(i);
            LineFormat f = LineFormat.parse(fmts.get(i % fmts.size()));
            double[][] kept = finitePoints(d, xlog, ylog);
            if (xr != null && yr != null) {
                // matplotlib clips to xlim/ylim; XChart would widen the axes to show everything instead.
                kept = f.stroke() != null ? clipLine(kept, xr, yr) : clipPoints(kept, xr, yr);
            }
            Color color = f.color() != null ? f.color() : LineFormat.CYCLE[colorIndex++ % LineFormat.CYCLE.length];
            // XChart draws the markers (and owns the axes); the line is drawn by Panel in one piece.
            XYSeries xy = chart.addSeries(uniqueName(chart, "series " + (i + 1)),
                    kept[0].length == 0 ? new double[] {Double.NaN} : kept[0],
                    kept[1].length == 0 ? new double[] {Double.NaN} : kept[1]);
            xy.setLineStyle(SeriesLines.NONE);
            xy.setLineColor(color);
            xy.setMarkerColor(color);
            xy.setMarker(f.marker() != null ? f.marker() : new None());
            xy.setShowInLegend(false);
            if (f.stroke() != null) {
                lines.add(new Panel.Line(kept[0], kept[1], color, f.stroke()));
            } else {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                points.add(kept);
            }
            String label = i < legend.size() ? legend.get(i) : null;
            if (label != null && !label.isEmpty()) {
                entries.add(new Panel.Entry(label, color, f.stroke(), f.marker()));
                if (corner == null) {
                    // Outside legends are XChart's: a stand-in series with no data carries the entry.
                    XYSeries entry = chart.addSeries(uniqueName(chart, label), new double[] {Double.NaN},
                            new double[] {Double.NaN});
                    entry.setLineStyle(f.stroke() != null ? f.stroke() : SeriesLines.NONE);
                    entry.setLineColor(color);
                    entry.setMarkerColor(color);
                    entry.setMarker(f.marker() != null ? f.marker() : new None());
                }
            }
        }
        s.setLegendVisible(corner == null && !entries.isEmpty());
        if (corner == null) {
            s.setLegendPosition(Styler.LegendPosition.OutsideE);
        }
        if (xr != null) {
            s.setXAxisMin(xr[0]);
            s.setXAxisMax(xr[1]);
        }
        if (yr != null) {
            s.setYAxisMin(yr[0]);
            s.setYAxisMax(yr[1]);
        }
        // Our own labels on linear axes: XChart's print float noise ("0.700000000000001") and drop the leading
        // zero of small positive numbers (".05").
        if (!xlog && xr != null) {
            s.setxAxisTickLabelsFormattingFunction(v -> tickLabel(v, xr));
        }
        if (!ylog && yr != null) {
            s.setyAxisTickLabelsFormattingFunction(v -> tickLabel(v, yr));
        }
        // XChart's default spacing (about 74 points) leaves two or three ticks on a d2l-sized panel.
        s.setXAxisTickMarkSpacingHint(40);
        s.setYAxisTickMarkSpacingHint(28);
        // Log axes: decades only when two or more decades are visible, else also 2 .. 9 between (a loss curve
        // often spans less than one decade, and a single "1" would be the only label).
        s.setXAxisLogarithmicDecadeOnly(xlog && xr != null && decadesVisible(xr) >= 2);
        s.setYAxisLogarithmicDecadeOnly(ylog && yr != null && decadesVisible(yr) >= 2);
        return new Panel(chart, xr, yr, lines, points, corner == null ? List.of() : entries,
                corner == null ? Panel.Corner.BEST : corner);
    }

    /** XChart needs unique series names. */
    private static String uniqueName(XYChart chart, String name) {
        String n = name;
        while (chart.getSeriesMap().containsKey(n)) {
            n = n + " ";
        }
        return n;
    }

    /**
     * A tick label rounded to the axis' resolution (a thousandth of its span), without float noise, trailing zeros
     * or "-0".
     */
    static String tickLabel(double v, double[] range) {
        if (!Double.isFinite(v)) {
            return "";
        }
        double span = range[1] - range[0];
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(span)) + 3);
        java.math.BigDecimal d = new java.math.BigDecimal(v).setScale(Math.min(decimals, 15),
                java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        return Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4 ? String.format(Locale.ROOT, "%.3g", v) : d.toPlainString();
    }

    /**
     * XChart puts ticks on the data values themselves when those values and the axis bounds are equally spaced
     * (hardtanh's -1, -0.9, ..., 1 with 5% margins of exactly 0.1), labelled with their float noise. Widening
     * automatic bounds by a fraction of that spacing breaks the lattice, and XChart places round ticks again.
     */
    private double[] offLattice(double[] bounds, boolean ofX) {
        if (bounds == null || (ofX ? xlog : ylog)) {
            return bounds;
        }
        java.util.TreeSet<Double> values = new java.util.TreeSet<>();
        for (Series d : series) {
            for (double v : finitePoints(d, xlog, ylog)[ofX ? 0 : 1]) {
                values.add(v);
                if (values.size() > 10_000) {
                    return bounds; // too many distinct values to be a lattice XChart would label
                }
            }
        }
        values.add(bounds[0]);
        values.add(bounds[1]);
        Double[] v = values.toArray(new Double[0]);
        if (v.length < 3) {
            return bounds;
        }
        double gap = v[1] - v[0];
        for (int i = 2; i < v.length; i++) {
            if (Math.abs((v[i] - v[i - 1]) - gap) > 1e-3 * gap) {
                return bounds;
            }
        }
        // Unequal amounts, so that bounds and values cannot form a lattice again (they would with 3 values).
        return new double[] {bounds[0] - gap / 3, bounds[1] + gap / 7};
    }

    /** How many powers of ten lie in [lo, hi]. */
    static int decadesVisible(double[] range) {
        return (int) (Math.floor(Math.log10(range[1]) + 1e-9) - Math.ceil(Math.log10(range[0]) - 1e-9)) + 1;
    }

    /** Points with finite coordinates (and positive ones on log axes): XChart cannot place the others. */
    private static double[][] finitePoints(Series d, boolean xlog, boolean ylog) {
        int n = 0;
        double[] x = new double[d.x().length];
        double[] y = new double[d.y().length];
        for (int i = 0; i < d.x().length; i++) {
            double a = d.x()[i];
            double b = d.y()[i];
            if (Double.isFinite(a) && Double.isFinite(b) && (!xlog || a > 0) && (!ylog || b > 0)) {
                x[n] = a;
                y[n] = b;
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(x, n), Arrays.copyOf(y, n)};
    }

    /** Data range over all series (finite values, positive ones on a log axis), or null without data. */
    private double[] range(boolean ofX) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series d : series) {
            double[][] kept = finitePoints(d, xlog, ylog);
            for (double v : kept[ofX ? 0 : 1]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo <= hi ? new double[] {lo, hi} : null;
    }

    /** 5% margins (in log space on a log axis), and a sensible width for constant data. */
    private static double[] padded(double[] r, boolean log) {
        if (r == null) {
            return null;
        }
        if (log) {
            double lo = Math.log10(r[0]);
            double hi = Math.log10(r[1]);
            double pad = hi > lo ? 0.05 * (hi - lo) : 0.5;
            return new double[] {Math.pow(10, lo - pad), Math.pow(10, hi + pad)};
        }
        double width = r[1] - r[0];
        double pad = width > 0 ? 0.05 * width : (r[0] == 0 ? 0.05 : 0.05 * Math.abs(r[0]));
        return new double[] {r[0] - pad, r[1] + pad};
    }

    /** Points inside the axes' rectangle. */
    private double[][] clipPoints(double[][] p, double[] xr, double[] yr) {
        int n = 0;
        double[] x = new double[p[0].length];
        double[] y = new double[p[0].length];
        for (int i = 0; i < p[0].length; i++) {
            if (p[0][i] >= xr[0] && p[0][i] <= xr[1] && p[1][i] >= yr[0] && p[1][i] <= yr[1]) {
                x[n] = p[0][i];
                y[n] = p[1][i];
                n++;
            }
        }
        return new double[][] {Arrays.copyOf(x, n), Arrays.copyOf(y, n)};
    }

    /**
     * The polyline cut to the axes' rectangle (Liang-Barsky on each segment, in the axes' own coordinates, i.e.
     * log10 on log axes); where it leaves and re-enters, a NaN point breaks the line.
     */
    private double[][] clipLine(double[][] p, double[] xr, double[] yr) {
        int n = p[0].length;
        if (n == 1) {
            return clipPoints(p, xr, yr);
        }
        double x0 = axis(xr[0], xlog);
        double x1 = axis(xr[1], xlog);
        double y0 = axis(yr[0], ylog);
        double y1 = axis(yr[1], ylog);
        List<double[]> out = new ArrayList<>();
        double[] last = null;
        for (int i = 0; i + 1 < n; i++) {
            double ax = axis(p[0][i], xlog);
            double ay = axis(p[1][i], ylog);
            double dx = axis(p[0][i + 1], xlog) - ax;
            double dy = axis(p[1][i + 1], ylog) - ay;
            double t0 = 0;
            double t1 = 1;
            double[][] edges = {{-dx, ax - x0}, {dx, x1 - ax}, {-dy, ay - y0}, {dy, y1 - ay}};
            boolean visible = true;
            for (double[] e : edges) {
                if (e[0] == 0) {
                    if (e[1] < 0) {
                        visible = false;
                    }
                } else {
                    double t = e[1] / e[0];
                    if (e[0] < 0) {
                        t0 = Math.max(t0, t);
                    } else {
                        t1 = Math.min(t1, t);
                    }
                }
            }
            if (!visible || t0 > t1) {
                continue;
            }
            double[] a = t0 == 0 ? new double[] {p[0][i], p[1][i]}
                    : new double[] {data(ax + t0 * dx, xlog), data(ay + t0 * dy, ylog)};
            double[] b = t1 == 1 ? new double[] {p[0][i + 1], p[1][i + 1]}
                    : new double[] {data(ax + t1 * dx, xlog), data(ay + t1 * dy, ylog)};
            if (last == null || last[0] != a[0] || last[1] != a[1]) {
                if (last != null) {
                    out.add(new double[] {Double.NaN, Double.NaN});
                }
                out.add(a);
            }
            out.add(b);
            last = b;
        }
        double[][] result = new double[2][out.size()];
        for (int i = 0; i < out.size(); i++) {
            result[0][i] = out.get(i)[0];
            result[1][i] = out.get(i)[1];
        }
        return result;
    }

    private static double axis(double v, boolean log) {
        return log ? Math.log10(v) : v;
    }

    private static double data(double v, boolean log) {
        return log ? Math.pow(10, v) : v;
    }


    // ---- argument plumbing ----------------------------------------------------------------------------------

    /** All values of a tensor (any shape, flattened), detached: plotting never records or keeps a graph. */
    static double[] values(String what, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("Plot: " + what + " is null");
        }
        return t.detach().toDoubleArray();
    }

    /** One row per series: a 1-D tensor is one series, {@code [k, n]} is k series. */
    private static List<double[]> rows(Tensor y) {
        List<double[]> out = new ArrayList<>();
        if (y.dim() == 2) {
            Tensor d = y.detach();
            for (int i = 0; i < y.shape()[0]; i++) {
                out.add(d.select(0, i).toDoubleArray());
            }
        } else if (y.dim() <= 1) {
            out.add(values("y", y));
        } else {
            throw new IllegalArgumentException("Plot: y must be 1-D (one series) or 2-D [series, points], got shape "
                    + Arrays.toString(y.shape()));
        }
        return out;
    }

    private static double[] indices(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    static double[] limits(String what, double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
            throw new IllegalArgumentException(what + ": need finite min < max, got " + min + ", " + max);
        }
        return new double[] {min, max};
    }

    static boolean isLog(String what, String scale) {
        if ("log".equals(scale)) {
            return true;
        }
        if ("linear".equals(scale)) {
            return false;
        }
        throw new IllegalArgumentException(what + ": \"linear\" or \"log\", got \"" + scale + "\"");
    }
}
