package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import perceptron.cli.experiments.DashboardServer;
import org.junit.jupiter.api.io.TempDir;
import perceptron.io.Json;

/** The dashboard's HTTP side with a real client: what it lists, what it refuses, what it survives. */
class DashboardServerTest {
    @TempDir
    static Path tmp;
    static Path root;
    static DashboardServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        root = tmp.resolve("runs");
        String header = "epoch,train_loss,train_acc,test_acc,seconds\n";
        write(root.resolve("a/metrics.csv"), header + "1,1.0,0.6,0.7,1.5\n2,0.6,0.8,0.8,1.0\n");
        // Still being written: a half line at the end, and a line that does not parse in the middle.
        write(root.resolve("sweep-1/b/metrics.csv"), header + "1,1.0,0.6,0.7,1.5\n2,oops,0.8\n3,0.5,0.8,0.81,1.0\n4,0.4");
        write(root.resolve("sweep-1/b/model.json"), "{\"training\": {\"epochs\": 10, \"lr\": 0.1}, \"parame");
        write(root.resolve("garbage/metrics.csv"), "\u0000\u0001 not a csv at all");
        write(root.resolve("empty/metrics.csv"), "");
        // A run outside the root, and a symbolic link to it inside.
        write(tmp.resolve("secret/metrics.csv"), header + "1,1,1,1,1\n");
        write(tmp.resolve("secret/model.json"), "{}");
        Files.createSymbolicLink(root.resolve("link"), tmp.resolve("secret"));
        Files.createDirectories(root.resolve("linked-file"));
        Files.createSymbolicLink(root.resolve("linked-file/metrics.csv"), tmp.resolve("secret/metrics.csv"));
        server = DashboardServer.start(root, 0, null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.url().resolve(pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(200, r.statusCode(), r.body());
        return (Map<String, Object>) Json.parse(r.body());
    }

    /** The status line of a request sent byte for byte as written (no client normalising the path). */
    private static String raw(String requestTarget) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.url().getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + requestTarget + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return response.substring(0, Math.max(0, response.indexOf("\r\n")));
        }
    }

    @Test
    void listsEveryRunUnderTheRootIncludingSweepsAndRunsBeingWritten() throws Exception {
        List<?> runs = (List<?>) json("/api/runs").get("runs");
        List<String> ids = runs.stream().map(r -> (String) ((Map<?, ?>) r).get("id")).toList();
        assertEquals(List.of("a", "empty", "garbage", "sweep-1/b"), ids);
        assertTrue(get("/").body().contains("<script src=\"/static/dashboard.js\">"));
        assertEquals(200, get("/static/dashboard.css").statusCode());
    }

    @Test
    void partialMetricsShowTheCompleteLinesOnly() throws Exception {
        Map<String, Object> b = json("/api/run?id=" + URLEncoder.encode("sweep-1/b", StandardCharsets.UTF_8));
        List<?> rows = (List<?>) b.get("rows");
        assertEquals(2, rows.size(), "epoch 2 does not parse, epoch 4 is still being written: " + rows);
        assertEquals(Map.of(), b.get("settings"), "a half-written model.json reads as no settings yet");
        assertEquals(0, ((List<?>) json("/api/run?id=garbage").get("rows")).size());
        assertEquals(0, ((List<?>) json("/api/run?id=empty").get("rows")).size());
        Map<String, Object> c = json("/api/confusion?id=a");
        assertTrue(c.get("unavailable").toString().contains("when the run has finished"), c.toString());
    }

    @Test
    void neverServesAPathOutsideTheRoot() throws Exception {
        for (String id : new String[] {"..", "../secret", "a/../../secret", "link", "linked-file", tmp.resolve("secret").toString(),
                "/etc", "", "a/%00"}) {
            HttpResponse<String> r = get("/api/run?id=" + URLEncoder.encode(id, StandardCharsets.UTF_8));
            assertEquals(404, r.statusCode(), id + ": " + r.body());
            assertFalse(r.body().contains("1,1,1,1,1"), id);
        }
        assertEquals(404, get("/api/confusion?id=..%2Fsecret").statusCode());
        for (String target : new String[] {"/static/../../../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
                "/../../etc/passwd", "/static/%2e%2e/model.json", "/a/metrics.csv", "/static/Dashboard.js",
                "/static/"}) {
            String status = raw(target);
            assertTrue(status.startsWith("HTTP/1.1 404") || status.startsWith("HTTP/1.1 400"), target + ": " + status);
        }
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(server.url().resolve("/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void listensOnLoopbackOnly() {
        URI url = server.url();
        assertEquals("127.0.0.1", url.getHost());
        assertTrue(url.getPort() > 0);
    }
}
