package perceptron.spark;

/**
 * A user's data cannot be trained on or scored (wrong column type, wrong vector length, a NaN, a bad label, no
 * rows). The message names the column, the row and the value; Spark's wrapping of task failures is removed
 * before it reaches the caller.
 */
public final class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * The user-facing error inside a failed Spark job, if there is one: tasks that reject their input throw this
     * exception, and the driver sees it wrapped in a SparkException (or only as text in its message, when the
     * executor ran in another JVM).
     */
    static RuntimeException unwrap(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidInputException e) {
                return new InvalidInputException(e.getMessage());
            }
        }
        String text = String.valueOf(failure.getMessage());
        String marker = InvalidInputException.class.getName() + ": ";
        int at = text.indexOf(marker);
        if (at >= 0) {
            String rest = text.substring(at + marker.length());
            int end = rest.indexOf('\n');
            return new InvalidInputException(end < 0 ? rest : rest.substring(0, end));
        }
        return InvalidInputException.<RuntimeException>rethrow(failure);
    }

    /** Rethrows a SparkException (checked in Java's eyes, though Scala declares nothing) unchanged. */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> RuntimeException rethrow(Exception e) throws E {
        throw (E) e;
    }
}
