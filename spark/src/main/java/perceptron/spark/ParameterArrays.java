package perceptron.spark;

import java.util.List;
import java.util.function.UnaryOperator;
import perceptron.autograd.Autograd;
import perceptron.tensor.Tensor;

/**
 * One float array per parameter of a network, in parameter order: the form in which weights and gradients travel
 * between the driver and the tasks. The arrays are allocated once and refilled at every step (arrays of 512 KB or
 * more would each be a "humongous" allocation in G1, whose collections then cost milliseconds per step).
 */
final class ParameterArrays {
    private final List<Tensor> params;
    private final float[][] arrays;
    /** A tensor over each array, with its parameter's shape. */
    private final Tensor[] views;

    ParameterArrays(List<Tensor> params) {
        this.params = params;
        this.arrays = new float[params.size()][];
        this.views = new Tensor[params.size()];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new float[params.get(i).size()];
            views[i] = Tensor.wrap(arrays[i], params.get(i).shape());
        }
    }

    /**
     * Fills the arrays from {@code of(parameter)} for each parameter (the parameter itself, or its gradient) and
     * returns them; they hold these values until the next call.
     */
    float[][] fill(UnaryOperator<Tensor> of) {
        try (Autograd.Scope noGrad = Autograd.noGrad()) {
            for (int i = 0; i < views.length; i++) {
                views[i].copyFrom(of.apply(params.get(i)));
            }
        }
        return arrays;
    }

    /** Sets every parameter to its array of {@code values}, one array per parameter in parameter order. */
    static void load(List<Tensor> params, float[][] values) {
        if (values.length != params.size()) {
            throw new IllegalStateException(values.length + " weight arrays for a network of " + params.size()
                    + " parameters");
        }
        try (Autograd.Scope noGrad = Autograd.noGrad()) {
            for (int i = 0; i < values.length; i++) {
                Tensor p = params.get(i);
                p.copyFrom(Tensor.wrap(values[i], p.shape()));
            }
        }
    }
}
