package perceptron.autograd;

import perceptron.internal.tensor.TensorInternals;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import perceptron.tensor.Tensor;

/**
 * Entry points of automatic differentiation besides {@code Tensor.backward}: no-grad scopes, the functional
 * {@link #grad} (returns gradients instead of accumulating them), anomaly detection, and {@link #record}, which
 * every op uses to attach its derivative to its output.
 */
public final class Autograd {
    private Autograd() {
    }

    /** A scope that restores the previous grad mode when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            GradMode.set(previous);
        }
    }

    /**
     * Ops inside the scope record no graph: their results do not require grad. For evaluation and for updating
     * parameters in place. {@code try (var g = Autograd.noGrad()) { ... }}
     */
    public static Scope noGrad() {
        return new Scope(GradMode.set(false));
    }

    /** Turns recording back on inside a noGrad scope. */
    public static Scope enableGrad() {
        return new Scope(GradMode.set(true));
    }

    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /** Anomaly detection on or off for the whole JVM (see {@code -Dperceptron.anomaly=true}). */
    public static void detectAnomaly(boolean on) {
        Anomaly.setEnabled(on);
    }

    public static boolean isAnomalyEnabled() {
        return Anomaly.isEnabled();
    }

    /**
     * Gradients of {@code output} with respect to {@code inputs}, returned rather than accumulated into
     * {@code grad()} (PyTorch's {@code torch.autograd.grad}).
     *
     * @param gradOutput  the vector in the vector-Jacobian product; null for a scalar output (means 1)
     * @param retainGraph keep saved tensors for another backward pass through the same graph
     * @param createGraph record the gradient computation so that the results can be differentiated again
     */
    public static Tensor[] grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean retainGraph,
                                boolean createGraph) {
        return grad(output, inputs, gradOutput, retainGraph, createGraph, false);
    }

    /** As above; with {@code allowUnused}, an input the output does not depend on gets null instead of an error. */
    public static Tensor[] grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean retainGraph,
                                boolean createGraph, boolean allowUnused) {
        return Engine.run(new Tensor[] {output}, new Tensor[] {gradOutput}, retainGraph, createGraph,
                inputs.toArray(new Tensor[0]), allowUnused);
    }

    /** Gradients of a scalar output, freeing the graph: {@code Autograd.grad(loss, w, b)}. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(output, List.of(inputs), null, false, false);
    }

    /**
     * JAX's {@code grad}: the function x -&gt; df/dx for a scalar-valued f. Composable: {@code grad(grad(f))} is
     * the second derivative, because the inner gradient is recorded whenever its argument requires grad.
     */
    public static UnaryOperator<Tensor> grad(Function<Tensor, Tensor> f) {
        return x -> {
            boolean outer = x.isRequiresGrad() && GradMode.isEnabled();
            Tensor input = outer ? x.alias() : x.detach().requiresGrad();
            Tensor y;
            try (Scope s = enableGrad()) {
                y = f.apply(input);
            }
            if (!y.isRequiresGrad()) {
                return Tensor.zerosLike(x);
            }
            Tensor g = grad(y, List.of(input), null, outer, outer, true)[0];
            return g == null ? Tensor.zerosLike(x) : g;
        };
    }

    /**
     * Attaches a derivative to the output of an op. Does nothing (returns {@code output} as is) in a noGrad
     * scope or when no input requires grad.
     *
     * @param name     the backward name shown in {@code gradFn()} and graphs, e.g. "MulBackward"
     * @param inputs   the op's tensor inputs, in the order {@code backward} returns their gradients
     * @param saved    tensors the backward formula reads through {@link Node#saved(int)}
     * @param backward the derivative formula
     */
    public static Tensor record(String name, Tensor output, Tensor[] inputs, Tensor[] saved, Backward backward) {
        if (!GradMode.isEnabled()) {
            return output;
        }
        boolean any = false;
        for (Tensor in : inputs) {
            if (in != null && in.isRequiresGrad()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return output;
        }
        TensorInternals.attachGradNode(output, new Node(name, inputs, saved, backward, output));
        return output;
    }

    /** Makes the backward pass store the gradient of {@code output} (produced by {@code node}) in its grad(). */
    public static void retainGrad(Node node, Tensor output) {
        if (node.retainsGradOf == null) {
            node.retainsGradOf = output;
        }
    }

    private static final Tensor[] NONE = new Tensor[0];

    /** {@link #record} for ops that save nothing. */
    public static Tensor record(String name, Tensor output, Tensor[] inputs, Backward backward) {
        return record(name, output, inputs, NONE, backward);
    }

    /** Backward pass of {@code Tensor.backward}: accumulates into the leaves' {@code grad()}. */
    public static void backward(Tensor output, Tensor gradOutput, boolean retainGraph, boolean createGraph) {
        Engine.run(new Tensor[] {output}, new Tensor[] {gradOutput}, retainGraph, createGraph, null, false);
    }

    /** Backward from several outputs at once (PyTorch's {@code torch.autograd.backward}). */
    public static void backward(List<Tensor> outputs, List<Tensor> gradOutputs, boolean retainGraph,
                                boolean createGraph) {
        Tensor[] grads = gradOutputs == null ? null : gradOutputs.toArray(new Tensor[0]);
        Engine.run(outputs.toArray(new Tensor[0]), grads, retainGraph, createGraph, null, false);
    }
}
