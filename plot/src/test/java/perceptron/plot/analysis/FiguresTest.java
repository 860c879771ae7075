package perceptron.plot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import perceptron.analysis.LinearRegions;
import perceptron.analysis.PlaneRegions;
import perceptron.analysis.SegmentRegions;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.tensor.Tensor;

/** Every figure renders to a PNG of the stated size; the files stay in target/analysis-figures for a look. */
class FiguresTest {
    static final Path DIR = Path.of("target", "analysis-figures");

    static BufferedImage read(Path p) throws Exception {
        BufferedImage img = ImageIO.read(p.toFile());
        assertTrue(img != null, "a PNG at " + p);
        return img;
    }

    static Sequential reluNet(long seed, int... sizes) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            if (i > 0) {
                layers.add(new ReLU());
            }
            layers.add(new Linear(sizes[i], sizes[i + 1], rng));
        }
        return new Sequential(layers);
    }

    @Test
    void regionMapOfASmallNetwork() throws Exception {
        Sequential net = reluNet(1, 2, 8, 8, 3);
        PlaneRegions p = LinearRegions.onPlane(net, Tensor.of(0.0, 0.0), Tensor.of(1.0, 0.0), Tensor.of(0.0, 1.0),
                -2, 3, -2, 3, 21);
        Path file = RegionMap.save(p, "2-8-8-3 ReLU network, input plane", DIR.resolve("regions-small.png"));
        BufferedImage img = read(file);
        assertEquals(900, img.getWidth());
    }

    @Test
    void regionMapOfAnImageSizedNetworkWithThousandsOfRegions() throws Exception {
        SplittableRandom rng = new SplittableRandom(2);
        Sequential net = reluNet(2, 784, 64, 32, 10);
        PlaneRegions p = LinearRegions.onPlane(net, Tensor.rand(rng, 784), Tensor.rand(rng, 784),
                Tensor.rand(rng, 784));
        assertTrue(p.count() > 100, "regions " + p.count());
        read(RegionMap.save(p, "784-64-32-10, random images", DIR.resolve("regions-784.png")));
    }

    @Test
    void outputsAlongASegment() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        Sequential net = reluNet(3, 784, 64, 32, 10);
        SegmentRegions r = LinearRegions.along(net, Tensor.rand(rng, 784).mul(4), Tensor.rand(rng, 784).mul(4));
        List<String> names = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot");
        BufferedImage img = read(SegmentFigure.save(r, names, "random weights", DIR.resolve("segment.png")));
        assertEquals(1000, img.getWidth());
    }

    @Test
    void initStudyFigures() throws Exception {
        read(InitStudyFigure.saveGradients(perceptron.analysis.InitStudy.gradients(10, 100, 32, 0),
                DIR.resolve("init-gradients.png")));
        read(InitStudyFigure.saveProducts(perceptron.analysis.InitStudy.matrixProducts(),
                DIR.resolve("init-products.png")));
    }

    @Test
    void monitorAndBatchDependenceFigures() throws Exception {
        SplittableRandom rng = new SplittableRandom(4);
        Sequential net = new Sequential(new Linear(10, 16, rng), new perceptron.nn.BatchNorm1d(16), new ReLU(),
                new Linear(16, 16, rng), new perceptron.nn.Sigmoid(), new Linear(16, 3, rng));
        Sequential plain = reluNet(5, 10, 16, 3);
        Tensor pool = Tensor.randn(rng, 300, 10);
        java.util.Map<String, perceptron.analysis.BatchDependence.Report> reports = new java.util.LinkedHashMap<>();
        reports.put("with BatchNorm", perceptron.analysis.BatchDependence.measure(net, pool));
        reports.put("without", perceptron.analysis.BatchDependence.measure(plain, pool));
        read(BatchDependenceFigure.save(reports, DIR.resolve("batch-dependence.png")));

        perceptron.analysis.DeadUnitMonitor dead = new perceptron.analysis.DeadUnitMonitor();
        perceptron.analysis.SaturationMonitor sat = new perceptron.analysis.SaturationMonitor();
        perceptron.analysis.GradientNormMonitor grads = new perceptron.analysis.GradientNormMonitor();
        perceptron.analysis.ActivationVarianceMonitor vars = new perceptron.analysis.ActivationVarianceMonitor();
        List<perceptron.train.Callback> monitors = List.of(dead, sat, grads, vars);
        perceptron.optim.SGD sgd = new perceptron.optim.SGD(net.parameters(), 0.5);
        monitors.forEach(m -> m.onTrainStart(net, 1, 4));
        for (int epoch = 1; epoch <= 4; epoch++) {
            net.train();
            for (int b = 0; b < 5; b++) {
                sgd.zeroGrad();
                Tensor x = pool.slice(0, 60 * b, 60 * b + 60);
                net.forward(x).sub(x.slice(1, 0, 3)).square().mean().backward();
                for (perceptron.train.Callback m : monitors) {
                    m.afterBackward(net, epoch, b);
                }
                sgd.step();
            }
            perceptron.train.EpochMetrics metrics = new perceptron.train.EpochMetrics(epoch, 0, Double.NaN,
                    Double.NaN, 0);
            monitors.forEach(m -> m.onEpochEnd(net, metrics));
        }
        monitors.forEach(m -> m.onTrainEnd(net));
        assertEquals(4, dead.rows().size());
        read(MonitorFigure.save(MonitorFigure.deadUnits(dead.rows()), DIR.resolve("monitor-dead.png")));
        read(MonitorFigure.save(MonitorFigure.saturation(sat.rows()), DIR.resolve("monitor-saturation.png")));
        read(MonitorFigure.save(MonitorFigure.gradientNorms(grads.rows()), DIR.resolve("monitor-gradients.png")));
        read(MonitorFigure.save(MonitorFigure.variances(vars.rows()), DIR.resolve("monitor-variances.png")));
    }
}
