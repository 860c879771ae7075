package perceptron.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017): 70000 grey 28x28 images of clothing in ten classes, 60000
 * for training and 10000 for testing, as d2l's {@code load_data_fashion_mnist} gives them.
 *
 * <pre>{@code
 * FashionMnist data = FashionMnist.load(null);        // or FashionMnist.load(Path.of("--data dir"))
 * DataLoader train = DataLoader.builder(data.train()).batchSize(256).shuffle(true).seed(42).build();
 * String name = FashionMnist.textLabel(data.test().label(0));          // "ankle boot"
 * }</pre>
 *
 * <p><b>Where the files come from.</b> The four files {@code train-images-idx3-ubyte}, {@code
 * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte} (each raw or
 * {@code .gz}) are looked for, in order, in: the directory passed to {@link #load} (the CLI's {@code --data
 * DIR}); {@code $PERCEPTRON_DATA}; {@code ~/.cache/perceptron/fashion-mnist}; and
 * {@code /usr/share/datasets/fashion-mnist} (the Debian package {@code dataset-fashion-mnist}). For each of the
 * first two, the directory itself, its {@code fashion-mnist} subdirectory and its {@code FashionMNIST/raw}
 * subdirectory (torchvision's layout, which d2l uses) are tried. A directory counts only if it has all four
 * files. If none has them, the files are downloaded into the cache from the dataset's published locations
 * (Zalando's GitHub repository, then the S3 mirror that torchvision and d2l use) and checked against the SHA-256
 * of their decompressed contents, which does not change when a mirror recompresses them (the published MD5s of
 * the gzip files are listed below for reference). Downloads go to a temporary name and are renamed into place.
 *
 * <p><b>Memory.</b> Images stay bytes ({@link ImageDataset}): 55 MB for both splits instead of 220 MB as floats.
 */
public final class FashionMnist {
    /** Class names, as d2l's {@code get_fashion_mnist_labels} spells them; index = label. */
    public static final List<String> CLASS_NAMES = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /**
     * SHA-256 of each file's decompressed contents. They agree with the MD5s of the decompressed files that
     * torchvision lists, and the official gzip files have these MD5s: train-images 8d4fb7e6c68d591d4c3dfef9ec88bf0d,
     * train-labels 25c81989df183df01b3e8a0aad5dffbe, t10k-images bef4ecab320f06d8554ea6380940ec79, t10k-labels
     * bb300cfdad3c16e7a12a480ee83cd310.
     */
    static final Map<String, String> SHA256 = Map.of(
            TRAIN_IMAGES, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            TRAIN_LABELS, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            TEST_IMAGES, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            TEST_LABELS, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    static final List<URI> MIRRORS = List.of(
            URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"));

    static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** No real download is larger than 27 MB; this bounds what a misbehaving server can make us write. */
    private static final long MAX_DOWNLOAD_BYTES = 64L << 20;

    private final ImageDataset train;
    private final ImageDataset test;
    private final Path directory;

    private FashionMnist(ImageDataset train, ImageDataset test, Path directory) {
        this.train = train;
        this.test = test;
        this.directory = directory;
    }

    /** The 60000 training images: features [1, 28, 28] in [0, 1], labels 0 to 9. */
    public ImageDataset train() {
        return train;
    }

    /** The 10000 test images. */
    public ImageDataset test() {
        return test;
    }

    /** The directory the files were read from. */
    public Path directory() {
        return directory;
    }

    /** The class name of a label: {@code textLabel(9)} is {@code "ankle boot"}. */
    public static String textLabel(int label) {
        if (label < 0 || label >= CLASS_NAMES.size()) {
            throw new IllegalArgumentException("Fashion-MNIST labels are 0 to 9, got " + label);
        }
        return CLASS_NAMES.get(label);
    }

    /** d2l's {@code get_fashion_mnist_labels}: the class names of several labels. */
    public static List<String> textLabels(int... labels) {
        List<String> names = new ArrayList<>(labels.length);
        for (int label : labels) {
            names.add(textLabel(label));
        }
        return names;
    }

    /**
     * Finds (or downloads) and reads both splits; see the class comment for the search order.
     *
     * @param dirOrNull a directory to look in first (the CLI's {@code --data}), or null
     * @throws IOException if the files are nowhere and cannot be downloaded (the message says where it looked
     *                     and what to do), or if a file is corrupt (the message names it and the byte offset)
     */
    public static FashionMnist load(Path dirOrNull) throws IOException {
        return load(new Sources(dirOrNull, System.getenv("PERCEPTRON_DATA"),
                Path.of(System.getProperty("user.home"), ".cache", "perceptron", "fashion-mnist"), SYSTEM_DIR,
                MIRRORS, SHA256));
    }

    /**
     * Where to look and what to download: the seams tests use to point the loader at temporary directories, a
     * local server or an unreachable address.
     */
    record Sources(Path explicit, String environment, Path cache, Path system, List<URI> mirrors,
                   Map<String, String> sha256) {
    }

    static FashionMnist load(Sources s) throws IOException {
        List<String> looked = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        if (s.explicit() != null) {
            // A directory the user named is what they meant: use it or say what is missing there, rather than
            // quietly training on a copy found elsewhere.
            List<Path> given = new ArrayList<>();
            addWithSubdirectories(given, s.explicit());
            for (Path dir : given) {
                if (hasAllFiles(dir)) {
                    return read(dir);
                }
            }
            List<String> missing = new ArrayList<>();
            for (String name : FILES) {
                if (find(s.explicit(), name) == null) {
                    missing.add(name);
                }
            }
            throw new IOException("Fashion-MNIST not found in " + s.explicit() + " (the directory given with --data): "
                    + (Files.isDirectory(s.explicit()) ? "missing " + String.join(", ", missing)
                    + " (each raw or .gz)" : "no such directory")
                    + ". Put the four IDX files there, or leave out --data to use the Debian package "
                    + "dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or a download.");
        }
        if (s.environment() != null && !s.environment().isBlank()) {
            Path env = Path.of(s.environment());
            addWithSubdirectories(candidates, env);
            looked.add(env + " ($PERCEPTRON_DATA)");
        } else {
            looked.add("$PERCEPTRON_DATA (not set)");
        }
        candidates.add(s.cache());
        looked.add(s.cache() + " (the download cache)");
        candidates.add(s.system());
        looked.add(s.system() + " (the Debian package dataset-fashion-mnist)");
        for (Path dir : candidates) {
            if (hasAllFiles(dir)) {
                return read(dir);
            }
        }
        List<String> failures = new ArrayList<>();
        for (URI mirror : s.mirrors()) {
            try {
                download(mirror, s.cache(), s.sha256());
                return read(s.cache());
            } catch (IOException e) {
                failures.add(mirror + ": " + e.getMessage());
            }
        }
        StringBuilder msg = new StringBuilder("Fashion-MNIST not found. Looked for ")
                .append(String.join(", ", FILES)).append(" (each raw or .gz) in:");
        for (String l : looked) {
            msg.append("\n  ").append(l);
        }
        msg.append("\nDownloading them failed:");
        for (String f : failures) {
            msg.append("\n  ").append(f);
        }
        msg.append("\nInstall the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or ")
                .append("put the four files in a directory and pass --data DIR (or set PERCEPTRON_DATA=DIR).");
        throw new IOException(msg.toString());
    }

    private static void addWithSubdirectories(List<Path> candidates, Path dir) {
        candidates.add(dir);
        candidates.add(dir.resolve("fashion-mnist"));
        candidates.add(dir.resolve("FashionMNIST").resolve("raw"));
    }

    private static boolean hasAllFiles(Path dir) {
        for (String name : FILES) {
            if (find(dir, name) == null) {
                return false;
            }
        }
        return true;
    }

    /** The raw file if present (faster to read), else the gzipped one, else null. */
    private static Path find(Path dir, String name) {
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    /** Reads both splits from a directory that has all four files, checking that they fit together. */
    static FashionMnist read(Path dir) throws IOException {
        return new FashionMnist(split(dir, TRAIN_IMAGES, TRAIN_LABELS), split(dir, TEST_IMAGES, TEST_LABELS), dir);
    }

    private static ImageDataset split(Path dir, String imagesName, String labelsName) throws IOException {
        Path imagesFile = find(dir, imagesName);
        Path labelsFile = find(dir, labelsName);
        if (imagesFile == null || labelsFile == null) {
            throw new IOException(dir + ": " + (imagesFile == null ? imagesName : labelsName) + "[.gz] is missing");
        }
        Idx.Data images = Idx.readImages(imagesFile);
        Idx.Data labels = Idx.readLabels(labelsFile);
        if (images.count() != labels.count()) {
            throw new IOException(labelsFile + ": " + labels.count() + " labels for the " + images.count()
                    + " images of " + imagesFile + " (the counts at byte offset 4 must agree)");
        }
        byte[] y = labels.data();
        for (int i = 0; i < y.length; i++) {
            if ((y[i] & 0xff) >= CLASS_NAMES.size()) {
                throw new IOException(labelsFile + ": label " + (y[i] & 0xff) + " at byte offset " + (8 + i)
                        + " is not a Fashion-MNIST class (0 to 9)");
            }
        }
        int[] s = images.shape();
        return new ImageDataset(images.data(), new int[] {1, s[1], s[2]}, y, CLASS_NAMES.size());
    }

    // =========================================================================================================
    // Download
    // =========================================================================================================

    /** Downloads every file missing from {@code cache}, verifying each before renaming it into place. */
    static void download(URI mirror, Path cache, Map<String, String> sha256) throws IOException {
        Files.createDirectories(cache);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (String name : FILES) {
            if (find(cache, name) != null) {
                continue;
            }
            URI uri = mirror.resolve(name + ".gz");
            Path target = cache.resolve(name + ".gz");
            Path temp = cache.resolve("." + name + ".gz." + ProcessHandle.current().pid() + ".part");
            try {
                Logger.getLogger("perceptron.data").info("perceptron: downloading " + uri + " into " + cache);
                fetch(client, uri, temp);
                String actual = sha256OfDecompressed(temp);
                if (!actual.equals(sha256.get(name))) {
                    throw new IOException(uri + " has the wrong contents: SHA-256 of the decompressed file is "
                            + actual + ", expected " + sha256.get(name));
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void fetch(HttpClient client, URI uri, Path temp) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + uri, e);
        } catch (IOException e) {
            throw new IOException(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + e.getMessage()), e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
            try (OutputStream out = Files.newOutputStream(temp)) {
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int r; (r = body.read(buf)) >= 0; ) {
                    total += r;
                    if (total > MAX_DOWNLOAD_BYTES) {
                        throw new IOException(uri + " sent more than " + MAX_DOWNLOAD_BYTES + " bytes; "
                                + "no Fashion-MNIST file is that large");
                    }
                    out.write(buf, 0, r);
                }
            }
        }
    }

    static String sha256OfDecompressed(Path gz) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz), 1 << 16),
                digest)) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // The digest sees every byte as it passes.
            }
        } catch (IOException e) {
            throw new IOException("the download is not a valid gzip file (" + e.getMessage() + ")", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
