package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.autograd.Autograd;
import perceptron.data.FashionMnist;
import perceptron.io.Json;
import perceptron.nn.Sequential;
import perceptron.onnx.Onnx;
import perceptron.tensor.Tensor;

/** A real server on a loopback port, a real HTTP client (java.net.http): answers, every error, 16 clients. */
class InferenceServerTest {
    private static final int FEATURES = 784;
    private static Sequential model;
    private static InferenceServer server;
    private static HttpClient client;
    private static String base;
    private static final byte[] DESCRIPTION = "{\"format\": \"perceptron-run/1\"}".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws IOException {
        model = Onnx.read(OnnxCommandsTest.FIXTURES.resolve("fashion_mlp_torchscript.onnx"));
        server = InferenceServer.start(new InferenceServer.Model(model, new int[] {1, 28, 28}, 10,
                FashionMnist.CLASS_NAMES, DESCRIPTION), "127.0.0.1", 0, new InferenceServer.Limits(16, 64, 200_000));
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String type, byte[] body) throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/predict")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(String json) throws IOException, InterruptedException {
        return post("application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static float[] instance(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        return x;
    }

    private static String instancesJson(float[]... rows) {
        List<Object> list = new ArrayList<>();
        for (float[] r : rows) {
            List<Object> v = new ArrayList<>();
            for (float f : r) {
                v.add(f);
            }
            list.add(v);
        }
        return Json.write(Map.of("instances", list));
    }

    private static float[] direct(float[] pixels) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return model.forward(Tensor.wrap(pixels.clone(), 1, 1, 28, 28)).softmax(1).toFloatArray();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> predictions(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return (List<Map<String, Object>>) ((Map<String, Object>) Json.parse(r.body())).get("predictions");
    }

