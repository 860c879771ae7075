/**
 * The chapter "Multilayer Perceptrons" of Dive into Deep Learning, one runnable class per section, each
 * reproducing the section's code cells and figures in Java with the book's variable names where Java allows.
 * Run one with {@code bin/example 5.1}; {@link perceptron.examples.Examples} lists them. May import core and plot.
 */
package perceptron.examples;
