/**
 * Looking inside a network: exact linear regions of piecewise-linear MLPs ({@link perceptron.analysis.LinearRegions}),
 * the dependence of an example's output on its batch ({@link perceptron.analysis.BatchDependence}), training
 * monitors (dead units, saturation, gradient norms, activation variances) and the initialisation study of d2l 5.4.
 * May import tensor, ops, autograd, nn, loss, optim, train and io (for InvalidInputException); nothing imports
 * analysis. Reads raw values through {@code perceptron.internal.tensor}.
 */
package perceptron.analysis;
