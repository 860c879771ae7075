package perceptron.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import perceptron.tensor.Tensor;

/**
 * Numeric tables from CSV files with a header line, prepared the way d2l's section on Kaggle house prices
 * does it: numeric columns standardised to mean 0 and standard deviation 1, missing numbers then set to 0 (the
 * mean), text columns one-hot encoded with an extra {@code NA} column for missing values.
 *
 * <pre>{@code
 * Csv.Table train = Csv.read(Path.of("kaggle_house_pred_train.csv"));
 * Csv.Encoder enc = Csv.Encoder.fit(train, "SalePrice", "Id");       // target, then columns to leave out
 * ArrayDataset data = enc.encode(train);                               // features [n, d], labels [n, 1]
 * Tensor testX = enc.encodeFeatures(Csv.read(Path.of("kaggle_house_pred_test.csv")));
 * }</pre>
 *
 * <p>Parsing follows RFC 4180: comma separators, fields optionally in double quotes (which may contain commas,
 * line breaks and doubled quotes {@code ""}), LF or CRLF line ends, a UTF-8 byte order mark ignored, blank lines
 * skipped. Missing values are empty fields and pandas' default NA spellings ({@code NA}, {@code NaN},
 * {@code null}, {@code N/A}, ...). Errors are {@link IOException}s naming the file, the line and the column.
 */
