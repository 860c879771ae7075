package perceptron.optim;

import perceptron.internal.tensor.TensorInternals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Storage;
import perceptron.tensor.Tensor;

/**
 * Updates parameters from their gradients. Parameters without a gradient are skipped, as in PyTorch.
 *
 * <p>The update of each parameter is one fused kernel pass ({@code Kernels.sgdStep}, {@code adamStep}) over
 * memory allocated once, so a steady-state step allocates nothing. Per-parameter state (momentum, Adam's
 * moments, step counts) is exposed as a state dict with PyTorch's names ({@code state.0.momentum_buffer}) so
 * checkpoints can resume a run exactly.
 */
public abstract class Optimizer {
    private final List<ParamGroup> groups;
    private final List<Tensor> all = new ArrayList<>();

    protected Optimizer(List<ParamGroup> groups, double defaultLr, double defaultWeightDecay) {
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("optimizer got an empty parameter list");
        }
        if (!(defaultLr >= 0)) {
            throw new IllegalArgumentException("Invalid learning rate: " + defaultLr);
        }
        if (!(defaultWeightDecay >= 0)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + defaultWeightDecay);
        }
        List<ParamGroup> resolved = new ArrayList<>();
        for (ParamGroup g : groups) {
            ParamGroup r = g.withDefaults(defaultLr, defaultWeightDecay);
            resolved.add(r);
            for (Tensor p : r.params()) {
                for (Tensor q : all) {
                    if (q == p) {
                        throw new IllegalArgumentException("some parameters appear in more than one parameter group");
                    }
                }
                all.add(p);
            }
        }
        this.groups = List.copyOf(resolved);
    }

    /** Applies one update to every parameter that has a gradient. */
    public abstract void step();

    public final List<ParamGroup> groups() {
        return groups;
    }

    /** Every parameter, in group order: the index used by the state dict. */
    protected final List<Tensor> allParams() {
        return all;
    }

    /** Every parameter this optimiser updates, in group order. */
    public final List<Tensor> parameters() {
        return List.copyOf(all);
    }

    /** Zeroes every gradient in place (their memory is kept for the next backward pass). */
    public final void zeroGrad() {
        for (Tensor p : all) {
            p.zeroGrad();
        }
    }

    /** Sets every group's learning rate to its base rate times {@code factor} (what schedules call). */
    public final void scaleLearningRate(double factor) {
        for (ParamGroup g : groups) {
            g.setLr(g.baseLr() * factor);
        }
    }

    /** Per-parameter state by PyTorch's names, e.g. {@code state.0.momentum_buffer}; shared, not copied. */
    public abstract Map<String, Tensor> stateDict();

    /** Restores what {@link #stateDict()} returned (copied into this optimiser's memory). */
    public abstract void loadStateDict(Map<String, Tensor> state);

    /** A contiguous float buffer of p's shape and dtype that never comes from a Workspace. */
    protected static Tensor stateLike(Tensor p) {
        int[] shape = p.shape();
        return TensorInternals.fromStorage(Storage.heap(p.dtype(), p.size()), 0, shape, Shape.contiguousStrides(shape));
    }

    /** Checks a state entry's shape against its parameter and copies it into (new) optimiser memory. */
    protected static Tensor restore(String key, Tensor value, Tensor param) {
        if (!java.util.Arrays.equals(value.shape(), param.shape())) {
            throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + Shape.toString(value.shape())
                    + " but its parameter has shape " + Shape.toString(param.shape()));
        }
        Tensor t = stateLike(param);
        t.copyFrom(value);
        return t;
    }

    protected static Map<String, Tensor> newState() {
        return new LinkedHashMap<>();
    }

    protected static boolean isFloat32(Tensor t) {
        return t.dtype() == DType.FLOAT32;
    }

    /** True if t is exactly the whole of its storage, in order: what the update kernels read and write. */
    private static boolean whole(Tensor t) {
        return t.isContiguous() && t.offset() == 0 && TensorInternals.storage(t).length() == t.size();
    }

    /** What an optimiser does to one parameter that has a gradient. */
    protected interface Update {
        /**
         * @param index the parameter's position in {@link #allParams()} (its state-dict index)
         * @param grad  the gradient as a whole array of the parameter's dtype, offset 0, one element per element
         */
        void apply(ParamGroup group, int index, Tensor param, Tensor grad);
    }

    /**
     * Calls {@code update} for every parameter with a gradient, in group order, then bumps the parameter's
     * version (its values changed in place). Parameters live in whole arrays of their own (see Parameter), so the
     * kernels take plain arrays; a gradient or a parameter that is a view is handled through a whole copy.
     */
    protected final void forEachWithGradient(Update update) {
        int index = 0;
        for (ParamGroup group : groups) {
            for (Tensor p : group.params()) {
                int i = index++;
                Tensor g = p.grad();
                if (g == null) {
                    continue;
                }
                if (g.dtype() != p.dtype()) {
                    g = g.detach().toType(p.dtype());
                }
                if (!whole(g)) {
                    g = g.detach().copyToHeap();
                }
                if (whole(p)) {
                    update.apply(group, i, p, g);
                    TensorInternals.storage(p).bumpVersion();
                } else {
                    // A parameter that is a view (a slice made a leaf by hand): update a whole copy, write it back.
                    Tensor copy = p.detach().copyToHeap();
                    update.apply(group, i, copy, g);
                    try (perceptron.autograd.Autograd.Scope s = perceptron.autograd.Autograd.noGrad()) {
                        p.copyFrom(copy);
                    }
                }
            }
        }
    }
}
