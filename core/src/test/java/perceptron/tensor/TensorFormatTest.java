package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * toString against PyTorch's repr() of the same tensors ({@code reference/core_format.txt}, written by
 * {@code tools/reference/core_ops.py}). PyTorch's Python spellings are translated first: {@code dtype=torch.float64}
 * is {@code dtype=float64} here, {@code requires_grad=True} is {@code requiresGrad=true}, and a size (2, 0) is
 * [2, 0].
 */
class TensorFormatTest {

    private static final Map<String, Tensor> TENSORS = new LinkedHashMap<>();

    static {
        TENSORS.put("scalar_3", Tensor.scalar(3.0));
        TENSORS.put("scalar_2.5", Tensor.scalar(2.5));
        TENSORS.put("scalar_nan", Tensor.scalar(Double.NaN));
        TENSORS.put("vector", Tensor.of(1f, 2.5f));
        TENSORS.put("matrix_int", Tensor.of(new float[][] {{1, -2}, {3, 4}}));
        TENSORS.put("arange_30", Tensor.arange(30));
        TENSORS.put("arange_2000", Tensor.arange(2000));
        TENSORS.put("arange_24_3d", Tensor.arange(24).reshape(2, 3, 4));
        TENSORS.put("tiny_sci", Tensor.of(1e-5f, 1f));
        TENSORS.put("float64", Tensor.of(1.0, 2.0));
        TENSORS.put("big_matrix", Tensor.arange(1200).reshape(40, 30).div(7.0));
        TENSORS.put("summarized_4d", Tensor.arange(1200).reshape(2, 3, 4, 50));
        TENSORS.put("nonfinite", Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, 1.5f));
        TENSORS.put("nonfinite_int", Tensor.of(Float.NEGATIVE_INFINITY, 2f));
        TENSORS.put("requires_grad", Tensor.of(1f, 2f).requiresGrad());
        TENSORS.put("mixed", Tensor.of(0.1f, 123.456f));
        TENSORS.put("big", Tensor.of(1e9f, 1f));
        TENSORS.put("int_ratio", Tensor.of(1f, 2000f));
        TENSORS.put("book_range", Tensor.arange(-8.0, 8.0, 0.1));
        TENSORS.put("linspace", Tensor.linspace(-1, 1, 5));
        TENSORS.put("empty", Tensor.zeros(0));
        TENSORS.put("empty_2d", Tensor.zeros(2, 0));
        TENSORS.put("empty_float64", Tensor.zeros(DType.FLOAT64, 0));
        TENSORS.put("negative_zero", Tensor.of(-0f, 1f));
        TENSORS.put("zeros", Tensor.zeros(3));
        TENSORS.put("half_even", Tensor.of(0.03125f, 0.5f));
        TENSORS.put("float64_matrix", Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(3, 4).sub(5.5).div(3.0));
        TENSORS.put("long_float64_row", Tensor.linspace(0, 1, 33, DType.FLOAT64));
    }

    static Map<String, String> load() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = TensorFormatTest.class.getResourceAsStream("/reference/core_format.txt")) {
            assertNotNull(in, "core_format.txt is missing; run tools/reference/core_ops.py");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            String name = null;
            StringBuilder text = null;
            while ((line = r.readLine()) != null) {
                if (name == null) {
                    if (line.startsWith("format ")) {
                        name = line.substring(7);
                        text = new StringBuilder();
                    }
                } else if (line.equals("end")) {
                    out.put(name, text.toString());
                    name = null;
                } else {
                    text.append(text.length() == 0 ? "" : "\n").append(line);
                }
            }
        }
        return out;
    }

    /** PyTorch's Python spellings, in ours. */
    static String translate(String torch) {
        return torch.replace("dtype=torch.float64", "dtype=float64")
                .replace("requires_grad=True", "requiresGrad=true")
                .replaceAll("size=\\((\\d+), (\\d+)\\)", "size=[$1, $2]");
    }

    @TestFactory
    Stream<DynamicTest> printsLikePyTorch() throws IOException {
        return load().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Tensor t = TENSORS.get(e.getKey());
            assertNotNull(t, "no tensor for format case " + e.getKey());
            assertEquals(translate(e.getValue()), t.toString());
        }));
    }

    @Test
    void everyTensorHasAReference() throws IOException {
        TreeSet<String> missing = new TreeSet<>(TENSORS.keySet());
        missing.removeAll(load().keySet());
        assertTrue(missing.isEmpty(), "no PyTorch repr for " + missing);
    }

    @Test
    void gradFnSuffixNamesTheOp() {
        Tensor y = Tensor.of(-1f, 2f).requiresGrad().relu();
        assertEquals("tensor([0., 2.], gradFn=<ReluBackward>)", y.toString());
        Tensor z = Tensor.of(1.0, 2.0).requiresGrad().mul(0.5);
        assertEquals("tensor([0.5000, 1.0000], dtype=float64, gradFn=<MulBackward>)", z.toString());
    }

    @Test
    void viewsPrintTheirLogicalOrder() {
        Tensor m = Tensor.arange(6).reshape(2, 3);
        assertEquals("tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])", m.t().toString());
        assertEquals("tensor([1., 4.])", m.select(1, 1).toString());
        assertEquals("tensor([[7., 8., 9.],\n        [7., 8., 9.]])",
                Tensor.of(7f, 8f, 9f).broadcastTo(2, 3).toString());
    }
}
