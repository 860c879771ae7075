package perceptron.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Reuses tensor memory from one training step to the next, so that a steady-state step allocates no new
 * storage.
 *
 * <p>While a scope is open on a thread, every tensor that thread creates takes its storage from this
 * workspace's pool; when the scope closes, all of it goes back to the pool and those tensors become unusable
 * (reading one fails with a message saying so). Parameters, their gradients and optimiser state are allocated
 * with {@link Storage#heap} and never pooled.
 *
 * <pre>{@code
 * Workspace ws = new Workspace();
 * for (Batch b : loader) {
 *     try (Workspace.Scope step = ws.enter()) {
 *         Tensor loss = Loss.crossEntropy(model.forward(b.features()), b.labels());
 *         loss.backward();
 *         optimizer.step();
 *         total += loss.item();          // read what you need before the scope closes
 *     }
 * }
 * }</pre>
 *
 * <p>A workspace belongs to one thread at a time. Scopes nest: entering another workspace inside a scope uses
 * the inner one until it closes.
 */
public final class Workspace {
    private static final ThreadLocal<Workspace> CURRENT = new ThreadLocal<>();

    private final ArrayList<float[]> freeFloats = new ArrayList<>();
    private final ArrayList<double[]> freeDoubles = new ArrayList<>();
    private final ArrayList<Storage> live = new ArrayList<>();
    private boolean open;
    private long bytesAllocated;

    /** The workspace whose scope is open on this thread, or null. */
    public static Workspace current() {
        return CURRENT.get();
    }

    /** Opens a scope on the current thread; close it (try-with-resources) to recycle its tensors. */
    public Scope enter() {
        if (open) {
            throw new IllegalStateException("Workspace.enter: this workspace already has an open scope");
        }
        open = true;
        Workspace previous = CURRENT.get();
        CURRENT.set(this);
        return new Scope(previous);
    }

    /** Bytes of new arrays this workspace has had to allocate (pool misses) since it was created. */
    public long bytesAllocated() {
        return bytesAllocated;
    }

    /** Lets the pooled arrays be garbage collected, for example after the batch size changes. */
    public void trim() {
        freeFloats.clear();
        freeDoubles.clear();
    }

    Storage allocate(DType dtype, int length) {
        Storage s;
        if (dtype == DType.FLOAT32) {
            float[] a = take(freeFloats, length);
            if (a == null) {
                a = new float[length];
                bytesAllocated += 4L * length;
            }
            s = Storage.pooled(a, length);
        } else {
            double[] a = takeDouble(length);
            if (a == null) {
                a = new double[length];
                bytesAllocated += 8L * length;
            }
            s = Storage.pooled(a, length);
        }
        live.add(s);
        return s;
    }

    private static float[] take(List<float[]> free, int length) {
        for (int i = free.size() - 1; i >= 0; i--) {
            if (free.get(i).length == length) {
                float[] a = free.get(i);
                free.set(i, free.get(free.size() - 1));
                free.remove(free.size() - 1);
                return a;
            }
        }
        return null;
    }

    private double[] takeDouble(int length) {
        for (int i = freeDoubles.size() - 1; i >= 0; i--) {
            if (freeDoubles.get(i).length == length) {
                double[] a = freeDoubles.get(i);
                freeDoubles.set(i, freeDoubles.get(freeDoubles.size() - 1));
                freeDoubles.remove(freeDoubles.size() - 1);
                return a;
            }
        }
        return null;
    }

    private void releaseAll() {
        for (int i = 0; i < live.size(); i++) {
            Storage s = live.get(i);
            if (s.dtype() == DType.FLOAT32) {
                freeFloats.add(s.releaseFloats());
            } else {
                freeDoubles.add(s.releaseDoubles());
            }
        }
        live.clear();
    }

    /** An open scope; closing it recycles every storage allocated in it. */
    public final class Scope implements AutoCloseable {
        private final Workspace previous;
        private boolean closed;

        private Scope(Workspace previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            releaseAll();
            open = false;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
