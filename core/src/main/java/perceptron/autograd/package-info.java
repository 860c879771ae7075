/**
 * Reverse-mode automatic differentiation with PyTorch's semantics: the graph {@link perceptron.autograd.Node},
 * the backward {@code Engine}, grad mode and no-grad scopes, the functional {@link perceptron.autograd.Autograd#grad}
 * API, anomaly detection, finite-difference checks ({@link perceptron.autograd.GradCheck}) and Graphviz output.
 * Imports tensor and kernels only. Reaches a tensor's node and arrays through {@code perceptron.internal.tensor}.
 */
package perceptron.autograd;
