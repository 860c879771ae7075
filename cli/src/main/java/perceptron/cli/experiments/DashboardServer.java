package perceptron.cli.experiments;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import perceptron.data.FashionMnist;
import perceptron.nn.Layer;
import perceptron.train.RunDirectory;

/**
 * The dashboard: a page that lists the runs under a directory and draws their curves, served by the JDK's HTTP
 * server on 127.0.0.1 only. The page polls {@code /api/runs} every second and fetches a run's metrics again when
 * its metrics.csv changed, so a run being trained appears epoch by epoch; training itself writes nothing for it.
 *
 * <pre>
 * GET /                     the page (index.html, dashboard.css, dashboard.js from the jar; no CDN)
 * GET /api/runs             every run: id, status, epochs, settings, last metrics, a version that changes with it
 * GET /api/run?id=ID        one run: settings, layers, metrics columns and rows
 * GET /api/confusion?id=ID  the confusion matrix on the test set of a finished run (computed once, then cached)
 * </pre>
 *
 * <p>Only run directories under the root are read, and only their model.json, metrics.csv and weights: an id
 * that leads outside the root (through "..", an absolute path or a symbolic link) is answered 404, as is every
 * path that is not one of the above.
 */
public final class DashboardServer implements AutoCloseable {

    /** The page's files, the only static files served: name to content type. */
    private static final Map<String, String> STATIC = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    /** A run whose files changed this recently, and which has epochs to go, is being trained. */
    static final long LIVE_MILLIS = 30_000;

    private final Path root;
    private final Path realRoot;
    private final Path data;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, CachedConfusion> confusions = new ConcurrentHashMap<>();
    private volatile FashionMnist testData;

    private record CachedConfusion(long modified, Map<String, Object> json) {
    }

