/**
 * File formats and safe file writing: {@link perceptron.io.SafeTensors} (Hugging Face tensors),
 * {@link perceptron.io.Json} (model descriptions, safetensors headers) and {@link perceptron.io.AtomicFiles}
 * (temporary file, fsync, atomic rename). Parsers validate sizes before allocating and name the file and the byte
 * offset in every error. May use {@code perceptron.tensor} and {@code perceptron.kernels}; never {@code nn},
 * {@code train}, {@code optim} or {@code data}. Raw arrays through {@code perceptron.internal.tensor}.
 */
package perceptron.io;
