package perceptron.analysis;

import java.util.List;

/**
 * The exact partition of a window of the plane x(u, v) = a + u (b - a) + v (c - a) into linear regions, as
 * computed by {@link LinearRegions#onPlane}: convex polygons on each of which the activation pattern is constant
 * and every output is y_o = intercepts[o] + du[o] u + dv[o] v. The anchors a, b, c sit at (u, v) = (0, 0), (1, 0)
 * and (0, 1).
 *
 * @param regions          the regions (no two share an activation pattern)
 * @param uMin             the window: uMin &lt;= u &lt;= uMax, vMin &lt;= v &lt;= vMax
 * @param samples          grid points at which the network was compared with the regions' maps (0: none)
 * @param maxSamplingError largest |network(x(u, v)) - region map(u, v)| over those points (NaN without samples)
 */
public record PlaneRegions(List<Region> regions, double uMin, double uMax, double vMin, double vMax, int samples,
                           double maxSamplingError) {

    /**
     * One linear region.
     *
     * @param u          vertex coordinates, counter-clockwise
     * @param v          vertex coordinates
     * @param pattern    for every unit of every activation layer (in order), the index of the linear piece of its
     *                   activation it is on (for ReLU: 0 inactive, 1 active)
     * @param intercepts output values at (0, 0) of this region's affine map
     * @param du         d output / du
     * @param dv         d output / dv
     */
    public record Region(double[] u, double[] v, byte[] pattern, double[] intercepts, double[] du, double[] dv) {
        /** Area by the shoelace formula. */
        public double area() {
            double s = 0;
            int n = u.length;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                s += u[i] * v[j] - u[j] * v[i];
            }
            return 0.5 * Math.abs(s);
        }

        /** Whether (pu, pv) lies inside or on the boundary (to tol). */
        public boolean contains(double pu, double pv, double tol) {
            int n = u.length;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                double cross = (u[j] - u[i]) * (pv - v[i]) - (v[j] - v[i]) * (pu - u[i]);
                if (cross < -tol) {
                    return false;
                }
            }
            return true;
        }

        public double[] outputs(double pu, double pv) {
            double[] y = new double[intercepts.length];
            for (int o = 0; o < y.length; o++) {
                y[o] = intercepts[o] + du[o] * pu + dv[o] * pv;
            }
            return y;
        }

        /** Number of units active (on a piece other than the lowest), e.g. for colouring. */
        public int activeUnits() {
            int n = 0;
            for (byte b : pattern) {
                n += b > 0 ? 1 : 0;
            }
            return n;
        }
    }

    public PlaneRegions {
        regions = List.copyOf(regions);
    }

    public int count() {
        return regions.size();
    }

    /** The region containing (u, v), or null outside the window. */
    public Region regionAt(double u, double v) {
        double tol = 1e-12 * Math.max(1, Math.max(uMax - uMin, vMax - vMin));
        for (Region r : regions) {
            if (r.contains(u, v, tol)) {
                return r;
            }
        }
        return null;
    }

    /** Sum of the regions' areas; equals the window's area up to rounding. */
    public double totalArea() {
        double s = 0;
        for (Region r : regions) {
            s += r.area();
        }
        return s;
    }
}
