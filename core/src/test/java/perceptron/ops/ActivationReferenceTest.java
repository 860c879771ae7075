package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Every activation against PyTorch 1.13 on the shared grid of tools/reference/activations.py (-8 .. 8 by 1/4,
 * every kink, small values, and up to +-1e4), in float64 and float32: values, first derivatives and second
 * derivatives, all by autograd on both sides. Prints the worst differences.
 */
class ActivationReferenceTest {

    /** Tolerance |ours - torch| &lt;= atol + rtol |torch| for value, first and second derivative. */
    private record Tolerance(double atol, double rtol) {
    }

    private static final Tolerance FLOAT64 = new Tolerance(1e-14, 1e-12);
    // PyTorch computes float32 in float32 (we compute in float64 and round once); its own error sets the bound,
    // e.g. gelu(-5) = x (1 + erf(x / sqrt 2)) / 2 loses most digits of 1 + erf in float32.
    private static final Tolerance FLOAT32 = new Tolerance(2e-6, 4e-6);

    /** Where PyTorch's float64 result is itself rounded coarser than ours, and why. */
    private static Tolerance float64Derivative(String function) {
        // PyTorch 1.13's hardsigmoid_backward multiplies by the float constant 1/6 even in float64
        // (0.1666666716337204): 5e-9 away from 1/6.
        return function.equals("hardSigmoid") ? new Tolerance(1e-14, 1e-7) : FLOAT64;
    }

    @Test
    void valuesAndDerivativesMatchPyTorchOnTheSharedGrid() {
        Map<String, List<ActivationReference.Row>> byFunction = new LinkedHashMap<>();
        for (ActivationReference.Row row : ActivationReference.grid()) {
            byFunction.computeIfAbsent(row.function() + " " + row.dtype().displayName(), k -> new ArrayList<>())
                    .add(row);
        }
        assertEquals(2 * ActivationReference.FUNCTIONS.size(), byFunction.size(),
                "every function of the fixture is mapped to a Java call, in both dtypes");
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder(String.format("%-16s %-8s %12s %12s %12s%n", "function", "dtype",
                "f", "f'", "f''"));
        double[] worstOverall = new double[2];
        for (List<ActivationReference.Row> rows : byFunction.values()) {
            String function = rows.get(0).function();
            DType dtype = rows.get(0).dtype();
            UnaryOperator<Tensor> f = ActivationReference.FUNCTIONS.get(function);
            double[] xs = rows.stream().mapToDouble(ActivationReference.Row::x).toArray();
            Tensor x = Tensor.of(xs).toType(dtype);
            Tensor[] ours = ActivationReference.valueAndDerivatives(f, x);
            double[] y = ours[0].toDoubleArray();
            double[] dy = ours[1].toDoubleArray();
            double[] d2y = ours[2].toDoubleArray();
            double[] worst = new double[3];
            for (int i = 0; i < rows.size(); i++) {
                ActivationReference.Row r = rows.get(i);
                double expectedDy = r.dydx();
                if (function.equals("maximum(x,0)") && r.x() == 0) {
                    // Our one deliberate difference: PyTorch splits the tie 1/2, 1/2; we give it to the constant.
                    assertEquals(0.5, expectedDy, "PyTorch's tie rule is what the fixture recorded");
                    expectedDy = 0.0;
                }
                Tolerance t = dtype == DType.FLOAT32 ? FLOAT32 : FLOAT64;
                Tolerance td = dtype == DType.FLOAT32 ? FLOAT32 : float64Derivative(function);
                check(failures, worst, 0, function, dtype, r.x(), "f", y[i], r.y(), t);
                check(failures, worst, 1, function, dtype, r.x(), "f'", dy[i], expectedDy, td);
                if (!Double.isNaN(r.d2ydx2()) && !atSoftplusThreshold(function, r.x())) {
                    // NaN: PyTorch 1.13 has no double backward for this one (hardsigmoid)
                    check(failures, worst, 2, function, dtype, r.x(), "f''", d2y[i], r.d2ydx2(), td);
                }
            }
            int k = dtype == DType.FLOAT32 ? 1 : 0;
            worstOverall[k] = Math.max(worstOverall[k], Math.max(worst[0], worst[1]));
            report.append(String.format("%-16s %-8s %12.3g %12.3g %12.3g%n", function, dtype.displayName(),
                    worst[0], worst[1], worst[2]));
        }
        System.out.println("worst |ours - PyTorch| / max(1, |PyTorch|) per function:");
        System.out.print(report);
        System.out.printf("worst over all functions, f and f': float64 %.3g, float32 %.3g%n", worstOverall[0],
                worstOverall[1]);
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first ones:\n"
                + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
    }

