package perceptron.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import perceptron.nn.Linear;
import perceptron.nn.Sequential;
import perceptron.nn.ReLU;
import perceptron.tensor.Tensor;

/** Each optimiser against hand-computed steps and against PyTorch 1.13 on the same parameters and gradients. */
class OptimizerTest {
    private static final ReferenceValues REF = new ReferenceValues("/reference/optim_loss.txt");

    /** Runs three steps with the reference gradients; returns the parameter after each step. */
    private static double[][] run(Function<List<Tensor>, Optimizer> make) {
        Tensor p = Tensor.of(REF.get("param0")).requiresGrad();
        Optimizer opt = make.apply(List.of(p));
        double[][] after = new double[3][];
        for (int i = 0; i < 3; i++) {
            p.setGrad(Tensor.of(REF.get("grad" + i)));
            opt.step();
            after[i] = p.toDoubleArray();
        }
        return after;
    }

    private static void assertMatchesPyTorch(String name, Function<List<Tensor>, Optimizer> make) {
        double[][] after = run(make);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(REF.get(name + ".step" + (i + 1)), after[i], 1e-12, name + " step " + (i + 1));
        }
    }

    @Test
    void sgdStepIsParameterMinusLearningRateTimesGradient() {
        double[][] after = run(ps -> new SGD(ps, 0.1));
        double[] p = REF.get("param0");
        double[] g = REF.get("grad0");
        for (int j = 0; j < p.length; j++) {
            assertEquals(p[j] - 0.1 * g[j], after[0][j], 1e-15);
        }
    }

    @Test
    void momentumStartsWithTheGradientThenAccumulates() {
        double[][] after = run(ps -> new SGD(ps, 0.1, 0.9, 0, false));
        double[] p = REF.get("param0");
        double[] g0 = REF.get("grad0");
        double[] g1 = REF.get("grad1");
        for (int j = 0; j < p.length; j++) {
            double v1 = g0[j];
            double p1 = p[j] - 0.1 * v1;
            double v2 = 0.9 * v1 + g1[j];
            assertEquals(p1 - 0.1 * v2, after[1][j], 1e-15);
        }
    }

    @Test
    void sgdVariantsMatchPyTorch() {
        assertMatchesPyTorch("sgd", ps -> new SGD(ps, 0.1));
        assertMatchesPyTorch("sgd_momentum", ps -> new SGD(ps, 0.1, 0.9, 0, false));
        assertMatchesPyTorch("sgd_momentum_dampening_wd",
                ps -> new SGD(List.of(new ParamGroup(ps)), 0.1, 0.9, 0.3, 0.01, false));
        assertMatchesPyTorch("sgd_nesterov_wd", ps -> new SGD(ps, 0.05, 0.8, 0.1, true));
    }

    @Test
    void adamFirstStepMovesEachParameterByTheLearningRate() {
        // After one step m/(1-b1) = g and v/(1-b2) = g^2, so the step is lr * g / (|g| + eps) ~ lr * sign(g).
        double[][] after = run(ps -> new Adam(ps, 0.01));
        double[] p = REF.get("param0");
        double[] g = REF.get("grad0");
        for (int j = 0; j < p.length; j++) {
            assertEquals(p[j] - 0.01 * g[j] / (Math.abs(g[j]) + 1e-8), after[0][j], 1e-12);
        }
    }

    @Test
    void adamAndAdamWMatchPyTorch() {
        assertMatchesPyTorch("adam", ps -> new Adam(ps, 0.01));
        assertMatchesPyTorch("adam_wd", ps -> new Adam(List.of(new ParamGroup(ps)), 0.01, 0.8, 0.99, 1e-6, 0.1));
        assertMatchesPyTorch("adamw", ps -> new AdamW(ps, 0.01));
        assertMatchesPyTorch("adamw_wd",
                ps -> new AdamW(List.of(new ParamGroup(ps)), 0.02, 0.9, 0.999, 1e-8, 0.5));
    }

    @Test
    void float32ParametersFollowTheSameSteps() {
        Tensor p = Tensor.of(REF.get("param0")).toType(perceptron.tensor.DType.FLOAT32).requiresGrad();
        Optimizer opt = new Adam(List.of(p), 0.01);
        for (int i = 0; i < 3; i++) {
            p.setGrad(Tensor.of(REF.get("grad" + i)).toType(perceptron.tensor.DType.FLOAT32));
            opt.step();
        }
        assertArrayEquals(REF.get("adam.step3"), p.toDoubleArray(), 1e-6);
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor b = Tensor.of(3.0).requiresGrad();
        Optimizer opt = new SGD(List.of(a, b), 0.5, 0.9, 0.1, false);
        b.setGrad(Tensor.of(1.0));
        opt.step();
        assertArrayEquals(new double[] {1, 2}, a.toDoubleArray());
        assertEquals(3 - 0.5 * (1 + 0.1 * 3), b.item(), 1e-15);
    }

    @Test
    void aParameterThatIsAViewIsUpdatedWhereItLies() {
        Tensor big = Tensor.of(10.0, 20.0, 30.0, 40.0);
        Tensor s = big.slice(0, 2, 4).requiresGrad();
        s.sum().backward();
        new SGD(List.of(s), 1).step();
        assertArrayEquals(new double[] {10, 20, 29, 39}, big.toDoubleArray());
        Tensor m = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor t = m.t().requiresGrad();
        t.setGrad(Tensor.of(new double[][] {{1, 0}, {0, 0}}));
        new SGD(List.of(t), 1).step();
        assertArrayEquals(new double[] {0, 2, 3, 4}, m.toDoubleArray());
    }

    @Test
    void noDecayGroupHoldsBiasesAndDecayGroupHoldsWeights() {
        Sequential net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        List<ParamGroup> groups = ParamGroups.decayAndNoDecay(net, 0.5);
        assertEquals(2, groups.size());
        assertEquals(List.of(net.namedParameters().get("0.weight"), net.namedParameters().get("2.weight")),
                groups.get(0).params());
        assertEquals(0.5, groups.get(0).weightDecay());
        assertEquals(0.0, groups.get(1).weightDecay());
        SGD opt = new SGD(groups, 0.1, 0, 0, 0.0, false);
        assertEquals(0.5, opt.groups().get(0).weightDecay());
        assertEquals(0.1, opt.groups().get(1).lr());
    }

    @Test
    void stateDictRestoresMomentumSoStepsContinueIdentically() {
        Function<Tensor, Optimizer> make = p -> new SGD(List.of(p), 0.1, 0.9, 0.0, true);
        Tensor p1 = Tensor.of(REF.get("param0")).requiresGrad();
        Optimizer o1 = make.apply(p1);
        p1.setGrad(Tensor.of(REF.get("grad0")));
        o1.step();
        Map<String, Tensor> saved = o1.stateDict();
        Tensor p2 = p1.detach().copy().requiresGrad();
        Optimizer o2 = make.apply(p2);
        o2.loadStateDict(saved);
        p1.setGrad(Tensor.of(REF.get("grad1")));
        p2.setGrad(Tensor.of(REF.get("grad1")));
        o1.step();
        o2.step();
        assertArrayEquals(p1.toDoubleArray(), p2.toDoubleArray(), 0.0);
    }

    @Test
    void adamStateDictUsesPyTorchNamesAndRoundTrips() {
        Tensor p = Tensor.of(REF.get("param0")).requiresGrad();
        Adam a = new Adam(List.of(p), 0.01);
        p.setGrad(Tensor.of(REF.get("grad0")));
        a.step();
        Map<String, Tensor> s = a.stateDict();
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq"), List.copyOf(s.keySet()));
        Tensor q = Tensor.of(REF.get("param0")).requiresGrad();
        Adam b = new Adam(List.of(q), 0.01);
        q.setGrad(Tensor.of(REF.get("grad0")));
        b.step();
        q.copy();
        Adam c = new Adam(List.of(q), 0.01);
        c.loadStateDict(s);
        q.setGrad(Tensor.of(REF.get("grad1")));
        c.step();
        p.setGrad(Tensor.of(REF.get("grad1")));
        a.step();
        assertArrayEquals(p.toDoubleArray(), q.toDoubleArray(), 0.0);
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        Tensor p = Tensor.of(1.0).requiresGrad();
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(p), 0.1, 0.0, 0.0, true));
        assertEquals("SGD: Nesterov momentum requires a momentum and zero dampening", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.of(1.0)), 0.1));
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(1.0, LrSchedule.step(3, 0.1).factor(2.9));
        assertEquals(0.1, LrSchedule.step(3, 0.1).factor(3.0), 1e-15);
        assertEquals(1.0, LrSchedule.cosine(10, 0).factor(0));
        assertEquals(0.5, LrSchedule.cosine(10, 0).factor(5), 1e-15);
        assertEquals(0.0, LrSchedule.cosine(10, 0).factor(10), 1e-15);
        assertEquals(0.5, LrSchedule.warmup(2, LrSchedule.constant()).factor(1.0), 1e-9);
        assertEquals(1.0, LrSchedule.warmup(2, LrSchedule.constant()).factor(2.0));
    }

    @Test
    void clippingScalesTheGlobalNormDown() {
        Tensor a = Tensor.of(0.0, 0.0).requiresGrad();
        Tensor b = Tensor.of(0.0).requiresGrad();
        a.setGrad(Tensor.of(3.0, 0.0));
        b.setGrad(Tensor.of(4.0));
        double norm = GradClip.clipByNorm(List.of(a, b), 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertEquals(3.0 / (5 + 1e-6), a.grad().get(0), 1e-12);
        assertEquals(4.0 / (5 + 1e-6), b.grad().get(0), 1e-12);
    }
}
