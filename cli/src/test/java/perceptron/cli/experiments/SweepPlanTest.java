package perceptron.cli.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import perceptron.cli.experiments.SweepPlan.Kind;

class SweepPlanTest {
    static final Map<String, Kind> KINDS = Map.of("--hidden", Kind.WIDTHS, "--lr", Kind.LOG_REAL,
            "--dropout", Kind.PROBABILITIES, "--activation", Kind.NAME, "--epochs", Kind.INTEGER);

    static Map<String, List<String>> given(Object... optionAndArgs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < optionAndArgs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) optionAndArgs[i + 1];
            m.put((String) optionAndArgs[i], args);
        }
        return m;
    }

    @Test
    void gridIsEveryCombinationInTheOrderGivenNamedByWhatVaries() {
        SweepPlan plan = SweepPlan.of(given("--hidden", List.of("256", "256,256"), "--lr", List.of("0.03,0.1", "0.3"),
                "--epochs", List.of("10")), KINDS, 0, 1);
        assertEquals(List.of("--hidden", "--lr"), plan.varied());
        assertEquals(6, plan.runs().size());
        assertEquals("01-hidden=256-lr=0.03", plan.runs().get(0).name());
        assertEquals("06-hidden=256,256-lr=0.3", plan.runs().get(5).name());
        assertEquals(Map.of("--hidden", "256,256", "--lr", "0.3", "--epochs", "10"), plan.runs().get(5).options());
    }

    @Test
    void randomSamplingDrawsLearningRatesOnALogScaleInsideTheRange() {
        SweepPlan plan = SweepPlan.of(given("--lr", List.of("1e-4:1"), "--activation", List.of("relu,gelu")),
                KINDS, 200, 7);
        assertEquals(200, plan.runs().size());
        int below = 0;
        for (SweepPlan.Run r : plan.runs()) {
            double lr = Double.parseDouble(r.options().get("--lr"));
            assertTrue(lr >= 1e-4 && lr <= 1, r.toString());
            below += lr < 1e-2 ? 1 : 0;
        }
        assertTrue(below > 70 && below < 130, "half the draws below 1e-2 on a log scale: " + below);
        assertEquals(plan.runs(), SweepPlan.of(given("--lr", List.of("1e-4:1"), "--activation", List.of("relu,gelu")),
                KINDS, 200, 7).runs(), "the same seed plans the same runs");
    }

    @Test
    void badListsGetOneLineNamingTheOption() {
        assertEquals("--lr: 'abc' is not a number (give a list such as --lr 0.01,0.1,1)", assertThrows(
                IllegalArgumentException.class, () -> SweepPlan.of(given("--lr", List.of("0.1,abc")), KINDS, 0, 1))
                .getMessage());
        assertEquals("--hidden: '2x' is not a whole number", assertThrows(IllegalArgumentException.class,
                () -> SweepPlan.of(given("--hidden", List.of("256", "2x")), KINDS, 0, 1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SweepPlan.of(given("--lr", List.of("1e-3:1")),
                KINDS, 0, 1)).getMessage().startsWith("--lr: the range 1e-3:1 needs --random N"));
        assertEquals("--lr: 0.1 is given twice", assertThrows(IllegalArgumentException.class,
                () -> SweepPlan.of(given("--lr", List.of("0.1,0.1")), KINDS, 0, 1)).getMessage());
        assertEquals("--seed cannot vary in a sweep", assertThrows(IllegalArgumentException.class,
                () -> SweepPlan.of(given("--seed", List.of("1,2")), KINDS, 0, 1)).getMessage());
    }
}
