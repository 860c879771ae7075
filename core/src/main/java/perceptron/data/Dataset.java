package perceptron.data;

import perceptron.tensor.Shape;

/**
 * A fixed collection of examples, each a feature array and a label array of fixed shapes, that a
 * {@link DataLoader} reads into batches. PyTorch's map-style {@code Dataset}, but writing floats straight into
 * the loader's buffers instead of returning a tensor per example.
 *
 * <p>Shapes exclude the batch axis: Fashion-MNIST has feature shape {@code [1, 28, 28]} (channels, height,
 * width, as d2l's {@code ToTensor} gives) and label shape {@code []}; a table with d columns has {@code [d]}.
 * Class labels are class indices stored as floats (exact integers); regression targets are floats, with label
 * shape {@code [1]} as d2l's {@code y.reshape((-1, 1))}.
 *
 * <p>Implementations must be safe to read from a background thread (the loader's prefetch thread) while no
 * other thread modifies them; the ones in this package are immutable.
 */
public interface Dataset {

    /** Number of examples. */
    int size();

    /** Shape of one example's features, without the batch axis (a copy). */
    int[] featureShape();

    /** Shape of one example's label, without the batch axis: {@code []} for a class index (a copy). */
    int[] labelShape();

    /**
     * Writes example {@code index}: its {@link #featureSize()} feature values to
     * {@code features[featuresOffset ...]} and its {@link #labelSize()} label values to
     * {@code labels[labelsOffset ...]}, both row-major.
     */
    void read(int index, float[] features, int featuresOffset, float[] labels, int labelsOffset);

    /** Number of feature values per example: the product of {@link #featureShape()}. */
    default int featureSize() {
        return Shape.numel(featureShape());
    }

    /** Number of label values per example: the product of {@link #labelShape()} (1 for {@code []}). */
    default int labelSize() {
        return Shape.numel(labelShape());
    }

    /**
     * Writes examples {@code indices[from], ..., indices[from + count - 1]} one after another into
     * {@code features} (row j at {@code j * featureSize()}) and {@code labels} (at {@code j * labelSize()}).
     */
    default void read(int[] indices, int from, int count, float[] features, float[] labels) {
        int fs = featureSize();
        int ls = labelSize();
        for (int j = 0; j < count; j++) {
            read(checkIndex(indices[from + j]), features, j * fs, labels, j * ls);
        }
    }

    /**
     * The examples at {@code indices} (a view, no copy; indices may repeat), for k-fold validation or a
     * held-out split.
     */
    default Dataset subset(int... indices) {
        return new Subset(this, indices);
    }

    /** Fails with a message naming the index and the size, rather than an ArrayIndexOutOfBoundsException. */
    default int checkIndex(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("dataset index " + index + " is out of range for a dataset of "
                    + size() + " examples");
        }
        return index;
    }
}
