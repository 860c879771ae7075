package perceptron.io;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/** Damaged input never escapes as anything but the documented exception (no AIOOBE, no OOM, no NPE). */
class FormatFuzzTest {
    private static final byte[] VALID = validFile();

    private static byte[] validFile() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        m.put("b", Tensor.of(0.5, -0.5));
        m.put("s", Tensor.scalar(7));
        return SafeTensors.toBytes(m, Map.of("format", "pt"));
    }

    @Property(tries = 500)
    void damagedSafetensorsFilesFailWithIoException(@ForAll @Size(min = 1, max = 4) List<@IntRange(max = 1000) Integer> positions,
                                                     @ForAll @Size(min = 4, max = 4) List<@IntRange(max = 255) Integer> values,
                                                     @ForAll @IntRange(min = 0, max = 200) int cut) {
        byte[] b = VALID.clone();
        for (int i = 0; i < positions.size(); i++) {
            b[positions.get(i) % b.length] = (byte) (int) values.get(i);
        }
        if (cut < b.length && cut % 3 == 0) {
            b = java.util.Arrays.copyOf(b, cut);
        }
        try {
            SafeTensors.Loaded in = SafeTensors.fromBytes(b, "fuzz");
            for (Tensor t : in.tensors().values()) {
                t.toDoubleArray();
            }
        } catch (IOException expected) {
            // The documented failure.
        }
    }

    @Property(tries = 500)
    void randomSafetensorsRoundTrip(@ForAll @Size(max = 4) List<@Size(max = 3) List<@IntRange(max = 3) Integer>> shapes,
                                    @ForAll boolean float64) throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < shapes.size(); i++) {
            int[] shape = shapes.get(i).stream().mapToInt(Integer::intValue).toArray();
            Tensor t = Tensor.arange(0, perceptron.tensor.Shape.numel(shape), 1,
                    float64 && i % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32).reshape(shape);
            m.put("t" + i, t);
        }
        SafeTensors.Loaded in = SafeTensors.fromBytes(SafeTensors.toBytes(m, null), "mem");
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            Tensor got = in.tensors().get(e.getKey());
            if (got.dtype() != e.getValue().dtype()
                    || !java.util.Arrays.equals(got.shape(), e.getValue().shape())
                    || !java.util.Arrays.equals(got.toDoubleArray(), e.getValue().toDoubleArray())) {
                throw new AssertionError(e.getKey() + " changed in the round trip");
            }
        }
    }

    @Property(tries = 1000)
    void damagedJsonFailsWithSyntaxError(@ForAll @IntRange(max = 200) int position, @ForAll char replacement) {
        String valid = "{\"a\": [1, -2.5e3, true, null, \"x\\u00e9\\n\"], \"b\": {\"c\": {}}}";
        StringBuilder sb = new StringBuilder(valid);
        sb.setCharAt(position % valid.length(), replacement);
        try {
            Object v = Json.parse(sb.toString());
            Json.parse(Json.write(v));
        } catch (Json.SyntaxError expected) {
            // The documented failure.
        }
    }
}
