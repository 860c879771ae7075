package perceptron.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import perceptron.autograd.Autograd;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Shared by the activation tests: the functions under the keys that tools/reference/activations.py uses, the
 * fixtures it writes (parsed here, plain text), and derivatives by autograd.
 */
final class ActivationReference {
    private ActivationReference() {
    }

    /** The Java call for each function key of activations.csv (the Python script has the PyTorch call). */
    static final Map<String, UnaryOperator<Tensor>> FUNCTIONS = new LinkedHashMap<>();

    static {
        FUNCTIONS.put("relu", Tensor::relu);
        FUNCTIONS.put("prelu", x -> Activations.prelu(x, Tensor.full(x.dtype(), 0.25)));
        FUNCTIONS.put("leakyRelu", Tensor::leakyRelu);
        FUNCTIONS.put("leakyRelu(0.2)", x -> x.leakyRelu(0.2));
        FUNCTIONS.put("elu", Tensor::elu);
        FUNCTIONS.put("elu(0.5)", x -> x.elu(0.5));
        FUNCTIONS.put("selu", Tensor::selu);
        FUNCTIONS.put("celu", Tensor::celu);
        FUNCTIONS.put("celu(2)", x -> x.celu(2.0));
        FUNCTIONS.put("gelu", Tensor::gelu);
        FUNCTIONS.put("geluTanh", x -> x.gelu("tanh"));
        FUNCTIONS.put("silu", Tensor::silu);
        FUNCTIONS.put("mish", Tensor::mish);
        FUNCTIONS.put("softplus", Tensor::softplus);
        FUNCTIONS.put("softplus(2,5)", x -> x.softplus(2.0, 5.0));
        FUNCTIONS.put("softsign", Tensor::softsign);
        FUNCTIONS.put("hardtanh", Tensor::hardtanh);
        FUNCTIONS.put("hardtanh(-2,2)", x -> x.hardtanh(-2.0, 2.0));
        FUNCTIONS.put("relu6", Tensor::relu6);
        FUNCTIONS.put("hardSigmoid", Tensor::hardSigmoid);
        FUNCTIONS.put("hardSwish", Tensor::hardSwish);
        FUNCTIONS.put("logSigmoid", Tensor::logSigmoid);
        FUNCTIONS.put("sigmoid", Tensor::sigmoid);
        FUNCTIONS.put("tanh", Tensor::tanh);
        FUNCTIONS.put("abs", Tensor::abs);
        FUNCTIONS.put("maximum(x,0)", x -> x.maximum(Tensor.zerosLike(x)));
    }

    /** One line of activations.csv. */
    record Row(String function, DType dtype, double x, double y, double dydx, double d2ydx2) {
    }

    static List<Row> grid() {
        List<Row> rows = new ArrayList<>();
        for (String line : lines("reference/activations.csv")) {
            // The key may itself contain commas ("softplus(2,5)"), so split the five numbers off the right.
            String[] f = line.split(",");
            int n = f.length;
            String key = String.join(",", java.util.Arrays.copyOfRange(f, 0, n - 5));
            DType dtype = f[n - 5].equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
            rows.add(new Row(key, dtype, number(f[n - 4]), number(f[n - 3]), number(f[n - 2]), number(f[n - 1])));
        }
        return rows;
    }

    /** activation_tensors.txt: key to float64 tensor. */
    static Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String line : lines("reference/activation_tensors.txt")) {
            String[] parts = line.split("\\|", -1);
            int[] shape = parts[1].isEmpty() ? new int[0]
                    : java.util.Arrays.stream(parts[1].split(",")).mapToInt(Integer::parseInt).toArray();
            String[] values = parts[2].trim().split(" ");
            double[] data = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                data[i] = number(values[i]);
            }
            out.put(parts[0], Tensor.wrap(data, shape));
        }
        return out;
    }

    /** A CSV of numbers, e.g. erf.csv (x, erf x, erfc x) or gelu.csv (x, gelu x, gelu' x), from mpmath. */
    static List<double[]> numbers(String resource) {
        List<double[]> rows = new ArrayList<>();
        for (String line : lines(resource)) {
            String[] f = line.split(",");
            double[] row = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                row[i] = number(f[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** Python's repr: also "inf", "-inf" and "nan". */
    static double number(String s) {
        switch (s) {
            case "nan": return Double.NaN;
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(s);
        }
    }

    private static List<String> lines(String resource) {
        InputStream in = ActivationReference.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException(resource + " is missing; run /usr/bin/python3 tools/reference/activations.py");
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** f(x), f'(x) and f''(x) by autograd (createGraph for the second), elementwise over a 1-D x. */
    static Tensor[] valueAndDerivatives(UnaryOperator<Tensor> f, Tensor x) {
        Tensor in = x.detach().copy().requiresGrad();
        Tensor y = f.apply(in);
        Tensor g = Autograd.grad(y, List.of(in), Tensor.onesLike(y), true, true, true)[0];
        if (g == null) {
            g = Tensor.zerosLike(in);
        }
        Tensor g2 = null;
        if (g.isRequiresGrad()) {
            g2 = Autograd.grad(g, List.of(in), Tensor.onesLike(g), true, false, true)[0];
        }
        if (g2 == null) {
            g2 = Tensor.zerosLike(in);
        }
        return new Tensor[] {y.detach(), g.detach(), g2.detach()};
    }

    /** |a - b| &lt;= atol + rtol |b|, with equal infinities and NaN == NaN allowed. */
    static boolean close(double a, double b, double atol, double rtol) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return a == b;
        }
        return Math.abs(a - b) <= atol + rtol * Math.abs(b);
    }
}
