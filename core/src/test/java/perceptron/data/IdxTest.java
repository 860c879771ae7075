package perceptron.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private static byte[] pixels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @Test
    void roundTripsRawAndGzipFiles() throws IOException {
        byte[] images = pixels(5 * 4 * 3);
        byte[] labels = {0, 9, 3, (byte) 255, 1};
        for (String suffix : new String[] {"", ".gz"}) {
            Path img = dir.resolve("images-idx3-ubyte" + suffix);
            Path lab = dir.resolve("labels-idx1-ubyte" + suffix);
            Idx.write(img, new int[] {5, 4, 3}, images);
            Idx.write(lab, new int[] {5}, labels);
            Idx.Data i = Idx.readImages(img);
            Idx.Data l = Idx.readLabels(lab);
            assertArrayEquals(new int[] {5, 4, 3}, i.shape());
            assertArrayEquals(images, i.data());
            assertEquals(5, l.count());
            assertArrayEquals(labels, l.data());
        }
        byte[] raw = Files.readAllBytes(dir.resolve("labels-idx1-ubyte"));
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 5, 0, 9, 3, (byte) 255, 1}, raw);
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        Path gz = dir.resolve("x.gz");
        Idx.write(gz, new int[] {2, 2}, new byte[] {1, 2, 3, 4});
        Path renamed = Files.move(gz, dir.resolve("no-extension"));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Idx.read(renamed).data());
    }

    @Test
    void readsALargeGzipFileThatOutgrowsTheFirstGuess() throws IOException {
        // Zeros compress about 1000:1, so the array must grow from its first guess several times.
        Path gz = dir.resolve("zeros.gz");
        byte[] zeros = new byte[20 << 20];
        zeros[zeros.length - 1] = 42;
        Idx.write(gz, new int[] {20, 1 << 20}, zeros);
        assertTrue(Files.size(gz) < 100_000);
        assertArrayEquals(zeros, Idx.read(gz).data());
    }

    @Test
    void emptyDimensionsGiveEmptyData() throws IOException {
        Path f = dir.resolve("empty");
        Idx.write(f, new int[] {0, 28, 28}, new byte[0]);
        Idx.Data d = Idx.readImages(f);
        assertArrayEquals(new int[] {0, 28, 28}, d.shape());
        assertEquals(0, d.data().length);
    }

    @Test
    void badMagic() throws IOException {
        assertError(raw(0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0), "bad magic number 0x12340801",
                "at byte offset 0)", "Is this an IDX file?");
        // A PNG file, say.
        assertError(raw(0x89, 'P', 'N', 'G', 13, 10, 26, 10), "bad magic number 0x89504E47");
    }

    @Test
    void unsupportedTypeCode() throws IOException {
        assertError(raw(0, 0, 0x0D, 0x01, 0, 0, 0, 1, 0, 0, 0, 0), "type code 0x0D (float) is not supported",
                "at byte offset 2)");
        assertError(raw(0, 0, 0x42, 0x01, 0, 0, 0, 0), "type code 0x42 (unknown)");
    }

    @Test
    void wrongDimensionCountForImagesOrLabels() throws IOException {
        Path labels = dir.resolve("labels");
        Idx.write(labels, new int[] {3}, new byte[3]);
        IOException e = assertThrows(IOException.class, () -> Idx.readImages(labels));
        assertTrue(e.getMessage().contains("magic number 0x00000801 means 1 dimension(s), expected 0x00000803 "
                + "(images: count, rows, columns)"), e.getMessage());
        assertError(raw(0, 0, 8, 0), "dimension count 0", "at byte offset 3)");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertError(raw(0, 0), "the file ends inside the header, while reading the 4-byte magic number",
                "at byte offset 2)");
        assertError(raw(0, 0, 8, 3, 0, 0, 0, 10, 0, 0), "while reading 3 dimension sizes", "at byte offset 10)");
        assertError(raw(), "at byte offset 0)");
    }

    @Test
    void truncatedRawDataIsCaughtBeforeAllocating() throws IOException {
        byte[] header = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28};
        byte[] file = Arrays.copyOf(header, 16 + 1000);
        assertError(file, "the header promises 2 x 28 x 28 = 1568 bytes from offset 16 to 1584, but the file ends at "
                + "offset 1016; the file is truncated", "(at byte offset 16)");
    }

    @Test
    void truncatedGzipDataFailsWhereTheDataEnds() throws IOException {
        byte[] header = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28};
        byte[] content = Arrays.copyOf(header, 16 + 1000);
        assertGzError(gzip(content), "the data ends here, after 1000 of the 2 x 28 x 28 = 1568 bytes",
                "(at byte offset 1016 of the decompressed stream)");
        byte[] labels = Arrays.copyOf(new byte[] {0, 0, 8, 1, 0, 0, (byte) 0xC3, 0x50}, 8 + 50_000);
        System.arraycopy(pixels(50_000), 0, labels, 8, 50_000);
        byte[] gz = gzip(labels);
        assertGzError(Arrays.copyOf(gz, gz.length - 10), "corrupt or truncated gzip data",
                "of the decompressed stream)");
    }

    @Test
    void hostileDimensionsDoNotAllocate() {
        // 0x7fffffff images of 1 x 1, promised by a 12-byte file: must fail on the file length, at once.
        byte[] huge = {0, 0, 8, 3, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1, 0, 0, 0, 1};
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertError(huge, "more than 2^31 - 9 elements", "(at byte offset 4)");
            byte[] big = {0, 0, 8, 3, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 28, 0, 0, 0, 28};
            assertError(big, "the header promises 65535 x 28 x 28 = 51379440 bytes", "file ends at offset 16");
            assertGzError(gzip(big), "the data ends here, after 0 of the 65535 x 28 x 28 = 51379440 bytes");
            // A dimension of 2^31 or more.
            byte[] negative = {0, 0, 8, 1, (byte) 0x80, 0, 0, 0};
            assertError(negative, "dimension 0 is 2147483648, more than 2^31 - 1", "(at byte offset 4)");
            byte[] product = {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0};
            assertError(product, "[65536, 65536] promise more than 2^31 - 9 elements");
        });
    }

    @Test
    void trailingBytes() throws IOException {
        byte[] good = {0, 0, 8, 1, 0, 0, 0, 2, 7, 8};
        byte[] trailing = Arrays.copyOf(good, 13);
        assertError(trailing, "3 bytes of trailing data after the 2 bytes the header promises",
                "(at byte offset 10)");
        assertGzError(gzip(trailing), "trailing data after the 2 bytes", "(at byte offset 10 of the decompressed");
    }

    // ---- helpers

    @Test
    void readImageReadsOnlyTheImageAskedForWhateverTheHeaderPromises() throws IOException {
        // A header that promises 2.7 million 28x28 images, followed by only three: reading the whole file fails,
        // but image 1 is there, and reading it must not depend on (or allocate for) the rest.
        int promised = 2_700_000;
        byte[] content = new byte[16 + 3 * 784];
        byte[] head = raw(0, 0, 8, 3, promised >>> 24, (promised >>> 16) & 0xff, (promised >>> 8) & 0xff,
                promised & 0xff, 0, 0, 0, 28, 0, 0, 0, 28);
        System.arraycopy(head, 0, content, 0, 16);
        for (int i = 0; i < 784; i++) {
            content[16 + 784 + i] = (byte) (i % 251);
        }
        Path f = Files.write(dir.resolve("promises-millions-idx3-ubyte.gz"), gzip(content));
        assertThrows(IOException.class, () -> Idx.readImages(f));
        assertArrayEquals(new int[] {promised, 28, 28}, Idx.imageShape(f));
        Idx.Data one = Idx.readImage(f, 1);
        assertArrayEquals(new int[] {1, 28, 28}, one.shape());
        assertArrayEquals(Arrays.copyOfRange(content, 16 + 784, 16 + 2 * 784), one.data());
        IOException beyond = assertThrows(IOException.class, () -> Idx.readImage(f, 5));
        assertTrue(beyond.getMessage().startsWith(f + ": "), beyond.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Idx.readImage(f, promised));

        Path labels = Files.write(dir.resolve("labels-idx1-ubyte.gz"), gzip(raw(0, 0, 8, 1, 0x7f, 0xff, 0xff, 0x00,
                3, 9, 250)));
        assertEquals(250, Idx.readLabel(labels, 2));
        assertThrows(IOException.class, () -> Idx.readLabel(labels, 3));
    }

    @Test
    void readRangeReadsOnlyTheItemsAskedForFromRawAndGzipFiles() throws IOException {
        byte[] images = pixels(5 * 4 * 3);
        byte[] labels = {3, 1, 4, 1, 5};
        for (boolean gzip : new boolean[] {false, true}) {
            Path img = dir.resolve("range-images-" + gzip);
            Path lab = dir.resolve("range-labels-" + gzip);
            Idx.write(img, new int[] {5, 4, 3}, images);
            Idx.write(lab, new int[] {5}, labels);
            if (gzip) {
                Files.write(img, gzip(Files.readAllBytes(img)));
                Files.write(lab, gzip(Files.readAllBytes(lab)));
            }
            Idx.Data middle = Idx.readRange(img, 1, 3);
            assertArrayEquals(new int[] {3, 4, 3}, middle.shape());
            assertArrayEquals(Arrays.copyOfRange(images, 12, 48), middle.data());
            assertArrayEquals(new byte[] {1, 5}, Idx.readRange(lab, 3, 2).data());
            assertEquals(0, Idx.readRange(lab, 5, 0).count());
            IndexOutOfBoundsException past = assertThrows(IndexOutOfBoundsException.class,
                    () -> Idx.readRange(img, 4, 2));
            assertTrue(past.getMessage().contains("holds 5 items") && past.getMessage().contains("no items 4 to 5"),
                    past.getMessage());
        }
    }

    private void assertError(byte[] file, String... expected) throws IOException {
        Path f = Files.write(dir.resolve("bad-idx"), file);
        IOException e = assertThrows(IOException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "expected '" + s + "' in: " + e.getMessage());
        }
    }

    private void assertGzError(byte[] file, String... expected) throws IOException {
        assertError(file, expected);
    }

    private static byte[] raw(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }
}
