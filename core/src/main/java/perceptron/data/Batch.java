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
 * instead of using the wrong numbers, and {@link #features()}, {@link #labels()} and {@link #copy()} of a batch
 * whose buffer was handed out again throw {@link IllegalStateException} instead of returning another batch's
 * numbers. (That is detected at the latest when the batch that reuses the buffer is handed out; a tensor taken
 * from the batch earlier and kept is not checked, except by backward.)
 *
 * <pre>{@code
 * List<Batch> kept = new ArrayList<>();
 * for (Batch b : loader.epoch(0)) {
 *     kept.add(b.copy());          // not kept.add(b): its buffers are refilled a few batches later
 * }
 * }</pre>
 */
public final class Batch {
    private final Tensor features;
    private final Tensor labels;
    private final int epoch;
    private final int index;
    private final int featuresVersion;
    private final int labelsVersion;

    Batch(Tensor features, Tensor labels, int epoch, int index) {
        this.features = features;
        this.labels = labels;
        this.epoch = epoch;
        this.index = index;
        this.featuresVersion = features.version();
        this.labelsVersion = labels.version();
    }

    /** Throws if the loader has refilled this batch's buffers with a later batch. */
    private void requireCurrent() {
        if (features.version() != featuresVersion || labels.version() != labelsVersion) {
            throw new IllegalStateException("DataLoader: " + this + " was used after its buffers were refilled with "
                    + "a later batch; a batch stays valid until the loader has produced prefetch + 1 more batches: "
                    + "call batch.copy() to keep one longer");
        }
    }

    /** The inputs, {@code [B, ...featureShape]} float32 (d2l's {@code X}). */
    public Tensor features() {
        requireCurrent();
        return features;
    }

    /** The targets, {@code [B]} (class indices as floats) or {@code [B, ...labelShape]}, float32 (d2l's {@code y}). */
    public Tensor labels() {
        requireCurrent();
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
        requireCurrent();
        return new Batch(features.copyToHeap(), labels.copyToHeap(), epoch, index);
    }

    @Override
    public String toString() {
        return "Batch(epoch " + epoch + ", index " + index + ", size " + size() + ")";
    }
}
