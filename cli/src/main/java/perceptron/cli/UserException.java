package perceptron.cli;

import perceptron.io.InvalidInputException;

/**
 * A mistake in what the user asked for on the command line (a bad option, an out-of-range index): reported as
 * one line, exit code 2, like the library's {@link InvalidInputException} that it refines.
 */
public class UserException extends InvalidInputException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
