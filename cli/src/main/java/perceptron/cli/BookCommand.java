package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import perceptron.examples.Examples;
import perceptron.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code perceptron book --out DIR}: runs every example of the chapter (the classes of perceptron.examples) into
 * DIR/SECTION/ and writes DIR/index.html, which shows each section's figures beside the Java code that drew them.
 * {@code --section 5.1} runs one section's examples only (what {@code bin/example 5.1} does).
 */
@Command(name = "book", mixinStandardHelpOptions = true,
        description = {"Regenerate every figure of the chapter on multilayer perceptrons by running its examples, "
                + "with an index.html that shows each figure beside the Java code that made it.",
                "With --section: run the examples of one section (5.1, 5.2, 5.2-scratch, ..., 3.7, 5.7)."})
public final class BookCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "where the figures go (default: out/book, or "
            + "out/examples with --section)")
    Path out;

    @Option(names = "--section", paramLabel = "S", description = "run only the examples of section S, e.g. 5.1")
    String section;

    @Option(names = "--short", description = "train for one epoch on a few batches (a quick check)")
    boolean quick;

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        List<Examples.Entry> chosen = section == null ? Examples.ALL : Examples.find(section);
        if (chosen.isEmpty()) {
            List<String> sections = Examples.ALL.stream().map(Examples.Entry::section).toList();
            throw new UserException("no example for section " + section + "; the sections are " + sections);
        }
        Path dir = out != null ? out : Path.of("out", section == null ? "book" : "examples");
        Map<Examples.Entry, String> failures = new LinkedHashMap<>();
        for (Examples.Entry e : chosen) {
            Path target = Files.createDirectories(dir.resolve(e.section()));
            o.println("== " + e.section() + ": " + e.title());
            List<String> args = new ArrayList<>(List.of("--out", target.toString()));
            if (quick) {
                args.add("--short");
            }
            try {
                e.run(args.toArray(new String[0]));
            } catch (InvocationTargetException ex) {
                Throwable cause = ex.getCause();
                if (!(cause instanceof IOException) && !(cause instanceof IllegalArgumentException)) {
                    throw new IllegalStateException("example " + e.section() + " failed", cause);
                }
                failures.put(e, cause.getMessage());
                o.println("example " + e.section() + " could not run: " + cause.getMessage());
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException("example " + e.section() + " cannot be started", ex);
            }
        }
        if (section == null) {
            Path index = dir.resolve("index.html");
            AtomicFiles.writeString(index, index(dir, chosen, failures));
            o.println("wrote " + index + ": every figure beside the code that made it");
        }
        if (!failures.isEmpty()) {
            throw new UserException(failures.size() + " example(s) could not run: " + failures.values().iterator().next());
        }
        return 0;
    }

    /** The page: one section per example, its figures on the left, its source on the right. */
    static String index(Path dir, List<Examples.Entry> entries, Map<Examples.Entry, String> failures)
            throws IOException {
        StringBuilder sb = new StringBuilder("""
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>Multilayer perceptrons, in Java</title>
                <style>
                body { font-family: sans-serif; margin: 2em; }
                section { display: grid; grid-template-columns: minmax(300px, 1fr) minmax(400px, 1fr); gap: 1.5em;
                          border-top: 1px solid #ccc; padding-top: 1em; margin-top: 1em; }
                h2 { grid-column: 1 / 3; margin: 0; }
                img { max-width: 100%; display: block; margin-bottom: 1em; }
                pre { background: #f6f6f6; padding: 1em; overflow: auto; max-height: 60em; font-size: 12px; }
                </style></head><body>
                <h1>Multilayer perceptrons (d2l chapter 5), figure by figure</h1>
                <p>Made by <code>bin/perceptron book</code>: each section's figures, drawn by the Java code beside
                them (the classes of <code>perceptron.examples</code>; run one with <code>bin/example 5.1</code>).</p>
                """);
        for (Examples.Entry e : entries) {
            sb.append("<section id=\"").append(escape(e.section())).append("\"><h2>").append(escape(e.section()))
                    .append(" ").append(escape(e.title())).append("</h2>\n<div>\n");
            if (failures.containsKey(e)) {
                sb.append("<p>Not run: ").append(escape(failures.get(e))).append("</p>\n");
            }
            try (Stream<Path> files = Files.exists(dir.resolve(e.section())) ? Files.list(dir.resolve(e.section()))
                    : Stream.empty()) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    String href = escape(e.section() + "/" + name);
                    if (name.endsWith(".png") || (name.endsWith(".svg") && !hasPngTwin(f))) {
                        sb.append("<img src=\"").append(href).append("\" alt=\"").append(escape(name)).append("\">\n");
                    } else if (name.endsWith(".dot") || name.endsWith(".csv")) {
                        sb.append("<p><a href=\"").append(href).append("\">").append(escape(name)).append("</a></p>\n");
                    }
                }
            }
            sb.append("</div>\n<pre><code>").append(escape(e.source())).append("</code></pre>\n</section>\n");
        }
        return sb.append("</body></html>\n").toString();
    }

    private static boolean hasPngTwin(Path svg) {
        String name = svg.getFileName().toString();
        return Files.exists(svg.resolveSibling(name.substring(0, name.length() - 4) + ".png"));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
