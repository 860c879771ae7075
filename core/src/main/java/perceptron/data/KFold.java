package perceptron.data;

import java.util.ArrayList;
import java.util.List;

/**
 * K-fold cross-validation splits (d2l's {@code get_k_fold_data}): the examples are divided into k folds; fold i
 * validates a model trained on the other k - 1.
 *
 * <pre>{@code
 * for (KFold.Fold f : KFold.split(data.size(), 5, 42)) {
 *     Dataset train = data.subset(f.train()), valid = data.subset(f.validation());
 *     ...
 * }
 * }</pre>
 *
 * <p>Fold sizes differ by at most one: the first {@code n % k} folds get one example more. (d2l makes every fold
 * {@code n / k} long and never uses the {@code n % k} examples left over.) {@link #split} shuffles the indices
 * first with a permutation determined by the seed; {@link #splitInOrder} cuts contiguous folds, like d2l.
 */
public final class KFold {
    private KFold() {
    }

    /**
     * One fold's indices.
     *
     * @param index      the fold number, 0 to k - 1
     * @param train      the indices to train on (all other folds)
     * @param validation the indices of this fold
     */
    public record Fold(int index, int[] train, int[] validation) {
    }

    /** k folds of a seeded permutation of 0..n-1; the same (n, k, seed) always gives the same folds. */
    public static List<Fold> split(int n, int k, long seed) {
        check(n, k);
        return folds(Permutation.of(n, seed, 0), k);
    }

    /** k contiguous folds of 0..n-1, without shuffling. */
    public static List<Fold> splitInOrder(int n, int k) {
        check(n, k);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return folds(order, k);
    }

    private static void check(int n, int k) {
        if (k < 2 || k > n) {
            throw new IllegalArgumentException("KFold: k must be from 2 to the number of examples (" + n
                    + "), got " + k);
        }
    }

    private static List<Fold> folds(int[] order, int k) {
        int n = order.length;
        List<Fold> folds = new ArrayList<>(k);
        int start = 0;
        for (int i = 0; i < k; i++) {
            int length = n / k + (i < n % k ? 1 : 0);
            int[] validation = new int[length];
            int[] train = new int[n - length];
            System.arraycopy(order, start, validation, 0, length);
            System.arraycopy(order, 0, train, 0, start);
            System.arraycopy(order, start + length, train, start, n - start - length);
            folds.add(new Fold(i, train, validation));
            start += length;
        }
        return folds;
    }
}
