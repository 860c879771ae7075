package perceptron.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * A held-out validation set carved from a training set, for model selection (early stopping, the best epoch)
 * that never looks at the test set.
 *
 * <pre>{@code
 * ValidationSplit split = ValidationSplit.stratified(data.train(), 0.1, 42);  // 10% of each class
 * Dataset train = split.train(), validation = split.validation();
 * }</pre>
 *
 * <p>The split depends only on the labels, the fraction and the seed: a resumed run gets the same split again.
 * {@link #stratified} holds out {@code round(fraction * n_c)} examples of each class c (as scikit-learn's
 * {@code train_test_split(stratify=y)} does, up to rounding), so the validation set has the class proportions of
 * the training set; {@link #random} holds out {@code round(fraction * n)} examples for regression targets.
 * Indices on both sides are in ascending order (the training loader shuffles).
 *
 * @param train      the examples to train on
 * @param validation the held-out examples
 * @param trainIndices      positions of {@code train}'s examples in the original dataset
 * @param validationIndices positions of {@code validation}'s examples in the original dataset
 */
public record ValidationSplit(Dataset train, Dataset validation, int[] trainIndices, int[] validationIndices) {

    /** A split keeping each class's share: the labels must be class indices (label shape {@code []}). */
    public static ValidationSplit stratified(Dataset data, double fraction, long seed) {
        check(data, fraction);
        if (data.labelSize() != 1) {
            throw new IllegalArgumentException("ValidationSplit.stratified: the labels must be class indices, one per "
                    + "example; these have shape " + Arrays.toString(data.labelShape()) + " (use random)");
        }
        float[] labels = labels(data);
        TreeMap<Float, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[data.size()];
        int stream = 0;
        for (List<Integer> members : byClass.values()) {
            int take = (int) Math.round(fraction * members.size());
            int[] order = Permutation.of(members.size(), seed, stream++);
            for (int j = 0; j < take; j++) {
                held[members.get(order[j])] = true;
            }
        }
        return of(data, held);
    }

    /** A split of {@code round(fraction * n)} examples chosen by a seeded permutation, for any labels. */
    public static ValidationSplit random(Dataset data, double fraction, long seed) {
        check(data, fraction);
        int take = (int) Math.round(fraction * data.size());
        int[] order = Permutation.of(data.size(), seed, 0);
        boolean[] held = new boolean[data.size()];
        for (int j = 0; j < take; j++) {
            held[order[j]] = true;
        }
        return of(data, held);
    }

    private static void check(Dataset data, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), e.g. 0.1; got " + fraction);
        }
        if (data.size() < 2) {
            throw new IllegalArgumentException("a validation split needs at least 2 examples, the dataset has "
                    + data.size());
        }
    }

    private static float[] labels(Dataset data) {
        int n = data.size();
        float[] labels = new float[n];
        float[] features = new float[data.featureSize()];
        for (int i = 0; i < n; i++) {
            data.read(i, features, 0, labels, i);
        }
        return labels;
    }

    private static ValidationSplit of(Dataset data, boolean[] held) {
        int v = 0;
        for (boolean h : held) {
            v += h ? 1 : 0;
        }
        if (v == 0 || v == held.length) {
            throw new IllegalArgumentException("the validation fraction leaves " + (v == 0 ? "no example to validate on"
                    : "no example to train on") + " (" + held.length + " examples); choose a fraction between "
                    + "1/n and 1 - 1/n");
        }
        int[] train = new int[held.length - v];
        int[] validation = new int[v];
        int t = 0;
        int k = 0;
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                validation[k++] = i;
            } else {
                train[t++] = i;
            }
        }
        return new ValidationSplit(data.subset(train), data.subset(validation), train, validation);
    }
}
