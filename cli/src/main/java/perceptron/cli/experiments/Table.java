package perceptron.cli.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table with columns padded to their widest cell; numbers align right, text left. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(List<String> header) {
        this.header = List.copyOf(header);
    }

    public Table add(List<String> row) {
        if (row.size() != header.size()) {
            throw new IllegalArgumentException("Table: " + row.size() + " cells for " + header.size() + " columns");
        }
        rows.add(List.copyOf(row));
        return this;
    }

    /** A metric as tables show it: four decimals, "–" for none. */
    public static String number(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }

    @Override
    public String toString() {
        int[] width = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        for (int j = 0; j < width.length; j++) {
            width[j] = header.get(j).length();
            numeric[j] = !rows.isEmpty();
            for (List<String> r : rows) {
                width[j] = Math.max(width[j], r.get(j).length());
                numeric[j] &= r.get(j).matches("[-+0-9.,e/ s%–]+");
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, numeric);
        for (List<String> r : rows) {
            line(sb, r, width, numeric);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder l = new StringBuilder();
        for (int j = 0; j < cells.size(); j++) {
            String c = cells.get(j);
            String pad = " ".repeat(width[j] - c.length());
            l.append(j == 0 ? "" : "  ").append(numeric[j] ? pad + c : c + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }
}
