package perceptron.internal.tensor;

import perceptron.autograd.Node;
import perceptron.tensor.Storage;
import perceptron.tensor.Tensor;

/**
 * The parts of {@link Tensor} that the library's own packages need and its users must not touch: the raw
 * arrays (writing through them would bypass the version counter that saved tensors rely on), the storage, and
 * the autograd node. This package is not exported by module {@code perceptron.core}, so on the module path
 * only the library can call these; on the class path they are reachable but undocumented, as in Lucene.
 *
 * <p>The JDK's SharedSecrets pattern: {@code Tensor} keeps the methods package-private and installs an {@link
 * Access} here when its class is initialised, which happens before any tensor can be passed in.
 */
public final class TensorInternals {

    /** Implemented inside {@code perceptron.tensor}; one instance, installed by Tensor's static initialiser. */
    public interface Access {
        float[] floatData(Tensor t);

        double[] doubleData(Tensor t);

        Storage storage(Tensor t);

        Node gradNode(Tensor t);

        void attachGradNode(Tensor t, Node node);

        Tensor fromStorage(Storage storage, int offset, int[] shape, int[] strides);
    }

    private static volatile Access access;

    private TensorInternals() {
    }

    /** Called once, by Tensor's static initialiser. */
    public static void install(Access a) {
        if (access != null) {
            throw new IllegalStateException("TensorInternals: access already installed");
        }
        access = a;
    }

    private static Access access() {
        Access a = access;
        if (a == null) {
            try {          // only reachable through fromStorage before any Tensor exists
                Class.forName(Tensor.class.getName(), true, Tensor.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            a = access;
        }
        return a;
    }

    /** The float32 array behind {@code t} (see {@link Tensor#offset()} and {@link Tensor#strides()}). */
    public static float[] floatData(Tensor t) {
        return access().floatData(t);
    }

    /** The float64 array behind {@code t}. */
    public static double[] doubleData(Tensor t) {
        return access().doubleData(t);
    }

    /** The storage behind {@code t}, shared with its views. */
    public static Storage storage(Tensor t) {
        return access().storage(t);
    }

    /** The backward-graph node that produced {@code t}, or null for a leaf. */
    public static Node gradNode(Tensor t) {
        return access().gradNode(t);
    }

    /** Used by {@code Autograd.record}: makes {@code t} the output of {@code node}. */
    public static void attachGradNode(Tensor t, Node node) {
        access().attachGradNode(t, node);
    }

    /** A view of {@code storage} with the given offset, shape and strides. */
    public static Tensor fromStorage(Storage storage, int offset, int[] shape, int[] strides) {
        return access().fromStorage(storage, offset, shape, strides);
    }
}
