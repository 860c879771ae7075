package perceptron.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import perceptron.autograd.Autograd;
import perceptron.io.Json;
import perceptron.nn.Layer;
import perceptron.tensor.Tensor;

/**
 * HTTP inference on the JDK's built-in server ({@code com.sun.net.httpserver}), no framework:
 * <pre>
 * POST /predict   {"instances": [[...], ...]}: one flat array of input features per instance (KServe v1 /
 *                 TensorFlow Serving); or an image/png or image/jpeg body, handled as `perceptron predict`
 *                 handles a picture (?invert=true for dark objects on a light background).
 *                 Answers {"predictions": [{"class": 9, "label": "ankle boot", "probabilities": [...]}, ...]}
 * GET  /health    {"status": "ok"}
 * GET  /model     the run's model.json
 * GET  /metrics   request counts and latency quantiles, Prometheus text format
 * </pre>
 * Bad requests (malformed JSON, a wrong feature count, a value that is not a number, too many instances, a body
 * over the limit, an unreadable image) get a 400 with a one-line JSON reason, {@code {"error": "..."}}.
 *
 * <p>All request threads share one model in eval mode. Its forward pass is safe to call concurrently: it runs
 * under a per-thread no-grad scope, reads the parameters without writing them, and takes scratch memory from
 * per-thread buffers; the kernels' worker pool runs one call at a time and any other call computes on its own
 * thread, with bitwise the same result. So there is no lock around inference.
 */
public final class InferenceServer implements AutoCloseable {
    /** What the server needs to know about the model. */
    public record Model(Layer layer, int[] inputShape, int outputs, List<String> labels, byte[] description) {
    }

    /** Bounds on one request. */
    public record Limits(int threads, int maxBatch, int maxBodyBytes) {
        public static Limits defaults() {
            return new Limits(16, 1000, 8 << 20);
        }
    }

    private final Model model;
    private final Limits limits;
    private final int features;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ServerMetrics metrics = new ServerMetrics();

    private InferenceServer(Model model, Limits limits, HttpServer server, ExecutorService executor) {
        this.model = model;
        this.limits = limits;
        int n = 1;
        for (int d : model.inputShape()) {
            n *= d;
        }
        this.features = n;
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code host:port} (port 0: any free port) and starts serving. */
    public static InferenceServer start(Model model, String host, int port, Limits limits) throws IOException {
        model.layer().eval();
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 128);
        AtomicInteger ids = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(limits.threads(), r -> {
            Thread t = new Thread(r, "perceptron-http-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        InferenceServer s = new InferenceServer(model, limits, http, executor);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    public long requestsServed() {
        return metrics.totalRequests();
    }

    /** Stops accepting connections, lets requests in progress finish (up to 5 s), and stops the threads. */
    @Override
    public void close() {
        server.stop(5);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A request the client got wrong: answered with 400 and this one-line reason. */
    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        long start = System.nanoTime();
        int code;
        try {
            switch (path) {
                case "/predict" -> {
                    if (!method.equals("POST")) {
                        code = error(exchange, 405, "use POST /predict with {\"instances\": [[...]]} or an image");
                    } else {
                        code = predict(exchange, start);
                    }
                }
                case "/health" -> code = get(exchange, method, "application/json", "{\"status\":\"ok\"}"
                        .getBytes(StandardCharsets.UTF_8));
                case "/model" -> code = get(exchange, method, "application/json", model.description());
                case "/metrics" -> code = get(exchange, method, "text/plain; version=0.0.4; charset=utf-8",
                        metrics.prometheus().getBytes(StandardCharsets.UTF_8));
                default -> {
                    path = "other";
                    code = error(exchange, 404, "no such endpoint; use POST /predict, GET /health, /model or /metrics");
                }
            }
        } catch (BadRequest e) {
            code = error(exchange, 400, e.getMessage());
        } catch (IOException e) {
            code = 499;   // the client went away; nothing more to send
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            code = error(exchange, 500, "internal error (please report): " + e);
        } finally {
            exchange.close();
        }
        metrics.request(path, code);
    }

    private int get(HttpExchange exchange, String method, String type, byte[] body) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return error(exchange, 405, "use GET");
        }
        send(exchange, 200, type, body);
        return 200;
    }

