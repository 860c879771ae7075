package perceptron.cli;

/** A mistake in what the user asked for (a bad option, a missing file): reported as one line, exit code 2. */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
