package perceptron.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path tmp;

    // ---- the real data set, when the Debian package is installed

    @Test
    void loadsTheRealFilesWithTheirKnownCountsAndValues() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.SYSTEM_DIR), "Debian package dataset-fashion-mnist not installed");
        FashionMnist data = FashionMnist.load(FashionMnist.SYSTEM_DIR);
        ImageDataset train = data.train();
        ImageDataset test = data.test();
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.featureShape());
        assertArrayEquals(new int[0], train.labelShape());
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, perClass);
        // The first training image is an ankle boot; so is the first test image.
        assertEquals(9, train.label(0));
        assertEquals("ankle boot", FashionMnist.textLabel(test.label(0)));
        assertEquals(List.of(9, 0, 0, 3, 0, 2, 7, 2, 5, 5), firstLabels(train, 10));
        assertEquals(List.of(9, 2, 1, 1, 6, 1, 4, 6, 5, 7), firstLabels(test, 10));
        assertEquals(217, train.pixel(0, 14 * 28 + 14));
        assertEquals(13, train.pixel(0, 99));
        float[] x = new float[784];
        float[] y = new float[1];
        train.read(0, x, 0, y, 0);
        assertEquals(217 / 255f, x[14 * 28 + 14]);
        assertEquals(9f, y[0]);
    }

    private static List<Integer> firstLabels(ImageDataset d, int n) {
        return java.util.stream.IntStream.range(0, n).map(d::label).boxed().toList();
    }

    @Test
    void classNamesAreD2ls() {
        assertEquals(List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle boot"), FashionMnist.CLASS_NAMES);
        assertThrows(IllegalArgumentException.class, () -> FashionMnist.textLabel(10));
        assertEquals(List.of("ankle boot", "t-shirt", "bag"), FashionMnist.textLabels(9, 0, 8));
    }

    // ---- where the files are looked for, with small fake data sets told apart by their size

    /** Writes a fake Fashion-MNIST of {@code n} training and {@code n + 1} test images into dir. */
    private static Map<String, byte[]> fake(Path dir, int n, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        Map<String, byte[]> contents = new HashMap<>();
        String gz = gzip ? ".gz" : "";
        contents.put(FashionMnist.TRAIN_IMAGES, images(dir.resolve(FashionMnist.TRAIN_IMAGES + gz), n));
        contents.put(FashionMnist.TRAIN_LABELS, labels(dir.resolve(FashionMnist.TRAIN_LABELS + gz), n));
        contents.put(FashionMnist.TEST_IMAGES, images(dir.resolve(FashionMnist.TEST_IMAGES + gz), n + 1));
        contents.put(FashionMnist.TEST_LABELS, labels(dir.resolve(FashionMnist.TEST_LABELS + gz), n + 1));
        return contents;
    }

    private static byte[] images(Path file, int n) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i % 251);
        }
        Idx.write(file, new int[] {n, 28, 28}, pixels);
        return rawFile(new int[] {n, 28, 28}, pixels);
    }

    private static byte[] labels(Path file, int n) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        Idx.write(file, new int[] {n}, labels);
        return rawFile(new int[] {n}, labels);
    }

    /** The bytes of an uncompressed IDX file. */
    private static byte[] rawFile(int[] shape, byte[] data) {
        byte[] out = new byte[4 + 4 * shape.length + data.length];
        out[2] = 8;
        out[3] = (byte) shape.length;
        for (int i = 0; i < shape.length; i++) {
            for (int k = 0; k < 4; k++) {
                out[4 + 4 * i + k] = (byte) (shape[i] >>> (24 - 8 * k));
            }
        }
        System.arraycopy(data, 0, out, 4 + 4 * shape.length, data.length);
        return out;
    }

    private FashionMnist.Sources sources(Path explicit, String env, List<URI> mirrors, Map<String, String> sha) {
        return new FashionMnist.Sources(explicit, env, tmp.resolve("cache"), tmp.resolve("system"), mirrors, sha);
    }

    @Test
    void searchesExplicitThenEnvironmentThenCacheThenSystem() throws IOException {
        fake(tmp.resolve("system"), 1, true);
        assertEquals(1, FashionMnist.load(sources(null, null, List.of(), Map.of())).train().size());
        fake(tmp.resolve("cache"), 2, true);
        assertEquals(2, FashionMnist.load(sources(null, null, List.of(), Map.of())).train().size());
        fake(tmp.resolve("env").resolve("fashion-mnist"), 3, false);
        assertEquals(3, FashionMnist.load(sources(null, tmp.resolve("env").toString(), List.of(), Map.of()))
                .train().size());
        fake(tmp.resolve("given").resolve("FashionMNIST").resolve("raw"), 4, true);
        FashionMnist d = FashionMnist.load(sources(tmp.resolve("given"), tmp.resolve("env").toString(), List.of(),
                Map.of()));
        assertEquals(4, d.train().size());
        assertEquals(5, d.test().size());
        assertEquals(tmp.resolve("given").resolve("FashionMNIST").resolve("raw"), d.directory());
        // A directory given without the files is an error, not a reason to use another copy.
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(sources(tmp.resolve("nowhere"),
                tmp.resolve("env").toString(), List.of(), Map.of())));
        assertTrue(e.getMessage().startsWith("Fashion-MNIST not found in " + tmp.resolve("nowhere")
                + " (the directory given with --data): no such directory"), e.getMessage());
    }

    @Test
    void aDirectoryWithOnlySomeOfTheFilesDoesNotCount() throws IOException {
        fake(tmp.resolve("system"), 1, true);
        Path partial = tmp.resolve("partial");
        fake(partial, 7, false);
        Files.delete(partial.resolve(FashionMnist.TEST_LABELS));
        IOException e = assertThrows(IOException.class,
                () -> FashionMnist.load(sources(partial, null, List.of(), Map.of())));
        assertTrue(e.getMessage().contains("missing " + FashionMnist.TEST_LABELS), e.getMessage());
        fake(tmp.resolve("env"), 2, true);
        Files.delete(tmp.resolve("env").resolve(FashionMnist.TRAIN_IMAGES + ".gz"));
        assertEquals(1, FashionMnist.load(sources(null, tmp.resolve("env").toString(), List.of(), Map.of()))
                .train().size(), "an incomplete $PERCEPTRON_DATA is skipped");
    }

    @Test
    void offlineFailureSaysWhereItLookedAndWhatToDo() throws IOException {
        URI unreachable = URI.create("http://127.0.0.1:" + closedPort() + "/fashion/");
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(
                sources(null, null, List.of(unreachable), Map.of())));
        String m = e.getMessage();
        for (String expected : new String[] {"Fashion-MNIST not found", "train-images-idx3-ubyte",
            "$PERCEPTRON_DATA (not set)",
            tmp.resolve("cache") + " (the download cache)", tmp.resolve("system").toString(),
            "dataset-fashion-mnist", "Downloading them failed", unreachable.toString(), "--data DIR",
            "PERCEPTRON_DATA=DIR"}) {
            assertTrue(m.contains(expected), "expected '" + expected + "' in:\n" + m);
        }
        assertEquals(List.of(), listing(tmp.resolve("cache")), "no partial download is left behind");
    }

    @Test
    void downloadsIntoTheCacheAndVerifiesTheHashes() throws Exception {
        Map<String, byte[]> contents = fake(tmp.resolve("server").resolve("good"), 3, true);
        fake(tmp.resolve("server").resolve("bad"), 4, true);
        Map<String, String> sha = new HashMap<>();
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            sha.put(e.getKey(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(e.getValue())));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Path file = tmp.resolve("server").resolve(exchange.getRequestURI().getPath().substring(1));
            byte[] body = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            List<URI> mirrors = List.of(URI.create(base + "missing/"), URI.create(base + "bad/"),
                    URI.create(base + "good/"));
            FashionMnist d = FashionMnist.load(sources(null, null, mirrors, sha));
            assertEquals(3, d.train().size());
            assertEquals(4, d.test().size());
            assertEquals(tmp.resolve("cache"), d.directory());
            assertEquals(List.of("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"), listing(tmp.resolve("cache")));

            // Only wrong contents on offer: the message says so and nothing is kept.
            Path otherCache = tmp.resolve("cache2");
            IOException e = assertThrows(IOException.class, () -> FashionMnist.load(new FashionMnist.Sources(null,
                    null, otherCache, tmp.resolve("system"), List.of(URI.create(base + "bad/"),
                    URI.create(base + "missing/")), sha)));
            assertTrue(e.getMessage().contains("has the wrong contents: SHA-256 of the decompressed file is"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("answered HTTP 404"), e.getMessage());
            assertEquals(List.of(), listing(otherCache));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void mismatchedCountsAndBadLabelsNameTheFile() throws IOException {
        Path dir = tmp.resolve("broken");
        fake(dir, 5, false);
        labels(dir.resolve(FashionMnist.TRAIN_LABELS), 4);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.read(dir));
        assertTrue(e.getMessage().contains("4 labels for the 5 images"), e.getMessage());
        byte[] bad = rawFile(new int[] {5}, new byte[] {1, 2, 3, 10, 4});
        Files.write(dir.resolve(FashionMnist.TRAIN_LABELS), bad);
        e = assertThrows(IOException.class, () -> FashionMnist.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve(FashionMnist.TRAIN_LABELS) + ": label 10 at byte offset 11 "
                + "is not a Fashion-MNIST class"), e.getMessage());
    }

    @Test
    void hashOfDecompressedContentIgnoresHowItWasCompressed() throws Exception {
        byte[] content = "the same bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Path a = tmp.resolve("a.gz");
        Path b = tmp.resolve("b.gz");
        Files.write(a, gzip(content, 1));
        Files.write(b, gzip(content, 9));
        assertEquals(FashionMnist.sha256OfDecompressed(a), FashionMnist.sha256OfDecompressed(b));
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                FashionMnist.sha256OfDecompressed(a));
    }

    private static byte[] gzip(byte[] content, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
