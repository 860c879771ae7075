/**
 * Data for training: the {@link perceptron.data.Dataset} abstraction, the {@link perceptron.data.DataLoader}
 * (seeded shuffling, reusable batch buffers, background prefetch), and the sources: IDX files and Fashion-MNIST,
 * CSV tables, k-fold splits and d2l's synthetic generators. May use {@code perceptron.tensor},
 * {@code perceptron.kernels} and {@code perceptron.io}; never {@code nn}, {@code train} or {@code optim}. The
 * conversion kernels come from {@code perceptron.internal.kernels}, raw arrays through {@code
 * perceptron.internal.tensor}.
 */
package perceptron.data;
