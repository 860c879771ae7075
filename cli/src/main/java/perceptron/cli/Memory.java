package perceptron.cli;

import java.util.Locale;
import perceptron.train.ModelSpec;

/**
 * The memory a command will need, checked before anything large is allocated: a model that cannot fit in the
 * Java heap is refused with one line that says how much it needs and how to give the JVM more
 * ({@code PERCEPTRON_JAVA_OPTS}), instead of an {@code OutOfMemoryError} after minutes of work.
 */
final class Memory {
    private Memory() {
    }

    /**
     * Copies of the weights alive at once while training: the weights, their gradients, the optimizer's state
     * (0 to 2 per weight, counted separately) and the serialised checkpoint.
     */
    private static final int TRAINING_COPIES = 3;
    /** Loading a run: the freshly built model, the bytes of model.safetensors and the tensors read from them. */
    private static final int LOADING_COPIES = 3;

    /** Refuses a training run whose model, with its gradients, optimizer state and checkpoint, cannot fit. */
    static void checkTraining(ModelSpec spec, int optimizerStates, int batchSize, String howToShrink) {
        long widths = (long) spec.inputFeatures() + spec.outputs();
        for (int h : spec.hidden()) {
            widths += h;
        }
        // Activations and their gradients, a few per unit and example; small beside the weights of a big model.
        long activations = 4L * 4 * batchSize * widths;
        check(spec, 4 * spec.parameterCount() * (TRAINING_COPIES + optimizerStates) + activations,
                "for its weights, gradients, optimizer state and checkpoint", howToShrink);
    }

    /** Refuses to load a run whose model cannot fit beside the bytes it is read from. */
    static void checkLoading(ModelSpec spec) {
        check(spec, 4 * spec.parameterCount() * LOADING_COPIES, "to load it", "");
    }

    private static void check(ModelSpec spec, long needed, String why, String howToShrink) {
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > available) {
            throw new UserException(String.format(Locale.ROOT,
                    "the model (%s, %,d parameters) needs about %s of memory %s, but the Java heap has %s free "
                            + "(at most %s): %sgive the JVM more memory, e.g. PERCEPTRON_JAVA_OPTS=-Xmx%dg "
                            + "bin/perceptron ...",
                    spec, spec.parameterCount(), describe(needed), why, describe(available), describe(rt.maxMemory()),
                    howToShrink.isEmpty() ? "" : howToShrink + ", or ", suggestedHeapGb(needed + rt.maxMemory() / 4)));
        }
    }

    /** Bytes as "6.0 GB" or "512 MB". */
    static String describe(long bytes) {
        double gb = bytes / (double) (1L << 30);
        return gb >= 1 ? String.format(Locale.ROOT, "%.1f GB", gb)
                : String.format(Locale.ROOT, "%d MB", bytes >> 20);
    }

    /** Whole gigabytes, rounded up, for an -Xmx suggestion. */
    static long suggestedHeapGb(long bytes) {
        return Math.max(1, (bytes + (1L << 30) - 1) >> 30);
    }
}
