/**
 * {@link perceptron.internal.tensor.TensorInternals}: the library's own access to a tensor's raw arrays,
 * storage and autograd node, which {@code Tensor} keeps package-private. Not exported by module
 * perceptron.core. Imports tensor and autograd (Node) only.
 */
package perceptron.internal.tensor;
