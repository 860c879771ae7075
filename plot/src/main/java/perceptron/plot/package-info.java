/**
 * Figures in the style of d2l's {@code d2l.plot}, built on XChart: {@link perceptron.plot.Plot} (one panel of line
 * plots), {@link perceptron.plot.Figure} (panels side by side, size in inches at a fixed dpi, PNG or SVG),
 * {@link perceptron.plot.TrainingCurves} (d2l's Animator: metrics per epoch), and the activation figures and
 * gallery. Depends on {@code perceptron.tensor} and {@code perceptron.ops} only; the core never depends on it.
 */
package perceptron.plot;
