package perceptron.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * The kink table of docs/activations.md is the truth: every activation is evaluated by autograd at exactly 0 and
 * at its other kinks, in float64 and float32, and must give the table's f(x) and f'(x); the table's PyTorch column
 * must match the PyTorch fixture. A change of convention therefore has to change the docs too.
 */
class ActivationKinkTest {

    /** One row of the table. */
    private record Kink(String function, double x, double value, double derivative, double pytorch) {
    }

    static Path docs() {
        for (Path p : List.of(Path.of("..", "docs", "activations.md"), Path.of("docs", "activations.md"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("docs/activations.md not found from " + Path.of("").toAbsolutePath());
    }

    private static List<Kink> table() throws IOException {
        List<String> lines = Files.readAllLines(docs(), StandardCharsets.UTF_8);
        List<Kink> rows = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith("<!-- kink-table")) {
                inside = true;
            } else if (line.startsWith("<!-- /kink-table")) {
                inside = false;
            } else if (inside && line.startsWith("|") && !line.startsWith("|---") && !line.startsWith("| function")) {
                String[] cells = line.split("\\|");
                rows.add(new Kink(cells[1].trim(), number(cells[2]), number(cells[3]), number(cells[4]),
                        number(cells[5])));
            }
        }
        assertTrue(rows.size() > 20, "the kink table in docs/activations.md has " + rows.size() + " rows");
        return rows;
    }

    /** A decimal or a fraction p/q. */
    private static double number(String cell) {
        String s = cell.trim();
        int slash = s.indexOf('/');
        if (slash > 0) {
            return Double.parseDouble(s.substring(0, slash)) / Double.parseDouble(s.substring(slash + 1));
        }
        return Double.parseDouble(s);
    }

    @Test
    void everyActivationIsInTheKinkTableAtZero() throws IOException {
        Set<String> atZero = new HashSet<>();
        for (Kink k : table()) {
            if (k.x() == 0) {
                atZero.add(k.function());
            }
        }
        for (String name : Activations.names()) {
            assertTrue(atZero.contains(name), name + " has no row at x = 0 in the kink table of docs/activations.md");
        }
    }

    @Test
    void kinkTableMatchesTheCodeInBothDtypes() throws IOException {
        for (Kink k : table()) {
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                double[] ours = evaluate(k.function(), k.x(), dtype);
                // float64: exact up to the rounding of the table's decimals; float32: one rounding of the result.
                double tol = dtype == DType.FLOAT64 ? 1e-15 : 1.2e-7;
                String where = k.function() + " at x = " + k.x() + " (" + dtype.displayName() + ")";
                assertEquals(k.value(), ours[0], tol * Math.max(1, Math.abs(k.value())), where + ": f(x)");
                assertEquals(k.derivative(), ours[1], tol * Math.max(1, Math.abs(k.derivative())), where + ": f'(x)");
            }
        }
    }

    @Test
    void kinkTablePyTorchColumnMatchesThePyTorchFixture() throws IOException {
        List<ActivationReference.Row> grid = ActivationReference.grid();
        int checked = 0;
        for (Kink k : table()) {
            for (ActivationReference.Row r : grid) {
                if (r.function().equals(k.function()) && r.dtype() == DType.FLOAT64 && r.x() == k.x()
                        && Double.doubleToRawLongBits(r.x()) == Double.doubleToRawLongBits(k.x())) {
                    // 1e-7: PyTorch's hardsigmoid derivative is a float 1/6 even in float64.
                    assertEquals(k.pytorch(), r.dydx(), 1e-7, k.function() + " at " + k.x() + ": PyTorch column");
                    assertEquals(k.value(), r.y(), 1e-15 * Math.max(1, Math.abs(k.value())),
                            k.function() + " at " + k.x() + ": f(x) per PyTorch");
                    checked++;
                }
            }
        }
        assertTrue(checked >= table().size() - 1, "rows checked against PyTorch: " + checked); // all but d/dalpha
    }

    /** f(x) and f'(x) by autograd; for "prelu, d/dalpha" the derivative is with respect to alpha (0.25). */
    private static double[] evaluate(String function, double x, DType dtype) {
        Tensor in = Tensor.full(dtype, x, 1).requiresGrad();
        if (function.equals("prelu, d/dalpha")) {
            Tensor alpha = Tensor.full(dtype, 0.25, 1).requiresGrad();
            Tensor y = Activations.prelu(in, alpha);
            y.sum().backward();
            return new double[] {y.item(), alpha.grad().item()};
        }
        UnaryOperator<Tensor> f = ActivationReference.FUNCTIONS.get(function);
        assertTrue(f != null, "kink table: unknown function '" + function + "'");
        Tensor y = f.apply(in);
        y.sum().backward();
        return new double[] {y.item(), in.grad().item()};
    }

    // ---- the tie rule of maximum and minimum --------------------------------------------------------------

    @Test
    void scratchReluFromMaximumAgreesWithReluEverywhereIncludingZero() {
        Tensor x = Tensor.of(-2.0, -0.0, 0.0, 1e-300, 3.0).requiresGrad();
        x.maximum(Tensor.zerosLike(x)).sum().backward();
        Tensor scratch = x.grad();
        Tensor x2 = Tensor.of(-2.0, -0.0, 0.0, 1e-300, 3.0).requiresGrad();
        x2.relu().sum().backward();
        assertEquals(List.of(0.0, 0.0, 0.0, 1.0, 1.0), boxed(scratch.toDoubleArray()));
        assertEquals(boxed(x2.grad().toDoubleArray()), boxed(scratch.toDoubleArray()));
    }

    @Test
    void maximumTiesGoToTheSecondArgumentAndStillSumToOne() {
        Tensor a = Tensor.of(1.0, 2.0, 3.0).requiresGrad();
        Tensor b = Tensor.of(1.0, 5.0, 0.0).requiresGrad();
        a.maximum(b).sum().backward();
        assertEquals(List.of(0.0, 0.0, 1.0), boxed(a.grad().toDoubleArray()));
        assertEquals(List.of(1.0, 1.0, 0.0), boxed(b.grad().toDoubleArray()));

        Tensor x = Tensor.of(-1.0, 0.0, 2.0).requiresGrad();
        x.maximum(x).sum().backward();
        assertEquals(List.of(1.0, 1.0, 1.0), boxed(x.grad().toDoubleArray()), "max(x, x) = x has derivative 1");

        Tensor y = Tensor.of(-1.0, 0.0, 2.0).requiresGrad();
        y.minimum(Tensor.zerosLike(y)).sum().backward();
        assertEquals(List.of(1.0, 0.0, 0.0), boxed(y.grad().toDoubleArray()), "min(x, 0) = -relu(-x)");

        Tensor z = Tensor.of(0.0).requiresGrad();
        Tensor.zerosLike(z).maximum(z).sum().backward();
        assertEquals(1.0, z.grad().item(), "documented asymmetry: the second argument gets the tie");
    }

    @Test
    void absDerivativeAtZeroIsZero() {
        Tensor x = Tensor.of(-0.0, 0.0).requiresGrad();
        x.abs().sum().backward();
        assertEquals(List.of(0.0, 0.0), boxed(x.grad().toDoubleArray()));
    }

    private static List<Double> boxed(double[] values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(v == 0 ? 0.0 : v); // -0.0 and 0.0 are the same gradient
        }
        return out;
    }
}
