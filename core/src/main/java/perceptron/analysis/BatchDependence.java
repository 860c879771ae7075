package perceptron.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.nn.Dropout;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;

/**
 * How much the output for one example depends on the other examples in its minibatch (d2l 5.1, exercise 4: a
 * nonlinearity applied to a whole minibatch at a time). With BatchNorm in training mode each example is
 * normalised with its batch's mean and variance, so changing only its companions changes its output; with
 * running statistics (eval mode) the model is a function of the example alone again.
 *
 * <p>For each batch size s and each of a few target examples, the target is put first in a batch with s - 1
 * companions drawn at random from the pool (without it), several times over, and its output row is compared
 * across draws. Two settings:
 * <ul>
 *   <li><b>batch statistics</b>: the model in training mode, except that Dropout is switched off so that the only
 *       thing that varies is the companions;</li>
 *   <li><b>eval</b>: the model in eval mode (running statistics).</li>
 * </ul>
 * The model is left exactly as it was: its parameters and buffers (BatchNorm's running statistics move in
 * training-mode passes) and every module's training flag are restored afterwards.
 *
 * <pre>{@code
 * BatchDependence.Report r = BatchDependence.measure(model, testImages);   // testImages [N, 1, 28, 28]
 * System.out.print(r.table());
 * }</pre>
 */
public final class BatchDependence {
    /** Batch sizes of {@link #measure(Layer, Tensor)}. */
    private static final int[] DEFAULT_BATCH_SIZES = {1, 2, 4, 16, 64, 256};

    private BatchDependence() {
    }

    /**
     * One batch size.
     *
     * @param batchSize       examples per batch (the target and batchSize - 1 companions)
     * @param trainMaxDiff    with batch statistics: largest |output - output with the first draw of companions|
     *                        over targets, draws and output elements (NaN when refused)
     * @param trainMeanDiff   the mean of the same differences (over draws after the first)
     * @param evalMaxDiff     the same in eval mode (0 when the model treats examples independently)
     * @param evalMeanDiff    mean of those differences in eval mode
     * @param trainVsEvalMean mean |output with batch statistics - output in eval mode| for the same batch
     * @param evalVsAloneMax  eval mode: largest |output in this batch - output of the example alone|
     * @param refused         the model's message when it refused this batch in training mode (BatchNorm with one
     *                        example: a variance of one value is 0), else null
     */
    public record Row(int batchSize, double trainMaxDiff, double trainMeanDiff, double evalMaxDiff,
                      double evalMeanDiff, double trainVsEvalMean, double evalVsAloneMax, String refused) {
    }

    /**
     * @param rows          one per batch size
     * @param meanAbsOutput mean |output| in eval mode over the targets: the scale to read the differences against
     * @param targets       how many target examples
     * @param trials        draws of companions per target and batch size
     */
    public record Report(List<Row> rows, double meanAbsOutput, int targets, int trials) {
        public Report {
            rows = List.copyOf(rows);
        }

        /** The row for a batch size, or null. */
        public Row row(int batchSize) {
            for (Row r : rows) {
                if (r.batchSize() == batchSize) {
                    return r;
                }
            }
            return null;
        }

        /** A printable table, one line per batch size. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "output change when only the batch companions change (%d examples, "
                    + "%d draws each; mean |output| %.4g)%n", targets, trials, meanAbsOutput));
            sb.append(String.format(Locale.ROOT, "%6s  %12s %12s  %12s %12s  %12s %12s%n", "batch", "train max",
                    "train mean", "eval max", "eval mean", "train-eval", "eval-alone"));
            for (Row r : rows) {
                if (r.refused() != null) {
                    sb.append(String.format(Locale.ROOT, "%6d  %-25s  %12.4g %12.4g  %12s %12.4g%n", r.batchSize(),
                            "refused in training mode", r.evalMaxDiff(), r.evalMeanDiff(), "-", r.evalVsAloneMax()));
                } else {
                    sb.append(String.format(Locale.ROOT, "%6d  %12.4g %12.4g  %12.4g %12.4g  %12.4g %12.4g%n",
                            r.batchSize(), r.trainMaxDiff(), r.trainMeanDiff(), r.evalMaxDiff(), r.evalMeanDiff(),
                            r.trainVsEvalMean(), r.evalVsAloneMax()));
                }
            }
            for (Row r : rows) {
                if (r.refused() != null) {
                    sb.append("batch ").append(r.batchSize()).append(" in training mode: ").append(r.refused())
                            .append('\n');
                    break;
                }
            }
            return sb.toString();
        }
    }

    /** {@link #DEFAULT_BATCH_SIZES} (those the pool can fill), 8 targets, 8 draws, seed 0. */
    public static Report measure(Layer model, Tensor pool) {
        int n = pool.size(0);
        int[] sizes = java.util.Arrays.stream(DEFAULT_BATCH_SIZES).filter(s -> s <= n).toArray();
        return measure(model, pool, sizes, Math.min(8, n), 8, 0);
    }

