/**
 * ONNX export and import of MLP graphs: {@link perceptron.onnx.Onnx#write} turns a network of this library's
 * layers into an ONNX model, {@link perceptron.onnx.Onnx#read} turns an MLP-shaped ONNX graph (as
 * {@code torch.onnx.export} writes it for an {@code nn.Sequential}) back into a {@code Sequential}. The protobuf
 * wire format is written and read here by hand, so {@code core} keeps no runtime dependencies. May use
 * {@code tensor}, {@code ops}, {@code kernels}, {@code autograd}, {@code nn} and {@code io} (atomic file
 * writes); never {@code train} or {@code data}. Kernels come from {@code perceptron.internal.kernels}.
 */
package perceptron.onnx;
