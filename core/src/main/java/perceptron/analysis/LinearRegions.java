package perceptron.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import perceptron.autograd.Autograd;
import perceptron.nn.Layer;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * The exact linear regions of a network built from Linear layers and piecewise-linear activations (ReLU and,
 * as they join {@code perceptron.nn}, LeakyReLU, PReLU, Hardtanh, ReLU6; also Identity, Flatten, and Dropout and
 * BatchNorm1d in eval mode, which are affine). Such a network is a continuous piecewise-linear function
 * (d2l 5.1, exercise 1); these methods construct its pieces on a segment or on a plane through given inputs.
 *
 * <p>Method, in float64 throughout: on a segment x(t) = a + t (b - a) every pre-activation of the first layer
 * is affine in t, z_j(t) = p_j + q_j t. Where unit j crosses a kink beta of its activation, at t = (beta - p_j) /
 * q_j, the piece is split; on each resulting piece the activation is a known line s z + c, so the next layer's
 * pre-activations are again affine in t on that piece. Layer by layer this yields every breakpoint and the affine
 * map of each output on each piece. On a plane the same is done with convex polygons split along each unit's
 * line z_j(u, v) = beta.
 *
 * <pre>{@code
 * model.eval();
 * SegmentRegions r = LinearRegions.along(model, imageA, imageB);
 * System.out.print(r.table(20));                       // pieces, breakpoints, errors
 * PlaneRegions plane = LinearRegions.onPlane(model, imageA, imageB, imageC);
 * }</pre>
 *
 * <p>Breakpoints closer than 1e-12 in t (or a vertex within 1e-12, relative, of a unit's line) are merged: the
 * analysis resolves the segment to one part in 10^12, far below anything float32 training can distinguish.
 * A network with any other layer (sigmoid, tanh, ...) is refused with a message naming that layer.
 */
public final class LinearRegions {
    /** Default number of evenly spaced points at which {@link #along} checks its pieces against the network. */
    public static final int DEFAULT_SAMPLES = 1001;
    /** Default grid (per side) at which {@link #onPlane} checks its regions against the network. */
    public static final int DEFAULT_GRID = 41;

    static final double T_RESOLUTION = 1e-12;
    private static final String WHO = "LinearRegions";

    private LinearRegions() {
    }

    /**
     * Fails with a message naming the first layer that is not piecewise linear (or is in training mode), for
     * examples of the given shape (without the batch axis); returns normally otherwise.
     */
    public static void check(Layer model, int... exampleShape) {
        PiecewiseNetwork.of(WHO, model, exampleShape);
    }

    /** The pieces on the segment from a to b (single examples of equal shape, no batch axis), with the default check. */
    public static SegmentRegions along(Layer model, Tensor a, Tensor b) {
        return along(model, a, b, DEFAULT_SAMPLES);
    }

    /**
     * The pieces on the segment from a to b, checked against the network at {@code samples} evenly spaced points
     * (0 skips the check).
     */
    public static SegmentRegions along(Layer model, Tensor a, Tensor b, int samples) {
        return along(model, a, b, samples, m -> null);
    }

    static SegmentRegions along(Layer model, Tensor a, Tensor b, int samples,
                                Function<Layer, PiecewiseLinear> extra) {
        sameShape("along", a, b);
        PiecewiseNetwork net = PiecewiseNetwork.of(WHO, model, a.shape(), extra);
        double[] origin = a.toDoubleArray();
        double[] direction = b.toDoubleArray();
        for (int i = 0; i < direction.length; i++) {
            direction[i] -= origin[i];
        }
        List<Interval> pieces = new ArrayList<>();
        pieces.add(new Interval(0, 1, origin.clone(), direction.clone()));
        TreeMap<Double, String> causes = new TreeMap<>();
        for (PiecewiseNetwork.Step step : net.steps) {
            List<Interval> next = new ArrayList<>();
            for (Interval piece : pieces) {
                if (step instanceof PiecewiseNetwork.Affine affine) {
                    next.add(new Interval(piece.t0, piece.t1, affine.apply(piece.p, true), affine.apply(piece.q, false)));
                } else {
                    splitAtKinks((PiecewiseNetwork.Activation) step, piece, next, causes);
                }
            }
            pieces = next;
        }

        List<SegmentRegions.Piece> out = new ArrayList<>(pieces.size());
        for (Interval piece : pieces) {
            out.add(new SegmentRegions.Piece(piece.t0, piece.t1, piece.q, piece.p));
        }
        List<SegmentRegions.Breakpoint> breakpoints = new ArrayList<>();
        double maxContinuity = 0;
        for (int k = 1; k < out.size(); k++) {
            double t = out.get(k).tStart();
            double[] left = out.get(k - 1).outputs(t);
            double[] right = out.get(k).outputs(t);
            double err = 0;
            for (int o = 0; o < left.length; o++) {
                err = Math.max(err, Math.abs(left[o] - right[o]));
            }
            maxContinuity = Math.max(maxContinuity, err);
            double[] point = new double[origin.length];
            for (int i = 0; i < point.length; i++) {
                point[i] = origin[i] + t * direction[i];
            }
            breakpoints.add(new SegmentRegions.Breakpoint(t, point, causes.get(t), err));
        }
        SegmentRegions result = new SegmentRegions(out, breakpoints, maxContinuity, 0, Double.NaN);
        if (samples <= 0) {
            return result;
        }
        double[] ts = new double[samples];
        for (int i = 0; i < samples; i++) {
            ts[i] = samples == 1 ? 0.5 : (double) i / (samples - 1);
        }
        double[][] actual = evaluate(model, a.shape(), origin, direction, null, ts, null);
        double maxErr = 0;
        for (int i = 0; i < samples; i++) {
            double[] exact = result.outputs(ts[i]);
            for (int o = 0; o < exact.length; o++) {
                maxErr = Math.max(maxErr, Math.abs(exact[o] - actual[i][o]));
            }
        }
        return new SegmentRegions(out, breakpoints, maxContinuity, samples, maxErr);
    }

    /** A piece [t0, t1] on which the current layer's values are p + q t. */
    private record Interval(double t0, double t1, double[] p, double[] q) {
    }

    private static void splitAtKinks(PiecewiseNetwork.Activation act, Interval piece, List<Interval> out,
                                     Map<Double, String> causes) {
        int units = act.inUnits;
        PiecewiseLinear f = act.function;
        double t0 = piece.t0;
        double t1 = piece.t1;
        // crossing[j][i]: where unit j meets its i-th breakpoint, snapped onto the split point it was merged with.
        double[][] crossing = new double[units][];
        List<double[]> interior = new ArrayList<>();
        for (int j = 0; j < units; j++) {
            double[] beta = f.breakpoints(act.channel[j]);
            crossing[j] = new double[beta.length];
            for (int i = 0; i < beta.length; i++) {
                double q = piece.q[j];
                double t = q == 0 ? Double.NaN : (beta[i] - piece.p[j]) / q;
                if (Math.abs(t - t0) <= T_RESOLUTION) {
                    t = t0;
                } else if (Math.abs(t - t1) <= T_RESOLUTION) {
                    t = t1;
                } else if (t > t0 && t < t1) {
                    interior.add(new double[] {t, j, i});
                }
                crossing[j][i] = t;
            }
        }
        interior.sort((x, y) -> Double.compare(x[0], y[0]));
        double[] splits = new double[interior.size() + 2];
        int count = 0;
        splits[count++] = t0;
        for (double[] c : interior) {
            int j = (int) c[1];
            int i = (int) c[2];
            if (c[0] - splits[count - 1] > T_RESOLUTION || count == 1) {
                splits[count++] = c[0];
                causes.putIfAbsent(c[0], act.label + " unit " + j);
            }
            crossing[j][i] = splits[count - 1];
        }
        if (t1 - splits[count - 1] <= T_RESOLUTION && count > 1) {
            // The last cluster sits on t1: merge it there.
            double last = splits[--count];
            causes.remove(last);
            for (double[] c : interior) {
                if (crossing[(int) c[1]][(int) c[2]] == last) {
                    crossing[(int) c[1]][(int) c[2]] = t1;
                }
            }
        }
        splits[count++] = t1;
        for (int k = 0; k + 1 < count; k++) {
            double mid = 0.5 * (splits[k] + splits[k + 1]);
            double[] p = new double[units];
            double[] q = new double[units];
            for (int j = 0; j < units; j++) {
                int ch = act.channel[j];
                double[] beta = f.breakpoints(ch);
                double qj = piece.q[j];
                int region = 0;
                for (int i = 0; i < beta.length; i++) {
                    // Decided by comparing t with the split points themselves, so the choice is consistent with
                    // the pieces even where z_j is within rounding of the kink.
                    boolean above = qj > 0 ? mid > crossing[j][i] : qj < 0 ? mid < crossing[j][i] : piece.p[j] > beta[i];
                    region += above ? 1 : 0;
                }
                double s = f.slope(ch, region);
                p[j] = s * piece.p[j] + f.intercept(ch, region);
                q[j] = s * qj;
            }
            out.add(new Interval(splits[k], splits[k + 1], p, q));
        }
    }

    /** The regions of the window [-0.25, 1.25]^2 of the plane through a, b, c, checked on a 41 x 41 grid. */
    public static PlaneRegions onPlane(Layer model, Tensor a, Tensor b, Tensor c) {
        return onPlane(model, a, b, c, -0.25, 1.25, -0.25, 1.25, DEFAULT_GRID);
    }

    /**
     * The exact partition of the window uMin &lt;= u &lt;= uMax, vMin &lt;= v &lt;= vMax of the plane
     * x(u, v) = a + u (b - a) + v (c - a) into linear regions, checked against the network on a grid of
     * {@code grid} x {@code grid} points (0 skips the check).
     */
    public static PlaneRegions onPlane(Layer model, Tensor a, Tensor b, Tensor c, double uMin, double uMax,
                                       double vMin, double vMax, int grid) {
        return onPlane(model, a, b, c, uMin, uMax, vMin, vMax, grid, m -> null);
    }

    static PlaneRegions onPlane(Layer model, Tensor a, Tensor b, Tensor c, double uMin, double uMax, double vMin,
                                double vMax, int grid, Function<Layer, PiecewiseLinear> extra) {
        sameShape("onPlane", a, b);
        sameShape("onPlane", a, c);
        if (!(uMin < uMax && vMin < vMax)) {
            throw new IllegalArgumentException("LinearRegions.onPlane: the window needs uMin < uMax and vMin < vMax, "
                    + "got [" + uMin + ", " + uMax + "] x [" + vMin + ", " + vMax + "]");
        }
        PiecewiseNetwork net = PiecewiseNetwork.of(WHO, model, a.shape(), extra);
        double[] origin = a.toDoubleArray();
        double[] du = b.toDoubleArray();
        double[] dv = c.toDoubleArray();
        for (int i = 0; i < origin.length; i++) {
            du[i] -= origin[i];
            dv[i] -= origin[i];
        }
        List<PlaneRegions.Region> regions = new ArrayList<>();
        descend(net, 0, ConvexPolygon.rectangle(uMin, uMax, vMin, vMax), origin, du, dv, new byte[0], regions);
        PlaneRegions result = new PlaneRegions(regions, uMin, uMax, vMin, vMax, 0, Double.NaN);
        if (grid <= 0) {
            return result;
        }
        int n = grid * grid;
        double[] us = new double[n];
        double[] vs = new double[n];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                us[i * grid + j] = grid == 1 ? 0.5 * (uMin + uMax) : uMin + (uMax - uMin) * j / (grid - 1);
                vs[i * grid + j] = grid == 1 ? 0.5 * (vMin + vMax) : vMin + (vMax - vMin) * i / (grid - 1);
            }
        }
        double[][] actual = evaluate(model, a.shape(), origin, du, dv, us, vs);
        double maxErr = 0;
        for (int k = 0; k < n; k++) {
            PlaneRegions.Region r = result.regionAt(us[k], vs[k]);
            double[] exact = r.outputs(us[k], vs[k]);
            for (int o = 0; o < exact.length; o++) {
                maxErr = Math.max(maxErr, Math.abs(exact[o] - actual[k][o]));
            }
        }
        return new PlaneRegions(regions, uMin, uMax, vMin, vMax, n, maxErr);
    }

    /**
     * Pushes one polygon, on which the values before step {@code index} are p + qu u + qv v, through the rest of
     * the network, depth first (so only one path of maps is alive at a time, whatever the number of regions).
     */
    private static void descend(PiecewiseNetwork net, int index, ConvexPolygon polygon, double[] p, double[] qu,
                                double[] qv, byte[] pattern, List<PlaneRegions.Region> out) {
        int k = index;
        while (k < net.steps.size() && net.steps.get(k) instanceof PiecewiseNetwork.Affine affine) {
            p = affine.apply(p, true);
            qu = affine.apply(qu, false);
            qv = affine.apply(qv, false);
            k++;
        }
        if (k == net.steps.size()) {
            out.add(new PlaneRegions.Region(polygon.u, polygon.v, pattern, p, qu, qv));
            return;
        }
        PiecewiseNetwork.Activation act = (PiecewiseNetwork.Activation) net.steps.get(k);
        PiecewiseLinear f = act.function;
        int units = act.inUnits;
        double extent = polygon.extent();
        List<ConvexPolygon> parts = new ArrayList<>();
        List<byte[]> pieceIndex = new ArrayList<>();
        parts.add(polygon);
        pieceIndex.add(new byte[units]);
        for (int j = 0; j < units; j++) {
            double[] beta = f.breakpoints(act.channel[j]);
            for (double b : beta) {
                if (qu[j] == 0 && qv[j] == 0) {
                    if (p[j] > b) {
                        for (byte[] idx : pieceIndex) {
                            idx[j]++;
                        }
                    }
                    continue;
                }
                double tol = T_RESOLUTION * (Math.abs(p[j]) + Math.abs(b) + (Math.abs(qu[j]) + Math.abs(qv[j])) * extent);
                List<ConvexPolygon> nextParts = new ArrayList<>(parts.size() + 8);
                List<byte[]> nextIndex = new ArrayList<>(parts.size() + 8);
                for (int r = 0; r < parts.size(); r++) {
                    ConvexPolygon[] halves = parts.get(r).split(p[j] - b, qu[j], qv[j], tol);
                    byte[] idx = pieceIndex.get(r);
                    if (halves[0] != null) {
                        nextParts.add(halves[0]);
                        nextIndex.add(idx);
                    }
                    if (halves[1] != null) {
                        byte[] above = halves[0] != null ? idx.clone() : idx;
                        above[j]++;
                        nextParts.add(halves[1]);
                        nextIndex.add(above);
                    }
                }
                parts = nextParts;
                pieceIndex = nextIndex;
            }
        }
        for (int r = 0; r < parts.size(); r++) {
            byte[] idx = pieceIndex.get(r);
            double[] np = new double[units];
            double[] nu = new double[units];
            double[] nv = new double[units];
            for (int j = 0; j < units; j++) {
                int ch = act.channel[j];
                double s = f.slope(ch, idx[j]);
                np[j] = s * p[j] + f.intercept(ch, idx[j]);
                nu[j] = s * qu[j];
                nv[j] = s * qv[j];
            }
            byte[] nextPattern = Arrays.copyOf(pattern, pattern.length + units);
            System.arraycopy(idx, 0, nextPattern, pattern.length, units);
            descend(net, k + 1, parts.get(r), np, nu, nv, nextPattern, out);
        }
    }

    /** Runs the network in float64 on x = origin + s du (+ r dv) for each sample; returns one row per sample. */
    private static double[][] evaluate(Layer model, int[] exampleShape, double[] origin, double[] du, double[] dv,
                                       double[] s, double[] r) {
        int n = s.length;
        int d = origin.length;
        double[] x = new double[n * d];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < d; i++) {
                x[k * d + i] = origin[i] + s[k] * du[i] + (dv == null ? 0.0 : r[k] * dv[i]);
            }
        }
        int[] batchShape = new int[exampleShape.length + 1];
        batchShape[0] = n;
        System.arraycopy(exampleShape, 0, batchShape, 1, exampleShape.length);
        Tensor y;
        try (Autograd.Scope g = Autograd.noGrad()) {
            y = model.forward(Tensor.wrap(x, batchShape)).toType(DType.FLOAT64);
        }
        double[] flat = y.toDoubleArray();
        int outputs = flat.length / n;
        double[][] rows = new double[n][];
        for (int k = 0; k < n; k++) {
            rows[k] = Arrays.copyOfRange(flat, k * outputs, (k + 1) * outputs);
        }
        return rows;
    }

    private static void sameShape(String method, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("LinearRegions." + method + ": the inputs must be single examples of "
                    + "the same shape, got " + Shape.toString(a.shape()) + " and " + Shape.toString(b.shape()));
        }
    }
}
