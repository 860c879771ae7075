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

    /**
     * The first frame of user code: outside the JDK and outside the library. Tests count as user code even when
     * they live in the library's packages (a test of {@code perceptron.ops} is a user of it), so a frame in those
     * packages belongs to the library only if its class came from the same jar or directory as this one.
     */
    static StackTraceElement userFrame(StackTraceElement[] trace) {
        if (trace == null) {
            return null;
        }
        for (StackTraceElement e : trace) {
            if (!isLibrary(e.getClassName())) {
                return e;
            }
        }
        return trace.length > 0 ? trace[trace.length - 1] : null;
    }

    private static boolean isLibrary(String c) {
        if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
            return true;
        }
        boolean libraryPackage = c.startsWith("perceptron.tensor.") || c.startsWith("perceptron.ops.")
                || c.startsWith("perceptron.autograd.") || c.startsWith("perceptron.kernels.")
                || c.startsWith("perceptron.internal.")
                || c.startsWith("perceptron.nn.") || c.startsWith("perceptron.loss.");
        if (!libraryPackage) {
            return false;
        }
        try {
            Class<?> k = Class.forName(c, false, Anomaly.class.getClassLoader());
            java.security.CodeSource mine = Anomaly.class.getProtectionDomain().getCodeSource();
            java.security.CodeSource theirs = k.getProtectionDomain().getCodeSource();
            if (mine == null || theirs == null || mine.getLocation() == null) {
                return true;
            }
            return mine.getLocation().equals(theirs.getLocation());
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return true;
        }
    }
}
