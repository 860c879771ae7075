/**
 * The tensor: {@link perceptron.tensor.Tensor} (the public face of the library), its {@link
 * perceptron.tensor.Storage} and dtypes, NumPy broadcasting rules ({@link perceptron.tensor.Shape}), printing,
 * and the {@link perceptron.tensor.Workspace} that recycles memory between training steps.
 * Tensor methods delegate to {@code perceptron.ops}; nothing here knows of nn, loss, optim, train, data or io.
 * Installs the accessor of {@code perceptron.internal.tensor} (raw arrays, storage, autograd node: package-private
 * here).
 */
package perceptron.tensor;
