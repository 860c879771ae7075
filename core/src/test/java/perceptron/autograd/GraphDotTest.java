package perceptron.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

class GraphDotTest {

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Tensor[] expression() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad();
        Tensor w = Tensor.randn(rng, 3).requiresGrad();
        Tensor y = x.mul(w).relu().sum();
        return new Tensor[] {x, w, y};
    }

    @Test
    void dotOfReluOfAProductHasItsOpsLeavesSavedTensorsAndEdges() {
        Tensor[] t = expression();
        String dot = GraphDot.render(t[2], Map.of("x", t[0], "w", t[1]));
        assertTrue(dot.startsWith("digraph backward {"), dot);
        // 3 ops + 2 leaves + 3 saved tensors (relu's output, mul's two inputs) + the output itself.
        assertEquals(9, count(dot, "(?m)^  \\w+ \\[label="), dot);
        assertEquals(5, count(dot, "-> \\w+;"), dot);
        assertEquals(3, count(dot, "style=dashed, arrowhead=none"), dot);
        assertTrue(dot.contains("label=\"SumBackward\\n[]\""), dot);
        assertTrue(dot.contains("label=\"ReluBackward\\n[2, 3]\""), dot);
        assertTrue(dot.contains("label=\"MulBackward\\n[2, 3]\""), dot);
        assertTrue(dot.contains("label=\"x\\n[2, 3]\", fillcolor=lightblue"), dot);
        assertTrue(dot.contains("label=\"w\\n[3]\", fillcolor=lightblue"), dot);
        assertTrue(dot.contains("label=\"saved x\\n[2, 3]\", fillcolor=orange"), dot);
        assertTrue(dot.contains("label=\"saved w\\n[3]\", fillcolor=orange"), dot);
        assertTrue(dot.contains("label=\"output []\", fillcolor=darkolivegreen1"), dot);
        assertEquals(0, count(dot, "freed"), dot);
        // Inputs point at the op that used them.
        String mul = id(dot, "MulBackward");
        assertTrue(dot.contains(id(dot, "x\\\\n\\[2, 3\\]") + " -> " + mul + ";"), dot);
        assertTrue(dot.contains(mul + " -> " + id(dot, "ReluBackward") + ";"), dot);
    }

    private static String id(String dot, String labelStart) {
        Matcher m = Pattern.compile("(?m)^  (\\w+) \\[label=\"" + labelStart).matcher(dot);
        assertTrue(m.find(), labelStart + " in " + dot);
        return m.group(1);
    }

    @Test
    void aBackwardPassMarksTheOpsAndTheirSavedTensorsFreed() {
        Tensor[] t = expression();
        t[2].backward();
        String dot = GraphDot.render(t[2]);
        assertEquals(3, count(dot, "Backward\\\\n[^\"]*\\\\n\\(freed\\)\""), dot);
        assertEquals(3, count(dot, "saved \\(freed\\)"), dot);
        assertTrue(dot.contains("label=\"leaf\\n[2, 3]\""), "unnamed leaves are labelled leaf: " + dot);
        assertEquals(6, count(dot, "freed[^\n]*style=\"filled,dashed\""), "freed boxes are dashed: " + dot);
    }

    @Test
    void sharedSubexpressionsAppearOnceAndFloat64IsShown() {
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad();
        Tensor e = x.exp();
        Tensor y = e.add(e).sum();
        String dot = GraphDot.render(y, Map.of("x", x));
        assertEquals(1, count(dot, "label=\"ExpBackward"), dot);
        assertEquals(2, count(dot, id(dot, "ExpBackward") + " -> "), "both uses of e are edges: " + dot);
        assertTrue(dot.contains("x\\n[2] float64"), dot);
    }

    @Test
    void refusesATensorWithoutAGraph() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphDot.render(Tensor.ones(2).mul(3.0)));
        assertTrue(e.getMessage().startsWith("graph: this tensor (shape [2]) does not require grad"), e.getMessage());
    }

    @Test
    void svgWhenGraphvizIsInstalled() {
        assumeTrue(GraphDot.isDotInstalled(), "the graphviz 'dot' program is not installed");
        Tensor[] t = expression();
        String svg = GraphDot.toSvg(GraphDot.render(t[2], Map.of("x", t[0], "w", t[1])));
        assertTrue(svg.contains("<svg"), svg);
        assertTrue(svg.contains("ReluBackward"), svg);
        assertTrue(svg.contains("saved x"), svg);
    }

    @Test
    void aMissingDotProgramIsNamedWithThePackageToInstall() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> GraphDot.toSvg("digraph { a -> b }", "/nonexistent/perceptron-dot"));
        assertTrue(e.getMessage().contains("install the graphviz package"), e.getMessage());
        assertTrue(e.getMessage().contains("'/nonexistent/perceptron-dot'"), e.getMessage());
    }

    @Test
    void badDotTextReportsGraphvizsError() {
        assumeTrue(GraphDot.isDotInstalled(), "the graphviz 'dot' program is not installed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GraphDot.toSvg("digraph { a -> "));
        assertTrue(e.getMessage().contains("failed with exit code"), e.getMessage());
    }
}
