/**
 * Every op, forward and derivative side by side: elementwise math, reductions, shape moves, matrix products,
 * activations, in-place updates. Each forward is a kernel call; each backward is written with tensor ops, so
 * that second derivatives work. Imports tensor, autograd and kernels; never nn, loss, optim, train, data or io.
 */
package perceptron.ops;
