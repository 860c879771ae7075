package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.ReLU;
import perceptron.nn.Sigmoid;
import perceptron.nn.Tanh;

/**
 * Forward hooks on the layers of a model that a monitor watches, removed together. Hooks see training-mode
 * passes only: evaluation passes (the Trainer's test-set accuracy) would otherwise count as epoch activity.
 * They fire when a layer runs through {@link Layer#call}, as containers run their children.
 */
final class LayerHooks {
    /** What a monitor does with one layer's output in one training step; the tensor is valid only during the call. */
    @FunctionalInterface
    interface Observer {
        void observe(int layer, perceptron.tensor.Tensor output);
    }

    private final List<AutoCloseable> handles = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<Layer> modules = new ArrayList<>();
    private boolean fired;

    /** Hooks every module of the model (dotted names, in order) that {@code which} accepts. */
    void attach(Layer model, Predicate<Layer> which, Observer observer) {
        close();
        for (Map.Entry<String, Layer> e : model.namedLayers().entrySet()) {
            Layer m = e.getValue();
            if (m == model || !which.test(m)) {
                continue;
            }
            int layer = names.size();
            names.add(e.getKey());
            modules.add(m);
            handles.add(m.addForwardHook((module, input, output) -> {
                if (module.isTraining()) {
                    fired = true;
                    observer.observe(layer, output);
                }
            }));
        }
    }

    /**
     * Throws if layers are watched but none ran through {@link Layer#call} since the last check: the model
     * calls them with {@code forward}, which skips hooks, and the monitor would silently report nothing.
     */
    void checkFired(String monitor) {
        if (!names.isEmpty() && !fired) {
            throw new IllegalStateException(monitor + ": none of the watched layers " + names + " ran through "
                    + "Layer.call in this epoch; a hand-written model must run its sub-layers with layer.call(x), "
                    + "not layer.forward(x), for forward hooks (and monitors) to see them");
        }
        fired = false;
    }

    int size() {
        return names.size();
    }

    String name(int layer) {
        return names.get(layer);
    }

    Layer module(int layer) {
        return modules.get(layer);
    }

    void close() {
        for (AutoCloseable h : handles) {
            try {
                h.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not remove a forward hook", e);
            }
        }
        handles.clear();
        names.clear();
        modules.clear();
    }

    /** Elementwise nonlinearities the monitors know: ReLU, Sigmoid, Tanh and the piecewise-linear family. */
    static boolean isActivation(Layer m) {
        return m instanceof ReLU || m instanceof Sigmoid || m instanceof Tanh || PiecewiseNetwork.activationOf(m) != null;
    }

    static boolean isLinearOrActivation(Layer m) {
        return m instanceof Linear || isActivation(m);
    }
}
