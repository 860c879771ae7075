package perceptron.cli.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import perceptron.plot.Figure;
import perceptron.plot.Plot;

/**
 * Curves of several runs on shared axes: one panel per metric that every run has (train loss, validation loss,
 * test accuracy, ...), one colour per run, the same in every panel, the legend naming what differs.
 */
public final class ComparisonFigure {
    private ComparisonFigure() {
    }

    /** The metrics every run has, losses first; empty if the runs have no metric in common. */
    public static List<String> commonMetrics(List<RunInfo> runs) {
        List<String> common = new ArrayList<>(runs.get(0).metrics().curveColumns());
        runs.forEach(r -> common.retainAll(r.metrics().curveColumns()));
        List<String> ordered = new ArrayList<>();
        common.stream().filter(c -> c.endsWith("loss")).forEach(ordered::add);
        common.stream().filter(c -> !c.endsWith("loss")).forEach(ordered::add);
        return ordered;
    }

    /** Draws the figure and writes it to {@code file} (PNG or SVG by its extension). */
    public static Path save(List<RunInfo> runs, List<String> labels, String title, Path file) {
        List<String> metrics = commonMetrics(runs);
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("the runs have no metric in common to draw (their metrics.csv "
                    + "are empty or have different columns)");
        }
        List<Plot> panels = new ArrayList<>();
        for (String metric : metrics) {
            Plot p = null;
            for (RunInfo run : runs) {
                double[] x = run.metrics().epochs();
                double[] y = run.metrics().column(metric);
                if (p == null) {
                    p = Plot.line(x, y);
                } else {
                    p.add(x, y);
                }
            }
            p.fmts("-").xlabel("epoch").title(metric.replace('_', ' '));
            panels.add(p);
        }
        panels.get(0).legend(labels.toArray(String[]::new));
        int cols = Math.min(3, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        Figure figure = Figure.of(rows, cols, panels.toArray(Plot[]::new)).figsize(4.2 * cols, 3.2 * rows);
        if (title != null) {
            figure.title(title);
        }
        return figure.save(file);
    }
}
