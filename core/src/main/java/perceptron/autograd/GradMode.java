package perceptron.autograd;

/**
 * Whether ops record the graph on this thread. Off inside {@link Autograd#noGrad()} scopes and while a backward
 * pass runs without {@code createGraph}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets the mode and returns the previous value. Prefer the scopes in {@link Autograd}. */
    static boolean set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return previous;
    }
}
