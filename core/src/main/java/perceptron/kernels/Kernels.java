package perceptron.kernels;

import perceptron.internal.kernels.KernelOps;

/**
 * Which numerical kernels this JVM runs: "vector" (SIMD through {@code jdk.incubator.vector}, chosen at
 * start-up when that module is present) or "scalar" (plain Java, the reference). {@code
 * -Dperceptron.kernels=scalar|vector} forces a choice. The kernels themselves are internal (package {@code
 * perceptron.internal.kernels}, not exported); an application needs only their name, for its logs, and {@link
 * Parallel} to set the thread count.
 *
 * <p>Every kernel gives bitwise the same result whatever {@link Parallel#threads()} is.
 */
public interface Kernels {

    /** The kernels chosen at start-up, the same object for the life of the JVM. */
    static Kernels get() {
        return KernelOps.get();
    }

    /** "scalar" or "vector". */
    String name();
}
