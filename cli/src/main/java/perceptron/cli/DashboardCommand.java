package perceptron.cli;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import perceptron.cli.experiments.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perceptron dashboard [DIR]}: a live page of the runs under DIR, on 127.0.0.1, until Ctrl-C. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve a live page of the runs under DIR (default runs/) on 127.0.0.1: curves that update "
                + "while runs train, several runs overlaid, settings, confusion matrices of finished runs.",
                "Stop it with Ctrl-C."})
public final class DashboardCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "directory of runs (default: runs)")
    Path dir = Path.of("runs");

    @Option(names = "--port", paramLabel = "N", description = "port on 127.0.0.1 (default: 8080; 0 for any free port)")
    int port = 8080;

    @Option(names = "--data", paramLabel = "DIR",
            description = "where the Fashion-MNIST test set is, for confusion matrices (default: as train finds it)")
    Path data;

    /**
     * The dashboard of the runs beside {@code runDir} (its parent directory), for {@code train --dashboard}: on
     * {@code port}, or on any free port if that one is taken. Prints the address; the caller closes it.
     */
    public static DashboardServer besideRun(Path runDir, int port, Path data) throws IOException {
        Path parent = runDir.toAbsolutePath().normalize().getParent();
        DashboardServer server;
        try {
            server = DashboardServer.start(parent, port, data);
        } catch (BindException e) {
            server = DashboardServer.start(parent, 0, data);
        }
        System.out.println("dashboard: " + server.url() + " (runs in " + parent + "; it stops when training ends)");
        return server;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UserException("--port must be between 0 and 65535, got " + port);
        }
        DashboardServer server;
        try {
            server = DashboardServer.start(dir, port, data);
        } catch (BindException e) {
            throw new UserException("port " + port + " on 127.0.0.1 is taken (" + e.getMessage()
                    + "); choose another with --port N, or --port 0 for any free one");
        }
        System.out.println("dashboard of " + server.root() + " at " + server.url() + " (Ctrl-C to stop)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
