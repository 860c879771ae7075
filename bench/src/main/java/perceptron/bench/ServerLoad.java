package perceptron.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import perceptron.cli.InferenceServer;
import perceptron.data.FashionMnist;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.train.ModelSpec;

/**
 * {@code perceptron serve}'s server under load on loopback: N clients (default 16), each sending a bounded number
 * of {@code POST /predict} requests of one image as KServe JSON, one after another. Prints throughput and the
 * clients' p50 / p99 latency, and the same for one client in the same run as the baseline.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar perceptron.bench.ServerLoad \
 *      [--clients 16] [--requests 250]     # requests per client
 * </pre>
 */
public final class ServerLoad {
    private ServerLoad() {
    }

    public static void main(String[] args) throws Exception {
        int clients = 16;
        int requests = 250;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("ServerLoad: unknown option " + args[i] + " (--clients N, --requests N)");
                    System.exit(2);
                }
            }
        }
        ModelSpec spec = ModelSpec.d2lMlp();
        Layer model = spec.build(new SplittableRandom(42), 0);
        InferenceServer server = InferenceServer.start(new InferenceServer.Model(model, spec.inputShape(), 10,
                FashionMnist.CLASS_NAMES, "{}".getBytes()), "127.0.0.1", 0, InferenceServer.Limits.defaults());
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/predict");
            String[] bodies = new String[64];
            SplittableRandom rng = new SplittableRandom(1);
            for (int b = 0; b < bodies.length; b++) {
                StringBuilder sb = new StringBuilder("{\"instances\": [[");
                for (int i = 0; i < 784; i++) {
                    sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", rng.nextDouble()));
                }
                bodies[b] = sb.append("]]}").toString();
            }
            System.out.printf(Locale.ROOT, "model %s; server: JDK HttpServer, %d request threads; kernels on %d "
                    + "threads; loopback; Java %s%n", spec, InferenceServer.Limits.defaults().threads(),
                    Parallel.threads(), Runtime.version());
            run(uri, bodies, clients, Math.max(20, requests / 5), false);   // warm-up
            run(uri, bodies, 1, requests, true);
            run(uri, bodies, clients, requests, true);
        } finally {
            server.close();
        }
    }

    private static void run(URI uri, String[] bodies, int clients, int requests, boolean print) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<double[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                double[] latencies = new double[requests];
                for (int r = 0; r < requests; r++) {
                    HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(bodies[(client * 7 + r) % bodies.length])).build();
                    long t0 = System.nanoTime();
                    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                    latencies[r] = (System.nanoTime() - t0) / 1e6;
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("status " + resp.statusCode() + ": " + resp.body());
                    }
                }
                return latencies;
            }));
        }
        double[] all = new double[clients * requests];
        for (int c = 0; c < clients; c++) {
            System.arraycopy(futures.get(c).get(10, TimeUnit.MINUTES), 0, all, c * requests, requests);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (print) {
            Arrays.sort(all);
            System.out.printf(Locale.ROOT, "%2d client(s) x %d requests: %7.0f requests/s, latency p50 %.2f ms, "
                            + "p99 %.2f ms, max %.2f ms%n", clients, requests, all.length / seconds,
                    all[all.length / 2], all[(int) Math.ceil(0.99 * all.length) - 1], all[all.length - 1]);
        }
    }
}
