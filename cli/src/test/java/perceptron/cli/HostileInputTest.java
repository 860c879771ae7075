package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.data.Idx;
import perceptron.io.SafeTensors;
import perceptron.tensor.Tensor;
import picocli.CommandLine;

/**
 * The attacks of issue #13 on the command line, each a user's mistake or a hostile file: one line naming the
 * file and what is wrong, exit code 2, no stack trace, and nothing large allocated on the file's word.
 */
class HostileInputTest {
    @TempDir
    static Path data;
    @TempDir
    static Path runs;
    static Path trained;

    @BeforeAll
    static void trainOnce() throws IOException {
        TinyFashion.write(data, 600, 100);
        trained = runs.resolve("trained");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", trained.toString(), "--epochs", "1",
                "--hidden", "16", "--threads", "1");
        assertEquals(0, r.code(), r.err());
    }

    /** A copy of the trained run to damage. */
    private static Path copyOfRun(Path tmp) throws IOException {
        Path copy = tmp.resolve("run");
        try (var walk = Files.walk(trained)) {
            for (Path p : walk.toList()) {
                Files.copy(p, copy.resolve(trained.relativize(p).toString()));
            }
        }
        return copy;
    }

    private static void assertOneLine(CliRun r, String... expected) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "expected '" + e + "' in: " + r.err());
        }
    }

    @Test
    void aModelTooLargeForTheHeapIsRefusedBeforeItIsAllocated(@TempDir Path tmp) {
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", tmp.resolve("huge").toString(),
                "--epochs", "1", "--hidden", "40000,40000");
        assertOneLine(r, "1,631,840,010 parameters", "needs about", "PERCEPTRON_JAVA_OPTS=-Xmx",
                "choose smaller --hidden widths");
        assertFalse(Files.exists(tmp.resolve("huge")));
    }

    @Test
    void aRunWhoseModelJsonDescribesAHugeModelIsRefusedBeforeLoading(@TempDir Path tmp) throws IOException {
        Path run = copyOfRun(tmp);
        Path json = run.resolve("model.json");
        Files.writeString(json, Files.readString(json).replace("\"hidden\": [16]", "\"hidden\": [40000, 40000]"));
        assertOneLine(CliRun.of("predict", run.toString(), "--idx",
                data.resolve("t10k-images-idx3-ubyte.gz").toString()), "PERCEPTRON_JAVA_OPTS");
        assertOneLine(CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--epochs", "2"),
                "PERCEPTRON_JAVA_OPTS");
    }

    @Test
    void anOutOfMemoryErrorBecomesOneLineSayingHowToGiveTheJvmMore() {
        StringWriter err = new StringWriter();
        Callable<Integer> greedy = () -> {
            throw new OutOfMemoryError("Java heap space");
        };
        CommandLine cli = new CommandLine(new Greedy(greedy));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(3, Main.execute(cli));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("perceptron: out of memory (Java heap space) with a Java heap of at most "),
                err.toString());
        assertTrue(err.toString().contains("PERCEPTRON_JAVA_OPTS=-Xmx"), err.toString());
    }

    @CommandLine.Command(name = "greedy")
    static final class Greedy implements Callable<Integer> {
        private final Callable<Integer> body;

        Greedy(Callable<Integer> body) {
            this.body = body;
        }

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }

    @Test
    void aBugKeepsItsStackTraceAndSaysWhereToReportIt() {
        // An op's shape error reaching the top is our bug, not the user's: it used to be printed as one line.
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Greedy(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3)).size()));
        cli.setErr(new PrintWriter(err, true));
        assertEquals(1, Main.execute(cli));
        String text = err.toString();
        assertTrue(text.startsWith("perceptron greedy: internal error: java.lang.IllegalArgumentException: "), text);
        assertTrue(text.contains("This is a bug in perceptron, not a mistake in what you asked for. Please report it"),
                text);
        assertTrue(text.contains("\tat perceptron."), text);

        StringWriter userErr = new StringWriter();
        CommandLine user = new CommandLine(new Greedy(() -> {
            throw new perceptron.io.InvalidInputException("x.json: a must be true or false, got 3");
        }));
        user.setErr(new PrintWriter(userErr, true));
        assertEquals(2, Main.execute(user));
        assertEquals("perceptron greedy: x.json: a must be true or false, got 3", userErr.toString().trim());
    }

    @Test
    void predictReadsOnlyTheImageAskedForFromAFileThatPromisesMillions(@TempDir Path tmp) throws IOException {
        // The header promises 2.7 million images; the file holds two. Image 1 is there: predict must neither
        // read (and allocate for) the rest nor fail because the rest is missing.
        int promised = 2_700_000;
        ByteBuffer header = ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(promised).putInt(28).putInt(28);
        byte[] images = Idx.readImages(data.resolve("t10k-images-idx3-ubyte.gz")).data();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(header.array());
            gz.write(images, 0, 2 * 784);
        }
        Path file = Files.write(tmp.resolve("millions-idx3-ubyte.gz"), bytes.toByteArray());
        CliRun r = CliRun.of("predict", trained.toString(), "--idx", file.toString(), "--index", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("image 1 of millions-idx3-ubyte.gz"), r.out());
        assertOneLine(CliRun.of("predict", trained.toString(), "--idx", file.toString(), "--index", "2700000"),
                "--index 2700000 is out of range", "holds 2700000 images");
    }

    @Test
    void aHugePictureIsRefusedFromItsHeaderBeforeDecoding(@TempDir Path tmp) throws IOException {
        Path png = Files.write(tmp.resolve("huge.png"), pngHeader(20000, 20000));
        assertOneLine(CliRun.of("predict", trained.toString(), "--image", png.toString()),
                png + " is 20000x20000 pixels; at most 16,777,216 pixels (4096x4096) are decoded");
        Path damaged = Files.write(tmp.resolve("damaged.png"), pngHeader(28, 28));
        assertOneLine(CliRun.of("predict", trained.toString(), "--image", damaged.toString()),
                damaged + ": cannot decode the image");
    }

    /** A PNG signature and IHDR chunk (8-bit grayscale) and nothing after: all a reader needs for the size. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }

    @Test
    void imagesOfTheWrongSizeAreNamedWithTheirFile(@TempDir Path tmp) throws IOException {
        Path small = tmp.resolve("small-idx3-ubyte");
        Idx.write(small, new int[] {2, 10, 10}, new byte[200]);
        assertOneLine(CliRun.of("predict", trained.toString(), "--idx", small.toString()),
                "the images of " + small + " are 10x10 pixels; this model takes 28x28");
        Path dir = tmp.resolve("data10");
        Files.createDirectories(dir);
        for (String split : new String[] {"train", "t10k"}) {
            Idx.write(dir.resolve(split + "-images-idx3-ubyte.gz"), new int[] {20, 10, 10}, new byte[2000]);
            Idx.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {20}, new byte[20]);
        }
        assertOneLine(CliRun.of("train", "--data", dir.toString(), "--out", tmp.resolve("r").toString(), "--epochs",
                "1"), "the training images in " + dir + " are 10x10 (100 pixels), but the model takes 28x28 (784)");
        assertOneLine(CliRun.of("evaluate", trained.toString(), "--data", dir.toString()),
                "the test images in " + dir + " are 10x10");
    }

    @Test
    void anEmptyTrainingSetIsRefusedInsteadOfTrainingToLossZero(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("empty");
        Files.createDirectories(dir);
        for (String split : new String[] {"train", "t10k"}) {
            Idx.write(dir.resolve(split + "-images-idx3-ubyte.gz"), new int[] {0, 28, 28}, new byte[0]);
            Idx.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), new int[] {0}, new byte[0]);
        }
        assertOneLine(CliRun.of("train", "--data", dir.toString(), "--out", tmp.resolve("r").toString(), "--epochs",
                "1"), "the training set in " + dir + " holds no images");
    }

    @Test
    void damagedRunFilesAreNamedWithTheFieldAndWhatWasExpected(@TempDir Path tmp) throws IOException {
        Path run = copyOfRun(tmp);
        Path json = run.resolve("model.json");
        String good = Files.readString(json);
        Files.writeString(json, good.replace("\"hidden\": [16]", "\"hidden\": [4294967312]"));
        assertOneLine(CliRun.of("evaluate", run.toString(), "--data", data.toString()),
                json + ": architecture.hidden[0] must be an integer from 1 to 2147483647, got 4294967312");
        Files.write(json, new byte[] {0x50, 0x4b, 0x03, 0x04, (byte) 0xff, (byte) 0xfe, 0, 1});
        assertOneLine(CliRun.of("evaluate", run.toString(), "--data", data.toString()),
                json + ": not UTF-8 text (a JSON file was expected): the byte at offset 4 is 0xFF");
        Files.writeString(json, good);
        Path optimizer = run.resolve("checkpoint/epoch-0001/optimizer.safetensors");
        Files.delete(optimizer);
        assertOneLine(CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--epochs", "2"),
                "checkpoint/epoch-0001 is incomplete: optimizer.safetensors is missing");
        CliRun missingFile = CliRun.of("evaluate", tmp.resolve("nowhere").toString());
        assertOneLine(missingFile, "not a training run");
    }

    @Test
    void nonFiniteWeightsAreRefusedInsteadOfGivingNanProbabilities(@TempDir Path tmp) throws IOException {
        Path run = copyOfRun(tmp);
        Path weights = run.resolve("model.safetensors");
        Map<String, Tensor> state = new LinkedHashMap<>(SafeTensors.read(weights).tensors());
        float[] b = state.get("3.bias").toFloatArray();
        b[4] = Float.POSITIVE_INFINITY;
        state.put("3.bias", Tensor.wrap(b, b.length));
        SafeTensors.write(weights, state);
        assertOneLine(CliRun.of("predict", run.toString(), "--idx",
                data.resolve("t10k-images-idx3-ubyte.gz").toString()),
                weights + ": tensor 3.bias holds Infinity at index 4");
    }

    @Test
    void aReadOnlyRunFailsBeforeTrainingAndEvaluatesWithoutItsFigure(@TempDir Path tmp) throws Exception {
        Path run = copyOfRun(tmp);
        Path leftover = run.resolve(".curves.png.1234abcd.tmp");
        Files.writeString(leftover, "half a figure, from a kill during a write");
        try (ReadOnly ro = ReadOnly.make(run)) {
            CliRun resume = CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--epochs",
                    "2", "--threads", "1");
            assertOneLine(resume, run + ": this run cannot be written to");
            assertFalse(resume.out().contains("epoch 2/2"), "failed only after training: " + resume.out());
            CliRun eval = CliRun.of("evaluate", run.toString(), "--data", data.toString());
            assertEquals(0, eval.code(), eval.err());
            assertTrue(eval.out().startsWith("test accuracy "), eval.out());
            assertEquals("perceptron evaluate: " + run + " is read-only; the confusion matrix figure was not written",
                    eval.err().trim());
        }
        CliRun resumed = CliRun.of("train", "--data", data.toString(), "--resume", run.toString(), "--epochs", "2",
                "--threads", "1");
        assertEquals(0, resumed.code(), resumed.err());
        assertFalse(Files.exists(leftover), "the leftover of a killed figure write is removed");
    }

    @Test
    void anOutThatNamesAFileAndAHugeOptionValueGetShortClearLines(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "not a run");
        assertOneLine(CliRun.of("train", "--data", data.toString(), "--out", file.toString(), "--epochs", "1"),
                file + ": it is a file; a run is a directory");
        CliRun huge = CliRun.of("train", "--lr", "9".repeat(100_000) + "x");
        assertEquals(2, huge.code());
        assertEquals(1, huge.err().lines().count());
        assertTrue(huge.err().length() < 2200, huge.err().length() + " characters");
    }
}
