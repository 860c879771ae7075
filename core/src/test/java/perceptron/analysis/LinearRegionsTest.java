package perceptron.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Dropout;
import perceptron.nn.Flatten;
import perceptron.nn.Identity;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.nn.Sequential;
import perceptron.nn.Sigmoid;
import perceptron.nn.Tanh;
import perceptron.tensor.Tensor;

class LinearRegionsTest {

    /** Checks that the pieces tile [0, 1] in order and that breakpoints sit between them. */
    private static void assertTiles(SegmentRegions r) {
        List<SegmentRegions.Piece> p = r.pieces();
        assertEquals(0.0, p.get(0).tStart());
        assertEquals(1.0, p.get(p.size() - 1).tEnd());
        assertEquals(p.size() - 1, r.breakpoints().size());
        for (int k = 1; k < p.size(); k++) {
            assertEquals(p.get(k - 1).tEnd(), p.get(k).tStart());
            assertTrue(p.get(k).tStart() < p.get(k).tEnd());
            assertEquals(p.get(k).tStart(), r.breakpoints().get(k - 1).t());
        }
    }

    @Test
    void piecesAgreeWithDenseSamplingOfTheNetwork() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            Sequential net = Nets.reluNet(seed, 6, 16, 16, 12, 4);
            SegmentRegions r = LinearRegions.along(net, Tensor.randn(rng, 6).mul(3), Tensor.randn(rng, 6).mul(3),
                    20_001);
            assertTiles(r);
            assertTrue(r.pieceCount() > 5, "a random deep net has kinks: " + r.pieceCount());
            assertTrue(r.maxSamplingError() < 1e-13, "sampling error " + r.maxSamplingError());
            assertTrue(r.maxContinuityError() < 1e-14, "continuity error " + r.maxContinuityError());
        }
    }

    @Test
    void everyBreakpointIsAKinkOfSomeUnitAndEveryPieceIsLinear() {
        Sequential net = Nets.reluNet(11, 3, 10, 10, 2);
        SplittableRandom rng = new SplittableRandom(3);
        SegmentRegions r = LinearRegions.along(net, Tensor.randn(rng, 3).mul(2), Tensor.randn(rng, 3).mul(2), 0);
        for (SegmentRegions.Breakpoint b : r.breakpoints()) {
            assertTrue(b.cause().matches("layer \\d+ \\(ReLU\\) unit \\d+"), b.cause());
            assertEquals(3, b.point().length);
        }
        // Three points inside each piece are collinear in every output.
        for (SegmentRegions.Piece p : r.pieces()) {
            double t0 = p.tStart();
            double t1 = p.tEnd();
            double[] y0 = r.outputs(t0 + 0.25 * (t1 - t0));
            double[] y1 = r.outputs(t0 + 0.5 * (t1 - t0));
            double[] y2 = r.outputs(t0 + 0.75 * (t1 - t0));
            for (int o = 0; o < y0.length; o++) {
                assertEquals(0, y0[o] - 2 * y1[o] + y2[o], 1e-12);
            }
        }
    }

    @Test
    void oneHiddenLayerOfWidthWHasAtMostWPlusOnePiecesOnALine() {
        int w = 7;
        int max = 0;
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            Sequential net = Nets.reluNet(seed, 4, w, 3);
            SegmentRegions r = LinearRegions.along(net, Tensor.randn(rng, 4).mul(4), Tensor.randn(rng, 4).mul(4), 0);
            assertTrue(r.pieceCount() <= w + 1, "seed " + seed + ": " + r.pieceCount() + " pieces");
            max = Math.max(max, r.pieceCount());
        }
        assertTrue(max >= 4, "long random segments cross several kinks: " + max);
    }

    @Test
    void constructedOneHiddenLayerNetworkHasExactlyWPlusOnePieces() {
        for (int w = 1; w <= 12; w++) {
            // Unit i has its kink at t = i / (w + 1), facing alternately up and down.
            double[][] wIn = new double[w][1];
            double[] bIn = new double[w];
            double[][] wOut = new double[1][w];
            for (int i = 0; i < w; i++) {
                double sign = i % 2 == 0 ? 1 : -1;
                wIn[i][0] = sign;
                bIn[i] = -sign * (i + 1.0) / (w + 1);
                wOut[0][i] = 1 + i;
            }
            Sequential net = new Sequential(Nets.linear(wIn, bIn), new ReLU(), Nets.linear(wOut, new double[] {0.5}));
            SegmentRegions r = LinearRegions.along(net, Tensor.of(0.0), Tensor.of(1.0));
            assertTiles(r);
            assertEquals(w + 1, r.pieceCount(), "width " + w);
            for (int i = 0; i < w; i++) {
                assertEquals((float) ((i + 1.0) / (w + 1)), r.breakpoints().get(i).t(), 1e-7);
            }
            assertTrue(r.maxSamplingError() < 1e-14);
        }
    }

    @Test
    void sawtoothOfDepthKHasExactlyTwoToTheKPieces() {
        for (int k = 1; k <= 10; k++) {
            SegmentRegions r = LinearRegions.along(Nets.sawtooth(k), Tensor.of(0.0), Tensor.of(1.0), 4097);
            assertTiles(r);
            assertEquals(1 << k, r.pieceCount(), "depth " + k);
            double slope = Math.pow(2, k);
            for (int j = 0; j < r.pieceCount(); j++) {
                SegmentRegions.Piece p = r.pieces().get(j);
                assertEquals((double) j / (1 << k), p.tStart(), 0.0, "dyadic breakpoints are exact");
                assertEquals(j % 2 == 0 ? slope : -slope, p.slopes()[0], 0.0);
            }
            assertEquals(0.0, r.maxContinuityError(), 1e-15);
            assertTrue(r.maxSamplingError() < 1e-12, "depth " + k + ": " + r.maxSamplingError());
        }
    }

    @Test
    void refusesANetworkWithANonPiecewiseLinearLayerNamingIt() {
        Sequential sig = new Sequential(new Linear(2, 3), new ReLU(), new Sigmoid(), new Linear(3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegions.along(sig, Tensor.of(0.0, 0.0), Tensor.of(1.0, 1.0)));
        assertTrue(e.getMessage().startsWith("LinearRegions: layer 2 (Sigmoid) is not piecewise linear"),
                e.getMessage());
        Sequential nested = new Sequential(new Linear(2, 3), new Sequential(new ReLU(), new Tanh()));
        e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegions.onPlane(nested, Tensor.of(0.0, 0.0), Tensor.of(1.0, 0.0), Tensor.of(0.0, 1.0)));
        assertTrue(e.getMessage().startsWith("LinearRegions: layer 1.1 (Tanh) is not piecewise linear"),
                e.getMessage());
    }

    @Test
    void refusesDropoutAndBatchNormInTrainingMode() {
        Sequential drop = new Sequential(new Linear(2, 3), new ReLU(), new Dropout(0.5, 1), new Linear(3, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinearRegions.check(drop, 2));
        assertTrue(e.getMessage().contains("layer 2 (Dropout) is in training mode"), e.getMessage());
        drop.eval();
        LinearRegions.check(drop, 2);
        Sequential bn = new Sequential(new Linear(2, 3), new BatchNorm1d(3), new ReLU(), new Linear(3, 1));
        e = assertThrows(IllegalArgumentException.class, () -> LinearRegions.check(bn, 2));
        assertTrue(e.getMessage().contains("layer 1 (BatchNorm1d) is in training mode"), e.getMessage());
    }

    @Test
    void batchNormInEvalModeDropoutFlattenAndIdentityAreAffine() {
        SplittableRandom rng = new SplittableRandom(5);
        Sequential net = new Sequential(new Flatten(), new Linear(6, 8, rng), new BatchNorm1d(8), new ReLU(),
                new Dropout(0.3, 2), new Identity(), new Linear(8, 3, rng));
        // A few training-mode passes give the running statistics values other than 0 and 1.
        for (int i = 0; i < 5; i++) {
            net.forward(Tensor.randn(rng, 16, 2, 3).mul(2).add(1));
        }
        net.eval();
        SegmentRegions r = LinearRegions.along(net, Tensor.randn(rng, 2, 3).mul(3), Tensor.randn(rng, 2, 3).mul(3),
                2001);
        assertTiles(r);
        assertTrue(r.pieceCount() > 1);
        assertTrue(r.maxSamplingError() < 1e-12, "sampling error " + r.maxSamplingError());
        Sequential noFlatten = new Sequential(new Linear(6, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegions.check(noFlatten, 2, 3));
        assertTrue(e.getMessage().contains("layer 0 (Linear) expects examples ending in 6 features, but receives "
                + "examples of shape [2, 3]; add a Flatten before it"), e.getMessage());
    }

    /** Stand-ins for the activation modules that will join perceptron.nn, with their math written out. */
    private static final class Leaky extends Layer {
        final double slope;

        Leaky(double slope) {
            this.slope = slope;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.maximum(x.mul(slope));
        }
    }

    private static final class Clamp extends Layer {
        final double min;
        final double max;

        Clamp(double min, double max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.clamp(min, max);
        }
    }

    private static final class ChannelPrelu extends Layer {
        final double[] alpha;

        ChannelPrelu(double... alpha) {
            this.alpha = alpha;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.maximum(x.mul(Tensor.of(alpha)));
        }
    }

    private static PiecewiseLinear describe(Layer m) {
        if (m instanceof Leaky l) {
            return PiecewiseLinear.leakyRelu(l.slope);
        }
        if (m instanceof Clamp c) {
            return c.min == 0 && c.max == 6 ? PiecewiseLinear.relu6() : PiecewiseLinear.hardtanh(c.min, c.max);
        }
        if (m instanceof ChannelPrelu p) {
            return PiecewiseLinear.prelu(p.alpha);
        }
        return null;
    }

    @Test
    void leakyReluPreluHardtanhAndRelu6PiecesAgreeWithSampling() {
        SplittableRandom rng = new SplittableRandom(8);
        Sequential net = new Sequential(new Linear(3, 5, rng), new Leaky(0.1), new Linear(5, 5, rng),
                new Clamp(-0.5, 0.7), new Linear(5, 4, rng), new ChannelPrelu(0.25, -0.5, 0.0, 0.9),
                new Linear(4, 4, rng), new Clamp(0, 6), new Linear(4, 2, rng));
        for (int trial = 0; trial < 5; trial++) {
            SegmentRegions r = LinearRegions.along(net, Tensor.randn(rng, 3).mul(6), Tensor.randn(rng, 3).mul(6),
                    10_001, LinearRegionsTest::describe);
            assertTiles(r);
            assertTrue(r.maxSamplingError() < 1e-13, "sampling error " + r.maxSamplingError());
            assertTrue(r.maxContinuityError() < 1e-14, "continuity error " + r.maxContinuityError());
        }
        PlaneRegions plane = LinearRegions.onPlane(net, Tensor.randn(rng, 3), Tensor.randn(rng, 3).mul(4),
                Tensor.randn(rng, 3).mul(4), -1, 2, -1, 2, 61, LinearRegionsTest::describe);
        assertTrue(plane.count() > 10, "regions: " + plane.count());
        assertTrue(plane.maxSamplingError() < 1e-12, "sampling error " + plane.maxSamplingError());
        assertEquals(9.0, plane.totalArea(), 1e-12);
    }

    @Test
    void theLibrarysPiecewiseLinearLayersAreRecognised() {
        SplittableRandom rng = new SplittableRandom(9);
        perceptron.nn.PReLU prelu = new perceptron.nn.PReLU(4, 0.25);
        try (var g = perceptron.autograd.Autograd.noGrad()) {
            prelu.weight().copyFrom(Tensor.of(0.25f, -0.5f, 0f, 0.9f));
        }
        Sequential net = new Sequential(new Linear(3, 5, rng), new perceptron.nn.LeakyReLU(0.1), new Linear(5, 5, rng),
                new perceptron.nn.Hardtanh(-0.5, 0.7), new Linear(5, 4, rng), prelu, new Linear(4, 4, rng),
                new perceptron.nn.ReLU6(), new Linear(4, 2, rng));
        for (int trial = 0; trial < 3; trial++) {
            SegmentRegions r = LinearRegions.along(net, Tensor.randn(rng, 3).mul(6), Tensor.randn(rng, 3).mul(6));
            assertTiles(r);
            assertTrue(r.maxSamplingError() < 1e-5, "sampling error " + r.maxSamplingError());
            assertTrue(r.maxContinuityError() < 1e-12, "continuity error " + r.maxContinuityError());
        }
        Sequential smooth = new Sequential(new Linear(3, 5, rng), perceptron.nn.ActivationLayer.of("gelu"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearRegions.along(smooth, Tensor.randn(rng, 3), Tensor.randn(rng, 3)));
        assertTrue(e.getMessage().contains("layer 1") && e.getMessage().contains("not piecewise linear"),
                e.getMessage());
    }

    @Test
    void piecewiseLinearDescriptionsMatchTheirFormulas() {
        for (double z = -8; z <= 8; z += 0.125) {
            assertEquals(Math.max(z, 0), PiecewiseLinear.relu().apply(0, z), 0.0);
            assertEquals(z > 0 ? z : 0.01 * z, PiecewiseLinear.leakyRelu(0.01).apply(0, z), 0.0);
            assertEquals(Math.min(Math.max(z, -1), 1), PiecewiseLinear.hardtanh(-1, 1).apply(0, z), 0.0);
            assertEquals(Math.min(Math.max(z, 0), 6), PiecewiseLinear.relu6().apply(0, z), 0.0);
            assertEquals(z > 0 ? z : -0.5 * z, PiecewiseLinear.prelu(new double[] {0.25, -0.5}).apply(1, z), 0.0);
            assertEquals(z, PiecewiseLinear.identity().apply(0, z), 0.0);
        }
    }

    /**
     * w lines tangent to a circle at angles spread over less than 120 degrees: no two parallel, no three
     * concurrent, every intersection within twice the radius of the centre, so inside the window.
     */
    private static Sequential tangentLines(int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] wIn = new double[w][2];
        double[] bIn = new double[w];
        double[][] wOut = new double[2][w];
        for (int i = 0; i < w; i++) {
            double angle = (2 * Math.PI / 3) * (i + 0.5 * rng.nextDouble()) / w;
            double sign = rng.nextBoolean() ? 1 : -1;
            double nu = Math.cos(angle);
            double nv = Math.sin(angle);
            wIn[i] = new double[] {sign * nu, sign * nv};
            bIn[i] = -sign * (nu * 0.5 + nv * 0.5 + 0.2);
            wOut[0][i] = rng.nextDouble(0.5, 1.5);
            wOut[1][i] = -rng.nextDouble(0.5, 1.5);
        }
        return new Sequential(Nets.linear(wIn, bIn), new ReLU(), Nets.linear(wOut, new double[] {0, 0}));
    }

    @Test
    void linesInGeneralPositionCutThePlaneIntoOnePlusWPlusWChooseTwoRegions() {
        for (int w = 1; w <= 12; w++) {
            Sequential net = tangentLines(w, w);
            PlaneRegions p = LinearRegions.onPlane(net, Tensor.of(0.0, 0.0), Tensor.of(1.0, 0.0), Tensor.of(0.0, 1.0),
                    -0.25, 1.25, -0.25, 1.25, 41);
            assertEquals(1 + w + w * (w - 1) / 2, p.count(), "width " + w);
            assertEquals(2.25, p.totalArea(), 1e-12);
            assertTrue(p.maxSamplingError() < 1e-13, "sampling error " + p.maxSamplingError());
            Set<String> patterns = new HashSet<>();
            for (PlaneRegions.Region r : p.regions()) {
                patterns.add(java.util.Arrays.toString(r.pattern()));
                assertEquals(w, r.pattern().length);
            }
            assertEquals(p.count(), patterns.size(), "each activation pattern is one convex region");
        }
    }

    @Test
    void deepNetworkRegionsTileTheWindowAndMatchTheNetwork() {
        SplittableRandom rng = new SplittableRandom(21);
        Sequential net = Nets.reluNet(21, 5, 12, 12, 12, 3);
        PlaneRegions p = LinearRegions.onPlane(net, Tensor.randn(rng, 5), Tensor.randn(rng, 5).mul(3),
                Tensor.randn(rng, 5).mul(3));
        assertEquals(2.25, p.totalArea(), 1e-12);
        assertTrue(p.count() > 20, "regions: " + p.count());
        assertTrue(p.maxSamplingError() < 1e-13, "sampling error " + p.maxSamplingError());
        for (PlaneRegions.Region r : p.regions()) {
            assertEquals(36, r.pattern().length);
            assertTrue(r.area() > 0);
        }
    }

    @Test
    @SuppressWarnings("ReferenceEquality") // a region is found once per plane: the same object is the same region
    void theSegmentFromAToBRunsThroughThePlaneRegionsWithTheSameSlopes() {
        SplittableRandom rng = new SplittableRandom(22);
        Sequential net = Nets.reluNet(22, 4, 10, 10, 2);
        Tensor a = Tensor.randn(rng, 4);
        Tensor b = Tensor.randn(rng, 4).mul(3);
        Tensor c = Tensor.randn(rng, 4).mul(3);
        SegmentRegions line = LinearRegions.along(net, a, b);
        PlaneRegions plane = LinearRegions.onPlane(net, a, b, c);
        assertTrue(line.pieceCount() > 3, "pieces: " + line.pieceCount());
        PlaneRegions.Region previous = null;
        for (SegmentRegions.Piece piece : line.pieces()) {
            // On the segment, t = u and v = 0: the piece lies in one region, with slope d/dt = d/du.
            double mid = 0.5 * (piece.tStart() + piece.tEnd());
            PlaneRegions.Region r = plane.regionAt(mid, 0);
            for (int o = 0; o < 2; o++) {
                assertEquals(r.du()[o], piece.slopes()[o], 1e-12);
                assertEquals(r.intercepts()[o], piece.intercepts()[o], 1e-12);
            }
            assertTrue(previous == null || previous != r, "consecutive pieces lie in different regions");
            previous = r;
        }
    }

    @Test
    void aLinearNetworkIsOneRegionAndOnePiece() {
        Sequential net = new Sequential(new Linear(3, 4), new Identity(), new Linear(4, 2));
        SplittableRandom rng = new SplittableRandom(2);
        assertEquals(1, LinearRegions.along(net, Tensor.randn(rng, 3), Tensor.randn(rng, 3)).pieceCount());
        assertEquals(1, LinearRegions.onPlane(net, Tensor.randn(rng, 3), Tensor.randn(rng, 3), Tensor.randn(rng, 3))
                .count());
    }
}
