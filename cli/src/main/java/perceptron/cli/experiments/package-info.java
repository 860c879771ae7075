/**
 * Experiments over many runs: reading run directories as they are being written ({@link
 * perceptron.cli.experiments.RunInfo}, {@link perceptron.cli.experiments.MetricsTable}), sweeps over training
 * options, comparisons, and the dashboard's HTTP server (the JDK's com.sun.net.httpserver, 127.0.0.1 only).
 * Uses core, plot and the JDK; the commands themselves live in perceptron.cli.
 */
package perceptron.cli.experiments;
