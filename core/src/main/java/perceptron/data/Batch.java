package perceptron.data;

import perceptron.tensor.Tensor;

/**
 * One minibatch from a {@link DataLoader}: features {@code [B, ...featureShape]} and labels {@code [B]} (or
 * {@code [B, ...labelShape]}), both float32, where B is the batch size (smaller for a last partial batch).
 *
 * <p><b>Lifetime.</b> The tensors wrap one of the loader's reusable buffers. They stay valid until the loader
 * has produced {@code prefetch + 1} further batches; with prefetching that can happen as soon as you ask for
 * the next batch, so treat a batch as valid until then. {@link #copy()} keeps one for longer. When a buffer is
 * refilled its storage version is bumped, so a backward pass through a graph that saved a stale batch fails
 * instead of using the wrong numbers.
 */
public final class Batch {
    private final Tensor features;
    private final Tensor labels;
    private final int epoch;
    private final int index;

    Batch(Tensor features, Tensor labels, int epoch, int index) {
        this.features = features;
        this.labels = labels;
        this.epoch = epoch;
        this.index = index;
    }

    /** The inputs, {@code [B, ...featureShape]} float32 (d2l's {@code X}). */
    public Tensor features() {
        return features;
    }

    /** The targets, {@code [B]} (class indices as floats) or {@code [B, ...labelShape]}, float32 (d2l's {@code y}). */
    public Tensor labels() {
        return labels;
    }

    /** Number of examples B. */
    public int size() {
        return features.size(0);
    }

    /** The epoch this batch belongs to. */
    public int epoch() {
        return epoch;
    }

    /** Position of this batch in its epoch, from 0. */
    public int index() {
        return index;
    }

    /** A copy in memory of its own (never from a workspace), valid for as long as you keep it. */
    public Batch copy() {
        return new Batch(features.copyToHeap(), labels.copyToHeap(), epoch, index);
    }

    @Override
    public String toString() {
        return "Batch(epoch " + epoch + ", index " + index + ", size " + size() + ")";
    }
}