    /**
     * At exactly beta x == threshold PyTorch's softplus backward takes the sigmoid branch (it tests
     * beta x &gt; threshold) but its double backward tests beta x &lt; threshold and gives 0. Ours is the derivative
     * of the f' it computed, beta s (1 - s) (2e-9 at the default threshold 20). Documented in docs/activations.md.
     */
    private static boolean atSoftplusThreshold(String function, double x) {
        return (function.equals("softplus") && x == 20.0) || (function.equals("softplus(2,5)") && x == 2.5);
    }

    private static void check(List<String> failures, double[] worst, int k, String function, DType dtype, double x,
                              String what, double ours, double torch, Tolerance t) {
        double diff = Math.abs(ours - torch) / Math.max(1.0, Math.abs(torch));
        if (Double.isFinite(diff)) {
            worst[k] = Math.max(worst[k], diff);
        }
        if (!ActivationReference.close(ours, torch, t.atol(), t.rtol())) {
            failures.add(function + " " + dtype.displayName() + " " + what + "(" + x + "): ours " + ours + ", PyTorch "
                    + torch);
        }
    }

    @Test
    void preluMatchesPyTorchWithSharedAndPerChannelAlpha() {
        Map<String, Tensor> ref = ActivationReference.tensors();
        for (String name : List.of("prelu.shared", "prelu.channels")) {
            Tensor x = ref.get(name + ".x").requiresGrad();
            Tensor alpha = ref.get(name + ".alpha").requiresGrad();
            Tensor y = Activations.prelu(x, alpha);
            y.mul(ref.get(name + ".w")).sum().backward();
            double e = Math.max(maxDiff(y, ref.get(name + ".y")),
                    Math.max(maxDiff(x.grad(), ref.get(name + ".gx")), maxDiff(alpha.grad(), ref.get(name + ".galpha"))));
            System.out.printf("%s: worst |ours - PyTorch| over y, dx, dalpha = %.3g%n", name, e);
            assertTrue(e < 1e-14, name + ": " + e);
            assertEquals(alpha.shape().length, alpha.grad().shape().length, "alpha's gradient has alpha's shape");
        }
    }

    @Test
    void softmaxAndLogSoftmaxMatchPyTorchAlongEveryAxis() {
        Map<String, Tensor> ref = ActivationReference.tensors();
        double worst = 0;
        for (String function : List.of("softmax", "logSoftmax")) {
            for (int axis = 0; axis < 3; axis++) {
                Tensor x = ref.get("softmax.x").detach().copy().requiresGrad();
                Tensor y = function.equals("softmax") ? x.softmax(axis) : x.logSoftmax(axis);
                y.mul(ref.get("softmax.w")).sum().backward();
                double ey = maxRelDiff(y, ref.get(function + "." + axis + ".y"));
                double eg = maxRelDiff(x.grad(), ref.get(function + "." + axis + ".gx"));
                worst = Math.max(worst, Math.max(ey, eg));
                assertTrue(ey < 1e-13 && eg < 1e-13, function + " axis " + axis + ": " + ey + ", " + eg);
            }
        }
        System.out.printf("softmax, logSoftmax (with +-1e4 inputs): worst |ours - PyTorch| / max(1, |PyTorch|) = %.3g%n",
                worst);
    }

    private static double maxDiff(Tensor a, Tensor b) {
        assertEquals(b.size(), a.size());
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    private static double maxRelDiff(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]) / Math.max(1.0, Math.abs(y[i])));
        }
        return m;
    }
}
