package perceptron.plot.analysis;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import perceptron.analysis.SegmentRegions;

/**
 * Every output of a network along the segment x(t) = a + t (b - a): each curve drawn exactly as the polyline
 * through its breakpoints (it is linear in between), breakpoints marked as thin vertical lines.
 */
public final class SegmentFigure {
    static final Color[] TAB10 = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    private SegmentFigure() {
    }

    /** @param outputNames a name per output (e.g. the Fashion-MNIST classes), or null for "output o" */
    public static XYChart chart(SegmentRegions regions, List<String> outputNames, String title) {
        XYChart chart = new XYChartBuilder().width(1000).height(600)
                .title(String.format(Locale.ROOT, "%d linear pieces, %d breakpoints%s", regions.pieceCount(),
                        regions.breakpoints().size(), title == null || title.isEmpty() ? "" : ": " + title))
                .xAxisTitle("t   (x = a + t (b - a))").yAxisTitle("output").build();
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0);
        chart.getStyler().setPlotGridLinesVisible(false);
        // Ten clearly different colours (matplotlib's tab10): XChart's default palette repeats similar hues.
        chart.getStyler().setSeriesColors(TAB10);
        int n = regions.pieceCount() + 1;
        double[] t = new double[n];
        for (int k = 0; k < regions.pieceCount(); k++) {
            t[k] = regions.pieces().get(k).tStart();
        }
        t[n - 1] = 1.0;
        for (int o = 0; o < regions.outputs(); o++) {
            double[] y = new double[n];
            for (int k = 0; k < n; k++) {
                // Evaluate each point on the piece to its left (the last on the first piece); continuity makes
                // the side immaterial up to rounding.
                SegmentRegions.Piece p = regions.pieces().get(Math.max(0, Math.min(k, regions.pieceCount()) - 1));
                y[k] = p.outputs(t[k])[o];
            }
            String name = outputNames != null && o < outputNames.size() ? outputNames.get(o) : "output " + o;
            XYSeries s = chart.addSeries(name, t, y);
            s.setMarker(SeriesMarkers.NONE);
        }
        Color tick = new Color(0, 0, 0, regions.breakpoints().size() > 200 ? 25 : 60);
        for (SegmentRegions.Breakpoint b : regions.breakpoints()) {
            AnnotationLine line = new AnnotationLine(b.t(), true, false);
            chart.addAnnotation(line);
        }
        chart.getStyler().setAnnotationLineColor(tick);
        chart.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(0.5f));
        return chart;
    }

    public static Path save(SegmentRegions regions, List<String> outputNames, String title, Path png)
            throws IOException {
        return Png.save(chart(regions, outputNames, title), png);
    }
}
