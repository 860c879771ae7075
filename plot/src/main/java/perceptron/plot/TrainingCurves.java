package perceptron.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Metrics against epochs, drawn as they come in: d2l's {@code Animator} for training loops, from plain numbers.
 *
 * <pre>{@code
 * TrainingCurves curves = new TrainingCurves("epoch", "train loss", "train acc", "test acc")
 *         .xlim(1, numEpochs).ylim(0.3, 0.9)
 *         .writeTo(Path.of("runs/mlp/curves"));          // curves.png and curves.svg, redrawn after every add
 * for (int epoch = 0; epoch < numEpochs; epoch++) {
 *     ...
 *     curves.add(epoch + 1, trainLoss, trainAcc, testAcc);
 * }
 * }</pre>
 *
 * <p>{@link #add} takes one value per series, in the order of the legend; {@code Double.NaN} means "no value at
 * this x" (d2l's {@code None}), so series may be sampled at different x (e.g. train metrics every few batches, test
 * accuracy once per epoch). Files are replaced atomically, so a browser or an image viewer refreshing them never
 * sees half a file. {@link #show} opens a window that follows the curves when a display exists. Not thread-safe
 * beyond {@code add} being synchronised.
 */
public final class TrainingCurves {
    static {
        Headless.configure();
    }

    private final String xlabel;
    private final List<String> legend;
    private final List<List<double[]>> points = new ArrayList<>();
    private String ylabel;
    private String title;
    private double[] xlim;
    private double[] ylim;
    private String yscale = "linear";
    private String legendPosition = "best";
    private String[] fmts = LineFormat.D2L_FMTS;
    private double[] figsize = Plot.DEFAULT_FIGSIZE.clone();
    private Path writeTo;
    private Window window;

    /**
     * @param xlabel the x axis, usually "epoch"
     * @param legend one name per series, e.g. "train loss", "train acc", "test acc"
     */
    public TrainingCurves(String xlabel, String... legend) {
        if (legend.length == 0) {
            throw new IllegalArgumentException("TrainingCurves: name at least one series, e.g. \"train loss\"");
        }
        this.xlabel = xlabel;
        this.legend = List.of(legend);
        for (int i = 0; i < legend.length; i++) {
            points.add(new ArrayList<>());
        }
    }

    public TrainingCurves ylabel(String text) {
        this.ylabel = text;
        return this;
    }

    public TrainingCurves title(String text) {
        this.title = text;
        return this;
    }

    /** Fixed x range, e.g. {@code xlim(1, numEpochs)} so the axis does not grow epoch by epoch. */
    public TrainingCurves xlim(double min, double max) {
        this.xlim = Plot.limits("xlim", min, max);
        return this;
    }

    public TrainingCurves ylim(double min, double max) {
        this.ylim = Plot.limits("ylim", min, max);
        return this;
    }

    /** "linear" (default) or "log", e.g. for a loss that falls over decades. */
    public TrainingCurves yscale(String scale) {
        Plot.isLog("yscale", scale);
        this.yscale = scale;
        return this;
    }

    /** matplotlib formats per series (default d2l's "-", "m--", "g-.", "r:"). */
    public TrainingCurves fmts(String... formats) {
        for (String f : formats) {
            LineFormat.parse(f);
        }
        this.fmts = formats.clone();
        return this;
    }

    /** Where the legend goes: "best" (default), "upper right", ..., "outside right" (see {@link Plot#legendPosition}). */
    public TrainingCurves legendPosition(String position) {
        Plot.legendPositionOf(position);
        this.legendPosition = position;
        return this;
    }

    /** Size in inches (default 3.5 x 2.5, d2l's). */
    public TrainingCurves figsize(double widthInches, double heightInches) {
        this.figsize = Figure.checkSize(widthInches, heightInches);
        return this;
    }

    /**
     * Redraw {@code base}.png and {@code base}.svg after every {@link #add}. A trailing .png or .svg on
     * {@code base} is ignored, so "runs/curves" and "runs/curves.png" mean the same.
     */
    public TrainingCurves writeTo(Path base) {
        this.writeTo = stem(base);
        return this;
    }

    /**
     * Adds one point per series at x: {@code ys[i]} belongs to series i (legend order); NaN skips series i.
     *
     * @throws IllegalArgumentException if there are more values than series
     */
    public synchronized TrainingCurves add(double x, double... ys) {
        if (ys.length > legend.size()) {
            throw new IllegalArgumentException("TrainingCurves.add: " + ys.length + " values for " + legend.size()
                    + " series " + legend + "; pass one value per series (NaN for none)");
        }
        if (!Double.isFinite(x)) {
            throw new IllegalArgumentException("TrainingCurves.add: x must be finite, got " + x);
        }
        for (int i = 0; i < ys.length; i++) {
            if (!Double.isNaN(ys[i])) {
                points.get(i).add(new double[] {x, ys[i]});
            }
        }
        if (writeTo != null) {
            save(writeTo);
        }
        if (window != null) {
            window.update(plot().toImage());
        }
        return this;
    }

    /** The points of one series so far: {@code [0]} the x values, {@code [1]} the y values. */
    public synchronized double[][] series(String name) {
        int i = legend.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("TrainingCurves: no series '" + name + "'; the series are " + legend);
        }
        List<double[]> p = points.get(i);
        double[][] out = new double[2][p.size()];
        for (int k = 0; k < p.size(); k++) {
            out[0][k] = p.get(k)[0];
            out[1][k] = p.get(k)[1];
        }
        return out;
    }

    /** A snapshot of the curves as a {@link Plot}, to adjust or save elsewhere. */
    public synchronized Plot plot() {
        Plot p = new Plot();
        for (int i = 0; i < legend.size(); i++) {
            double[][] s = series(legend.get(i));
            p.add(s[0], s[1]);
        }
        p.legend(legend.toArray(new String[0])).legendPosition(legendPosition).fmts(fmts).xlabel(xlabel).yscale(yscale)
                .figsize(figsize[0], figsize[1]);
        if (ylabel != null) {
            p.ylabel(ylabel);
        }
        if (title != null) {
            p.title(title);
        }
        if (xlim != null) {
            p.xlim(xlim[0], xlim[1]);
        }
        if (ylim != null) {
            p.ylim(ylim[0], ylim[1]);
        }
        return p;
    }

    /** Writes {@code base}.png and {@code base}.svg now; returns both paths. */
    public synchronized List<Path> save(Path base) {
        Path stem = stem(base);
        Plot p = plot();
        Path png = stem.resolveSibling(stem.getFileName() + ".png");
        Path svg = stem.resolveSibling(stem.getFileName() + ".svg");
        return List.of(p.save(png), p.save(svg));
    }

    /**
     * Opens a window that is redrawn after every {@link #add}. Without a display, says on stderr where the files
     * go instead (and writes them now) and returns their paths; with one, returns an empty list.
     */
    public synchronized List<Path> show() {
        if (Headless.isHeadless()) {
            if (writeTo == null) {
                String dir = System.getProperty("perceptron.plot.dir", System.getProperty("java.io.tmpdir"));
                writeTo = Path.of(dir, "perceptron-training-curves-" + ProcessHandle.current().pid());
            }
            List<Path> files = save(writeTo);
            System.err.println("perceptron: no display (headless), so the training curves are written to "
                    + files.get(0).toAbsolutePath() + " and .svg after every epoch");
            return files;
        }
        if (window == null) {
            window = Window.show(title != null ? title : "training curves", plot().toImage());
        }
        return List.of();
    }

    private static Path stem(Path base) {
        String name = base.getFileName().toString();
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".png") || lower.endsWith(".svg")) {
            return base.resolveSibling(name.substring(0, name.length() - 4));
        }
        return base;
    }

    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder("TrainingCurves");
        for (int i = 0; i < legend.size(); i++) {
            sb.append(i == 0 ? " " : ", ").append(legend.get(i)).append(": ").append(points.get(i).size())
                    .append(" points");
        }
        return sb.toString();
    }
}
