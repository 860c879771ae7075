/**
 * The numerical kernels, internal (not exported by module perceptron.core): {@link
 * perceptron.internal.kernels.KernelOps} (the interface every op calls), {@link
 * perceptron.internal.kernels.ScalarKernels} (plain Java, the reference), {@code VectorKernels}, {@code
 * VectorMath} and the GEMMs (SIMD with jdk.incubator.vector, chosen at start-up when the module is present), and
 * the op enums. Kernels work on arrays and offsets; they import only {@link perceptron.kernels} (Parallel, and
 * the public face of {@code KernelOps}), nothing else of the library.
 */
package perceptron.internal.kernels;
