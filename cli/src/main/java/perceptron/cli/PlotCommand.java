package perceptron.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import perceptron.plot.ActivationCurve;
import perceptron.plot.ActivationGallery;
import perceptron.plot.Plot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code perceptron plot}: figures. {@code plot activations --out DIR} draws every activation and its gradient with
 * an index.html gallery; {@code plot activation NAME} draws one, or prints x, f(x), f'(x) as CSV with {@code --csv}.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Figures: activation functions and their gradients (d2l section 5.1).",
        subcommands = {PlotCommand.AllActivations.class, PlotCommand.OneActivation.class})
public final class PlotCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserException("say what to plot: 'plot activations --out DIR' or 'plot activation NAME' "
                + "(see perceptron plot --help)");
    }

    /** Every activation: one figure each plus index.html. */
    @Command(name = "activations", mixinStandardHelpOptions = true,
            description = "Write one figure per activation (the function and its gradient, by autograd) and an "
                    + "index.html gallery showing them all.")
    static final class AllActivations implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the figures "
                + "(created if missing).")
        Path out;

        @Option(names = "--format", defaultValue = "png", paramLabel = "png|svg",
                description = "Image format (default: ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            List<Path> files = ActivationGallery.write(out, format);
            PrintWriter w = spec.commandLine().getOut();
            w.println("wrote " + (files.size() - 1) + " figures and " + files.get(files.size() - 1) + "; open it in a "
                    + "browser");
            w.flush();
            return 0;
        }
    }

    /** One activation: a figure, or its values as CSV. */
    @Command(name = "activation", mixinStandardHelpOptions = true,
            description = "Draw one activation and its gradient, or with --csv print x, f(x), f'(x) as CSV.")
    static final class OneActivation implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "NAME", description = "relu, prelu, leakyRelu, elu, selu, celu, gelu, geluTanh, "
                + "silu, mish, softplus, softsign, hardtanh, relu6, hardSigmoid, hardSwish, logSigmoid, sigmoid, tanh "
                + "(case, '-' and '_' ignored).")
        String name;

        @Option(names = "--from", defaultValue = "-8", description = "First x (default: ${DEFAULT-VALUE}).")
        double from;

        @Option(names = "--to", defaultValue = "8", description = "End of the range, excluded like arange's "
                + "(default: ${DEFAULT-VALUE}).")
        double to;

        @Option(names = "--step", defaultValue = "0.1", description = "Spacing of x (default: ${DEFAULT-VALUE}).")
        double step;

        @Option(names = "--csv", description = "Print x, f(x), f'(x) as CSV on stdout instead of drawing.")
        boolean csv;

        @Option(names = "--out", paramLabel = "FILE", description = "Figure file, .png or .svg (default: NAME.png).")
        Path out;

        @Override
        public Integer call() {
            if (csv && out != null) {
                throw new UserException("--csv prints to stdout; leave out --out (or redirect: > values.csv)");
            }
            ActivationCurve curve = ActivationCurve.of(name, from, to, step);
            PrintWriter w = spec.commandLine().getOut();
            if (csv) {
                w.print(curve.toCsv());
            } else {
                Path file = out != null ? out : Path.of(curve.name() + ".png");
                Plot.activation(curve).save(file);
                w.println("wrote " + file);
            }
            w.flush();
            return 0;
        }
    }
}
