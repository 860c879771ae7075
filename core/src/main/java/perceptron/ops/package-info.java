/**
 * Every op, forward and derivative side by side: elementwise math, reductions, shape moves, matrix products,
 * activations, in-place updates. Each forward is a kernel call; each backward is written with tensor ops, so
 * that second derivatives work. Imports tensor, autograd and kernels; never nn, loss, optim, train, data or io.
 * "kernels" means {@code perceptron.internal.kernels}; raw arrays and nodes come through {@code
 * perceptron.internal.tensor}.
 */
package perceptron.ops;
