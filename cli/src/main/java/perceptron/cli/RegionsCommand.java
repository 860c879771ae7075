package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import perceptron.analysis.LinearRegions;
import perceptron.analysis.PlaneRegions;
import perceptron.analysis.SegmentRegions;
import perceptron.data.FashionMnist;
import perceptron.data.ImageDataset;
import perceptron.nn.Layer;
import perceptron.plot.analysis.RegionMap;
import perceptron.plot.analysis.SegmentFigure;
import perceptron.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code perceptron regions RUN --between I J | --plane I J K}: the exact linear pieces of a trained ReLU network
 * along the segment between two test images, or its linear regions on the plane through three.
 */
@Command(name = "regions", mixinStandardHelpOptions = true,
        description = {"The exact linear pieces of a trained piecewise-linear network (ReLU, PReLU, LeakyReLU, "
                + "Hardtanh, ReLU6): along the segment between two test images (--between), or on the plane "
                + "through three (--plane). Prints the pieces and writes a figure into the run directory."})
public final class RegionsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run directory")
    Path runDir;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--between", arity = "2", paramLabel = "I", required = true,
                description = "two test-image indices: the segment from image I to image J")
        int[] between;

        @Option(names = "--plane", arity = "3", paramLabel = "I", required = true,
                description = "three test-image indices: the plane through them")
        int[] plane;
    }

    @Option(names = "--data", paramLabel = "DIR", description = "directory with the Fashion-MNIST IDX files")
    Path data;

    @Option(names = "--out", paramLabel = "PNG", description = "the figure (default: RUN/regions-....png)")
    Path out;

    @Option(names = "--rows", paramLabel = "N", description = "pieces to print (default: 40)")
    int rows = 40;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        Runs.Loaded loaded = Runs.load(runDir);
        Layer model = loaded.model();
        FashionMnist fashion = FashionMnist.load(data);
        ImageDataset test = fashion.test();
        Runs.requireFits(test, "test", fashion, loaded.spec());
        if (mode.between != null) {
            int i = mode.between[0];
            int j = mode.between[1];
            Tensor a = image(test, i);
            Tensor b = image(test, j);
            SegmentRegions r = LinearRegions.along(model, a, b);
            o.printf(Locale.ROOT, "segment from test image %d (%s) to %d (%s): %d linear pieces, %d breakpoints%n",
                    i, label(test, i), j, label(test, j), r.pieceCount(), r.breakpoints().size());
            o.printf(Locale.ROOT, "continuity error at the breakpoints %.2e; largest difference from the network on "
                    + "%d samples %.2e%n%n", r.maxContinuityError(), r.samples(), r.maxSamplingError());
            o.print(r.table(rows));
            Path png = out != null ? out : runDir.resolve("regions-" + i + "-" + j + ".png");
            SegmentFigure.save(r, FashionMnist.CLASS_NAMES, String.format(Locale.ROOT,
                    "logits from test image %d (%s) to %d (%s)", i, label(test, i), j, label(test, j)), png);
            o.printf("%nwrote %s%n", png);
        } else {
            int[] k = mode.plane;
            PlaneRegions r = LinearRegions.onPlane(model, image(test, k[0]), image(test, k[1]), image(test, k[2]));
            o.printf(Locale.ROOT, "plane through test images %d (%s), %d (%s), %d (%s): %d linear regions in the "
                            + "window u in [%s, %s], v in [%s, %s]%n", k[0], label(test, k[0]), k[1], label(test, k[1]),
                    k[2], label(test, k[2]), r.count(), r.uMin(), r.uMax(), r.vMin(), r.vMax());
            o.printf(Locale.ROOT, "largest difference from the network at %d grid points: %.2e%n", r.samples(),
                    r.maxSamplingError());
            Path png = out != null ? out : runDir.resolve("regions-" + k[0] + "-" + k[1] + "-" + k[2] + ".png");
            RegionMap.save(r, String.format(Locale.ROOT, "plane through test images %d (%s), %d (%s), %d (%s)",
                    k[0], label(test, k[0]), k[1], label(test, k[1]), k[2], label(test, k[2])), png);
            o.printf("wrote %s%n", png);
        }
        return 0;
    }

    /** Test image i as a [1, 28, 28] tensor in [0, 1]. */
    static Tensor image(ImageDataset test, int i) {
        if (i < 0 || i >= test.size()) {
            throw new UserException("test image index " + i + " is out of range (0 to " + (test.size() - 1) + ")");
        }
        float[] x = new float[test.featureSize()];
        float[] y = new float[Math.max(1, test.labelSize())];
        test.read(i, x, 0, y, 0);
        return Tensor.wrap(x, test.featureShape());
    }

    static String label(ImageDataset test, int i) {
        return FashionMnist.textLabel(test.label(i));
    }
}
