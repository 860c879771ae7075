package perceptron.analysis;

import java.util.List;
import java.util.Locale;

/**
 * The exact linear pieces of a network restricted to the segment x(t) = a + t (b - a), t in [0, 1], as computed
 * by {@link LinearRegions#along}. On piece k (tStart &lt;= t &lt;= tEnd) every output is an affine function of t:
 * y_o(t) = intercepts[o] + slopes[o] t. Breakpoints are the t where some unit's pre-activation crosses a kink.
 *
 * @param pieces             the pieces in order of t; the first starts at 0, the last ends at 1
 * @param breakpoints        the interior breakpoints in increasing t (one fewer than the pieces)
 * @param maxContinuityError largest |left limit - right limit| of any output at any breakpoint
 * @param samples            how many evenly spaced t the network was evaluated at for the sampling check (0: none)
 * @param maxSamplingError   largest |network(x(t)) - piece map(t)| over those samples (NaN without samples)
 */
public record SegmentRegions(List<Piece> pieces, List<Breakpoint> breakpoints, double maxContinuityError,
                             int samples, double maxSamplingError) {

    /** One piece: every output is intercepts[o] + slopes[o] t for t in [tStart, tEnd]. */
    public record Piece(double tStart, double tEnd, double[] slopes, double[] intercepts) {
        /** The outputs at t (evaluated with this piece's affine map). */
        public double[] outputs(double t) {
            double[] y = new double[slopes.length];
            for (int o = 0; o < y.length; o++) {
                y[o] = intercepts[o] + slopes[o] * t;
            }
            return y;
        }
    }

    /**
     * A kink of the network along the segment.
     *
     * @param t               where on the segment
     * @param point           the input x(t), flattened
     * @param cause           the first unit found to cross a kink there, e.g. "layer 2 (ReLU) unit 17"
     * @param continuityError largest |left limit - right limit| over the outputs
     */
    public record Breakpoint(double t, double[] point, String cause, double continuityError) {
    }

    public SegmentRegions {
        pieces = List.copyOf(pieces);
        breakpoints = List.copyOf(breakpoints);
    }

    public int pieceCount() {
        return pieces.size();
    }

    public int outputs() {
        return pieces.get(0).slopes().length;
    }

    /** The piece containing t (the left one at a breakpoint). */
    public Piece pieceAt(double t) {
        int lo = 0;
        int hi = pieces.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pieces.get(mid).tEnd() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return pieces.get(lo);
    }

    /** The network's outputs at x(t), from the exact piecewise-affine form. */
    public double[] outputs(double t) {
        return pieceAt(t).outputs(t);
    }

    /** A printable table: one line per piece with its t range and the slope of each output (at most maxRows). */
    public String table(int maxRows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d pieces, %d breakpoints; max continuity error %.3g; "
                        + "max error against %d samples %.3g%n", pieceCount(), breakpoints.size(), maxContinuityError,
                samples, maxSamplingError));
        sb.append(String.format(Locale.ROOT, "%5s %12s %12s  %s%n", "piece", "t from", "t to", "slope dy/dt of each output"));
        for (int k = 0; k < pieces.size() && k < maxRows; k++) {
            Piece p = pieces.get(k);
            sb.append(String.format(Locale.ROOT, "%5d %12.9f %12.9f ", k, p.tStart(), p.tEnd()));
            for (double s : p.slopes()) {
                sb.append(String.format(Locale.ROOT, " %10.4g", s));
            }
            sb.append('\n');
        }
        if (pieces.size() > maxRows) {
            sb.append("... ").append(pieces.size() - maxRows).append(" more pieces\n");
        }
        return sb.toString();
    }
}
