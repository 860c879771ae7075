package perceptron.plot.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import perceptron.analysis.PlaneRegions;

/**
 * The linear regions of a network on a plane through three inputs: each region a filled polygon coloured by its
 * activation pattern (a hash of the pattern picks the hue, so neighbours, which differ in at least one unit,
 * almost always differ in colour), boundaries drawn, the anchors a, b, c marked, the count in the title.
 */
public final class RegionMap {
    private RegionMap() {
    }

    /** The chart; {@code title} is prefixed with the count, e.g. "1,234 linear regions: title". */
    public static XYChart chart(PlaneRegions regions, String title) {
        XYChart chart = new XYChartBuilder().width(900).height(900)
                .title(String.format(Locale.ROOT, "%,d linear regions%s", regions.count(),
                        title == null || title.isEmpty() ? "" : ": " + title))
                .xAxisTitle("u   (x = a + u (b - a) + v (c - a))").yAxisTitle("v").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setXAxisMin(regions.uMin()).setXAxisMax(regions.uMax());
        chart.getStyler().setYAxisMin(regions.vMin()).setYAxisMax(regions.vMax());
        chart.getStyler().setAntiAlias(true);
        // Thin outlines when there are many regions, so that the fill stays visible.
        float outline = regions.count() > 2000 ? 0.2f : regions.count() > 200 ? 0.5f : 1f;
        BasicStroke stroke = new BasicStroke(outline);
        int k = 0;
        for (PlaneRegions.Region r : regions.regions()) {
            double[] u = Arrays.copyOf(r.u(), r.u().length + 1);
            double[] v = Arrays.copyOf(r.v(), r.v().length + 1);
            u[u.length - 1] = u[0];
            v[v.length - 1] = v[0];
            XYSeries s = chart.addSeries("region " + k++, u, v);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setFillColor(colourOf(r.pattern()));
            s.setLineColor(new Color(40, 40, 40));
            s.setLineStyle(stroke);
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries anchors = chart.addSeries("anchors a, b, c", new double[] {0, 1, 0}, new double[] {0, 0, 1});
        anchors.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        anchors.setMarker(SeriesMarkers.CIRCLE);
        anchors.setMarkerColor(Color.BLACK);
        chart.getStyler().setMarkerSize(12);
        String[] names = {"a", "b", "c"};
        double du = 0.03 * (regions.uMax() - regions.uMin());
        double[][] at = {{0, 0}, {1, 0}, {0, 1}};
        for (int i = 0; i < 3; i++) {
            org.knowm.xchart.AnnotationText label = new org.knowm.xchart.AnnotationText(names[i], at[i][0] + du,
                    at[i][1] + du, false);
            chart.addAnnotation(label);
        }
        chart.getStyler().setAnnotationTextFontColor(Color.BLACK);
        chart.getStyler().setAnnotationTextFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 20));
        return chart;
    }

    public static Path save(PlaneRegions regions, String title, Path png) throws IOException {
        return Png.save(chart(regions, title), png);
    }

    /** A light, saturated colour from the pattern: hue from a hash, lightness from the share of active units. */
    static Color colourOf(byte[] pattern) {
        int h = Arrays.hashCode(pattern);
        h ^= h >>> 16;
        h *= 0x7feb352d;
        h ^= h >>> 15;
        float hue = (h & 0xffff) / 65536f;
        float saturation = 0.35f + 0.35f * ((h >>> 16) & 0xff) / 255f;
        return Color.getHSBColor(hue, saturation, 0.95f);
    }
}
