package perceptron.cli.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run's metrics.csv as columns of numbers, read the way a watcher must read it: whatever the header names (so
 * columns added later, such as {@code val_acc}, appear without a change here), and tolerant of a file that is
 * being written. A last line without its newline is still being written and is left out; a line with the wrong
 * number of fields or an unparsable number is skipped; an empty cell is NaN (no value at this epoch).
 *
 * @param columns the header's names, e.g. {@code epoch, train_loss, train_acc, test_acc, seconds}
 * @param rows    one array per complete line, aligned with {@code columns}
 */
public record MetricsTable(List<String> columns, List<double[]> rows) {

    /** Columns that measure time or count epochs rather than how well the model does. */
    private static final List<String> NOT_CURVES = List.of("epoch", "seconds", "time", "elapsed", "lr", "step");

    public MetricsTable {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
    }

    public static MetricsTable empty() {
        return new MetricsTable(List.of(), List.of());
    }

    /** Reads {@code file}; a missing file is an empty table. Never throws for what is inside the file. */
    public static MetricsTable read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return empty();
        }
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Parses the text of a metrics.csv; see the class comment for what is left out. */
    public static MetricsTable parse(String text) {
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return empty();                     // not even the header is complete
        }
        String[] lines = text.substring(0, end).split("\n", -1);
        List<String> columns = new ArrayList<>();
        for (String c : lines[0].split(",", -1)) {
            columns.add(c.trim());
        }
        List<double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            double[] row = parseRow(lines[i], columns.size());
            if (row != null) {
                rows.add(row);
            }
        }
        return new MetricsTable(columns, rows);
    }

    private static double[] parseRow(String line, int width) {
        String[] cells = line.split(",", -1);
        if (line.isBlank() || cells.length != width) {
            return null;
        }
        double[] row = new double[width];
        for (int j = 0; j < width; j++) {
            String s = cells[j].trim();
            try {
                row[j] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return row;
    }

    public boolean has(String column) {
        return columns.contains(column);
    }

    /** The values of one column, one per row; NaN everywhere if the column does not exist. */
    public double[] column(String name) {
        int j = columns.indexOf(name);
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = j < 0 ? Double.NaN : rows.get(i)[j];
        }
        return out;
    }

    /** The epoch of each row (1, 2, ... if there is no epoch column). */
    public double[] epochs() {
        if (has("epoch")) {
            return column("epoch");
        }
        double[] e = new double[rows.size()];
        Arrays.setAll(e, i -> i + 1);
        return e;
    }

    /** The last value of a column that is not NaN, or NaN. */
    public double last(String name) {
        double[] c = column(name);
        for (int i = c.length - 1; i >= 0; i--) {
            if (!Double.isNaN(c[i])) {
                return c[i];
            }
        }
        return Double.NaN;
    }

    /** The total of a column (NaN cells count as 0): the training time from {@code seconds}. */
    public double sum(String name) {
        double s = 0;
        for (double v : column(name)) {
            s += Double.isNaN(v) ? 0 : v;
        }
        return s;
    }

    /** The columns worth drawing against the epoch: losses and accuracies, not times. */
    public List<String> curveColumns() {
        return columns.stream().filter(c -> !NOT_CURVES.contains(c) && !c.endsWith("_seconds")).toList();
    }

    public int size() {
        return rows.size();
    }
}
