/**
 * Loss functions: softmax cross-entropy from logits (stable, label smoothing), mean squared error, binary
 * cross-entropy with logits, log-RMSE. May import tensor, ops, autograd and kernels; never nn, optim or train.
 * Kernels come from {@code perceptron.internal.kernels}, raw arrays through {@code perceptron.internal.tensor}.
 */
package perceptron.loss;
