package perceptron.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.concurrent.Callable;
import perceptron.io.InvalidInputException;
import perceptron.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code perceptron} command. Each subcommand lives in its own class; user mistakes (bad options, missing
 * or invalid files) are reported as one clear line on stderr with exit code 2, never as a stack trace; our own
 * bugs keep their stack trace (exit code 1); a command that runs out of memory says how to give the JVM more
 * (exit code 3).
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
                DashboardCommand.class,
                CompareCommand.class,
                SweepCommand.class,
                ExportCommand.class,
                ImportCommand.class,
                ServeCommand.class,
                BookCommand.class,
        })
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String... args) {
        return execute(new CommandLine(new Main()), args);
    }

    /** Runs {@code cli} with perceptron's error handling: user errors in one line, bugs with their stack trace. */
    static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler(new UserErrors());
        cli.setCaseInsensitiveEnumValuesAllowed(true);   // --optimizer adam, --init kaiming: enums named in lower case
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine cmd = e.getCommandLine();
            String name = cmd.getCommandName().equals("perceptron") ? "perceptron" : "perceptron " + cmd.getCommandName();
            // Shortened: picocli quotes the offending value, which may be a 100,000-digit number.
            cmd.getErr().println(name + ": " + oneLine(e) + " (see " + name + " --help)");
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            return outOfMemory(cli.getErr(), e);
        }
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /**
     * User mistakes (a {@link UserException} from an option check, an {@link InvalidInputException} about a file
     * or value, a missing or unwritable file, a diverged training) are printed as one line, exit code 2. Anything
     * else, a plain {@code IllegalArgumentException} from an op included, is a bug: it keeps its stack trace,
     * with a line saying so and where to report it, exit code 1.
     */
    static final class UserErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
            String name = "perceptron " + cmd.getCommandName();
            if (isUserError(e)) {
                cmd.getErr().println(name + ": " + oneLine(e));
                return 2;
            }
            reportBug(cmd.getErr(), name, e);
            return 1;
        }
    }

    static boolean isUserError(Throwable e) {
        // UserException is an InvalidInputException.
        return e instanceof InvalidInputException || e instanceof TrainingDivergedException
                || e instanceof IOException || e instanceof UncheckedIOException;
    }

    /** The message of a user error, completed where Java's says too little (a file exception's bare path). */
    static String oneLine(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        String message;
        if (t instanceof FileSystemException f && f.getReason() == null) {
            String what = t instanceof NoSuchFileException ? "no such file or directory"
                    : t instanceof AccessDeniedException ? "permission denied"
                    : t instanceof FileAlreadyExistsException ? "already exists"
                    : t instanceof NotDirectoryException ? "not a directory"
                    : t instanceof DirectoryNotEmptyException ? "directory not empty"
                    : "cannot access it (" + t.getClass().getSimpleName() + ")";
            message = f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        } else {
            message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        }
        // One line: a message that quotes a file's contents must not spill over many.
        return InvalidInputException.shorten(message.replace('\n', ' ').replace('\r', ' '), 2000);
    }

    static void reportBug(java.io.PrintWriter err, String name, Throwable e) {
        err.println(name + ": internal error: " + e);
        err.println("This is a bug in perceptron, not a mistake in what you asked for. Please report it on the "
                + "perceptron project's issue tracker with the command line, the output of 'perceptron --version' "
                + "and the stack trace below.");
        e.printStackTrace(err);
    }

    /**
     * The memory a command needs did not fit in the Java heap: one line with the heap size and how to give the
     * JVM more, instead of an {@code OutOfMemoryError} and its frames.
     */
    static int outOfMemory(java.io.PrintWriter err, OutOfMemoryError e) {
        err.println("perceptron: out of memory (" + e.getMessage() + ") with a Java heap of at most "
                + Memory.describe(Runtime.getRuntime().maxMemory()) + "; give the JVM more memory, e.g. "
                + "PERCEPTRON_JAVA_OPTS=-Xmx" + Memory.suggestedHeapGb(2 * Runtime.getRuntime().maxMemory())
                + "g bin/perceptron ..., or make the model or batch smaller");
        err.flush();
        return 3;
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
