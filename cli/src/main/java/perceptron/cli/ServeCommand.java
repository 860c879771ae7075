package perceptron.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import perceptron.data.FashionMnist;
import perceptron.nn.Layer;
import perceptron.train.ModelSpec;
import perceptron.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perceptron serve RUN [--port 8080] [--host 127.0.0.1]}: HTTP inference until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve a trained run over HTTP: POST /predict ({\"instances\": [[...]]} or a PNG/JPEG body), "
                + "GET /health, /model, /metrics. Stops cleanly on SIGTERM or Ctrl-C. See docs/deploy.md."})
public final class ServeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run directory")
    Path runDir;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: 8080; 0 picks a free one)")
    int port = 8080;

    @Option(names = "--host", paramLabel = "ADDR",
            description = "address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every interface)")
    String host = "127.0.0.1";

    @Option(names = "--threads", paramLabel = "N", description = "request threads (default: 16)")
    int threads = InferenceServer.Limits.defaults().threads();

    @Option(names = "--max-batch", paramLabel = "N", description = "most instances in one request (default: 1000)")
    int maxBatch = InferenceServer.Limits.defaults().maxBatch();

    @Option(names = "--max-body-bytes", paramLabel = "N", description = "largest request body (default: 8 MiB)")
    int maxBody = InferenceServer.Limits.defaults().maxBodyBytes();

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (threads < 1 || maxBatch < 1 || maxBody < 1 || port < 0 || port > 65535) {
            throw new UserException("--threads, --max-batch and --max-body-bytes must be positive and --port in "
                    + "0..65535");
        }
        RunDirectory run = new RunDirectory(runDir);
        ModelSpec spec = run.readDescription().spec();
        Layer model = run.loadModel();
        byte[] description = Files.readAllBytes(run.file(RunDirectory.DESCRIPTION));
        InferenceServer.Model served = new InferenceServer.Model(model, spec.inputShape(), spec.outputs(),
                spec.outputs() == FashionMnist.CLASS_NAMES.size() ? FashionMnist.CLASS_NAMES : null, description);
        InferenceServer server = InferenceServer.start(served, host, port,
                new InferenceServer.Limits(threads, maxBatch, maxBody));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("stopped after " + server.requestsServed() + " requests");
            System.out.flush();
            stopped.countDown();
        }, "perceptron-serve-shutdown"));
        System.out.println("serving " + runDir + " (" + spec + ") on http://" + host + ":" + server.port()
                + ": POST /predict, GET /health /model /metrics; stop with Ctrl-C or SIGTERM");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
