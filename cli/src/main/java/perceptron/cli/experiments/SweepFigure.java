package perceptron.cli.experiments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import perceptron.plot.Figure;
import perceptron.plot.Plot;

/**
 * A sweep at a glance: one panel per varied option, the ranking metric of every run against that option's value.
 * Numbers go on a numeric axis (logarithmic when they span a factor of 10 or more, as learning rates and widths
 * do); other values (widths of several layers, names) at positions 1, 2, ... in the order given, named in the axis
 * label.
 */
public final class SweepFigure {
    private SweepFigure() {
    }

    public static Path save(SweepPlan plan, List<RunInfo> runs, String metric, Path file) {
        List<Plot> panels = new ArrayList<>();
        for (String option : plan.varied()) {
            List<String> values = new ArrayList<>();
            plan.runs().forEach(r -> {
                if (!values.contains(r.options().get(option))) {
                    values.add(r.options().get(option));
                }
            });
            boolean numeric = values.stream().allMatch(SweepFigure::isNumber);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                String v = plan.runs().get(i).options().get(option);
                double x = numeric ? Double.parseDouble(v) : values.indexOf(v) + 1;
                double y = runs.get(i).kept(metric);
                if (!Double.isNaN(y)) {
                    points.add(new double[] {x, y});
                }
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
            double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
            Plot p = Plot.line(xs, ys).fmts("o").ylabel(metric.replace('_', ' ')).title(option.substring(2));
            String name = option.substring(2);
            if (numeric) {
                p.xlabel(name);
                if (min > 0 && max / min >= 10) {
                    p.xscale("log");
                }
            } else {
                List<String> legend = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    legend.add((i + 1) + ": " + values.get(i));
                }
                p.xlabel(String.join("   ", legend)).xlim(0.5, values.size() + 0.5);
            }
            panels.add(p);
        }
        int cols = Math.min(3, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        return Figure.of(rows, cols, panels.toArray(Plot[]::new)).figsize(4.2 * cols, 3.2 * rows)
                .title(metric.replace('_', ' ') + " of every run against each varied option").save(file);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
