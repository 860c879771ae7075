package perceptron.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code perceptron} command. Each subcommand lives in its own class; user mistakes (bad options, missing
 * files) are reported as one clear line on stderr with exit code 2, never as a stack trace.
 */
@Command(name = "perceptron", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Multilayer perceptrons in pure Java: train, evaluate, plot and look inside.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                PredictCommand.class,
                PlotCommand.class,
                RegionsCommand.class,
                ExplainCommand.class,
                GraphCommand.class,
                BookCommand.class,
        })
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrors());
        cli.setCaseInsensitiveEnumValuesAllowed(true);   // --optimizer adam, --init kaiming: enums named in lower case
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine cmd = e.getCommandLine();
            String name = cmd.getCommandName().equals("perceptron") ? "perceptron" : "perceptron " + cmd.getCommandName();
            cmd.getErr().println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /** Prints user mistakes as one line; anything else is a bug and keeps its stack trace. */
    static final class UserErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            if (e instanceof UserException || e instanceof IllegalArgumentException
                    || e instanceof perceptron.train.TrainingDivergedException
                    || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("perceptron " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("perceptron " + cmd.getCommandName() + ": internal error (please report): " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"perceptron 0.1.0 (Java " + Runtime.version() + ", kernels: "
                    + perceptron.kernels.Kernels.get().name() + ", threads: "
                    + perceptron.kernels.Parallel.threads() + ")"};
        }
    }
}