public final class Csv {
    /** pandas' default {@code na_values}, so that the same cells count as missing as in the book. */
    static final Set<String> MISSING = Set.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
            "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Csv() {
    }

    /** Reads a UTF-8 CSV file with a header line. */
    public static Table read(Path file) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 (" + e.getMessage() + ")", e);
        }
        return parse(text, file.toString());
    }

    /** Parses CSV text; {@code source} names it in error messages. */
    public static Table parse(String text, String source) throws IOException {
        List<String[]> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        int pos = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        int n = text.length();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (pos < n) {
            int recordLine = line;
            fields.clear();
            boolean blank = true;
            while (true) {
                field.setLength(0);
                if (pos < n && text.charAt(pos) == '"') {
                    blank = false;
                    int quoteLine = line;
                    int quoteColumn = fields.size() + 1;
                    pos++;
                    while (true) {
                        if (pos >= n) {
                            throw new IOException(source + ": line " + quoteLine + ", column " + quoteColumn
                                    + ": the quoted field never ends (no closing \")");
                        }
                        char c = text.charAt(pos);
                        if (c == '"') {
                            if (pos + 1 < n && text.charAt(pos + 1) == '"') {
                                field.append('"');
                                pos += 2;
                                continue;
                            }
                            pos++;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append(c);
                        pos++;
                    }
                    if (pos < n && text.charAt(pos) != ',' && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                        throw new IOException(source + ": line " + line + ", column " + quoteColumn
                                + ": unexpected '" + text.charAt(pos) + "' after a closing quote (a quote inside a "
                                + "quoted field is written \"\")");
                    }
                } else {
                    while (pos < n) {
                        char c = text.charAt(pos);
                        if (c == ',' || c == '\n' || c == '\r') {
                            break;
                        }
                        field.append(c);
                        pos++;
                    }
                    if (field.length() > 0) {
                        blank = false;
                    }
                }
                fields.add(field.toString());
                if (pos < n && text.charAt(pos) == ',') {
                    blank = false;
                    pos++;
                    continue;
                }
                break;
            }
            if (pos < n && text.charAt(pos) == '\r') {
                pos++;
            }
            if (pos < n && text.charAt(pos) == '\n') {
                pos++;
            }
            line++;
            if (!blank) {
                records.add(fields.toArray(new String[0]));
                lines.add(recordLine);
            }
        }
        if (records.isEmpty()) {
            throw new IOException(source + ": empty; a CSV file needs a header line");
        }
        String[] header = records.get(0);
        Set<String> seen = new HashSet<>();
        for (int c = 0; c < header.length; c++) {
            if (!seen.add(header[c])) {
                throw new IOException(source + ": line " + lines.get(0) + ", column " + (c + 1) + ": the column name '"
                        + header[c] + "' appears twice in the header");
            }
        }
        for (int r = 1; r < records.size(); r++) {
            if (records.get(r).length != header.length) {
                throw new IOException(source + ": line " + lines.get(r) + ": " + records.get(r).length
                        + " fields, but the header has " + header.length);
            }
        }
        int[] rowLines = new int[records.size() - 1];
        for (int r = 0; r < rowLines.length; r++) {
            rowLines[r] = lines.get(r + 1);
        }
        return new Table(source, List.of(header), records.subList(1, records.size()), rowLines);
    }

    /** True for the cells pandas reads as NaN. */
    static boolean isMissing(String cell) {
        return MISSING.contains(cell.trim());
    }

    /** A decimal number (no hex, no Java suffixes such as {@code 1d}); surrounding spaces allowed. */
    static boolean isNumber(String cell) {
        return NUMBER.matcher(cell.trim()).matches();
    }

    /** The cells of a CSV file as text, with the header's column names and each row's line number. */
    public static final class Table {
        private final String source;
        private final List<String> columns;
        private final List<String[]> rows;
        private final int[] lines;

        Table(String source, List<String> columns, List<String[]> rows, int[] lines) {
            this.source = source;
            this.columns = columns;
            this.rows = new ArrayList<>(rows);
            this.lines = lines;
        }

        /** The file name (or the name given to {@link #parse}). */
        public String source() {
            return source;
        }

        /** Column names from the header, in file order. */
        public List<String> columns() {
            return columns;
        }

        /** Number of data rows (not counting the header). */
        public int size() {
            return rows.size();
        }

        /** The cell of a row (from 0) and a column (from 0), as written in the file without quotes. */
        public String get(int row, int column) {
            return rows.get(row)[column];
        }

        /** The line in the file where a row starts (the header is line 1). */
        public int line(int row) {
            return lines[row];
        }

        /** Index of a column by name. */
        public int column(String name) throws IOException {
            int c = columns.indexOf(name);
            if (c < 0) {
                throw new IOException(source + ": line 1: no column '" + name + "'; the header has " + columnList());
            }
            return c;
        }

        /** The column names for a message, the first twelve and a count of the others. */
        String columnList() {
            return columns.size() <= 12 ? columns.toString()
                    : columns.subList(0, 12).toString().replace("]", ", ... (" + columns.size() + " columns)]");
        }

        String where(int row, int column) {
            return source + ": line " + lines[row] + ", column " + (column + 1) + " ('" + columns.get(column) + "')";
        }
    }

    /** How a numeric cell that is missing is encoded (d2l 5.7's exercise on missing values). */
    public enum MissingNumbers {
        /** 0 after preprocessing: the training mean when standardised (the book), a raw 0 otherwise. */
        ZERO,
        /** The training mean of the column, standardised or not. */
        MEAN,
        /** 0 as {@link #ZERO}, plus a feature {@code <column>_missing} (1 where the cell was missing). */
        INDICATOR;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The preprocessing choices, d2l's by default ({@link #BOOK}).
     *
     * @param standardize     numeric columns to mean 0 and standard deviation 1 (else left as they are)
     * @param missingNumbers  how missing numeric cells are encoded
     * @param missingCategory missing text cells get their own one-hot feature {@code <column>_NA}
     *                        (pandas' {@code dummy_na=True}); else they are all zeros
     */
    public record Preprocessing(boolean standardize, MissingNumbers missingNumbers, boolean missingCategory) {
        /** The book's: standardise, missing numbers to 0 afterwards, missing categories as their own category. */
        public static final Preprocessing BOOK = new Preprocessing(true, MissingNumbers.ZERO, true);

        public Preprocessing {
            java.util.Objects.requireNonNull(missingNumbers, "missingNumbers");
        }
    }

    /**
     * Turns tables into numeric features, with statistics and categories taken from the training table, so that
     * test data is prepared exactly like the training data.
     *
     * <p>Numeric columns (every present cell a number): {@code (x - mean) / std} with the mean and the sample
     * standard deviation (n - 1, as pandas) of the training column; missing cells become 0; a constant column
     * becomes all 0. Other columns: one 0/1 feature per distinct training value, in sorted order, plus
     * {@code <column>_NA} for missing cells (pandas' {@code get_dummies(dummy_na=True)}); a value not seen in
     * training gets all zeros. Feature order is pandas': numeric columns first, then the one-hot groups, each in
     * file order. {@link Preprocessing} changes these choices.
     *
     * <p>d2l computes the statistics over training and test features together; fitting on the training part only
     * keeps the test set out of the preprocessing, as a held-out set should be.
     *
     * <p>A column whose present cells are at least 95% numbers but not all is refused, naming the first cell that
     * is not a number: it is far more likely a typo than a text column.
     */
    public static final class Encoder {
        private final String target;
        private final Preprocessing preprocessing;
        private final List<String> numeric = new ArrayList<>();
        private final List<double[]> stats = new ArrayList<>();
        private final List<Boolean> indicator = new ArrayList<>();
        private final List<String> categorical = new ArrayList<>();
        private final List<List<String>> categories = new ArrayList<>();
        private final List<String> dropped = new ArrayList<>();
        private final List<String> featureNames = new ArrayList<>();

        private Encoder(String target, Preprocessing preprocessing) {
            this.target = target;
            this.preprocessing = preprocessing;
        }

        /**
         * Learns the book's encoding from a training table.
         *
         * @param target the column to predict (numeric, none missing), or null for features only
         * @param drop   columns to leave out, such as an {@code Id}
         */
        public static Encoder fit(Table train, String target, String... drop) throws IOException {
            return fit(train, target, Preprocessing.BOOK, drop);
        }

        /** Learns an encoding with the given preprocessing choices from a training table. */
        public static Encoder fit(Table train, String target, Preprocessing preprocessing, String... drop)
                throws IOException {
            Encoder e = new Encoder(target, preprocessing);
            Set<String> skip = new HashSet<>(Arrays.asList(drop));
            for (String d : drop) {
                train.column(d);
                e.dropped.add(d);
            }
            if (target != null) {
                train.column(target);
                skip.add(target);
            }
            for (int c = 0; c < train.columns().size(); c++) {
                String name = train.columns().get(c);
                if (skip.contains(name)) {
                    continue;
                }
                int numbers = 0;
                int present = 0;
                int firstText = -1;
                boolean anyMissing = false;
                for (int r = 0; r < train.size(); r++) {
                    String cell = train.get(r, c);
                    if (isMissing(cell)) {
                        anyMissing = true;
                        continue;
                    }
                    present++;
                    if (isNumber(cell)) {
                        numbers++;
                    } else if (firstText < 0) {
                        firstText = r;
                    }
                }
                if (firstText >= 0 && numbers >= 0.95 * present) {
                    throw new IOException(train.where(firstText, c) + ": '" + train.get(firstText, c) + "' is not a "
                            + "number, in a column where " + numbers + " of " + present + " cells are numbers");
                }
                if (firstText < 0) {
                    e.numeric.add(name);
                    e.stats.add(meanAndStd(train, c));
                    e.indicator.add(anyMissing && preprocessing.missingNumbers() == MissingNumbers.INDICATOR);
                } else {
                    TreeMap<String, Boolean> values = new TreeMap<>();
                    for (int r = 0; r < train.size(); r++) {
                        if (!isMissing(train.get(r, c))) {
                            values.put(train.get(r, c), Boolean.TRUE);
                        }
                    }
                    e.categorical.add(name);
                    e.categories.add(new ArrayList<>(values.keySet()));
                }
            }
            e.nameFeatures();
            return e;
        }

        private void nameFeatures() {
            featureNames.clear();
            featureNames.addAll(numeric);
            for (int i = 0; i < numeric.size(); i++) {
                if (indicator.get(i)) {
                    featureNames.add(numeric.get(i) + "_missing");
                }
            }
            for (int i = 0; i < categorical.size(); i++) {
                for (String v : categories.get(i)) {
                    featureNames.add(categorical.get(i) + "_" + v);
                }
                if (preprocessing.missingCategory()) {
                    featureNames.add(categorical.get(i) + "_NA");
                }
            }
        }

        /** The preprocessing choices this encoder was fitted with. */
        public Preprocessing preprocessing() {
            return preprocessing;
        }

        /**
         * Everything needed to encode new tables the same way, as JSON values (for a run's files): the target,
         * the choices, the numeric columns with their training statistics, the categories of each text column.
         */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", target);
            m.put("dropped", new ArrayList<>(dropped));
            m.put("standardize", preprocessing.standardize());
            m.put("missing_numbers", preprocessing.missingNumbers().toString());
            m.put("missing_category", preprocessing.missingCategory());
            List<Object> nums = new ArrayList<>();
            for (int i = 0; i < numeric.size(); i++) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("name", numeric.get(i));
                n.put("mean", stats.get(i)[0]);
                n.put("std", stats.get(i)[1]);
                n.put("indicator", indicator.get(i));
                nums.add(n);
            }
            m.put("numeric", nums);
            List<Object> cats = new ArrayList<>();
            for (int i = 0; i < categorical.size(); i++) {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("name", categorical.get(i));
                n.put("values", new ArrayList<Object>(categories.get(i)));
                cats.add(n);
            }
            m.put("categorical", cats);
            return m;
        }

        /**
         * The encoder {@link #toJson} described; {@code source} names the file in error messages.
         *
         * @throws IOException if a field is missing or has the wrong type
         */
        @SuppressWarnings("unchecked")
        public static Encoder fromJson(Map<String, Object> m, String source) throws IOException {
            try {
                Encoder e = new Encoder((String) m.get("target"), new Preprocessing((Boolean) m.get("standardize"),
                        MissingNumbers.valueOf(((String) m.get("missing_numbers")).toUpperCase(java.util.Locale.ROOT)),
                        (Boolean) m.get("missing_category")));
                for (Object d : (List<Object>) m.get("dropped")) {
                    e.dropped.add((String) d);
                }
                for (Object o : (List<Object>) m.get("numeric")) {
                    Map<String, Object> n = (Map<String, Object>) o;
                    e.numeric.add((String) java.util.Objects.requireNonNull(n.get("name"), "name"));
                    e.stats.add(new double[] {((Number) n.get("mean")).doubleValue(),
                            ((Number) n.get("std")).doubleValue()});
                    e.indicator.add((Boolean) java.util.Objects.requireNonNull(n.get("indicator"), "indicator"));
                }
                for (Object o : (List<Object>) m.get("categorical")) {
                    Map<String, Object> n = (Map<String, Object>) o;
                    e.categorical.add((String) java.util.Objects.requireNonNull(n.get("name"), "name"));
                    List<String> values = new ArrayList<>();
                    for (Object v : (List<Object>) n.get("values")) {
                        values.add((String) v);
                    }
                    e.categories.add(values);
                }
                e.nameFeatures();
                return e;
            } catch (RuntimeException ex) {
                throw new IOException(source + ": not a valid encoder description (" + ex + ")", ex);
            }
        }

        /**
         * Checks that a table has exactly the training file's columns (in any order; the target may be absent):
         * a file whose columns differ is refused, naming the first column that is missing or new.
         */
        public void checkColumns(Table t) throws IOException {
            Set<String> expected = new java.util.LinkedHashSet<>();
            expected.addAll(dropped);
            expected.addAll(numeric);
            expected.addAll(categorical);
            for (String name : expected) {
                if (!t.columns().contains(name)) {
                    throw new IOException(t.source() + ": line 1: no column '" + name + "', which the model was "
                            + "trained on; the header has " + t.columnList());
                }
            }
            for (int c = 0; c < t.columns().size(); c++) {
                String name = t.columns().get(c);
                if (!expected.contains(name) && !name.equals(target)) {
                    throw new IOException(t.source() + ": line 1, column " + (c + 1) + ": '" + name + "' was not a "
                            + "column of the training file");
                }
            }
        }

        private static double[] meanAndStd(Table t, int c) {
            double sum = 0;
            int count = 0;
            for (int r = 0; r < t.size(); r++) {
                if (!isMissing(t.get(r, c))) {
                    sum += Double.parseDouble(t.get(r, c).trim());
                    count++;
                }
            }
            double mean = count == 0 ? 0 : sum / count;
            double squares = 0;
            for (int r = 0; r < t.size(); r++) {
                if (!isMissing(t.get(r, c))) {
                    double d = Double.parseDouble(t.get(r, c).trim()) - mean;
                    squares += d * d;
                }
            }
            double std = count < 2 ? 0 : Math.sqrt(squares / (count - 1));
            return new double[] {mean, std};
        }

        /** Names of the features, in order: numeric column names, then {@code column_value} and {@code column_NA}. */
        public List<String> featureNames() {
            return Collections.unmodifiableList(featureNames);
        }

        /** Number of features d. */
        public int featureCount() {
            return featureNames.size();
        }

        /** The target column, or null. */
        public String target() {
            return target;
        }

        /** Training mean and standard deviation of each numeric column, by name. */
        public Map<String, double[]> statistics() {
            Map<String, double[]> m = new LinkedHashMap<>();
            for (int i = 0; i < numeric.size(); i++) {
                m.put(numeric.get(i), stats.get(i).clone());
            }
            return m;
        }

        /** Features {@code [n, d]} and the target {@code [n, 1]} of a table that has the target column. */
        public ArrayDataset encode(Table t) throws IOException {
            if (target == null) {
                throw new IllegalStateException("Csv.Encoder.encode: this encoder was fitted without a target; use "
                        + "encodeFeatures");
            }
            float[] x = features(t);
            int c = t.column(target);
            float[] y = new float[t.size()];
            for (int r = 0; r < t.size(); r++) {
                String cell = t.get(r, c);
                if (isMissing(cell) || !isNumber(cell)) {
                    throw new IOException(t.where(r, c) + ": the target must be a number, found '" + cell + "'");
                }
                y[r] = (float) Double.parseDouble(cell.trim());
            }
            return new ArrayDataset(t.size(), x, new int[] {featureCount()}, y, new int[] {1});
        }

        /** The columns left out when fitting (such as an {@code Id}). */
        public List<String> dropped() {
            return Collections.unmodifiableList(dropped);
        }

        /** Features {@code [n, d]} float32 of a table (the target column, if present, is ignored). */
        public Tensor encodeFeatures(Table t) throws IOException {
            return Tensor.wrap(features(t), t.size(), featureCount());
        }

        private float[] features(Table t) throws IOException {
            int d = featureCount();
            float[] x = new float[Math.multiplyExact(t.size(), d)];
            int next = numeric.size();
            for (int i = 0; i < numeric.size(); i++) {
                int c = t.column(numeric.get(i));
                double mean = stats.get(i)[0];
                double std = stats.get(i)[1];
                boolean standardize = preprocessing.standardize();
                int flag = indicator.get(i) ? next++ : -1;
                // A missing cell: 0 after preprocessing, or the training mean (0 when standardised).
                float fill = preprocessing.missingNumbers() == MissingNumbers.MEAN && !standardize ? (float) mean : 0f;
                for (int r = 0; r < t.size(); r++) {
                    String cell = t.get(r, c);
                    if (isMissing(cell)) {
                        x[r * d + i] = fill;
                        if (flag >= 0) {
                            x[r * d + flag] = 1f;
                        }
                        continue;
                    }
                    if (!isNumber(cell)) {
                        throw new IOException(t.where(r, c) + ": '" + cell + "' is not a number, and the column is "
                                + "numeric in the training data");
                    }
                    double v = Double.parseDouble(cell.trim());
                    x[r * d + i] = !standardize ? (float) v : std > 0 ? (float) ((v - mean) / std) : 0f;
                }
            }
            int base = next;
            for (int i = 0; i < categorical.size(); i++) {
                int c = t.column(categorical.get(i));
                List<String> values = categories.get(i);
                for (int r = 0; r < t.size(); r++) {
                    String cell = t.get(r, c);
                    int k = isMissing(cell) ? (preprocessing.missingCategory() ? values.size() : -1)
                            : Collections.binarySearch(values, cell);
                    if (k >= 0) {
                        x[r * d + base + k] = 1f;
                    }
                }
                base += values.size() + (preprocessing.missingCategory() ? 1 : 0);
            }
            return x;
        }
    }
}
