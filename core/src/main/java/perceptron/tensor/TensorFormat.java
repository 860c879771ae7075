package perceptron.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PyTorch's printing ({@code torch/_tensor_str.py}), rule for rule, so that a tensor prints here as it prints in
 * the book: {@code tensor([[ 0.1000, -2.0000], ...])}.
 *
 * <ul>
 *   <li>One format for the whole tensor, chosen from its nonzero finite values: integers as {@code 3.}; else 4
 *       decimals; scientific ({@code 1.0000e-05}) when the largest is over 1e8, the ratio of largest to smallest
 *       over 1000, or (for non-integers) the smallest under 1e-4. Every element is right-aligned to one width.
 *   <li>Lines wrap at 80 characters; tensors of more than 1000 elements show three items at each edge of every
 *       axis with {@code ...} between.
 *   <li>Suffixes: {@code dtype=float64} (float32 is the default), {@code size=[2, 0]} for empty tensors that are
 *       not 1-D, then {@code gradFn=<ReluBackward>} or {@code requiresGrad=true}. PyTorch spells these
 *       {@code dtype=torch.float64}, {@code grad_fn=<ReluBackward0>} and {@code requires_grad=True}.
 * </ul>
 * Decimal rounding is half-even on the exact binary value, as Python's {@code format} does.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private TensorFormat() {
    }

    static String format(Tensor t) {
        int[] shape = t.shape();
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        String body;
        if (t.size() == 0) {
            if (shape.length != 1) {
                suffixes.add("size=" + Shape.toString(shape));
            }
            body = "[]";
        } else {
            double[] values = t.toDoubleArray();
            boolean summarize = values.length > THRESHOLD;
            Formatter f = new Formatter(values, shape, summarize);
            body = shape.length == 0 ? f.format(values[0]) : tensorString(values, shape, 0, 0, indent, summarize, f);
        }
        if (t.dtype() != DType.FLOAT32) {
            suffixes.add("dtype=" + t.dtype().displayName());
        }
        if (t.gradFn() != null) {
            suffixes.add("gradFn=<" + t.gradFn() + ">");
        } else if (t.isRequiresGrad()) {
            suffixes.add("requiresGrad=true");
        }
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    /** PyTorch's _add_suffixes: a suffix goes on a new line if it would pass the line width. */
    private static String addSuffixes(String tensorString, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(tensorString);
        int lastLineLength = tensorString.length() - tensorString.lastIndexOf('\n') + 1;
        for (String s : suffixes) {
            if (lastLineLength + s.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(s);
                lastLineLength = indent + s.length();
            } else {
                sb.append(", ").append(s);
                lastLineLength += s.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** The sub-tensor at flat offset {@code base} with axes {@code axis..}: PyTorch's _tensor_str_with_formatter. */
    private static String tensorString(double[] v, int[] shape, int axis, int base, int indent, boolean summarize,
                                       Formatter f) {
        int n = shape[axis];
        int stride = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        boolean cut = summarize && n > 2 * EDGE;
        if (axis == shape.length - 1) {
            return vectorString(v, base, n, indent, cut, f);
        }
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                slices.add("...");
                i = n - EDGE - 1;
                continue;
            }
            slices.add(tensorString(v, shape, axis + 1, base + i * stride, indent + 1, summarize, f));
        }
        String separator = "," + "\n".repeat(shape.length - axis - 1) + " ".repeat(indent + 1);
        return "[" + String.join(separator, slices) + "]";
    }

    /** PyTorch's _vector_str: as many elements per line as fit in the line width. */
    private static String vectorString(double[] v, int base, int n, int indent, boolean cut, Formatter f) {
        int elementLength = f.width + 2;
        int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
        List<String> data = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                data.add(" ...");
                i = n - EDGE - 1;
                continue;
            }
            data.add(f.format(v[base + i]));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine) {
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /** Whether element i (row-major) is within EDGE of an edge along every axis: the values a summary shows. */
    private static boolean shown(int flat, int[] shape) {
        for (int d = shape.length - 1; d >= 0; d--) {
            int i = flat % shape[d];
            flat /= shape[d];
            if (shape[d] > 2 * EDGE && i >= EDGE && i < shape[d] - EDGE) {
                return false;
            }
        }
        return true;
    }

    /** PyTorch's _Formatter: one style and one width for all elements. */
    private static final class Formatter {
        boolean intMode = true;
        boolean sciMode;
        int width = 1;

        Formatter(double[] values, int[] shape, boolean summarize) {
            List<Double> nonzeroFinite = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                double x = values[i];
                if ((!summarize || shown(i, shape)) && Double.isFinite(x) && x != 0) {
                    nonzeroFinite.add(x);
                }
            }
            if (nonzeroFinite.isEmpty()) {
                return;
            }
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double x : nonzeroFinite) {
                min = Math.min(min, Math.abs(x));
                max = Math.max(max, Math.abs(x));
                if (x != Math.ceil(x)) {
                    intMode = false;
                }
            }
            sciMode = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
            for (double x : nonzeroFinite) {
                String s = sciMode ? scientific(x) : intMode ? fixed(x, 0) + "." : fixed(x, 4);
                width = Math.max(width, s.length());
            }
        }

        String format(double x) {
            String s;
            if (Double.isNaN(x)) {
                s = "nan";
            } else if (Double.isInfinite(x)) {
                s = x > 0 ? "inf" : "-inf";
            } else if (sciMode) {
                s = scientific(x);
            } else if (intMode) {
                s = fixed(x, 0) + ".";
            } else {
                s = fixed(x, 4);
            }
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }

        /** Python's "{:.Nf}": half-even rounding of the exact binary value; keeps the sign of -0.0. */
        static String fixed(double x, int decimals) {
            String s = new BigDecimal(Math.abs(x)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
            return (x < 0 || (x == 0 && 1 / x < 0) ? "-" : "") + s;
        }

        /** Python's "{:.4e}": 1.0000e-05, 1.2346e+02. */
        static String scientific(double x) {
            if (x == 0) {
                return (1 / x < 0 ? "-" : "") + "0.0000e+00";
            }
            BigDecimal r = new BigDecimal(Math.abs(x)).round(new MathContext(5, RoundingMode.HALF_EVEN));
            int exponent = r.precision() - r.scale() - 1;
            String digits = r.unscaledValue().toString();
            digits = (digits + "0000").substring(0, 5);
            return String.format(Locale.ROOT, "%s%c.%se%c%02d", x < 0 ? "-" : "", digits.charAt(0),
                    digits.substring(1), exponent < 0 ? '-' : '+', Math.abs(exponent));
        }
    }
}
