package perceptron.plot.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import perceptron.analysis.InitStudy;

/** d2l 5.4 in two pictures: gradient norm per layer by activation and initialisation; products of random matrices. */
public final class InitStudyFigure {
    private InitStudyFigure() {
    }

    /** ||dL/dW_l|| against the layer (log scale), one line per (activation, init); sigmoid solid, relu dashed. */
    public static XYChart gradients(InitStudy.GradientStudy study) {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title(String.format(Locale.ROOT, "Gradient norm per layer, %d-layer MLP of width %d",
                        study.depth(), study.width()))
                .xAxisTitle("layer (1 = next to the input)").yAxisTitle("||dL/dW||").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        double[] layers = new double[study.depth()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = l + 1;
        }
        for (InitStudy.GradientRow r : study.rows()) {
            XYSeries s = chart.addSeries(r.activation() + ", " + r.init(), layers, r.gradientNorms());
            s.setMarker(SeriesMarkers.CIRCLE);
            if (r.activation().equals("relu")) {
                s.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        return chart;
    }

    /** ||M_0 ... M_k||_F against k (log scale), one line per (n, scale). */
    public static XYChart products(InitStudy.ProductStudy study) {
        XYChart chart = new XYChartBuilder().width(900).height(600)
                .title("Norm of a product of random Gaussian matrices")
                .xAxisTitle("matrices multiplied").yAxisTitle("||product||_F").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        double[] k = new double[study.steps() + 1];
        for (int i = 0; i < k.length; i++) {
            k[i] = i;
        }
        for (InitStudy.ProductRow r : study.rows()) {
            String name = String.format(Locale.ROOT, "%d x %d, entries N(0, %s)", r.n(), r.n(),
                    r.scale() == 1 ? "1" : String.format(Locale.ROOT, "%.3g^2", r.scale()));
            chart.addSeries(name, k, r.norms()).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    public static Path saveGradients(InitStudy.GradientStudy study, Path png) throws IOException {
        return Png.save(gradients(study), png);
    }

    public static Path saveProducts(InitStudy.ProductStudy study, Path png) throws IOException {
        return Png.save(products(study), png);
    }
}
