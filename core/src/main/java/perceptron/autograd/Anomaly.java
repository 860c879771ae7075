package perceptron.autograd;

/**
 * Anomaly detection: when on, every op remembers where it was created, and a backward pass fails at the first op
 * whose gradient contains NaN or infinity, naming the op and that line of user code. Costs a stack trace per op.
 * Turn on with {@link Autograd#detectAnomaly(boolean)} or {@code -Dperceptron.anomaly=true}.
 */
final class Anomaly {
    private static volatile boolean enabled = Boolean.getBoolean("perceptron.anomaly");

    private Anomaly() {
    }

    static boolean isEnabled() {
        return enabled;
    }

    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** The first frame outside the library's own packages (tests count as user code). */
    static StackTraceElement userFrame(StackTraceElement[] trace) {
        if (trace == null) {
            return null;
        }
        for (StackTraceElement e : trace) {
            String c = e.getClassName();
            boolean library = c.startsWith("perceptron.tensor.") || c.startsWith("perceptron.ops.")
                    || c.startsWith("perceptron.autograd.") || c.startsWith("perceptron.kernels.")
                    || c.startsWith("perceptron.nn.") || c.startsWith("perceptron.loss.")
                    || c.startsWith("java.") || c.startsWith("jdk.");
            if (!library) {
                return e;
            }
        }
        return trace.length > 0 ? trace[trace.length - 1] : null;
    }
}
