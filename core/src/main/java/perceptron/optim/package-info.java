/**
 * Optimisers (SGD with momentum and Nesterov, Adam, AdamW), parameter groups, learning-rate schedules and
 * gradient clipping. May import tensor, kernels, autograd and nn; never train, data or io.
 */
package perceptron.optim;
