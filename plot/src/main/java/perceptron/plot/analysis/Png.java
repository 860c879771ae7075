package perceptron.plot.analysis;

import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import perceptron.plot.FigureFile;

/** Writes a chart as PNG, to a temporary name first and then renamed into place (never a half-written file). */
final class Png {
    private Png() {
    }

    static Path save(Chart<?, ?> chart, Path file) throws IOException {
        Path target = file.toAbsolutePath();
        FigureFile.atomically(target, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        return target;
    }
}
