package perceptron.plot;

import java.util.function.UnaryOperator;
import perceptron.io.InvalidInputException;
import perceptron.ops.Activations;
import perceptron.tensor.Tensor;

/**
 * An activation sampled on a grid: x, f(x) and f'(x), the derivative by autograd exactly as d2l computes it
 * ({@code y.backward(torch.ones_like(x))}), in float64.
 *
 * @param name the function's name (canonical for a named activation)
 */
public record ActivationCurve(String name, double[] x, double[] y, double[] dydx) {

    /**
     * A named activation ({@code Activations.byName}, default parameters) on [from, to) in steps of
     * {@code step}, like {@code arange} (the end is excluded).
     *
     * @throws IllegalArgumentException for an unknown name (listing the valid ones) or an empty or huge grid
     */
    public static ActivationCurve of(String name, double from, double to, double step) {
        String canonical;
        try {
            canonical = Activations.canonicalName(name);
        } catch (IllegalArgumentException unknown) {
            throw new InvalidInputException(unknown.getMessage(), unknown);
        }
        return of(canonical, Activations.byName(canonical), from, to, step);
    }

    /** Any elementwise function of a tensor. */
    public static ActivationCurve of(String name, UnaryOperator<Tensor> f, double from, double to, double step) {
        if (!(step > 0) || !(to > from) || !Double.isFinite(from) || !Double.isFinite(to)) {
            throw new InvalidInputException("need from < to and step > 0 (all finite), got from " + from + ", to "
                    + to + ", step " + step);
        }
        if ((to - from) / step > 10_000_000) {
            throw new InvalidInputException("from " + from + " to " + to + " in steps of " + step + " is more than "
                    + "10 million points; use a larger step");
        }
        Tensor x = Tensor.of(grid(from, to, step)).requiresGrad();
        Tensor y = f.apply(x);
        if (y.size() != x.size()) {
            throw new IllegalArgumentException(name + " is not elementwise: " + x.size() + " inputs gave " + y.size()
                    + " outputs");
        }
        double[] dydx;
        if (y.isRequiresGrad()) {
            y.backward(Tensor.onesLike(y));
            dydx = x.grad() == null ? new double[x.size()] : x.grad().toDoubleArray();
        } else {
            dydx = new double[x.size()];
        }
        return new ActivationCurve(name, x.detach().toDoubleArray(), y.detach().toDoubleArray(), dydx);
    }

    /**
     * from, from + step, ... below to, each the double nearest to its decimal value: from + i step is computed in
     * decimal, so a grid of tenths prints as -7.7 rather than -7.699999999999999 (which -8 + 3 * 0.1 gives).
     */
    static double[] grid(double from, double to, double step) {
        java.math.BigDecimal start = java.math.BigDecimal.valueOf(from);
        java.math.BigDecimal by = java.math.BigDecimal.valueOf(step);
        java.math.BigDecimal end = java.math.BigDecimal.valueOf(to);
        int n = end.subtract(start).divide(by, 0, java.math.RoundingMode.CEILING).intValueExact();
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = start.add(by.multiply(java.math.BigDecimal.valueOf(i))).doubleValue();
        }
        return x;
    }

    /** "x,f(x),f'(x)" then one line per point, full float64 precision (Java's shortest round-trip form). */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(x.length * 48);
        sb.append("x,").append(name).append("(x),").append(name).append("'(x)\n");
        for (int i = 0; i < x.length; i++) {
            sb.append(x[i]).append(',').append(y[i]).append(',').append(dydx[i]).append('\n');
        }
        return sb.toString();
    }
}
