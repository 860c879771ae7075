package perceptron.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import perceptron.autograd.Autograd;
import perceptron.io.InvalidInputException;
import perceptron.nn.BatchNorm1d;
import perceptron.nn.Dropout;
import perceptron.nn.Flatten;
import perceptron.nn.Hardtanh;
import perceptron.nn.Identity;
import perceptron.nn.LeakyReLU;
import perceptron.nn.Linear;
import perceptron.nn.Layer;
import perceptron.nn.PReLU;
import perceptron.nn.ReLU;
import perceptron.nn.ReLU6;
import perceptron.nn.Sequential;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * A network read as a chain of float64 affine maps and piecewise-linear activations, the form in which
 * {@link LinearRegions} pushes affine functions of the input through it. One example is a flat vector of
 * {@code units} numbers; its shape (without the batch axis) is tracked only to place Linear rows and channels.
 *
 * <p>Affine: Linear (y = W z + b on each row of the example), BatchNorm1d in eval mode (per channel
 * y = scale z + shift, read from the module itself), Flatten, Identity and Dropout in eval mode (no-ops on the
 * flat vector). Activations: see {@link #activationOf}. Anything else is refused, naming the layer.
 */
final class PiecewiseNetwork {

    /** One step of the chain. */
    abstract static class Step {
        final String label;
        final int inUnits;
        final int outUnits;

        Step(String label, int inUnits, int outUnits) {
            this.label = label;
            this.inUnits = inUnits;
            this.outUnits = outUnits;
        }
    }

    /** y = A z + shift. {@code withShift = false} applies only A: the map of slopes (directions). */
    abstract static class Affine extends Step {
        Affine(String label, int inUnits, int outUnits) {
            super(label, inUnits, outUnits);
        }

        abstract double[] apply(double[] z, boolean withShift);
    }

    static final class Activation extends Step {
        final PiecewiseLinear function;
        final int[] channel;

        Activation(String label, PiecewiseLinear function, int[] exampleShape, int units) {
            super(label, units, units);
            this.function = function;
            this.channel = new int[units];
            for (int j = 0; j < units; j++) {
                channel[j] = function.channelOf(j, exampleShape, units);
            }
        }
    }

    final List<Step> steps;
    final int inputUnits;
    final int outputUnits;

    private PiecewiseNetwork(List<Step> steps, int inputUnits, int outputUnits) {
        this.steps = steps;
        this.inputUnits = inputUnits;
        this.outputUnits = outputUnits;
    }

    /**
     * The mapping from module classes to piecewise-linear descriptions; null for a module that is not an
     * elementwise piecewise-linear activation. LeakyReLU, PReLU, Hardtanh and ReLU6 join here as instanceof
     * lines once they exist in {@code perceptron.nn}.
     */
    static PiecewiseLinear activationOf(Layer m) {
        if (m instanceof ReLU) {
            return PiecewiseLinear.relu();
        }
        if (m instanceof LeakyReLU l) {
            return PiecewiseLinear.leakyRelu(l.negativeSlope());
        }
        if (m instanceof PReLU p) {
            return PiecewiseLinear.prelu(p.weight().toDoubleArray());
        }
        if (m instanceof ReLU6) {
            return PiecewiseLinear.relu6();
        }
        if (m instanceof Hardtanh h) {
            return PiecewiseLinear.hardtanh(h.minValue(), h.maxValue());
        }
        return null;
    }

    static PiecewiseNetwork of(String who, Layer model, int[] exampleShape) {
        return of(who, model, exampleShape, m -> null);
    }

    /** As {@link #of(String, Layer, int[])}, with extra activations (tests describe modules of their own). */
    static PiecewiseNetwork of(String who, Layer model, int[] exampleShape,
                               Function<Layer, PiecewiseLinear> extraActivations) {
        List<Map.Entry<String, Layer>> layers = new ArrayList<>();
        expand("", model, layers);
        List<Step> steps = new ArrayList<>();
        int[] shape = exampleShape.clone();
        int inputUnits = Shape.numel(shape);
        for (Map.Entry<String, Layer> e : layers) {
            String name = e.getKey();
            Layer m = e.getValue();
            String label = "layer " + name + " (" + m.getClass().getSimpleName() + ")";
            int units = Shape.numel(shape);
            PiecewiseLinear f = activationOf(m);
            if (f == null) {
                f = extraActivations.apply(m);
            }
            if (f != null) {
                if (f.channels() > 1 && (shape.length == 0 || shape[0] != f.channels())) {
                    throw new IllegalArgumentException(who + ": " + label + " has " + f.channels()
                            + " channels, but its input examples have shape " + Shape.toString(shape));
                }
                steps.add(new Activation(label, f, shape, units));
            } else if (m instanceof Linear linear) {
                steps.add(linear(who, label, linear, shape));
                shape[shape.length - 1] = linear.outFeatures();
            } else if (m instanceof Flatten flatten) {
                shape = flatten(who, label, flatten, shape);
            } else if (m instanceof Identity) {
                // No step: the identity changes nothing.
            } else if (m instanceof Dropout dropout) {
                if (dropout.isTraining() && dropout.p() > 0) {
                    throw new IllegalArgumentException(who + ": " + label + " is in training mode, where it zeroes "
                            + "random units; call model.eval() first");
                }
            } else if (m instanceof BatchNorm1d) {
                if (m.isTraining()) {
                    throw new IllegalArgumentException(who + ": " + label + " is in training mode, where each "
                            + "example's output depends on the rest of its batch; call model.eval() first");
                }
                steps.add(batchNorm(who, label, m, shape));
            } else {
                throw new InvalidInputException(who + ": " + label + " is not piecewise linear; " + who
                        + " understands Linear, Flatten, Identity, Dropout and BatchNorm1d in eval mode, and the "
                        + "activations ReLU, LeakyReLU, PReLU, Hardtanh and ReLU6");
            }
        }
        return new PiecewiseNetwork(steps, inputUnits, Shape.numel(shape));
    }

    /** Children of Sequentials in order, with dotted names ("2", or "1.0" inside a nested Sequential). */
    private static void expand(String prefix, Layer m, List<Map.Entry<String, Layer>> out) {
        if (m instanceof Sequential seq) {
            for (int i = 0; i < seq.size(); i++) {
                expand(prefix + i + ".", seq.get(i), out);
            }
        } else {
            String name = prefix.isEmpty() ? "0" : prefix.substring(0, prefix.length() - 1);
            out.add(Map.entry(name, m));
        }
    }

    private static Affine linear(String who, String label, Linear layer, int[] shape) {
        int in = layer.inFeatures();
        int out = layer.outFeatures();
        if (shape.length == 0 || shape[shape.length - 1] != in) {
            throw new IllegalArgumentException(who + ": " + label + " expects examples ending in " + in
                    + " features, but receives examples of shape " + Shape.toString(shape)
                    + (shape.length > 1 ? "; add a Flatten before it" : ""));
        }
        double[] w = layer.weight().toDoubleArray();
        double[] b = layer.bias() == null ? null : layer.bias().toDoubleArray();
        int rows = Shape.numel(shape) / in;
        return new Affine(label, rows * in, rows * out) {
            @Override
            double[] apply(double[] z, boolean withShift) {
                double[] y = new double[rows * out];
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < out; i++) {
                        double s = withShift && b != null ? b[i] : 0.0;
                        int wRow = i * in;
                        int zRow = r * in;
                        for (int k = 0; k < in; k++) {
                            s += w[wRow + k] * z[zRow + k];
                        }
                        y[r * out + i] = s;
                    }
                }
                return y;
            }
        };
    }

    /**
     * BatchNorm1d in eval mode is y = scale z + shift per channel. Both are read by running the module on the
     * examples 0 and 1 in float64, so the map is exactly the one its forward pass computes (float32 statistics
     * promoted to float64), without reaching into its fields.
     */
    private static Affine batchNorm(String who, String label, Layer bn, int[] shape) {
        if (shape.length < 1 || shape.length > 2) {
            throw new IllegalArgumentException(who + ": " + label + " expects examples [C] or [C, L], got "
                    + Shape.toString(shape));
        }
        int channels = shape[0];
        int[] probeShape = {2, channels};
        double[] probe = new double[2 * channels];
        java.util.Arrays.fill(probe, channels, 2 * channels, 1.0);
        double[] y;
        try (Autograd.Scope g = Autograd.noGrad()) {
            y = bn.forward(Tensor.wrap(probe, probeShape).toType(DType.FLOAT64)).toDoubleArray();
        }
        double[] shift = java.util.Arrays.copyOfRange(y, 0, channels);
        double[] scale = new double[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = y[channels + c] - shift[c];
        }
        int units = Shape.numel(shape);
        int perChannel = units / channels;
        return new Affine(label, units, units) {
            @Override
            double[] apply(double[] z, boolean withShift) {
                double[] out = new double[units];
                for (int j = 0; j < units; j++) {
                    int c = j / perChannel;
                    out[j] = scale[c] * z[j] + (withShift ? shift[c] : 0.0);
                }
                return out;
            }
        };
    }

    /** The example shape after Flatten, read by running it on a batch of two zero examples. */
    private static int[] flatten(String who, String label, Flatten f, int[] shape) {
        int[] batch = new int[shape.length + 1];
        batch[0] = 2;
        System.arraycopy(shape, 0, batch, 1, shape.length);
        int[] out = f.forward(Tensor.zeros(batch)).shape();
        if (out.length == 0 || out[0] != 2) {
            throw new IllegalArgumentException(who + ": " + label + " flattens the batch axis into the features");
        }
        return java.util.Arrays.copyOfRange(out, 1, out.length);
    }
}
