package perceptron.optim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads a reference file of lines {@code name v1 v2 ...} written by a script under tools/reference/. */
public final class ReferenceValues {
    private final Map<String, double[]> values = new HashMap<>();

    public ReferenceValues(String resource) {
        InputStream in = ReferenceValues.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+");
                double[] v = new double[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    v[i - 1] = Double.parseDouble(parts[i]);
                }
                values.put(parts[0], v);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public double[] get(String name) {
        double[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no reference value named " + name);
        }
        return v.clone();
    }
}
