package perceptron.io;

/**
 * What came from outside the program is not valid: a file (model.json, a checkpoint, an IDX or safetensors file),
 * a value read from one, or a setting a user gave. The message is written for the person who supplied it: it
 * names the file, the field or the byte offset, what was found and what was expected, in one line.
 *
 * <p>An application shows {@link #getMessage()} without a stack trace. Any other exception that leaves the
 * library, including a plain {@link IllegalArgumentException} from an op (mismatched shapes), means the calling
 * code or the library is wrong, and its stack trace is what to look at.
 *
 * <p>It extends {@code IllegalArgumentException} so that code written before it existed still catches it.
 */
public class InvalidInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A value as it may appear in a one-line message: strings quoted, long texts cut to {@code max} characters
     * (a 100,000-digit number must not become a 100 KB line), objects and lists named, not printed.
     */
    public static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "\"" + shorten(s, 40) + "\"";
        }
        if (value instanceof java.util.Map) {
            return "an object";
        }
        if (value instanceof java.util.List<?> l) {
            return "a list of " + l.size();
        }
        return shorten(value.toString(), 40);
    }

    /** {@code text}, or its first {@code max} characters followed by how many were left out. */
    public static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "... (" + text.length() + " characters)";
    }
}