    private int predict(HttpExchange exchange, long start) throws IOException, BadRequest {
        byte[] body = readBody(exchange);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        type = type == null ? "" : type.toLowerCase(Locale.ROOT).split(";")[0].trim();
        float[] x;
        int n;
        if (type.startsWith("image/")) {
            x = image(body, "invert=true".equals(exchange.getRequestURI().getQuery()));
            n = 1;
        } else {
            float[][] rows = instances(body);
            n = rows.length;
            x = new float[n * features];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[i], 0, x, i * features, features);
            }
        }
        int[] shape = new int[model.inputShape().length + 1];
        shape[0] = n;
        System.arraycopy(model.inputShape(), 0, shape, 1, model.inputShape().length);
        float[] probabilities;
        try (Autograd.Scope g = Autograd.noGrad()) {
            probabilities = model.layer().forward(Tensor.wrap(x, shape)).softmax(1).contiguous().toFloatArray();
        }
        send(exchange, 200, "application/json", predictions(probabilities, n).getBytes(StandardCharsets.UTF_8));
        metrics.prediction((System.nanoTime() - start) / 1e9, n);
        return 200;
    }

    private String predictions(float[] probabilities, int n) {
        int k = model.outputs();
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int best = 0;
            List<Object> p = new ArrayList<>(k);
            for (int c = 0; c < k; c++) {
                float v = probabilities[i * k + c];
                p.add(v);
                if (v > probabilities[i * k + best]) {
                    best = c;
                }
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("class", best);
            if (model.labels() != null) {
                one.put("label", model.labels().get(best));
            }
            one.put("probabilities", p);
            out.add(one);
        }
        return Json.write(Map.of("predictions", out));
    }

    /** A refused body is still read (not kept) up to this many bytes, so that the client sees the 400. */
    private static final long DRAIN_LIMIT = 64L << 20;

    /**
     * The body, at most {@code maxBodyBytes} of it. A larger one is refused with 400, after reading and dropping
     * the rest (up to {@value #DRAIN_LIMIT} bytes): closing a connection with unread data makes TCP reset it,
     * and the client would lose the answer. A body declared larger than that is refused at once.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException, BadRequest {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        int max = limits.maxBodyBytes();
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest("Content-Length '" + length + "' is not a number");
            }
            if (declared > DRAIN_LIMIT) {
                exchange.getResponseHeaders().set("Connection", "close");
                throw new BadRequest("the body has " + declared + " bytes, more than the limit of " + max);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        long total = 0;
        try (InputStream in = exchange.getRequestBody()) {
            int r;
            while ((r = in.read(buf)) > 0 && total <= DRAIN_LIMIT) {
                total += r;
                if (total <= max) {
                    out.write(buf, 0, r);
                }
            }
        }
        if (total > max) {
            if (total > DRAIN_LIMIT) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            throw new BadRequest("the body has " + (total > DRAIN_LIMIT ? "more than " + DRAIN_LIMIT : total)
                    + " bytes, more than the limit of " + max);
        }
        return out.toByteArray();
    }

    private float[] image(byte[] body, boolean invert) throws IOException, BadRequest {
        int[] s = model.inputShape();
        boolean gray = s.length == 2 || (s.length == 3 && s[0] == 1);
        if (!gray) {
            throw new BadRequest("this model's input " + java.util.Arrays.toString(s) + " is not a grayscale image; "
                    + "send {\"instances\": [[...]]}");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
            img = PredictCommand.decodePicture(in, "the body");
        } catch (UserException e) {
            throw new BadRequest(e.getMessage());
        }
        float[] pixels = PredictCommand.grayscale(img, s[s.length - 1], s[s.length - 2]);
        if (invert) {
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 1 - pixels[i];
            }
        }
        return pixels;
    }

    private float[][] instances(byte[] body) throws BadRequest {
        Object parsed;
        try {
            parsed = Json.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed JSON: " + e.getMessage().replace('\n', ' '));
        }
        if (!(parsed instanceof Map<?, ?> m) || !(m.get("instances") instanceof List<?> list)) {
            throw new BadRequest("expected a JSON object {\"instances\": [[...], ...]}");
        }
        if (list.isEmpty()) {
            throw new BadRequest("\"instances\" is empty");
        }
        if (list.size() > limits.maxBatch()) {
            throw new BadRequest("\"instances\" has " + list.size() + " entries, more than the limit of "
                    + limits.maxBatch());
        }
        float[][] rows = new float[list.size()][];
        for (int i = 0; i < rows.length; i++) {
            if (!(list.get(i) instanceof List<?> row)) {
                throw new BadRequest("instances[" + i + "] is not an array of " + features + " numbers");
            }
            if (row.size() != features) {
                throw new BadRequest("instances[" + i + "] has " + row.size() + " values; this model takes "
                        + features + " (" + java.util.Arrays.toString(model.inputShape()).replace(", ", "x") + ")");
            }
            rows[i] = new float[features];
            for (int j = 0; j < features; j++) {
                if (!(row.get(j) instanceof Number v)) {
                    throw new BadRequest("instances[" + i + "][" + j + "] is " + Json.write(row.get(j))
                            + ", not a number");
                }
                rows[i][j] = v.floatValue();
            }
        }
        return rows;
    }

    private static int error(HttpExchange exchange, int code, String message) throws IOException {
        send(exchange, code, "application/json", Json.write(Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
        return code;
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
