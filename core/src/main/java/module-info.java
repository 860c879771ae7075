/**
 * perceptron's core: tensors, autograd, layers, losses, optimisers, training, data, analysis. Exports every API
 * package; {@code perceptron.internal.*} (the kernels, the tensor accessor) stays closed, so on the module path
 * an application can neither call the kernels directly nor reach a tensor's raw arrays or autograd node. The
 * Vector API is optional: without {@code --add-modules jdk.incubator.vector} the scalar kernels run.
 */
module perceptron.core {
    requires static jdk.incubator.vector;
    requires java.logging;
    requires java.net.http;

    exports perceptron.analysis;
    exports perceptron.autograd;
    exports perceptron.data;
    exports perceptron.io;
    exports perceptron.kernels;
    exports perceptron.loss;
    exports perceptron.nn;
    exports perceptron.nn.init;
    exports perceptron.onnx;
    exports perceptron.ops;
    exports perceptron.optim;
    exports perceptron.tensor;
    exports perceptron.train;
}
