package perceptron.internal.kernels;

import java.util.logging.Logger;

/**
 * Picks the kernels once, at class initialisation, and says which it took (Lucene's VectorizationProvider is
 * the model). {@code -Dperceptron.kernels=scalar|vector} forces a choice; vector needs
 * {@code --add-modules jdk.incubator.vector} on the java command line.
 */
final class KernelSelection {
    static final KernelOps INSTANCE = choose();

    private KernelSelection() {
    }

    private static KernelOps choose() {
        String wanted = System.getProperty("perceptron.kernels", "auto");
        Logger log = Logger.getLogger("perceptron.kernels");
        if (wanted.equals("scalar")) {
            log.fine("perceptron: scalar kernels (forced by -Dperceptron.kernels=scalar)");
            return new ScalarKernels();
        }
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!present) {
            if (wanted.equals("vector")) {
                throw new IllegalStateException("-Dperceptron.kernels=vector needs the Vector API: add "
                        + "--add-modules jdk.incubator.vector to the java command line");
            }
            log.info("perceptron: scalar kernels (the Vector API is not enabled; run java with "
                    + "--add-modules jdk.incubator.vector for SIMD)");
            return new ScalarKernels();
        }
        try {
            KernelOps k = Class.forName("perceptron.internal.kernels.VectorKernels").asSubclass(KernelOps.class)
                    .getDeclaredConstructor().newInstance();
            log.fine("perceptron: vector kernels (" + k + ")");
            return k;
        } catch (ReflectiveOperationException | LinkageError e) {
            if (wanted.equals("vector")) {
                throw new IllegalStateException("vector kernels could not be loaded", e);
            }
            log.warning("perceptron: scalar kernels (vector kernels failed to load: " + e + ")");
            return new ScalarKernels();
        }
    }
}
