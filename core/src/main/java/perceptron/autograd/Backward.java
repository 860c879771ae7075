package perceptron.autograd;

import perceptron.tensor.Tensor;

/**
 * The derivative of one op: given the gradient of the loss with respect to the op's output, return the
 * gradient with respect to each input (null where {@link Node#needsInputGrad} is false).
 *
 * <p>Written with tensor ops, so that a backward pass with {@code createGraph} records a graph of its own and
 * second derivatives come for free. Saved tensors must be read through {@link Node#saved(int)}, which checks
 * that they are still there and unmodified.
 */
@FunctionalInterface
public interface Backward {
    Tensor[] apply(Node node, Tensor grad);
}
