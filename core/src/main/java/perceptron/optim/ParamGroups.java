package perceptron.optim;

import java.util.ArrayList;
import java.util.List;
import perceptron.nn.Layer;
import perceptron.nn.Parameter;

/** Ready-made parameter groupings. */
public final class ParamGroups {
    private ParamGroups() {
    }

    /**
     * Two groups: weights (with the given weight decay) and everything the model marks as not decaying (biases,
     * normalisation parameters, PReLU slopes) with weight decay 0. Empty groups are left out.
     */
    public static List<ParamGroup> decayAndNoDecay(Layer model, double weightDecay) {
        List<perceptron.tensor.Tensor> decay = new ArrayList<>();
        List<perceptron.tensor.Tensor> noDecay = new ArrayList<>();
        for (Parameter p : model.namedParameterEntries().values()) {
            (p.decays() ? decay : noDecay).add(p.tensor());
        }
        List<ParamGroup> groups = new ArrayList<>();
        if (!decay.isEmpty()) {
            groups.add(new ParamGroup(decay, Double.NaN, weightDecay));
        }
        if (!noDecay.isEmpty()) {
            groups.add(new ParamGroup(noDecay, Double.NaN, 0.0));
        }
        return groups;
    }
}
