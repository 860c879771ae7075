package perceptron.autograd;

import perceptron.internal.tensor.TensorInternals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Checks autograd against central finite differences, in float64, element by element (PyTorch's
 * {@code gradcheck}; JAX's {@code check_grads}). The full Jacobian is built both ways, so keep inputs small.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(rng, DType.FLOAT64, 3, 4).requiresGrad();
 * GradCheck.check(in -> in[0].tanh().sum(1), x);          // throws GradCheck.Failure with the worst element
 * GradCheck.checkSecondOrder(in -> in[0].tanh(), x);       // the gradient's own gradient
 * }</pre>
 *
 * <p>Defaults are PyTorch's: eps 1e-6, atol 1e-5, rtol 1e-3; an element passes when
 * |analytical - numerical| &lt;= atol + rtol |numerical|.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Step and tolerances. */
    public record Options(double eps, double atol, double rtol) {
        public static final Options DEFAULT = new Options(1e-6, 1e-5, 1e-3);
    }

    /**
     * The outcome: the worst element (largest error relative to its tolerance) and where it was.
     *
     * @param input       which input the worst element belongs to
     * @param inputIndex  flat index of the element within that input
     * @param outputIndex flat index of the output element
     */
    public record Result(boolean passed, double maxAbsError, int input, int inputIndex, int outputIndex,
                         double analytical, double numerical) {
        @Override
        public String toString() {
            return (passed ? "gradcheck passed" : "gradcheck FAILED") + ": worst |analytical - numerical| = "
                    + maxAbsError + " at input " + input + " element " + inputIndex + ", output element "
                    + outputIndex + " (analytical " + analytical + ", numerical " + numerical + ")";
        }
    }

    /** Thrown by {@link #check} when autograd and finite differences disagree. */
    public static final class Failure extends AssertionError {
        private final Result result;

        Failure(Result result) {
            super(result.toString());
            this.result = result;
        }

        public Result result() {
            return result;
        }
    }

    /** Checks with the default options; throws {@link Failure} on a mismatch, else returns the worst element. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(Options.DEFAULT, f, inputs);
    }

    public static Result check(Options options, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Result r = compare(options, f, inputs);
        if (!r.passed()) {
            throw new Failure(r);
        }
        return r;
    }

    /**
     * Checks second derivatives: the vector-Jacobian product with a fixed random vector v, computed with
     * {@code createGraph}, is itself checked against finite differences.
     */
    public static Result checkSecondOrder(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return checkSecondOrder(Options.DEFAULT, f, inputs);
    }

    public static Result checkSecondOrder(Options options, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor probe;
        try (Autograd.Scope s = Autograd.noGrad()) {
            probe = f.apply(detachedCopies(inputs));
        }
        Tensor v = Tensor.randn(new SplittableRandom(1234), DType.FLOAT64, probe.shape());
        Function<Tensor[], Tensor> vjp = in -> {
            Tensor y = f.apply(in);
            List<Tensor> wrt = new ArrayList<>();
            for (Tensor t : in) {
                if (t.isRequiresGrad()) {
                    wrt.add(t);
                }
            }
            Tensor[] grads = Autograd.grad(y, wrt, v, true, true, true);
            List<Tensor> parts = new ArrayList<>();
            for (int i = 0; i < grads.length; i++) {
                parts.add(grads[i] == null ? Tensor.zerosLike(wrt.get(i)).reshape(-1) : grads[i].reshape(-1));
            }
            return Tensor.concat(0, parts);
        };
        return check(options, vjp, inputs);
    }

    /** Builds both Jacobians and reports the worst element without throwing. */
    public static Result compare(Options options, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].isRequiresGrad() && inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("GradCheck: input " + i + " is " + inputs[i].dtype().displayName()
                        + "; finite differences need float64 inputs (call .toType(DType.FLOAT64))");
            }
        }
        Tensor out;
        try (Autograd.Scope s = Autograd.enableGrad()) {
            out = f.apply(inputs);
        }
        int outSize = out.size();
        List<Integer> wrtIndex = new ArrayList<>();
        List<Tensor> wrt = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].isRequiresGrad()) {
                wrtIndex.add(i);
                wrt.add(inputs[i]);
            }
        }
        if (wrt.isEmpty()) {
            throw new IllegalArgumentException("GradCheck: no input requires grad; call requiresGrad() on the "
                    + "inputs to check");
        }
        // analytical[w][o][e]: d out[o] / d input_w[e], one backward pass per output element.
        double[][][] analytical = new double[wrt.size()][outSize][];
        for (int o = 0; o < outSize; o++) {
            double[] oneHot = new double[outSize];
            oneHot[o] = 1;
            Tensor[] grads;
            if (out.isRequiresGrad()) {
                grads = Autograd.grad(out, wrt, Tensor.wrap(oneHot, out.shape()).toType(out.dtype()), true,
                        false, true);
            } else {
                grads = new Tensor[wrt.size()];
            }
            for (int w = 0; w < wrt.size(); w++) {
                analytical[w][o] = grads[w] == null ? new double[wrt.get(w).size()] : grads[w].toDoubleArray();
            }
        }
        double worstScore = -1;
        Result worst = null;
        for (int w = 0; w < wrt.size(); w++) {
            int inputPos = wrtIndex.get(w);
            int n = wrt.get(w).size();
            for (int e = 0; e < n; e++) {
                double[] plus = evaluateShifted(f, inputs, inputPos, e, options.eps());
                double[] minus = evaluateShifted(f, inputs, inputPos, e, -options.eps());
                for (int o = 0; o < outSize; o++) {
                    double numerical = (plus[o] - minus[o]) / (2 * options.eps());
                    double a = analytical[w][o][e];
                    double err = Math.abs(a - numerical);
                    double tol = options.atol() + options.rtol() * Math.abs(numerical);
                    double score = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err / tol;
                    if (score > worstScore) {
                        worstScore = score;
                        worst = new Result(score <= 1, err, inputPos, e, o, a, numerical);
                    }
                }
            }
        }
        if (worst == null) {
            return new Result(true, 0, 0, 0, 0, 0, 0);
        }
        return worst;
    }

    private static Tensor[] detachedCopies(Tensor[] inputs) {
        Tensor[] copies = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            copies[i] = inputs[i].detach().copyToHeap();
        }
        return copies;
    }

    /**
     * f with element e of input i shifted by delta. Inputs keep their requiresGrad flags (the function may itself
     * take gradients, as in the second-order check); only the output values are read.
     */
    private static double[] evaluateShifted(Function<Tensor[], Tensor> f, Tensor[] inputs, int i, int e,
                                            double delta) {
        Tensor[] copies = detachedCopies(inputs);
        TensorInternals.doubleData(copies[i])[e] += delta;
        for (int k = 0; k < copies.length; k++) {
            copies[k].requiresGrad(inputs[k].isRequiresGrad());
        }
        try (Autograd.Scope s = Autograd.enableGrad()) {
            return f.apply(copies).toDoubleArray();
        }
    }
}
