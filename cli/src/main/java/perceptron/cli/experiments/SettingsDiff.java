package perceptron.cli.experiments;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which settings tell a set of runs apart: the keys whose values are not all equal, in model.json's order, and
 * a label per run naming only those ({@code "hidden=256,256 lr=0.3"}). A run without a setting shows "–".
 */
public record SettingsDiff(List<String> differing, Map<String, String> shared) {

    public static SettingsDiff of(List<RunInfo> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.settings().keySet()));
        List<String> differing = new ArrayList<>();
        Map<String, String> shared = new LinkedHashMap<>();
        for (String k : keys) {
            Set<String> values = new HashSet<>();
            runs.forEach(r -> values.add(value(r, k)));
            if (values.size() > 1) {
                differing.add(k);
            } else {
                shared.put(k, values.iterator().next());
            }
        }
        return new SettingsDiff(differing, shared);
    }

    public static String value(RunInfo run, String key) {
        return run.settings().getOrDefault(key, "–");
    }

    /** The differing settings of one run, or its name when nothing differs. */
    public String label(RunInfo run) {
        if (differing.isEmpty()) {
            return run.name();
        }
        List<String> parts = new ArrayList<>();
        for (String k : differing) {
            parts.add(k + "=" + value(run, k));
        }
        return String.join(" ", parts);
    }
}
