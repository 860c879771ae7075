/**
 * What an application needs of the numerical kernels: {@link perceptron.kernels.Kernels} (which kernels run,
 * "vector" or "scalar", for logs) and the {@link perceptron.kernels.Parallel} pool (thread count, {@code
 * limitThreads}). The kernels themselves live in {@code perceptron.internal.kernels}, which module
 * perceptron.core does not export. Imports only {@code perceptron.internal.kernels}.
 */
package perceptron.kernels;
