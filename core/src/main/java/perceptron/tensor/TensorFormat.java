package perceptron.tensor;

import java.util.Locale;

/**
 * PyTorch-style printing: {@code tensor([[ 0.1000, -2.0000], ...])}. Large tensors (more than 1000 elements)
 * show three items at each edge of every axis with {@code ...} between, like NumPy and PyTorch.
 */
final class TensorFormat {
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        double[] values = t.toDoubleArray();
        int[] shape = t.shape();
        boolean summarize = values.length > THRESHOLD;
        String[] cells = new String[values.length];
        Style style = Style.choose(values, shape, summarize);
        int width = 0;
        for (int i = 0; i < values.length; i++) {
            if (!summarize || shown(i, shape)) {
                cells[i] = style.format(values[i]);
                width = Math.max(width, cells[i].length());
            }
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (shape.length == 0) {
            sb.append(cells[0]);
        } else {
            append(sb, cells, shape, 0, 0, width, summarize, 8);
        }
        if (t.dtype() == DType.FLOAT64) {
            sb.append(", dtype=float64");
        }
        if (t.gradFn() != null) {
            sb.append(", gradFn=<").append(t.gradFn()).append('>');
        } else if (t.isRequiresGrad()) {
            sb.append(", requiresGrad=true");
        }
        return sb.append(')').toString();
    }

    /** Whether element i (row-major) is within EDGE of an edge along every axis. */
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

    private static void append(StringBuilder sb, String[] cells, int[] shape, int axis, int base, int width,
                               boolean summarize, int indent) {
        int n = shape[axis];
        int stride = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                if (axis == shape.length - 1) {
                    sb.append("...");
                } else {
                    sb.append("...");
                    separator(sb, shape.length - axis - 1, indent);
                }
                if (axis == shape.length - 1) {
                    sb.append(", ");
                }
                i = n - EDGE - 1;
                continue;
            }
            if (axis == shape.length - 1) {
                String c = cells[base + i];
                sb.append(" ".repeat(width - c.length())).append(c);
            } else {
                append(sb, cells, shape, axis + 1, base + i * stride, width, summarize, indent + 1);
            }
            if (i < n - 1) {
                if (axis == shape.length - 1) {
                    sb.append(", ");
                } else {
                    sb.append(',');
                    separator(sb, shape.length - axis - 1, indent);
                }
            }
        }
        sb.append(']');
    }

    private static void separator(StringBuilder sb, int blankLines, int indent) {
        sb.append("\n".repeat(blankLines)).append(" ".repeat(indent));
    }

    /** Fixed 4 decimals, integers as "3.", or scientific for very large or very spread values. */
    private enum Style {
        INTEGER, FIXED, SCIENTIFIC;

        static Style choose(double[] values, int[] shape, boolean summarize) {
            boolean allIntegers = true;
            double maxAbs = 0;
            double minAbs = Double.POSITIVE_INFINITY;
            for (int i = 0; i < values.length; i++) {
                if (summarize && !shown(i, shape)) {
                    continue;
                }
                double v = values[i];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double a = Math.abs(v);
                if (v != Math.rint(v)) {
                    allIntegers = false;
                }
                maxAbs = Math.max(maxAbs, a);
                if (a > 0) {
                    minAbs = Math.min(minAbs, a);
                }
            }
            if (allIntegers && maxAbs < 1e8) {
                return INTEGER;
            }
            if (maxAbs >= 1e8 || (minAbs < 1e-4) || (minAbs != Double.POSITIVE_INFINITY && maxAbs / minAbs > 1000)) {
                return SCIENTIFIC;
            }
            return FIXED;
        }

        String format(double v) {
            if (Double.isNaN(v)) {
                return "nan";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            switch (this) {
                case INTEGER: return String.format(Locale.ROOT, "%.0f.", v);
                case FIXED: return String.format(Locale.ROOT, "%.4f", v);
                default: return String.format(Locale.ROOT, "%.4e", v);
            }
        }
    }
}
