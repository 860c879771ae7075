package perceptron.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.nn.Identity;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.Sigmoid;
import perceptron.nn.Tanh;
import perceptron.tensor.Tensor;
import perceptron.train.Callback;
import perceptron.train.EpochMetrics;

/** The monitors driven by a hand-written loop that calls the Callback methods as the Trainer does. */
class MonitorsTest {

    private static void train(Callback monitor, Layer model, int epochs, List<Tensor> batches) {
        monitor.onTrainStart(model, 1, epochs);
        long step = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            monitor.onEpochStart(epoch);
            model.train();
            for (Tensor x : batches) {
                model.zeroGrad();
                Tensor loss = model.forward(x).square().mean();
                loss.backward();
                monitor.afterBackward(model, epoch, step++);
            }
            // An evaluation pass, as the Trainer makes for test accuracy: must not count.
            model.eval();
            model.forward(batches.get(0).mul(-50.0));
            monitor.onEpochEnd(model, new EpochMetrics(epoch, 0.0, Double.NaN, Double.NaN, 0.0));
        }
        monitor.onTrainEnd(model);
    }

    private static List<Tensor> batches(long seed, int count, int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(seed);
        java.util.ArrayList<Tensor> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Tensor.randn(rng, rows, cols));
        }
        return out;
    }

    /** A model written by hand, PyTorch style: sub-layers as fields, run with call (or, wrongly, forward). */
    static final class HandWritten extends Layer {
        final Linear hidden = registerLayer("hidden", new Linear(4, 8, new SplittableRandom(3)));
        final ReLU relu = registerLayer("relu", new ReLU());
        final Linear out = registerLayer("out", new Linear(8, 1, new SplittableRandom(4)));
        final boolean useCall;

        HandWritten(boolean useCall) {
            this.useCall = useCall;
        }

        @Override
        public Tensor forward(Tensor x) {
            return useCall ? out.call(relu.call(hidden.call(x))) : out.forward(relu.forward(hidden.forward(x)));
        }
    }

    @Test
    void monitorsSeeTheLayersOfAHandWrittenModelThatRunsThemWithCall() {
        DeadUnitMonitor dead = new DeadUnitMonitor();
        ActivationVarianceMonitor variances = new ActivationVarianceMonitor();
        HandWritten model = new HandWritten(true);
        train(dead, model, 2, batches(1, 3, 16, 4));
        train(variances, model, 1, batches(1, 3, 16, 4));
        assertEquals(2, dead.rows().size());
        assertEquals("relu", dead.rows().get(0).layer());
        assertEquals(8, dead.rows().get(0).units());
        assertEquals(List.of("hidden", "relu", "out"), variances.rows().stream()
                .map(ActivationVarianceMonitor.Row::layer).toList());
    }

    @Test
    void aModelThatBypassesCallIsReportedInsteadOfMonitoredAsIfNothingRan() {
        DeadUnitMonitor dead = new DeadUnitMonitor();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> train(dead, new HandWritten(false), 1, batches(1, 2, 16, 4)));
        assertTrue(e.getMessage().startsWith("DeadUnitMonitor: none of the watched layers [relu] ran through "
                + "Layer.call in this epoch"), e.getMessage());
    }

    @Test
    void unitsWithAHugeNegativeBiasAreDeadAndEvalPassesDoNotRevive() {
        double[][] w = new double[6][4];
        double[] b = new double[6];
        for (int i = 0; i < 6; i++) {
            w[i][i % 4] = 1;
            b[i] = i < 2 ? -100 : 100;
        }
        Sequential net = new Sequential(Nets.linear(w, b), new ReLU(), new Linear(6, 1),
                new ReLU());
        DeadUnitMonitor monitor = new DeadUnitMonitor();
        train(monitor, net, 2, batches(1, 3, 8, 4));
        List<DeadUnitMonitor.Row> rows = monitor.rows();
        assertEquals(4, rows.size(), "two ReLU layers, two epochs");
        DeadUnitMonitor.Row first = rows.get(0);
        assertEquals(1, first.epoch());
        assertEquals("1", first.layer());
        assertEquals(6, first.units());
        assertEquals(2, first.dead());
        assertEquals(2.0 / 6, first.deadFraction());
        assertEquals(2, rows.get(2).epoch());
        assertTrue(monitor.table().contains("layer 1"), monitor.table());
        // Hooks are removed at the end of training.
        net.train();
        net.forward(Tensor.ones(2, 4));
        assertEquals(4, monitor.rows().size());
    }

    @Test
    void sigmoidAndTanhSaturationUseTheDocumentedThresholds() {
        double[][] eye = {{1, 0}, {0, 1}};
        Sequential sig = new Sequential(Nets.linear(eye, new double[] {0, 0}), new Sigmoid());
        // Unit 0 is far out (|x| = 10, s = 0.99995) on every example; unit 1 is saturated on one example of four.
        Tensor x = Tensor.of(new double[][] {{10, 0}, {-10, 0.5}, {10, 3.0}, {-10, -2.0}});
        SaturationMonitor monitor = new SaturationMonitor();
        train(monitor, sig, 1, List.of(x));
        SaturationMonitor.Row row = monitor.rows().get(0);
        assertEquals("Sigmoid", row.activation());
        assertEquals(5.0 / 8, row.saturatedFraction(), "|s - 0.5| > 0.45 means |x| > 2.944");
        assertEquals(0.5, row.stuckFraction());

        Sequential tanh = new Sequential(Nets.linear(eye, new double[] {0, 0}), new Tanh());
        Tensor y = Tensor.of(new double[][] {{3, 1.4}, {-3, 1.5}, {2, 0}, {-2, -1.6}});
        SaturationMonitor t = new SaturationMonitor();
        train(t, tanh, 1, List.of(y));
        assertEquals(6.0 / 8, t.rows().get(0).saturatedFraction(), "|tanh x| > 0.9 means |x| > 1.472");
        assertEquals(0.5, t.rows().get(0).stuckFraction());
    }

    @Test
    void gradientNormsAreTheFrobeniusNormsOfTheWeightGradients() {
        Sequential net = Nets.reluNet(3, 5, 7, 3);
        List<Tensor> data = batches(2, 3, 4, 5);
        double[] expected = new double[2];
        // Reference: the same steps computed by hand (no optimiser step, so every epoch is the same).
        for (Tensor x : data) {
            net.zeroGrad();
            net.forward(x).square().mean().backward();
            expected[0] += Math.sqrt(((Linear) net.get(0)).weight().grad().square().sum().item()) / data.size();
            expected[1] += Math.sqrt(((Linear) net.get(2)).weight().grad().square().sum().item()) / data.size();
        }
        GradientNormMonitor monitor = new GradientNormMonitor();
        train(monitor, net, 2, data);
        List<GradientNormMonitor.Row> rows = monitor.rows();
        assertEquals(4, rows.size());
        assertEquals("0", rows.get(0).layer());
        assertEquals("2", rows.get(1).layer());
        assertEquals(expected[0], rows.get(0).meanNorm(), 1e-6 * expected[0]);
        assertEquals(expected[1], rows.get(1).meanNorm(), 1e-6 * expected[1]);
        assertEquals(3, rows.get(0).steps());
        assertTrue(rows.get(0).maxNorm() >= rows.get(0).meanNorm());
    }

    @Test
    void activationVarianceMatchesTheVarianceOfAllOutputsOfTheEpoch() {
        double[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        Sequential net = new Sequential(Nets.linear(eye, new double[] {1000, 1000, 1000}), new Identity(),
                new ReLU());
        List<Tensor> data = batches(4, 3, 5, 3);
        ActivationVarianceMonitor monitor = new ActivationVarianceMonitor();
        train(monitor, net, 1, data);
        double sum = 0;
        int n = 0;
        for (Tensor x : data) {
            for (float v : x.toFloatArray()) {
                sum += v + 1000f;
                n++;
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (Tensor x : data) {
            for (float v : x.toFloatArray()) {
                double d = (v + 1000f) - mean;
                ss += d * d;
            }
        }
        List<ActivationVarianceMonitor.Row> rows = monitor.rows();
        assertEquals(2, rows.size(), "Linear and ReLU; Identity is not watched");
        assertEquals("Linear", rows.get(0).kind());
        assertEquals(mean, rows.get(0).mean(), 1e-9);
        assertEquals(ss / n, rows.get(0).variance(), 1e-9, "a mean of 1000 does not swamp a variance of 1");
        assertEquals(45, rows.get(0).values());
        assertEquals(rows.get(0).variance(), rows.get(1).variance(), 1e-9);
    }
}
