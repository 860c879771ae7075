package perceptron.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import perceptron.io.Json;

/**
 * Headless Debian Chromium driven over the DevTools protocol from Java (java.net.http.WebSocket): navigate,
 * evaluate JavaScript, collect console errors, take screenshots. One browser with a fresh profile per instance;
 * {@link #close()} kills it and deletes the profile.
 */
final class Chromium implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    /** The chromium binary, or null if it is not installed ($CHROMIUM overrides the Debian path). */
    static Path binary() {
        String env = System.getenv("CHROMIUM");
        for (String candidate : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    Chromium(int width, int height) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("chromium-profile");
        process = new ProcessBuilder(binary().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String browserUrl = awaitDevToolsUrl();
            URI browser = URI.create(browserUrl);
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            String pageUrl = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (pageUrl == null && System.nanoTime() < deadline) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (Object t : (List<?>) Json.parse(list)) {
                    Map<?, ?> target = (Map<?, ?>) t;
                    if ("page".equals(target.get("type"))) {
                        pageUrl = (String) target.get("webSocketDebuggerUrl");
                    }
                }
                if (pageUrl == null) {
                    Thread.sleep(100);
                }
            }
            if (pageUrl == null) {
                throw new IOException("chromium opened no page within " + TIMEOUT);
            }
            socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(pageUrl), new Listener())
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            call("Runtime.enable", Map.of());
            call("Log.enable", Map.of());
            call("Page.enable", Map.of());
            call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", false));
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IOException("could not drive chromium: " + e, e);
        }
    }

    private String awaitDevToolsUrl() throws IOException {
        // Chromium prints the browser's DevTools address on stderr; read it on a thread so a silent browser
        // cannot hang the test beyond the timeout.
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                StringBuilder seen = new StringBuilder();
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        url.complete(m.group(1));
                    } else if (!url.isDone() && seen.length() < 4000) {
                        seen.append(line).append('\n');
                    }
                }
                url.completeExceptionally(new IOException("chromium exited without a DevTools address:\n" + seen));
            } catch (IOException e) {
                url.completeExceptionally(e);
            }
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("chromium did not start: " + e.getMessage(), e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                receive(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private void receive(String text) {
        Map<String, Object> message = (Map<String, Object>) Json.parse(text);
        if (message.get("id") instanceof Number n) {
            CompletableFuture<Map<String, Object>> f = pending.remove(n.intValue());
            if (f != null) {
                if (message.containsKey("error")) {
                    f.completeExceptionally(new IllegalStateException("DevTools: " + message.get("error")));
                } else {
                    f.complete((Map<String, Object>) message.get("result"));
                }
            }
            return;
        }
        Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
        switch (String.valueOf(message.get("method"))) {
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.get("type")) || "assert".equals(params.get("type"))) {
                    errors.add("console." + params.get("type") + ": " + params.get("args"));
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.get("exceptionDetails"));
            case "Log.entryAdded" -> {
                Map<String, Object> entry = (Map<String, Object>) params.get("entry");
                if ("error".equals(entry.get("level"))) {
                    errors.add("log: " + entry.get("text") + " " + entry.getOrDefault("url", ""));
                }
            }
            default -> { }
        }
    }

    /** Sends one DevTools command and waits for its result. */
    Map<String, Object> call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.put(id, result);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        socket.sendText(Json.write(message), true).join();
        try {
            return result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed: " + e.getMessage(), e);
        }
    }

    void navigate(URI url) {
        call("Page.navigate", Map.of("url", url.toString()));
    }

    /** The value of a JavaScript expression (JSON-like: numbers come back as Number, arrays as List). */
    @SuppressWarnings("unchecked")
    Object evaluate(String expression) {
        Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + r.get("exceptionDetails"));
        }
        return ((Map<String, Object>) r.get("result")).get("value");
    }

    /** Waits (at most {@code timeout}) until the expression is true; returns whether it became true. */
    boolean await(String expression, Duration timeout) throws InterruptedException {
        return await(() -> Boolean.TRUE.equals(evaluate(expression)), timeout);
    }

    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    /** A PNG of the whole page. */
    void screenshot(Path file) throws IOException {
        Map<String, Object> r = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode((String) r.get("data")));
    }

    /** Console errors, uncaught exceptions and failed loads seen so far. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            // Chromium's helpers (renderer, GPU, zygote) normally exit with it; make sure none is left behind.
            for (ProcessHandle helper : helpers) {
                helper.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(profile)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a profile left in /tmp is harmless
        }
    }
}