    private static void assertMatches(float[] expected, Map<String, Object> prediction) {
        List<?> p = (List<?>) prediction.get("probabilities");
        int best = 0;
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], ((Number) p.get(c)).doubleValue(), 1e-6, "class " + c);
            best = expected[c] > expected[best] ? c : best;
        }
        assertEquals((long) best, prediction.get("class"));
        assertEquals(FashionMnist.CLASS_NAMES.get(best), prediction.get("label"));
    }

    @Test
    void jsonInstancesGetTheModelsClassesLabelsAndProbabilities() throws Exception {
        float[] a = instance(1);
        float[] b = instance(2);
        List<Map<String, Object>> p = predictions(postJson(instancesJson(a, b)));
        assertEquals(2, p.size());
        assertMatches(direct(a), p.get(0));
        assertMatches(direct(b), p.get(1));
    }

    @Test
    void anImageBodyIsClassifiedAsPredictClassifiesAPicture(@TempDir Path tmp) throws Exception {
        BufferedImage img = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                img.setRGB(x, y, (x > 10 && x < 45 && y > 5) ? 0xd0d0d0 : 0x101010);
            }
        }
        Path png = tmp.resolve("trouser.png");
        ImageIO.write(img, "png", png.toFile());
        float[] expected = direct(PredictCommand.readPicture(png, 28, 28));
        assertMatches(expected, predictions(post("image/png", Files.readAllBytes(png))).get(0));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        assertEquals(200, post("image/jpeg", jpeg.toByteArray()).statusCode());
    }

    @Test
    void healthModelAndMetricsAnswer() throws Exception {
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("{\"status\":\"ok\"}", health.body());
        assertEquals(new String(DESCRIPTION, StandardCharsets.UTF_8), get("/model").body());
        postJson(instancesJson(instance(3)));
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        String m = metrics.body();
        assertTrue(m.contains("# TYPE perceptron_requests_total counter"), m);
        assertTrue(m.matches("(?s).*perceptron_requests_total\\{path=\"/predict\",code=\"200\"} [1-9].*"), m);
        assertTrue(m.matches("(?s).*perceptron_predict_latency_seconds\\{quantile=\"0.99\"} 0\\.\\d{6}\n.*"), m);
        assertTrue(m.matches("(?s).*perceptron_predict_latency_seconds_count [1-9].*"), m);
    }

    private static String errorOf(HttpResponse<String> r) {
        return (String) ((Map<?, ?>) Json.parse(r.body())).get("error");
    }

    @Test
    void everyBadRequestGetsA400WithAOneLineReason() throws Exception {
        String eight = instancesJson(new float[8]);
        Object[][] cases = {
            {"{\"instances\": [[1, 2,", "malformed JSON"},
            {"[1, 2, 3]", "expected a JSON object {\"instances\": [[...], ...]}"},
            {"{\"inputs\": []}", "expected a JSON object"},
            {"{\"instances\": []}", "\"instances\" is empty"},
            {eight, "instances[0] has 8 values; this model takes 784 ([1x28x28])"},
            {"{\"instances\": [3]}", "instances[0] is not an array of 784 numbers"},
            {instancesJson(instance(1)).replaceFirst("\\[\\[[^,]*,", "[[\"x\","),
                "instances[0][0] is \"x\", not a number"},
            {instancesJson(instance(1)).replaceFirst("\\[\\[[^,]*,", "[[null,"),
                "instances[0][0] is null, not a number"},
        };
        for (Object[] c : cases) {
            HttpResponse<String> r = postJson((String) c[0]);
            assertEquals(400, r.statusCode(), (String) c[0]);
            String error = (String) ((Map<?, ?>) Json.parse(r.body())).get("error");
            assertTrue(error.startsWith((String) c[1]), error);
            assertTrue(!error.contains("\n") && !r.body().contains("\n"), r.body());
        }
        float[][] many = new float[65][];
        java.util.Arrays.fill(many, new float[1]);
        HttpResponse<String> tooMany = postJson(instancesJson(many));
        assertEquals(400, tooMany.statusCode());
        assertEquals("\"instances\" has 65 entries, more than the limit of 64", errorOf(tooMany));
        HttpResponse<String> big = postJson("{\"instances\": [[" + "0,".repeat(150_000) + "0]]}");
        assertEquals(400, big.statusCode());
        assertTrue(big.body().contains("more than the limit of 200000"), big.body());
        HttpResponse<String> notImage = post("image/png", "not a png".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notImage.statusCode());
        assertTrue(notImage.body().contains("not an image Java can read"), notImage.body());
        assertEquals(405, get("/predict").statusCode());
        assertEquals(404, get("/nothing").statusCode());
        assertEquals(200, get("/health").statusCode());   // still serving
    }

    @Test
    void sixteenConcurrentClientsGetTheSameAnswersAsSingleCalls() throws Exception {
        int clients = 16;
        int perClient = 12;
        String[] bodies = new String[clients * perClient];
        String[] single = new String[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            // batches of 1 to 4 instances: different kernel paths, each answer compared with its own single call
            float[][] rows = new float[1 + i % 4][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = instance(100 + i * 4L + r);
            }
            bodies[i] = instancesJson(rows);
            single[i] = postJson(bodies[i]).body();
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<String[]>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c * perClient;
                futures.add(pool.submit(() -> {
                    String[] got = new String[perClient];
                    for (int k = 0; k < perClient; k++) {
                        // each client walks its own slice, starting at different offsets, so batches interleave
                        int i = first + (k * 5) % perClient;
                        got[(k * 5) % perClient] = postJson(bodies[i]).body();
                    }
                    return got;
                }));
            }
            for (int c = 0; c < clients; c++) {
                String[] got = futures.get(c).get(120, TimeUnit.SECONDS);
                assertArrayEquals(java.util.Arrays.copyOfRange(single, c * perClient, (c + 1) * perClient), got,
                        "client " + c);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void serveStopsCleanlyOnSigterm(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CliRun imported = CliRun.of("import", OnnxCommandsTest.FIXTURES.resolve("fashion_mlp_torchscript.onnx")
                .toString(), "--out", run.toString());
        assertEquals(0, imported.code(), imported.err());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "perceptron.cli.Main", "serve", run.toString(), "--port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            String url = null;
            while (url == null && (line = out.readLine()) != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("on (http://127\\.0\\.0\\.1:\\d+)").matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
            }
            assertTrue(url != null, "the server did not say where it listens");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server did not stop within 30 s of SIGTERM");
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertTrue(rest.toString().contains("stopped after 1 requests"), rest.toString());
            assertEquals(143, p.exitValue());   // 128 + SIGTERM, as for any JVM ended by the signal
        } finally {
            p.destroyForcibly();
        }
    }
}
