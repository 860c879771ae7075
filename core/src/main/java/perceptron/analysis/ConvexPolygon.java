package perceptron.analysis;

import java.util.Arrays;

/**
 * A convex polygon in the (u, v) plane, vertices counter-clockwise, and its split by a line f(u, v) = 0 where f
 * is affine: the Sutherland-Hodgman step for one half-plane, done for both halves at once.
 */
final class ConvexPolygon {
    final double[] u;
    final double[] v;

    ConvexPolygon(double[] u, double[] v) {
        this.u = u;
        this.v = v;
    }

    static ConvexPolygon rectangle(double uMin, double uMax, double vMin, double vMax) {
        return new ConvexPolygon(new double[] {uMin, uMax, uMax, uMin}, new double[] {vMin, vMin, vMax, vMax});
    }

    int size() {
        return u.length;
    }

    /**
     * Splits along f = c + cu u + cv v = 0. Returns {negative part, positive part}; a part is null when the
     * polygon does not reach that side. Vertices with |f| &lt;= tol count as on the line: they go to both parts,
     * so a line through an existing vertex (three concurrent lines) makes no sliver.
     */
    ConvexPolygon[] split(double c, double cu, double cv, double tol) {
        int n = u.length;
        double[] f = new double[n];
        boolean anyPos = false;
        boolean anyNeg = false;
        for (int i = 0; i < n; i++) {
            double fi = c + cu * u[i] + cv * v[i];
            f[i] = Math.abs(fi) <= tol ? 0.0 : fi;
            anyPos |= f[i] > 0;
            anyNeg |= f[i] < 0;
        }
        if (!anyNeg) {
            return new ConvexPolygon[] {null, this};
        }
        if (!anyPos) {
            return new ConvexPolygon[] {this, null};
        }
        double[] nu = new double[n + 2];
        double[] nv = new double[n + 2];
        double[] pu = new double[n + 2];
        double[] pv = new double[n + 2];
        int nn = 0;
        int np = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            if (f[i] <= 0) {
                nu[nn] = u[i];
                nv[nn++] = v[i];
            }
            if (f[i] >= 0) {
                pu[np] = u[i];
                pv[np++] = v[i];
            }
            if ((f[i] < 0 && f[j] > 0) || (f[i] > 0 && f[j] < 0)) {
                double s = f[i] / (f[i] - f[j]);
                double xu = u[i] + s * (u[j] - u[i]);
                double xv = v[i] + s * (v[j] - v[i]);
                nu[nn] = xu;
                nv[nn++] = xv;
                pu[np] = xu;
                pv[np++] = xv;
            }
        }
        ConvexPolygon neg = nn >= 3 ? new ConvexPolygon(Arrays.copyOf(nu, nn), Arrays.copyOf(nv, nn)) : null;
        ConvexPolygon pos = np >= 3 ? new ConvexPolygon(Arrays.copyOf(pu, np), Arrays.copyOf(pv, np)) : null;
        return new ConvexPolygon[] {neg, pos};
    }

    /** Largest |u| and |v| of the vertices, to scale tolerances. */
    double extent() {
        double m = 0;
        for (int i = 0; i < u.length; i++) {
            m = Math.max(m, Math.max(Math.abs(u[i]), Math.abs(v[i])));
        }
        return m;
    }
}
