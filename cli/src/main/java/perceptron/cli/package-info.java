/**
 * The {@code perceptron} command line (picocli): one class per subcommand, user mistakes reported as one line with
 * exit code 2. Uses core and plot; nothing depends on it.
 */
package perceptron.cli;