    /**
     * @param model      any model taking a batch [B, ...] of examples
     * @param pool       examples [N, ...]; the targets are the first {@code targets}, companions come from all the
     *                   others; N must be at least the largest batch size
     * @param batchSizes batch sizes to try
     * @param targets    number of target examples
     * @param trials     draws of companions per target and size (at least 2)
     * @param seed       seed of the draws
     */
    public static Report measure(Layer model, Tensor pool, int[] batchSizes, int targets, int trials, long seed) {
        int n = pool.size(0);
        for (int s : batchSizes) {
            if (s < 1 || s > n) {
                throw new IllegalArgumentException("BatchDependence: batch size " + s + " needs 1 to " + n
                        + " examples (the pool has " + n + ")");
            }
        }
        if (targets < 1 || targets > n || trials < 2) {
            throw new IllegalArgumentException("BatchDependence: need 1 to " + n + " targets and at least 2 trials, "
                    + "got " + targets + " and " + trials);
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> state.put(k, v.detach().copyToHeap()));
        Map<Layer, Boolean> modes = new LinkedHashMap<>();
        model.namedLayers().values().forEach(m -> modes.put(m, m.isTraining()));
        Map<String, Long> random = model.randomState();
        try (Autograd.Scope g = Autograd.noGrad()) {
            return run(model, pool, batchSizes, targets, trials, seed, state);
        } finally {
            model.loadStateDict(state);
            // Parents first: train(flag) is recursive, so each child's own flag is set after its parent's.
            modes.forEach(Layer::train);
            model.setRandomState(random);
        }
    }

    private static Report run(Layer model, Tensor pool, int[] batchSizes, int targets, int trials, long seed,
                              Map<String, Tensor> state) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = pool.size(0);
        double[][] alone = new double[targets][];
        double absSum = 0;
        long absCount = 0;
        setEval(model);
        for (int i = 0; i < targets; i++) {
            alone[i] = firstRow(model, pool.indexSelect(0, i));
            for (double y : alone[i]) {
                absSum += Math.abs(y);
                absCount++;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int size : batchSizes) {
            Stats train = new Stats();
            Stats eval = new Stats();
            double trainVsEval = 0;
            long trainVsEvalCount = 0;
            double evalVsAlone = 0;
            String refused = null;
            int[][][] batches = new int[targets][trials][];
            for (int i = 0; i < targets; i++) {
                for (int r = 0; r < trials; r++) {
                    batches[i][r] = batchIndices(rng, n, i, size);
                }
            }
            // Eval passes first: a training-mode pass moves BatchNorm's running statistics, which eval mode reads.
            double[][][] evalOut = new double[targets][trials][];
            setEval(model);
            for (int i = 0; i < targets; i++) {
                double[] first = null;
                for (int r = 0; r < trials; r++) {
                    double[] ye = firstRow(model, pool.indexSelect(0, batches[i][r]));
                    for (int o = 0; o < ye.length; o++) {
                        evalVsAlone = Math.max(evalVsAlone, Math.abs(ye[o] - alone[i][o]));
                    }
                    evalOut[i][r] = ye;
                    first = eval.add(first, ye);
                }
            }
            setBatchStatistics(model);
            for (int i = 0; i < targets && refused == null; i++) {
                double[] first = null;
                for (int r = 0; r < trials; r++) {
                    double[] yt;
                    try {
                        yt = firstRow(model, pool.indexSelect(0, batches[i][r]));
                    } catch (IllegalArgumentException e) {
                        refused = e.getMessage();
                        break;
                    }
                    first = train.add(first, yt);
                    for (int o = 0; o < yt.length; o++) {
                        trainVsEval += Math.abs(yt[o] - evalOut[i][r][o]);
                        trainVsEvalCount++;
                    }
                }
            }
            model.loadStateDict(state);
            rows.add(new Row(size, refused != null ? Double.NaN : train.max, refused != null ? Double.NaN : train.mean(),
                    eval.max, eval.mean(), refused != null ? Double.NaN : trainVsEval / Math.max(1, trainVsEvalCount),
                    evalVsAlone, refused));
        }
        return new Report(rows, absSum / Math.max(1, absCount), targets, trials);
    }

    /** Differences of each draw from the first draw of the same target. */
    private static final class Stats {
        double max;
        double sum;
        long count;

        /** Records y against first (or makes it the first); returns the first draw. */
        double[] add(double[] first, double[] y) {
            if (first == null) {
                return y;
            }
            for (int o = 0; o < y.length; o++) {
                double d = Math.abs(y[o] - first[o]);
                max = Math.max(max, d);
                sum += d;
                count++;
            }
            return first;
        }

        double mean() {
            return count == 0 ? 0 : sum / count;
        }
    }

    /** The target i first, then size - 1 distinct others (a partial Fisher-Yates shuffle of the rest). */
    private static int[] batchIndices(SplittableRandom rng, int n, int target, int size) {
        int[] others = new int[n - 1];
        for (int k = 0, j = 0; k < n; k++) {
            if (k != target) {
                others[j++] = k;
            }
        }
        int[] batch = new int[size];
        batch[0] = target;
        for (int k = 0; k < size - 1; k++) {
            int pick = k + rng.nextInt(others.length - k);
            int tmp = others[k];
            others[k] = others[pick];
            others[pick] = tmp;
            batch[k + 1] = others[k];
        }
        return batch;
    }

    private static double[] firstRow(Layer model, Tensor batch) {
        return model.forward(batch).select(0, 0).toDoubleArray();
    }

    private static void setEval(Layer model) {
        model.eval();
    }

    /** Training mode (batch statistics) with Dropout off, so that only the companions vary. */
    private static void setBatchStatistics(Layer model) {
        model.train();
        for (Layer m : model.namedLayers().values()) {
            if (m instanceof Dropout) {
                m.eval();
            }
        }
    }
}