    private DashboardServer(Path root, Path data, HttpServer server, ExecutorService executor) throws IOException {
        this.root = root;
        this.realRoot = root.toRealPath();
        this.data = data;
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving the runs under {@code root} on 127.0.0.1.
     *
     * @param port 0 for any free port (see {@link #url()})
     * @param data where the Fashion-MNIST test set is for confusion matrices, or null to search as train does
     */
    public static DashboardServer start(Path root, int port, Path data) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        // Few threads, daemons: a page polls once a second, and the server must never keep a JVM alive.
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "dashboard");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        DashboardServer s = new DashboardServer(dir, data, http, executor);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- requests -----------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                send(ex, 405, "text/plain; charset=utf-8", "only GET\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            try {
                switch (path) {
                    case "/" -> resource(ex, "index.html");
                    case "/api/runs" -> json(ex, 200, runs());
                    case "/api/run" -> json(ex, 200, run(runDir(query.get("id")), query.get("id")));
                    case "/api/confusion" -> json(ex, 200, confusion(runDir(query.get("id")), query.get("id")));
                    default -> {
                        String name = path.startsWith("/static/") ? path.substring("/static/".length()) : "";
                        if (STATIC.containsKey(name)) {
                            resource(ex, name);
                        } else {
                            notFound(ex, "no such page: " + path);
                        }
                    }
                }
            } catch (NotFound e) {
                notFound(ex, e.getMessage());
            } catch (IOException | RuntimeException e) {
                // A run that changed under us, an unreadable model: say so to the page, keep serving.
                Map<String, Object> err = new LinkedHashMap<>();
                err.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
                json(ex, 500, err);
            }
        }
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message);
        }
    }

    /**
     * The run directory an id names, only if it lies inside the root once every "..", and every symbolic link,
     * is resolved.
     */
    Path runDir(String id) {
        if (id == null || id.isEmpty() || id.indexOf('\0') >= 0) {
            throw new NotFound("give a run id: /api/run?id=NAME");
        }
        try {
            Path p = root.resolve(id).normalize();
            if (!p.startsWith(root) || !Files.isDirectory(p)) {
                throw new NotFound("no run " + id);
            }
            Path real = p.toRealPath();
            if (!RunInfo.isWithin(realRoot, real) || !RunInfo.isRun(real)) {
                throw new NotFound("no run " + id);
            }
            return real;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new NotFound("no run " + id);
        }
    }

    private Map<String, Object> runs() throws IOException {
        List<Object> list = new ArrayList<>();
        for (RunInfo r : RunInfo.findAll(root)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("group", r.id().contains("/") ? r.id().substring(0, r.id().lastIndexOf('/')) : "");
            m.put("epochs", r.epochsDone());
            m.put("planned", r.plannedEpochs());
            m.put("finished", r.finished());
            m.put("training", isTraining(r));
            m.put("modified", r.modified());
            m.put("version", r.modified() + ":" + r.epochsDone());
            m.put("parameters", r.parameters());
            m.put("settings", r.settings());
            Map<String, Object> last = new LinkedHashMap<>();
            for (String c : r.metrics().curveColumns()) {
                last.put(c, finite(r.last(c)));
            }
            m.put("last", last);
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root", root.toString());
        out.put("now", System.currentTimeMillis());
        out.put("runs", list);
        return out;
    }

    private Map<String, Object> run(Path dir, String id) throws IOException {
        RunInfo r = RunInfo.read(realRoot, dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", r.name());
        m.put("finished", r.finished());
        m.put("planned", r.plannedEpochs());
        m.put("parameters", r.parameters());
        m.put("settings", r.settings());
        m.put("layers", r.description().getOrDefault("layers", ""));
        m.put("columns", r.metrics().columns());
        m.put("rows", r.metrics().rows().stream().map(DashboardServer::finite).toList());
        return m;
    }

    private Map<String, Object> confusion(Path dir, String id) throws IOException {
        RunInfo r = RunInfo.read(realRoot, dir);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        if (isTraining(r)) {
            m.put("unavailable", "the confusion matrix is computed when the run has finished ("
                    + r.epochsDone() + " of " + r.plannedEpochs() + " epochs)");
            return m;
        }
        if (!Files.exists(dir.resolve(RunDirectory.MODEL))) {
            m.put("unavailable", "the run has no weights yet (" + RunDirectory.MODEL + ")");
            return m;
        }
        long weights = Files.getLastModifiedTime(dir.resolve(RunDirectory.MODEL)).toMillis();
        CachedConfusion cached = confusions.get(dir.toString());
        if (cached != null && cached.modified() == weights) {
            return cached.json();
        }
        Layer model = new RunDirectory(dir).loadModel();
        List<String> classes = FashionMnist.CLASS_NAMES;
        long[][] counts = Confusion.of(model, testData().test(), classes.size());
        m.put("classes", classes);
        m.put("counts", counts);
        m.put("accuracy", finite(Confusion.perClassAccuracy(counts)));
        confusions.put(dir.toString(), new CachedConfusion(weights, m));
        return m;
    }

    /**
     * Whether a run is still being trained: not all its epochs are done and its files changed recently. A run
     * that stopped early, or crashed, counts as done for what is shown of it.
     */
    static boolean isTraining(RunInfo r) {
        return !r.finished() && System.currentTimeMillis() - r.modified() < LIVE_MILLIS;
    }

    private FashionMnist testData() throws IOException {
        FashionMnist d = testData;
        if (d == null) {
            synchronized (this) {
                if (testData == null) {
                    testData = FashionMnist.load(data);
                }
                d = testData;
            }
        }
        return d;
    }

    // ---- responses ----------------------------------------------------------------------------------------

    /** JSON has no NaN: a missing value is null. */
    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static List<Object> finite(double[] values) {
        List<Object> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(finite(v));
        }
        return out;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new NotFound("malformed query: " + raw);
            }
        }
        return q;
    }

    private static void resource(HttpExchange ex, String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + name + " is missing from the jar");
            }
            send(ex, 200, STATIC.get(name), in.readAllBytes());
        }
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", perceptron.io.Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void notFound(HttpExchange ex, String message) throws IOException {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("error", message);
        json(ex, 404, err);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
