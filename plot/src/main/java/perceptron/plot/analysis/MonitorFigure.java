package perceptron.plot.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import perceptron.analysis.ActivationVarianceMonitor;
import perceptron.analysis.DeadUnitMonitor;
import perceptron.analysis.GradientNormMonitor;
import perceptron.analysis.SaturationMonitor;

/** The training monitors against the epoch, one line per layer, to sit beside the training curves. */
public final class MonitorFigure {
    private MonitorFigure() {
    }

    public static XYChart deadUnits(List<DeadUnitMonitor.Row> rows) {
        return perLayer("Dead ReLU units", "fraction never active in the epoch", rows, DeadUnitMonitor.Row::epoch,
                DeadUnitMonitor.Row::layer, DeadUnitMonitor.Row::deadFraction, false);
    }

    public static XYChart saturation(List<SaturationMonitor.Row> rows) {
        return perLayer("Saturated sigmoid/tanh outputs", "fraction with |s - 0.5| > 0.45 or |tanh| > 0.9", rows,
                SaturationMonitor.Row::epoch, r -> r.layer() + " (" + r.activation() + ")",
                SaturationMonitor.Row::saturatedFraction, false);
    }

    public static XYChart gradientNorms(List<GradientNormMonitor.Row> rows) {
        return perLayer("Weight gradient norm per layer", "mean ||dL/dW|| per step", rows,
                GradientNormMonitor.Row::epoch, GradientNormMonitor.Row::layer, GradientNormMonitor.Row::meanNorm,
                true);
    }

    public static XYChart variances(List<ActivationVarianceMonitor.Row> rows) {
        return perLayer("Variance of layer outputs", "variance", rows, ActivationVarianceMonitor.Row::epoch,
                r -> r.layer() + " (" + r.kind() + ")", ActivationVarianceMonitor.Row::variance, true);
    }

    public static Path save(XYChart chart, Path png) throws IOException {
        return Png.save(chart, png);
    }

    static <R> XYChart perLayer(String title, String yTitle, List<R> rows, ToDoubleFunction<R> epochOf,
                                Function<R, String> layerOf, ToDoubleFunction<R> valueOf, boolean logY) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("epoch")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        Map<String, List<double[]>> byLayer = new LinkedHashMap<>();
        for (R r : rows) {
            byLayer.computeIfAbsent("layer " + layerOf.apply(r), k -> new ArrayList<>())
                    .add(new double[] {epochOf.applyAsDouble(r), valueOf.applyAsDouble(r)});
        }
        for (Map.Entry<String, List<double[]>> e : byLayer.entrySet()) {
            List<double[]> pts = e.getValue();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
