package perceptron.cli.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The runs of a sweep, from training options given with several values: the grid of every combination, or
 * {@code random} samples.
 *
 * <p>Values are separated by commas or spaces ({@code --lr 0.03,0.1,0.3}). Options whose single value is itself
 * a list, {@code --hidden} and {@code --dropout}, take one value per space-separated argument, written as for
 * {@code train} ({@code --hidden 256 256,256 256,256,256}: one, two and three layers). With random sampling, a
 * number option may also be a range {@code LO:HI}: learning rate, weight decay and hidden widths are then drawn
 * log-uniformly (they matter by their order of magnitude), the others uniformly.
 */
public final class SweepPlan {

    /** How an option's values are read and sampled. */
    public enum Kind {
        /** a positive number that matters by its order of magnitude (lr, weight decay) */
        LOG_REAL,
        REAL,
        INTEGER,
        /** a name or a flag: lists only */
        NAME,
        /** one width per hidden layer, e.g. 256,256 */
        WIDTHS,
        /** one probability per hidden layer, e.g. 0.2,0.5 */
        PROBABILITIES
    }

    /** One run: its directory name and the train options that define it (option to value), in a fixed order. */
    public record Run(String name, Map<String, String> options) {
    }

    private final List<Run> runs;
    private final List<String> varied;

    private SweepPlan(List<Run> runs, List<String> varied) {
        this.runs = List.copyOf(runs);
        this.varied = List.copyOf(varied);
    }

    public List<Run> runs() {
        return runs;
    }

    /** The options that take more than one value, in the order given. */
    public List<String> varied() {
        return varied;
    }

    /**
     * Plans the sweep.
     *
     * @param given  option name (e.g. "--lr") to its arguments as typed; each option with its kind in {@code kinds}
     * @param random 0 for the full grid, otherwise the number of runs to sample
     * @param seed   the seed of random sampling
     * @throws IllegalArgumentException naming the option, for a value that does not parse, a range without
     *                                  random sampling, or a repeated value
     */
    public static SweepPlan of(Map<String, List<String>> given, Map<String, Kind> kinds, int random, long seed) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Map<String, double[]> ranges = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : given.entrySet()) {
            String option = e.getKey();
            Kind kind = kinds.get(option);
            if (kind == null) {
                throw new IllegalArgumentException(option + " cannot vary in a sweep");
            }
            List<String> list = new ArrayList<>();
            for (String arg : e.getValue()) {
                boolean layered = kind == Kind.WIDTHS || kind == Kind.PROBABILITIES;
                for (String v : layered ? List.of(arg) : List.of(arg.split(","))) {
                    String value = v.trim();
                    if (value.contains(":") && kind != Kind.NAME) {
                        if (random == 0) {
                            throw new IllegalArgumentException(option + ": the range " + value + " needs --random N "
                                    + "(a grid needs a list of values, e.g. " + option + " 0.01,0.1,1)");
                        }
                        if (e.getValue().size() != 1) {
                            throw new IllegalArgumentException(option + ": give either one range LO:HI or a list of "
                                    + "values, not both");
                        }
                        ranges.put(option, range(option, kind, value));
                        continue;
                    }
                    check(option, kind, value);
                    if (list.contains(value)) {
                        throw new IllegalArgumentException(option + ": " + value + " is given twice");
                    }
                    list.add(value);
                }
            }
            if (!ranges.containsKey(option)) {
                if (list.isEmpty()) {
                    throw new IllegalArgumentException(option + ": give at least one value");
                }
                values.put(option, list);
            }
        }
        List<String> varied = new ArrayList<>();
        for (String option : given.keySet()) {
            if (ranges.containsKey(option) || values.get(option).size() > 1) {
                varied.add(option);
            }
        }
        List<Map<String, String>> combos = random > 0
                ? sample(given.keySet(), values, ranges, kinds, random, seed)
                : grid(new ArrayList<>(values.entrySet()));
        List<Run> runs = new ArrayList<>();
        int digits = Integer.toString(combos.size()).length();
        for (int i = 0; i < combos.size(); i++) {
            StringBuilder name = new StringBuilder(String.format(Locale.ROOT, "%0" + Math.max(2, digits) + "d", i + 1));
            for (String option : varied) {
                name.append('-').append(option.substring(2)).append('=').append(combos.get(i).get(option));
            }
            runs.add(new Run(name.toString(), combos.get(i)));
        }
        return new SweepPlan(runs, varied);
    }

    private static List<Map<String, String>> grid(List<Map.Entry<String, List<String>>> options) {
        List<Map<String, String>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> option : options) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combos) {
                for (String v : option.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(option.getKey(), v);
                    next.add(m);
                }
            }
            combos = next;
        }
        return combos;
    }

    private static List<Map<String, String>> sample(Iterable<String> order, Map<String, List<String>> values,
                                                    Map<String, double[]> ranges, Map<String, Kind> kinds,
                                                    int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Map<String, String>> combos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String option : order) {
                if (ranges.containsKey(option)) {
                    m.put(option, draw(kinds.get(option), ranges.get(option), rng));
                } else {
                    List<String> list = values.get(option);
                    m.put(option, list.get(rng.nextInt(list.size())));
                }
            }
            combos.add(m);
        }
        return combos;
    }

    private static String draw(Kind kind, double[] range, SplittableRandom rng) {
        double lo = range[0];
        double hi = range[1];
        double u = rng.nextDouble();
        switch (kind) {
            case LOG_REAL:
                return String.format(Locale.ROOT, "%.3g", Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo))));
            case WIDTHS:
                return Long.toString(Math.round(Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)))));
            case INTEGER:
                return Long.toString(Math.round(lo + u * (hi - lo)));
            default:
                return String.format(Locale.ROOT, "%.3g", lo + u * (hi - lo));
        }
    }

    private static double[] range(String option, Kind kind, String value) {
        String[] p = value.split(":", -1);
        if (p.length != 2 || kind == Kind.PROBABILITIES) {
            throw new IllegalArgumentException(option + ": cannot read the range '" + value + "'; write LO:HI, e.g. "
                    + "1e-3:1" + (kind == Kind.PROBABILITIES ? " (dropout takes lists only)" : ""));
        }
        double lo = number(option, p[0]);
        double hi = number(option, p[1]);
        boolean log = kind == Kind.LOG_REAL || kind == Kind.WIDTHS;
        if (!(lo < hi) || (log && !(lo > 0))) {
            throw new IllegalArgumentException(option + ": the range " + value + " must have LO < HI"
                    + (log ? " and LO > 0 (it is sampled on a log scale)" : ""));
        }
        return new double[] {lo, hi};
    }

    private static void check(String option, Kind kind, String value) {
        switch (kind) {
            case LOG_REAL, REAL -> number(option, value);
            case INTEGER -> integer(option, value);
            case WIDTHS -> {
                for (String w : value.split(",", -1)) {
                    integer(option, w);
                }
            }
            case PROBABILITIES -> {
                for (String p : value.split(",", -1)) {
                    number(option, p);
                }
            }
            case NAME -> {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(option + ": an empty value in the list");
                }
            }
        }
    }

    private static double number(String option, String s) {
        try {
            double v = Double.parseDouble(s.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a number (give a list such as "
                    + option + " 0.01,0.1,1)");
        }
    }

    private static long integer(String option, String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + s + "' is not a whole number");
        }
    }
}
