package perceptron.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** Prints per-epoch, per-layer monitor rows as a table: one line per epoch, one column per layer. */
final class EpochTable {
    private EpochTable() {
    }

    static <R> String pivot(String title, List<R> rows, ToDoubleFunction<R> epochOf, Function<R, String> layerOf,
                            ToDoubleFunction<R> valueOf, String format) {
        List<String> layers = new ArrayList<>();
        Map<Integer, Map<String, Double>> byEpoch = new LinkedHashMap<>();
        for (R r : rows) {
            String layer = layerOf.apply(r);
            if (!layers.contains(layer)) {
                layers.add(layer);
            }
            byEpoch.computeIfAbsent((int) epochOf.applyAsDouble(r), e -> new LinkedHashMap<>())
                    .put(layer, valueOf.applyAsDouble(r));
        }
        StringBuilder sb = new StringBuilder(title).append('\n');
        sb.append(String.format(Locale.ROOT, "%6s", "epoch"));
        for (String l : layers) {
            sb.append(String.format(Locale.ROOT, " %12s", "layer " + l));
        }
        sb.append('\n');
        for (Map.Entry<Integer, Map<String, Double>> e : byEpoch.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%6d", e.getKey()));
            for (String l : layers) {
                Double v = e.getValue().get(l);
                sb.append(v == null ? String.format(Locale.ROOT, " %12s", "-")
                        : String.format(Locale.ROOT, " " + format, v));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
