package perceptron.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one epoch measured; epochs count from 1. Losses are means over the examples of each set; accuracies are
 * NaN when the task is not classification, and every value of a set that does not exist (no validation split, no
 * test set) is NaN.
 *
 * <p>The train values are d2l's: the running mean over the epoch's minibatches, measured in training mode while
 * the weights change. Validation and test values are measured after the epoch, in eval mode.
 *
 * <p>The columns of metrics.csv are {@code epoch,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds},
 * where {@code val_loss} and {@code val_acc} appear only in runs with a validation split ({@link #csvHeader}).
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double validationLoss,
                           double validationAccuracy, double testLoss, double testAccuracy, double seconds) {

    /** The header of metrics.csv for a run without a validation split. */
    public static final String CSV_HEADER = csvHeader(false);

    /** Metrics of a run without validation split and without test loss (kept for callers of the first version). */
    public EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {
        this(epoch, trainLoss, trainAccuracy, Double.NaN, Double.NaN, Double.NaN, testAccuracy, seconds);
    }

    /** Whether the epoch was measured on a validation split. */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }

    /** The header of metrics.csv: with {@code val_loss,val_acc} only when the run holds out a validation split. */
    public static String csvHeader(boolean validation) {
        return validation ? "epoch,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc,seconds"
                : "epoch,train_loss,train_acc,test_loss,test_acc,seconds";
    }

    /** One line of metrics.csv, in the columns of {@code csvHeader(validation)}; NaN is written as an empty cell. */
    public String toCsv(boolean validation) {
        StringBuilder sb = new StringBuilder().append(epoch).append(',').append(num(trainLoss)).append(',')
                .append(num(trainAccuracy)).append(',');
        if (validation) {
            sb.append(num(validationLoss)).append(',').append(num(validationAccuracy)).append(',');
        }
        return sb.append(num(testLoss)).append(',').append(num(testAccuracy)).append(',')
                .append(String.format(Locale.ROOT, "%.3f", seconds)).toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /**
     * Parses the lines of a metrics.csv (header first). Columns are found by name, so files of every version
     * parse ({@code test_loss} and the validation columns may be absent: NaN).
     */
    public static List<EpochMetrics> parseCsv(List<String> lines) {
        List<EpochMetrics> out = new ArrayList<>();
        if (lines.isEmpty()) {
            return out;
        }
        List<String> header = Arrays.asList(lines.get(0).trim().split(",", -1));
        for (String required : new String[] {"epoch", "train_loss"}) {
            if (!header.contains(required)) {
                throw new IllegalArgumentException("line 1: the header has no column '" + required + "': "
                        + lines.get(0));
            }
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] p = line.split(",", -1);
            if (p.length != header.size()) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + p.length + " columns, but the header has "
                        + header.size() + " (" + lines.get(0) + ")");
            }
            try {
                out.add(new EpochMetrics(Integer.parseInt(p[header.indexOf("epoch")].trim()),
                        cell(p, header, "train_loss"), cell(p, header, "train_acc"), cell(p, header, "val_loss"),
                        cell(p, header, "val_acc"), cell(p, header, "test_loss"), cell(p, header, "test_acc"),
                        cell(p, header, "seconds")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": not a number (" + e.getMessage() + "): "
                        + line, e);
            }
        }
        return out;
    }

    private static double cell(String[] p, List<String> header, String column) {
        int c = header.indexOf(column);
        return c < 0 || p[c].isBlank() ? Double.NaN : Double.parseDouble(p[c].trim());
    }
}
