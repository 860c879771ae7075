package perceptron.spark;

/**
 * The uid of a stage while its Scala superclass is being constructed. Spark's Scala base classes create their
 * Params (featuresCol, ...) in their constructors and ask {@code uid()} for the owner, before a Java subclass
 * has assigned its own fields; a constructor stores the uid here first (in the argument of {@code this(...)},
 * which runs before the superclass) so that {@code uid()} can answer.
 */
final class PendingUid {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private PendingUid() {
    }

    static String hold(String uid) {
        PENDING.set(uid);
        return uid;
    }

    /** The uid being constructed on this thread (while the field is still null). */
    static String current() {
        return PENDING.get();
    }

    static void release() {
        PENDING.remove();
    }
}
