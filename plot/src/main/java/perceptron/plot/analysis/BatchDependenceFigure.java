package perceptron.plot.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import perceptron.analysis.BatchDependence;

/**
 * How much an example's output moves when only its batch companions change, against the batch size (log
 * scale): with batch statistics (training mode) and in eval mode, for each model. Sizes a model refused in
 * training mode (batch 1 with BatchNorm) are left out of its line and named in the title.
 */
public final class BatchDependenceFigure {
    private BatchDependenceFigure() {
    }

    /** @param reports by model name, e.g. "with BatchNorm", "without" */
    public static XYChart chart(Map<String, BatchDependence.Report> reports) {
        XYChart chart = new XYChartBuilder().width(900).height(550)
                .title("Output change when only the rest of the batch changes")
                .xAxisTitle("batch size").yAxisTitle("mean |output - output with other companions|").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, BatchDependence.Report> e : reports.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> ex = new ArrayList<>();
            List<Double> ey = new ArrayList<>();
            List<Integer> refused = new ArrayList<>();
            for (BatchDependence.Row r : e.getValue().rows()) {
                ex.add((double) r.batchSize());
                ey.add(r.evalMeanDiff());
                if (r.refused() == null) {
                    xs.add((double) r.batchSize());
                    ys.add(r.trainMeanDiff());
                } else {
                    refused.add(r.batchSize());
                }
            }
            String suffix = refused.isEmpty() ? "" : " (refuses batch " + refused.get(0) + ")";
            if (!xs.isEmpty()) {
                chart.addSeries(e.getKey() + ", training mode" + suffix, xs, ys).setMarker(SeriesMarkers.CIRCLE);
            }
            XYSeries eval = chart.addSeries(e.getKey() + ", eval mode", ex, ey);
            eval.setMarker(SeriesMarkers.DIAMOND);
            eval.setLineStyle(SeriesLines.DASH_DASH);
        }
        return chart;
    }

    public static Path save(Map<String, BatchDependence.Report> reports, Path png) throws IOException {
        return Png.save(chart(reports), png);
    }
}
