/**
 * Layers and networks: {@link perceptron.nn.Layer} (PyTorch's nn.Module: parameters by name, train/eval, PyTorch-compatible state
 * dicts), {@link perceptron.nn.Linear}, {@link perceptron.nn.Sequential}, dropout, batch normalisation,
 * activation layers; {@code nn.init} holds weight initialisation.
 * May import tensor, ops, autograd and kernels; never loss, optim, train, data or io. Raw arrays through {@code
 * perceptron.internal.tensor}.
 */
package perceptron.nn;
