package perceptron.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import perceptron.autograd.Autograd;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * A layer or a network of layers, PyTorch's {@code nn.Module}: parameters and sub-layers by name, train/eval mode, and a state dict with
 * PyTorch's names ({@code "1.weight"}, {@code "1.bias"}), so weights move between the two unchanged.
 *
 * <p>Subclasses register what they own in their constructor ({@link #registerParameter}, {@link
 * #registerLayer}, {@link #registerBuffer}) and implement {@link #forward}.
 *
 * <p>Threads: in eval mode and inside {@code Autograd.noGrad()}, {@link #forward} writes no shared state, so many
 * threads may call it on one model at once and each gets bitwise the answer of a lone call
 * ({@code ConcurrentInferenceTest}); training, mode changes and hooks must not overlap with that.
 */
public abstract class Layer {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Layer> children = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private boolean training = true;
    private final java.util.List<ForwardHook> hooks = new java.util.ArrayList<>();

    /**
     * Computes the output for a minibatch, without the forward hooks: what a layer does. To run a layer, call
     * {@link #call}, as PyTorch code writes {@code layer(x)} rather than {@code layer.forward(x)}.
     */
    public abstract Tensor forward(Tensor input);

    /** Called after every {@link #call} of the layer it is registered on (monitors, analysis). */
    @FunctionalInterface
    public interface ForwardHook {
        void after(Layer module, Tensor input, Tensor output);
    }

    /** Registers a hook; closing the returned handle removes it. */
    public final AutoCloseable addForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /**
     * Runs the layer: {@link #forward}, then this layer's forward hooks. PyTorch's {@code layer(x)}
     * ({@code __call__}). Containers call their children this way, and a hand-written model must call its
     * sub-layers this way too, or monitors (which watch through hooks) do not see them:
     *
     * <pre>{@code
     * public Tensor forward(Tensor x) {
     *     return out.call(relu.call(hidden.call(x)));     // not hidden.forward(x), which skips the hooks
     * }
     * }</pre>
     */
    public final Tensor call(Tensor input) {
        Tensor out = forward(input);
        for (int i = 0; i < hooks.size(); i++) {
            hooks.get(i).after(this, input, out);
        }
        return out;
    }

    // ---- registration -------------------------------------------------------------------------------------

    /** Registers a trainable parameter, copied into memory of its own; returns the leaf tensor. */
    protected final Tensor registerParameter(String name, Tensor initial, boolean decays) {
        checkName(name);
        Parameter p = new Parameter(initial, decays);
        parameters.put(name, p);
        return p.tensor();
    }

    /** Registers a sub-module under a name ("0", "1", ... in a Sequential). */
    protected final <M extends Layer> M registerLayer(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    /** Registers state that is saved and loaded but not trained (BatchNorm's running statistics). */
    protected final Tensor registerBuffer(String name, Tensor initial) {
        checkName(name);
        Tensor b = initial.detach().copyToHeap();
        buffers.put(name, b);
        return b;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("module member name must be non-empty and contain no '.', got '"
                    + name + "'");
        }
        if (parameters.containsKey(name) || children.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is already registered in " + getClass().getSimpleName());
        }
    }

    // ---- traversal -------------------------------------------------------------------------------------------

    /** Direct sub-modules by name, in registration order. */
    public final Map<String, Layer> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final Map<String, Parameter> namedParameterEntries() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().collectParameters(prefix + e.getKey() + ".", out);
        }
    }

    /** Parameter tensors by dotted name ({@code "1.weight"}). */
    public final Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        namedParameterEntries().forEach((k, v) -> out.put(k, v.tensor()));
        return out;
    }

    /** All parameter tensors, for an optimiser. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every module in the tree (this one first), with dotted names ("" for this one). */
    public final Map<String, Layer> namedLayers() {
        LinkedHashMap<String, Layer> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Layer> out) {
        out.put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), this);
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().collectModules(prefix + e.getKey() + ".", out);
        }
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) {
            n += t.size();
        }
        return n;
    }

    // ---- mode ------------------------------------------------------------------------------------------------

    /** Training mode (dropout active, batch statistics in BatchNorm) for this module and all descendants. */
    public final Layer train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, running statistics in BatchNorm). */
    public final Layer eval() {
        return train(false);
    }

    public final Layer train(boolean on) {
        training = on;
        for (Layer m : children.values()) {
            m.train(on);
        }
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes every parameter's gradient in place. */
    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) {
            t.zeroGrad();
        }
    }

    // ---- state -----------------------------------------------------------------------------------------------

    /** Parameters and buffers by dotted name, as PyTorch's {@code state_dict()} names them (shared, not copied). */
    public final Map<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue().tensor().detach());
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            e.getValue().collectState(prefix + e.getKey() + ".", out);
        }
    }

    /**
     * Copies values into the parameters and buffers (converting dtype). Strict: every key must match and every
     * shape must agree; the error lists what is missing, unexpected or mis-shaped, and nothing is changed.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
        Set<String> missing = new TreeSet<>(own.keySet());
        missing.removeAll(state.keySet());
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(own.keySet());
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor src = state.get(e.getKey());
            if (src != null && !Arrays.equals(src.shape(), e.getValue().shape())) {
                mismatched.add(e.getKey() + ": checkpoint has shape " + Shape.toString(src.shape())
                        + ", the model expects " + Shape.toString(e.getValue().shape()));
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder sb = new StringBuilder("loadStateDict: the state dict does not match the model");
            if (!missing.isEmpty()) {
                sb.append("; missing keys: ").append(missing);
            }
            if (!unexpected.isEmpty()) {
                sb.append("; unexpected keys: ").append(unexpected);
            }
            if (!mismatched.isEmpty()) {
                sb.append("; size mismatch: ").append(String.join("; ", mismatched));
            }
            throw new IllegalArgumentException(sb.toString());
        }
        try (Autograd.Scope g = Autograd.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                e.getValue().copyFrom(state.get(e.getKey()));
            }
        }
    }

    // ---- counters of random streams (dropout), saved with checkpoints so a resumed run draws the same masks ----

    /** Position of every random stream in the tree, by dotted module name. */
    public final Map<String, Long> randomState() {
        LinkedHashMap<String, Long> out = new LinkedHashMap<>();
        namedLayers().forEach((name, m) -> {
            long s = m.randomStreamPosition();
            if (s >= 0) {
                out.put(name, s);
            }
        });
        return out;
    }

    /** Restores what {@link #randomState()} returned. */
    public final void setRandomState(Map<String, Long> state) {
        Map<String, Layer> modules = namedLayers();
        for (Map.Entry<String, Long> e : state.entrySet()) {
            Layer m = modules.get(e.getKey());
            if (m == null || m.randomStreamPosition() < 0) {
                throw new IllegalArgumentException("setRandomState: no module with a random stream named '"
                        + e.getKey() + "'");
            }
            m.setRandomStreamPosition(e.getValue());
        }
    }

    /** For modules that draw random numbers: how many draws so far; -1 for modules that don't. */
    protected long randomStreamPosition() {
        return -1;
    }

    protected void setRandomStreamPosition(long position) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no random stream");
    }

    // ---- printing ----------------------------------------------------------------------------------------------

    /** One line describing this module's own settings, e.g. {@code in_features=784, out_features=256, bias=True}. */
    protected String extraRepr() {
        return "";
    }

    /** PyTorch-style tree: {@code Sequential(\n  (0): Flatten(...)\n  (1): Linear(...)\n ...)}. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) {
            return name + "(" + extraRepr() + ")";
        }
        StringBuilder sb = new StringBuilder(name).append("(");
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            sb.append("\n  ").append(extra);
        }
        for (Map.Entry<String, Layer> e : children.entrySet()) {
            String child = e.getValue().toString().replace("\n", "\n  ");
            sb.append("\n  (").append(e.getKey()).append("): ").append(child);
        }
        return sb.append("\n)").toString();
    }

    /** A table of every parameterised layer with its parameter shapes and counts, and the total. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        String header = String.format("%-28s %-22s %12s%n", "parameter", "shape", "count");
        sb.append(header).append("-".repeat(header.length() - 1)).append('\n');
        for (Map.Entry<String, Tensor> e : namedParameters().entrySet()) {
            sb.append(String.format("%-28s %-22s %,12d%n", e.getKey(), Shape.toString(e.getValue().shape()),
                    e.getValue().size()));
        }
        sb.append("-".repeat(header.length() - 1)).append('\n');
        sb.append(String.format("%-51s %,12d%n", "total trainable parameters", parameterCount()));
        return sb.toString();
    }
}
