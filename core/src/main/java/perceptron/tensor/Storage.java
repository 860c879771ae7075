package perceptron.tensor;

/**
 * The memory behind one or more tensors: a {@code float[]} or a {@code double[]}, plus the version counter that
 * views of it share.
 *
 * <p>The version counter is how autograd notices that a tensor saved for backward was modified in place
 * afterwards. Every in-place op bumps it.
 *
 * <p>A storage allocated while a {@link Workspace} scope is open is returned to that workspace when the scope
 * closes; afterwards it is <em>released</em>, and any tensor still pointing at it fails with a message instead of
 * silently reading the next step's data.
 */
public final class Storage {
    private final DType dtype;
    private final int length;
    private float[] floats;
    private double[] doubles;
    private int version;
    private final boolean pooled;

    private Storage(DType dtype, int length, float[] floats, double[] doubles, boolean pooled) {
        this.dtype = dtype;
        this.length = length;
        this.floats = floats;
        this.doubles = doubles;
        this.pooled = pooled;
    }

    /** Wraps an existing array without copying. */
    public static Storage wrap(float[] data) {
        return new Storage(DType.FLOAT32, data.length, data, null, false);
    }

    /** Wraps an existing array without copying. */
    public static Storage wrap(double[] data) {
        return new Storage(DType.FLOAT64, data.length, null, data, false);
    }

    /**
     * Storage whose contents are unspecified (zeros on the heap, stale data from a workspace pool): for outputs a
     * kernel overwrites entirely. Comes from the current thread's open {@link Workspace} scope if there is one.
     */
    public static Storage uninitialized(DType dtype, int length) {
        Workspace ws = Workspace.current();
        if (ws != null) {
            return ws.allocate(dtype, length);
        }
        return heap(dtype, length);
    }

    /** Zero-filled storage that never comes from a workspace: parameters, gradients, optimiser state. */
    public static Storage heap(DType dtype, int length) {
        return dtype == DType.FLOAT32
                ? new Storage(dtype, length, new float[length], null, false)
                : new Storage(dtype, length, null, new double[length], false);
    }

    static Storage pooled(float[] data, int length) {
        return new Storage(DType.FLOAT32, length, data, null, true);
    }

    static Storage pooled(double[] data, int length) {
        return new Storage(DType.FLOAT64, length, null, data, true);
    }

    public DType dtype() {
        return dtype;
    }

    /** Number of elements this storage holds (its arrays may be longer when pooled). */
    public int length() {
        return length;
    }

    /** The float32 array; fails if this storage is FLOAT64 or was released by its workspace. */
    public float[] floats() {
        if (floats == null) {
            throw dtype == DType.FLOAT32 ? released() : new IllegalStateException("storage is float64, not float32");
        }
        return floats;
    }

    /** The float64 array; fails if this storage is FLOAT32 or was released by its workspace. */
    public double[] doubles() {
        if (doubles == null) {
            throw dtype == DType.FLOAT64 ? released() : new IllegalStateException("storage is float32, not float64");
        }
        return doubles;
    }

    public boolean isReleased() {
        return floats == null && doubles == null;
    }

    boolean isPooled() {
        return pooled;
    }

    /** Counts in-place modifications; shared by every view of this storage. */
    public int version() {
        return version;
    }

    /** Records an in-place modification. */
    public void bumpVersion() {
        version++;
    }

    float[] releaseFloats() {
        float[] a = floats;
        floats = null;
        return a;
    }

    double[] releaseDoubles() {
        double[] a = doubles;
        doubles = null;
        return a;
    }

    private static IllegalStateException released() {
        return new IllegalStateException("this tensor's memory was allocated inside a Workspace scope that has "
                + "closed, and has been reused since; call .copy() inside the scope to keep a tensor beyond it");
    }
}
