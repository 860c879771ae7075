package perceptron.data;

import java.util.Arrays;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * Features and labels held in two float arrays, example after example: d2l's {@code load_array} /
 * PyTorch's {@code TensorDataset}. Used for tables ({@link Csv}) and generated data ({@link Synthetic}).
 *
 * <pre>{@code
 * ArrayDataset data = ArrayDataset.of(x, y);       // x [n, 2], y [n, 1]
 * DataLoader loader = DataLoader.builder(data).batchSize(10).shuffle(true).seed(0).build();
 * }</pre>
 */
public final class ArrayDataset implements Dataset {
    private final int size;
    private final float[] features;
    private final int[] featureShape;
    private final int featureSize;
    private final float[] labels;
    private final int[] labelShape;
    private final int labelSize;

    /**
     * Wraps the arrays (no copy; do not modify them while a loader reads). {@code features} holds
     * {@code size * numel(featureShape)} values, {@code labels} {@code size * numel(labelShape)}.
     */
    public ArrayDataset(int size, float[] features, int[] featureShape, float[] labels, int[] labelShape) {
        this.featureShape = Shape.check("ArrayDataset", featureShape);
        this.labelShape = Shape.check("ArrayDataset", labelShape);
        this.featureSize = Shape.numel(this.featureShape);
        this.labelSize = Shape.numel(this.labelShape);
        if (size < 0 || (long) size * featureSize != features.length || (long) size * labelSize != labels.length) {
            throw new IllegalArgumentException("ArrayDataset: " + size + " examples of features "
                    + Shape.toString(featureShape) + " and labels " + Shape.toString(labelShape) + " need "
                    + (long) size * featureSize + " and " + (long) size * labelSize + " values, got "
                    + features.length + " and " + labels.length);
        }
        this.size = size;
        this.features = features;
        this.labels = labels;
    }

    /**
     * Copies two tensors whose first axes are the examples: features {@code [n, ...]} and labels {@code [n]} or
     * {@code [n, ...]} (converted to float32).
     */
    public static ArrayDataset of(Tensor features, Tensor labels) {
        if (features.dim() == 0 || labels.dim() == 0 || features.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("ArrayDataset.of: features " + Shape.toString(features.shape())
                    + " and labels " + Shape.toString(labels.shape()) + " must have the same first axis (examples)");
        }
        int[] fs = features.shape();
        int[] ls = labels.shape();
        return new ArrayDataset(fs[0], features.toFloatArray(), Arrays.copyOfRange(fs, 1, fs.length),
                labels.toFloatArray(), Arrays.copyOfRange(ls, 1, ls.length));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[] featureShape() {
        return featureShape.clone();
    }

    @Override
    public int[] labelShape() {
        return labelShape.clone();
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int labelSize() {
        return labelSize;
    }

    @Override
    public void read(int index, float[] f, int fOff, float[] l, int lOff) {
        checkIndex(index);
        System.arraycopy(features, index * featureSize, f, fOff, featureSize);
        System.arraycopy(labels, index * labelSize, l, lOff, labelSize);
    }

    /** All features as a float32 tensor {@code [size, ...featureShape]} sharing this dataset's array. */
    public Tensor features() {
        return Tensor.wrap(features, prepend(size, featureShape));
    }

    /** All labels as a float32 tensor {@code [size, ...labelShape]} sharing this dataset's array. */
    public Tensor labels() {
        return Tensor.wrap(labels, prepend(size, labelShape));
    }

    static int[] prepend(int first, int[] rest) {
        int[] s = new int[rest.length + 1];
        s[0] = first;
        System.arraycopy(rest, 0, s, 1, rest.length);
        return s;
    }
}
