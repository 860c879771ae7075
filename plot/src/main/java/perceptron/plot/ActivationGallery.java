package perceptron.plot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import perceptron.io.InvalidInputException;
import perceptron.ops.Activations;

/**
 * Every elementwise activation as d2l draws it (function and autograd gradient, {@link Plot#activation(String)}),
 * one file per activation, plus an {@code index.html} that shows them all with their formulas.
 * {@code bin/perceptron plot activations --out DIR} calls this.
 */
public final class ActivationGallery {
    private ActivationGallery() {
    }

    /** f(x) of each activation, in HTML, for the captions. */
    private static final Map<String, String> FORMULAS = new LinkedHashMap<>();

    static {
        FORMULAS.put("relu", "max(x, 0)");
        FORMULAS.put("prelu", "x for x &gt; 0, else &alpha;x (&alpha; learned; here its initial 0.25)");
        FORMULAS.put("leakyRelu", "x for x &gt; 0, else 0.01x");
        FORMULAS.put("elu", "x for x &gt; 0, else e<sup>x</sup> &minus; 1");
        FORMULAS.put("selu", "&lambda; elu(x, &alpha;), &lambda; = 1.0507, &alpha; = 1.6733");
        FORMULAS.put("celu", "x for x &gt; 0, else &alpha;(e<sup>x/&alpha;</sup> &minus; 1), &alpha; = 1");
        FORMULAS.put("gelu", "x &Phi;(x), &Phi; the standard normal cdf");
        FORMULAS.put("geluTanh", "x (1 + tanh(&radic;(2/&pi;)(x + 0.044715x<sup>3</sup>))) / 2");
        FORMULAS.put("silu", "x &sigma;(x) (swish)");
        FORMULAS.put("mish", "x tanh(softplus(x))");
        FORMULAS.put("softplus", "ln(1 + e<sup>x</sup>)");
        FORMULAS.put("softsign", "x / (1 + |x|)");
        FORMULAS.put("hardtanh", "min(max(x, &minus;1), 1)");
        FORMULAS.put("relu6", "min(max(x, 0), 6)");
        FORMULAS.put("hardSigmoid", "relu6(x + 3) / 6");
        FORMULAS.put("hardSwish", "x relu6(x + 3) / 6");
        FORMULAS.put("logSigmoid", "ln &sigma;(x)");
        FORMULAS.put("sigmoid", "1 / (1 + e<sup>&minus;x</sup>)");
        FORMULAS.put("tanh", "(1 &minus; e<sup>&minus;2x</sup>) / (1 + e<sup>&minus;2x</sup>)");
    }

    /** The families of the overview figure: a title and its members. */
    private static final String[][] FAMILIES = {
        {"relu and its leaky relatives", "relu", "leakyRelu", "prelu", "elu", "selu"},
        {"smooth relus", "gelu", "silu", "mish", "softplus", "logSigmoid"},
        {"squashing", "sigmoid", "tanh", "softsign"},
        {"piecewise linear", "hardtanh", "relu6", "hardSigmoid", "hardSwish"},
    };

    /**
     * All activations at a glance: one panel per family (relu-like, smooth relus, squashing, piecewise linear)
     * with their derivatives by autograd underneath; 12 x 5.2 inches. (celu and the tanh form of gelu are left
     * out: at these defaults they coincide with elu and gelu.)
     */
    public static Figure overview() {
        Plot[] panels = new Plot[2 * FAMILIES.length];
        for (int f = 0; f < FAMILIES.length; f++) {
            Plot value = new Plot();
            Plot gradient = new Plot();
            String[] names = java.util.Arrays.copyOfRange(FAMILIES[f], 1, FAMILIES[f].length);
            for (String name : names) {
                ActivationCurve c = ActivationCurve.of(name, -6, 6.01, 0.05);
                value.add(c.x(), c.y());
                gradient.add(c.x(), c.dydx());
            }
            value.legend(names).title(FAMILIES[f][0]).xlabel("x").ylabel("f(x)");
            gradient.title("their derivatives").xlabel("x").ylabel("f'(x)");
            panels[f] = value;
            panels[FAMILIES.length + f] = gradient;
        }
        return Figure.of(2, FAMILIES.length, panels).figsize(12, 5.2);
    }

    /**
     * Writes {@code NAME.png} (or {@code .svg}) for every activation of {@code Activations.names()} into
     * {@code dir}, then {@code overview.png} ({@link #overview()}) and {@code index.html}. Returns the files
     * written, the index last.
     *
     * @param format "png" or "svg"
     */
    public static List<Path> write(Path dir, String format) {
        String ext = format == null ? "" : format.toLowerCase(Locale.ROOT);
        if (!ext.equals("png") && !ext.equals("svg")) {
            throw new InvalidInputException("unknown format '" + format + "'; use png or svg");
        }
        List<Path> files = new ArrayList<>();
        for (String name : Activations.names()) {
            files.add(Plot.activation(name).save(dir.resolve(name + "." + ext)));
        }
        files.add(overview().save(dir.resolve("overview." + ext)));
        Path index = dir.resolve("index.html");
        String html = index(ext);
        FigureFile.atomically(index, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
        files.add(index);
        return files;
    }

    static String index(String ext) {
        StringBuilder cards = new StringBuilder();
        for (String name : Activations.names()) {
            cards.append("  <figure id=\"").append(name).append("\">\n")
                    .append("    <a href=\"").append(name).append('.').append(ext).append("\"><img src=\"").append(name)
                    .append('.').append(ext).append("\" alt=\"").append(name)
                    .append(" and its gradient\" loading=\"lazy\"></a>\n")
                    .append("    <figcaption><b>").append(name).append("</b>(x) = ")
                    .append(FORMULAS.getOrDefault(name, "")).append("</figcaption>\n")
                    .append("  </figure>\n");
        }
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Activation functions and their gradients</title>\n"
                + "<style>\n"
                + "  body { font-family: sans-serif; margin: 1.5em; color: #222; }\n"
                + "  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 1.2em; }\n"
                + "  figure { margin: 0; border: 1px solid #ddd; border-radius: 4px; padding: 0.5em; }\n"
                + "  img { width: 100%; height: auto; display: block; }\n"
                + "  figcaption { margin-top: 0.4em; font-size: 0.95em; }\n"
                + "</style>\n</head>\n<body>\n"
                + "<h1>Activation functions and their gradients</h1>\n"
                + "<p>Each figure shows f(x) on [&minus;8, 8) and its derivative computed by autograd, as in d2l "
                + "section 5.1. Values of the derivative at kinks follow PyTorch (relu'(0) = 0, ...); see "
                + "docs/activations.md. Made by <code>bin/perceptron plot activations</code>.</p>\n"
                + "<p><a href=\"overview." + ext + "\"><img src=\"overview." + ext + "\" alt=\"all activations and "
                + "their derivatives\" style=\"max-width: 100%\"></a></p>\n"
                + "<main>\n" + cards + "</main>\n</body>\n</html>\n";
    }
}
