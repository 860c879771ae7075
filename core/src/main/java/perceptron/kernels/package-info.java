/**
 * The numerical kernels: {@link perceptron.kernels.Kernels} (the interface), {@link
 * perceptron.kernels.ScalarKernels} (plain Java, the reference), {@code VectorKernels} and the GEMMs (SIMD with
 * jdk.incubator.vector, chosen at start-up when the module is present), and the {@link
 * perceptron.kernels.Parallel} pool. Kernels work on arrays and offsets and import nothing else of the library.
 */
package perceptron.kernels;
