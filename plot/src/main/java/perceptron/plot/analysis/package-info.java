/**
 * Figures of the analysis tools: linear regions on a plane and outputs along a segment, batch dependence, training
 * monitors and the initialisation study. Drawn with XChart directly for now; each figure is one small method that
 * builds a chart from a result of {@code perceptron.analysis}, so it can move onto the Plot API as it lands.
 */
package perceptron.plot.analysis;
