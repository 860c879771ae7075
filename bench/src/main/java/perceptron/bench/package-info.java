/**
 * JMH benchmarks of the kernels (GEMM at the shapes of MLP training, elementwise ops, rows, reductions, the thread
 * pool), vector against scalar, on one and two threads. Benchmarks measure and never assert; the figures and the
 * command that produced them are in bench/RESULTS.md. May import perceptron.* only.
 */
package perceptron.bench;
