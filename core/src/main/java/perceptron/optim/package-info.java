/**
 * Optimisers (SGD with momentum and Nesterov, Adam, AdamW), parameter groups, learning-rate schedules and
 * gradient clipping. May import tensor, kernels, autograd and nn; never train, data or io. The update kernels come
 * from {@code perceptron.internal.kernels}, raw arrays through {@code perceptron.internal.tensor}.
 */
package perceptron.optim;
