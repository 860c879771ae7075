package perceptron.train;

/**
 * What one epoch measured: the columns of metrics.csv ({@code epoch,train_loss,train_acc,test_acc,seconds}).
 * Accuracies are NaN when the task is not classification or there is no test set; epochs count from 1.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {

    public static final String CSV_HEADER = "epoch,train_loss,train_acc,test_acc,seconds";

    public String toCsv() {
        return epoch + "," + num(trainLoss) + "," + num(trainAccuracy) + "," + num(testAccuracy) + ","
                + String.format(java.util.Locale.ROOT, "%.3f", seconds);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.6f", v);
    }

    /** Parses one line of {@link #toCsv()}. */
    public static EpochMetrics parseCsv(String line) {
        String[] p = line.split(",", -1);
        if (p.length != 5) {
            throw new IllegalArgumentException("metrics line must have 5 columns (" + CSV_HEADER + "): " + line);
        }
        return new EpochMetrics(Integer.parseInt(p[0].trim()), parse(p[1]), parse(p[2]), parse(p[3]), parse(p[4]));
    }

    private static double parse(String s) {
        return s.isBlank() ? Double.NaN : Double.parseDouble(s.trim());
    }
}
