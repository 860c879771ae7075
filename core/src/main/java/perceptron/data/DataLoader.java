package perceptron.data;

import perceptron.internal.tensor.TensorInternals;

import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Storage;
import perceptron.tensor.Tensor;

/**
 * Minibatches of a {@link Dataset}: PyTorch's {@code DataLoader(dataset, batch_size, shuffle, drop_last)},
 * with a seeded shuffle, reusable buffers and a background thread that prepares the next batch while the
 * current one trains.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(data.train()).batchSize(256).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : train.epoch(epoch)) {
 *         Tensor loss = Loss.crossEntropy(net.forward(b.features()), b.labels());
 *         ...
 *     }
 * }
 * for (Batch b : DataLoader.sequential(data.test(), 256)) { ... }     // evaluation: in order, all examples
 * }</pre>
 *
 * <p><b>{@code for (Batch b : loader)}</b> iterates the <em>next</em> epoch: epoch 0 the first time, then one
 * more than the last epoch started, so two such loops over a shuffled loader see two different orders. Name the
 * epoch ({@code loader.epoch(e)}) when the order matters, as when resuming a run.
 *
 * <p><b>Order.</b> Without shuffling, examples come in index order. With shuffling, the order of epoch e is a
 * permutation that depends only on (seed, e): a run resumed at epoch e (or at batch i of it, with
 * {@link #epoch(int, int)}) sees exactly the batches an uninterrupted run would have seen. Every example
 * appears exactly once per epoch; the last batch is smaller when the batch size does not divide the dataset
 * size, unless {@code dropLast} leaves it out. Defaults as PyTorch: no shuffle, keep the last batch.
 *
 * <p><b>Memory.</b> The loader owns a ring of {@code prefetch + 2} pairs of heap buffers
 * ({@link Storage#heap}, never from a {@code Workspace}), allocated once by {@link Builder#build()}; a steady
 * state epoch allocates no arrays, only the small Tensor and Batch objects that wrap them. See {@link Batch} for
 * how long a batch's tensors stay valid ({@code prefetch + 1} more batches; use {@link Batch#copy()} to keep one).
 *
 * <p><b>Threads.</b> With {@code prefetch >= 1} (the default is 1) each epoch starts a daemon thread that fills
 * up to {@code prefetch} batches ahead into a bounded queue; with 0 the batch is read on the caller's thread when
 * asked for. Both give the same batches. An exception thrown by the dataset in the background is rethrown to the
 * consumer by the {@code hasNext()}/{@code next()} call that would have returned that batch. The thread stops
 * when the epoch ends, when the {@link Epoch} or the loader is closed, or when another epoch of the same loader
 * is started (only one epoch runs at a time; starting one abandons the previous); closing interrupts the thread
 * and waits for it to finish. An abandoned epoch that nobody closes is stopped once it is garbage collected.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final int size;
    private final int featureSize;
    private final int labelSize;
    private final int[] featureShape;
    private final int[] labelShape;
    private final Ring ring;
    private Epoch current;
    private int nextEpoch;
    private boolean closed;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.size = dataset.size();
        this.featureSize = dataset.featureSize();
        this.labelSize = dataset.labelSize();
        this.featureShape = dataset.featureShape();
        this.labelShape = dataset.labelShape();
        long featureFloats = (long) batchSize * featureSize;
        if (featureFloats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("DataLoader: a batch of " + batchSize + " examples of "
                    + Shape.toString(featureShape) + " has more than 2^31 values; use a smaller batch size");
        }
        Slot[] slots = new Slot[prefetch + 2];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(Storage.heap(DType.FLOAT32, (int) featureFloats),
                    Storage.heap(DType.FLOAT32, batchSize * labelSize));
        }
        this.ring = new Ring(slots, new int[size]);
    }

    /** Starts configuring a loader over {@code dataset}. */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** For evaluation: every example once, in index order, the last batch possibly smaller; prefetch 1. */
    public static DataLoader sequential(Dataset dataset, int batchSize) {
        return builder(dataset).batchSize(batchSize).build();
    }

    /** Configuration of a {@link DataLoader}; {@link #batchSize} is required. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch = 1;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("DataLoader: dataset is null");
            }
            this.dataset = dataset;
        }

        /** Examples per batch (required, at least 1). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle every epoch (default false, as PyTorch). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Seed of the shuffles (default 0); epoch e uses the permutation of (seed, e). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Leave out the last batch when it would be smaller than the batch size (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Batches prepared ahead on a background thread (default 1); 0 reads on the caller's thread. */
        public Builder prefetch(int prefetch) {
            if (prefetch < 0 || prefetch > 64) {
                throw new IllegalArgumentException("DataLoader: prefetch must be 0 to 64, got " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        public DataLoader build() {
            if (batchSize < 1) {
                throw new IllegalStateException("DataLoader: set a batch size with batchSize(n)");
            }
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public long seed() {
        return seed;
    }

    public boolean dropLast() {
        return dropLast;
    }

    public int prefetch() {
        return prefetch;
    }

    /** Number of batches in one epoch: {@code floor(n / B)} with dropLast, else {@code ceil(n / B)}. */
    public int batchesPerEpoch() {
        return dropLast ? size / batchSize : (int) (((long) size + batchSize - 1) / batchSize);
    }

    /** The order in which epoch {@code epoch} visits the examples (a new array; identity without shuffle). */
    public int[] order(int epoch) {
        int[] order = new int[size];
        fillOrder(order, epoch);
        return order;
    }

    private void fillOrder(int[] order, int epoch) {
        if (shuffle) {
            Permutation.shuffle(order, seed, epoch);
        } else {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
        }
    }

    /** The batches of epoch {@code epoch}; stops the previous epoch of this loader if it is still running. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * The batches of epoch {@code epoch} from batch {@code firstBatch} on, for resuming mid-epoch: the same
     * batches, with the same indices, that an uninterrupted epoch would give from there.
     */
    public synchronized Epoch epoch(int epoch, int firstBatch) {
        if (closed) {
            throw new IllegalStateException("DataLoader: this loader is closed");
        }
        if (firstBatch < 0 || firstBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("DataLoader: first batch " + firstBatch + " is out of range; an epoch "
                    + "has " + batchesPerEpoch() + " batches");
        }
        if (current != null) {
            current.close();
        }
        fillOrder(ring.order, epoch);
        current = new Epoch(epoch, firstBatch);
        nextEpoch = epoch + 1;
        return current;
    }

    /**
     * The next epoch: 0 on the first call, then one more than the last epoch started. Each call advances, so
     * iterating the loader twice gives two epochs (two shuffles); use {@link #epoch(int)} to repeat one.
     */
    @Override
    public Iterator<Batch> iterator() {
        return epoch(nextEpoch);
    }

    /** Stops the running epoch's thread, if any, and waits for it; the loader cannot be used afterwards. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
        }
        closed = true;
    }

    // =========================================================================================================
    // Buffers and the producer
    // =========================================================================================================

    /** A pair of reusable buffers and what was last written into them. */
    private static final class Slot {
        final Storage features;
        final Storage labels;
        int count;
        int index;

        Slot(Storage features, Storage labels) {
            this.features = features;
            this.labels = labels;
        }
    }

    /** Marks the end of an epoch (or of a failed or stopped one) in the queue. */
    private static final Slot END = new Slot(null, null);

    /**
     * The state the producer thread needs, kept apart from the loader and the epoch so that the thread does not
     * keep them reachable (see {@link Producer}). {@code cursor} is the next slot to fill; only one thread fills
     * at a time, and handing over (thread start, join) orders the accesses.
     */
    private static final class Ring {
        final Slot[] slots;
        final int[] order;
        int cursor;

        Ring(Slot[] slots, int[] order) {
            this.slots = slots;
            this.order = order;
        }
    }

    /** Fills the next slot of the ring with batch {@code index}. */
    private static Slot fill(Ring ring, Dataset dataset, int size, int batchSize, int index) {
        Slot slot = ring.slots[ring.cursor];
        ring.cursor = (ring.cursor + 1) % ring.slots.length;
        int start = index * batchSize;
        int count = Math.min(batchSize, size - start);
        // A graph that saved the previous contents of this buffer must notice that they are gone.
        slot.features.bumpVersion();
        slot.labels.bumpVersion();
        dataset.read(ring.order, start, count, slot.features.floats(), slot.labels.floats());
        slot.count = count;
        slot.index = index;
        return slot;
    }

    /**
     * The background half of an epoch. It holds the epoch only weakly: when an abandoned epoch (and its loader)
     * become unreachable, the producer notices at its next wait and ends.
     */
    private static final class Producer implements Runnable {
        final Ring ring;
        final Dataset dataset;
        final int size;
        final int batchSize;
        final int first;
        final int end;
        final BlockingQueue<Slot> queue;
        final WeakReference<Epoch> owner;
        volatile Throwable failure;

        Producer(Ring ring, Dataset dataset, int size, int batchSize, int first, int end, BlockingQueue<Slot> queue,
                 Epoch owner) {
            this.ring = ring;
            this.dataset = dataset;
            this.size = size;
            this.batchSize = batchSize;
            this.first = first;
            this.end = end;
            this.queue = queue;
            this.owner = new WeakReference<>(owner);
        }

        @Override
        public void run() {
            try {
                for (int i = first; i < end; i++) {
                    if (!deliver(fill(ring, dataset, size, batchSize, i))) {
                        return;
                    }
                }
            } catch (InterruptedException stopped) {
                return;
            } catch (Throwable t) {
                failure = t;
            }
            try {
                deliver(END);
            } catch (InterruptedException stopped) {
                // Closed while announcing the end: the consumer is gone or will see the epoch closed.
            }
        }

        /** Puts a slot in the queue; false if the epoch was garbage collected meanwhile. */
        private boolean deliver(Slot slot) throws InterruptedException {
            while (!queue.offer(slot, 200, TimeUnit.MILLISECONDS)) {
                if (owner.get() == null) {
                    return false;
                }
            }
            return true;
        }
    }

    // =========================================================================================================
    // Epoch
    // =========================================================================================================

    /**
     * The batches of one epoch, in order; iterate it once ({@code for (Batch b : loader.epoch(e))}). Closing it
     * (or finishing it) stops its prefetch thread.
     */
    // Both on purpose: `for (Batch b : loader.epoch(e))` iterates it, and it refuses a second iteration.
    @SuppressWarnings("IterableAndIterator")
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private final int epoch;
        private final int end;
        private int next;
        private final BlockingQueue<Slot> queue;
        private final Producer producer;
        private final Thread thread;
        private Slot pending;
        private boolean finished;
        private volatile boolean closed;
        private boolean iterated;

        private Epoch(int epoch, int first) {
            this.epoch = epoch;
            this.end = batchesPerEpoch();
            this.next = first;
            if (prefetch > 0 && first < end) {
                queue = new ArrayBlockingQueue<>(prefetch);
                producer = new Producer(ring, dataset, size, batchSize, first, end, queue, this);
                thread = new Thread(producer, "perceptron-prefetch-epoch-" + epoch);
                thread.setDaemon(true);
                thread.start();
            } else {
                queue = null;
                producer = null;
                thread = null;
            }
        }

        /** The epoch number. */
        public int epoch() {
            return epoch;
        }

        /** Returns this epoch itself: it can be iterated once. */
        @Override
        public Iterator<Batch> iterator() {
            if (iterated) {
                throw new IllegalStateException("DataLoader.Epoch: an epoch can be iterated once; call "
                        + "loader.epoch(" + epoch + ") again to repeat it");
            }
            iterated = true;
            return this;
        }

        @Override
        public boolean hasNext() {
            if (closed || finished) {
                return false;
            }
            if (thread == null) {
                return next < end;
            }
            if (pending != null) {
                return true;
            }
            Slot slot;
            try {
                slot = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + next
                        + " of epoch " + epoch, e);
            }
            if (slot == END) {
                finished = true;
                joinProducer();
                Throwable failure = producer.failure;
                if (failure != null && !closed) {
                    rethrow(failure);
                }
                return false;
            }
            pending = slot;
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException(closed ? "DataLoader: this epoch was closed (or another epoch of "
                        + "the loader was started)" : "DataLoader: epoch " + epoch + " has no more batches");
            }
            Slot slot;
            if (thread == null) {
                try {
                    slot = fill(ring, dataset, size, batchSize, next);
                } catch (RuntimeException | Error e) {
                    finished = true;  // as with prefetching: an epoch ends at its first failure
                    throw e;
                }
            } else {
                slot = pending;
                pending = null;
            }
            next++;
            int[] fShape = ArrayDataset.prepend(slot.count, featureShape);
            int[] lShape = ArrayDataset.prepend(slot.count, labelShape);
            Tensor features = TensorInternals.fromStorage(slot.features, 0, fShape, Shape.contiguousStrides(fShape));
            Tensor labels = TensorInternals.fromStorage(slot.labels, 0, lShape, Shape.contiguousStrides(lShape));
            return new Batch(features, labels, epoch, slot.index);
        }

        /** Stops the prefetch thread (interrupts it and waits for it); further calls see no more batches. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (thread != null) {
                thread.interrupt();
                joinProducer();
                // Wake a consumer blocked in take() on another thread.
                queue.clear();
                queue.offer(END);
            }
        }

        private void joinProducer() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        private void rethrow(Throwable failure) {
            // Same exception as without prefetching; the suppressed one shows where the consumer was.
            failure.addSuppressed(new IllegalStateException("rethrown by DataLoader in thread "
                    + Thread.currentThread().getName() + " while asking for batch " + next + " of epoch " + epoch));
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            throw new IllegalStateException("DataLoader: reading batch " + next + " of epoch " + epoch + " failed",
                    failure);
        }
    }
}
