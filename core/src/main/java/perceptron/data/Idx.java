package perceptron.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import perceptron.io.AtomicFiles;

/**
 * The IDX format of MNIST and Fashion-MNIST (LeCun's description at yann.lecun.com/exdb/mnist), raw or gzipped.
 *
 * <pre>
 * offset 0    two zero bytes
 * offset 2    type code: 0x08 unsigned byte (the only one read here; 0x09 byte, 0x0B short, 0x0C int,
 *             0x0D float and 0x0E double exist but no MNIST-like data set uses them)
 * offset 3    number of dimensions r: 3 for images (magic 0x00000803), 1 for labels (magic 0x00000801)
 * offset 4    r sizes, 32-bit big-endian: [count, rows, columns] or [count]
 * offset 4+4r the elements, row-major, one byte each
 * </pre>
 *
 * <p>A gzip file is recognised by its first two bytes (0x1f 0x8b), whatever its name. Reading validates before
 * it allocates: a raw file's length must be exactly what the header promises; a gzip file is decompressed
 * incrementally into storage that grows with the data actually present, so a hostile header that promises 2^31
 * bytes in a tiny file fails at the offset where the data ends, without allocating for the promise. Every error
 * is an {@link IOException} naming the file and the byte offset (in the decompressed stream, for gzip).
 *
 * <pre>{@code
 * Idx.Data images = Idx.readImages(dir.resolve("train-images-idx3-ubyte.gz"));   // shape [60000, 28, 28]
 * Idx.Data labels = Idx.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));   // shape [60000]
 * }</pre>
 */
public final class Idx {
    /** Magic number of an unsigned-byte file of 3 dimensions: images. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte file of 1 dimension: labels. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The largest element count a Java array holds safely. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Idx() {
    }

    /**
     * The contents of an IDX file: its shape and its elements, unsigned bytes stored in Java's signed
     * {@code byte} (read them with {@code b & 0xff}).
     */
    public record Data(int[] shape, byte[] data) {
        /** Size of the first axis: the number of images or labels. */
        public int count() {
            return shape[0];
        }

        @Override
        public String toString() {
            return "Idx.Data" + Arrays.toString(shape);
        }
    }

    /** Reads an image file: magic 0x00000803, shape [count, rows, columns]. */
    public static Data readImages(Path file) throws IOException {
        return read(file, IMAGES_MAGIC);
    }

    /** Reads a label file: magic 0x00000801, shape [count]. */
    public static Data readLabels(Path file) throws IOException {
        return read(file, LABELS_MAGIC);
    }

    /** Reads an unsigned-byte IDX file of any number of dimensions (at least 1). */
    public static Data read(Path file) throws IOException {
        return read(file, 0);
    }

    /**
     * The shape of an image file, {@code [count, rows, columns]}, from its header alone: nothing past the header
     * is read or allocated, whatever the header promises.
     */
    public static int[] imageShape(Path file) throws IOException {
        return open(file, (r, length) -> r.guarded(() -> r.header(length, IMAGES_MAGIC)));
    }

    /**
     * Image {@code index} of an image file, shape {@code [1, rows, columns]}: only that image is read (a gzip
     * stream is decompressed up to its end, nothing is kept before it), so a small file whose header promises
     * millions of images costs no more than one. The header is validated as by {@link #readImages}; the rest of
     * the file is not checked.
     *
     * @throws IndexOutOfBoundsException if the file holds no image {@code index} (see {@link #imageShape})
     */
    public static Data readImage(Path file, int index) throws IOException {
        return open(file, (r, length) -> r.guarded(() -> r.image(length, index)));
    }

    /**
     * Label {@code index} of a label file (0 to 255), reading only up to it, as {@link #readImage} does.
     *
     * @throws IndexOutOfBoundsException if the file holds no label {@code index}
     */
    public static int readLabel(Path file, int index) throws IOException {
        return open(file, (r, length) -> r.guarded(() -> r.label(length, index)));
    }

    /**
     * Items {@code from} to {@code from + count - 1} along the first axis of an unsigned-byte IDX file of any rank
     * (images of an image file, labels of a label file), shape {@code [count, ...]}: only they are read, as by
     * {@link #readImage}, so that a reader of one slice of a file (a Spark partition, say) holds only that slice.
     *
     * @throws IndexOutOfBoundsException if the file holds fewer than {@code from + count} items
     */
    public static Data readRange(Path file, int from, int count) throws IOException {
        return open(file, (r, length) -> r.guarded(() -> r.range(length, from, count)));
    }

    private interface ReadAction<T> {
        T apply(Reader reader, long fileLength) throws IOException;
    }

    /** expectedMagic 0 accepts any unsigned-byte file. */
    private static Data read(Path file, int expectedMagic) throws IOException {
        return open(file, (r, length) -> r.read(length, expectedMagic));
    }

    private static <T> T open(Path file, ReadAction<T> action) throws IOException {
        long fileLength = Files.size(file);
        boolean gzip;
        try (InputStream probe = Files.newInputStream(file)) {
            gzip = probe.read() == 0x1f && probe.read() == 0x8b;
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return action.apply(new Reader(file, gzip, in), fileLength);
        }
    }

    /** Reads one file, tracking the offset so that every error can say where it happened. */
    private static final class Reader {
        final Path file;
        final boolean gzip;
        final InputStream in;
        long offset;

        Reader(Path file, boolean gzip, InputStream in) {
            this.file = file;
            this.gzip = gzip;
            this.in = in;
        }

        Data read(long fileLength, int expectedMagic) throws IOException {
            return guarded(() -> readChecked(fileLength, expectedMagic));
        }

        interface Body<T> {
            T run() throws IOException;
        }

        <T> T guarded(Body<T> body) throws IOException {
            try {
                return body.run();
            } catch (EOFException | ZipException e) {
                throw error(offset, "corrupt or truncated gzip data (" + e.getMessage() + ")");
            }
        }

        private Data readChecked(long fileLength, int expectedMagic) throws IOException {
            int[] shape = header(fileLength, expectedMagic);
            long total = 1;
            for (int d : shape) {
                total *= d;
            }
            byte[] data = readData((int) total, fileLength, shape);
            if (in.read() >= 0) {
                throw error(offset, "trailing data after the " + describe(shape, total)
                        + " the header promises (decompressed stream)");
            }
            return new Data(shape, data);
        }

        /** Reads and checks the header (and, for a raw file, that its length is what the header promises). */
        int[] header(long fileLength, int expectedMagic) throws IOException {
            byte[] head = new byte[4];
            readHeader(head, "the 4-byte magic number");
            int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8)
                    | (head[3] & 0xff);
            if (head[0] != 0 || head[1] != 0) {
                throw error(0, "bad magic number " + hex(magic) + "; an IDX file starts with two zero bytes, a type "
                        + "code and a dimension count (" + hex(IMAGES_MAGIC) + " for images, " + hex(LABELS_MAGIC)
                        + " for labels). Is this an IDX file?");
            }
            int type = head[2] & 0xff;
            if (type != 0x08) {
                throw error(2, "type code " + String.format("0x%02X", type) + " (" + typeName(type) + ") is not "
                        + "supported; only unsigned bytes (0x08) are, as in MNIST and Fashion-MNIST");
            }
            int rank = head[3] & 0xff;
            if (expectedMagic != 0 && magic != expectedMagic) {
                throw error(0, "magic number " + hex(magic) + " means " + rank + " dimension(s), expected "
                        + hex(expectedMagic) + " (" + (expectedMagic == IMAGES_MAGIC ? "images: count, rows, columns"
                        : "labels: count") + "); is this the right file?");
            }
            if (rank == 0) {
                throw error(3, "dimension count 0; an IDX file has at least one dimension");
            }
            byte[] dimBytes = new byte[4 * rank];
            readHeader(dimBytes, rank + " dimension sizes");
            int[] shape = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                long d = ((dimBytes[4 * i] & 0xffL) << 24) | ((dimBytes[4 * i + 1] & 0xff) << 16)
                        | ((dimBytes[4 * i + 2] & 0xff) << 8) | (dimBytes[4 * i + 3] & 0xff);
                if (d > Integer.MAX_VALUE) {
                    throw error(4 + 4 * i, "dimension " + i + " is " + d + ", more than 2^31 - 1");
                }
                shape[i] = (int) d;
                total = total == 0 || d == 0 ? 0 : Math.min(total * d, MAX_ELEMENTS + 1);
            }
            long dataStart = 4 + 4L * rank;
            if (total > MAX_ELEMENTS) {
                throw error(4, "the dimensions " + Arrays.toString(shape) + " promise more than 2^31 - 9 "
                        + "elements, more than a Java array holds");
            }
            if (!gzip) {
                long available = fileLength - dataStart;
                if (available < total) {
                    throw error(dataStart, "the header promises " + describe(shape, total) + " from offset "
                            + dataStart + " to " + (dataStart + total) + ", but the file ends at offset "
                            + fileLength + "; the file is truncated");
                }
                if (available > total) {
                    throw error(dataStart + total, (available - total) + " bytes of trailing data after the "
                            + describe(shape, total) + " the header promises; the file ends at offset "
                            + fileLength);
                }
            }
            return shape;
        }

        int label(long fileLength, int index) throws IOException {
            int count = header(fileLength, LABELS_MAGIC)[0];
            if (index < 0 || index >= count) {
                throw new IndexOutOfBoundsException(file + " holds " + count + " labels; there is no label " + index);
            }
            in.skipNBytes(index);
            offset += index;
            return readData(1, fileLength, new int[] {1})[0] & 0xff;
        }

        Data image(long fileLength, int index) throws IOException {
            int[] shape = header(fileLength, IMAGES_MAGIC);
            if (index < 0 || index >= shape[0]) {
                throw new IndexOutOfBoundsException(file + " holds " + shape[0] + " images; there is no image "
                        + index);
            }
            long size = (long) shape[1] * shape[2];
            long skip = index * size;
            // Decompresses and drops what comes before the image (EOFException if the stream ends first).
            in.skipNBytes(skip);
            offset += skip;
            byte[] data = readData((int) size, fileLength, new int[] {1, shape[1], shape[2]});
            return new Data(new int[] {1, shape[1], shape[2]}, data);
        }

        Data range(long fileLength, int from, int count) throws IOException {
            int[] shape = header(fileLength, 0);
            if (from < 0 || count < 0 || from > shape[0] - count) {
                throw new IndexOutOfBoundsException(file + " holds " + shape[0] + " items along its first axis; "
                        + "there are no items " + from + " to " + ((long) from + count - 1));
            }
            long size = 1;
            for (int i = 1; i < shape.length; i++) {
                size *= shape[i];
            }
            long skip = from * size;
            in.skipNBytes(skip);            // decompressed and dropped for a gzip stream
            offset += skip;
            int[] sliceShape = shape.clone();
            sliceShape[0] = count;
            return new Data(sliceShape, readData((int) (count * size), fileLength, sliceShape));
        }

        /**
         * Reads exactly n bytes. A raw file was checked against its length, so its array is allocated at once;
         * a gzip stream's array grows with the data actually decompressed, starting from a guess that fits
         * real files (images compress about 2:1), so that a false promise costs at most twice what is there.
         */
        byte[] readData(int n, long fileLength, int[] shape) throws IOException {
            int capacity = gzip ? (int) Math.min(n, Math.max(1 << 20, 4 * fileLength)) : n;
            byte[] data = allocate(capacity, n);
            int filled = 0;
            while (filled < n) {
                int r = in.read(data, filled, data.length - filled);
                if (r < 0) {
                    throw error(offset, "the data ends here, after " + filled + " of the " + describe(shape, n)
                            + " the header promises (up to offset " + (offset + n - filled) + "); the file is "
                            + "truncated");
                }
                filled += r;
                offset += r;
                if (filled == data.length && filled < n) {
                    byte[] bigger = allocate((int) Math.min(n, 2L * data.length), n);
                    System.arraycopy(data, 0, bigger, 0, filled);
                    data = bigger;
                }
            }
            return data;
        }

        private byte[] allocate(int length, int promised) throws IOException {
            try {
                return new byte[length];
            } catch (OutOfMemoryError e) {
                throw error(offset, "the " + promised + " bytes of data the header promises do not fit in the "
                        + "Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB); raise -Xmx");
            }
        }

        void readHeader(byte[] into, String what) throws IOException {
            int filled = 0;
            while (filled < into.length) {
                int r = in.read(into, filled, into.length - filled);
                if (r < 0) {
                    throw error(offset, "the file ends inside the header, while reading " + what);
                }
                filled += r;
                offset += r;
            }
        }

        IOException error(long at, String message) {
            return new IOException(file + ": " + message + " (at byte offset " + at
                    + (gzip ? " of the decompressed stream" : "") + ")");
        }
    }

    private static String describe(int[] shape, long total) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : " x ").append(shape[i]);
        }
        return sb.append(shape.length > 1 ? " = " + total : "").append(" bytes").toString();
    }

    private static String hex(int magic) {
        return String.format("0x%08X", magic);
    }

    private static String typeName(int type) {
        switch (type) {
            case 0x09: return "signed byte";
            case 0x0B: return "short";
            case 0x0C: return "int";
            case 0x0D: return "float";
            case 0x0E: return "double";
            default: return "unknown";
        }
    }

    // =========================================================================================================
    // Writing
    // =========================================================================================================

    /**
     * Writes an unsigned-byte IDX file of the given shape (magic {@code 0x000008rr}, r = shape.length),
     * gzipped if the name ends in {@code .gz}; atomically (temporary file and rename).
     */
    public static void write(Path file, int[] shape, byte[] data) throws IOException {
        if (shape.length < 1 || shape.length > 255) {
            throw new IllegalArgumentException("Idx.write: an IDX file has 1 to 255 dimensions, got " + shape.length);
        }
        long total = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Idx.write: negative dimension in " + Arrays.toString(shape));
            }
            total *= d;
        }
        if (total != data.length) {
            throw new IllegalArgumentException("Idx.write: shape " + Arrays.toString(shape) + " has " + total
                    + " elements, data has " + data.length);
        }
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFiles.write(file, sink -> {
            OutputStream out = gzip ? new GZIPOutputStream(sink, 1 << 16) : sink;
            byte[] header = new byte[4 + 4 * shape.length];
            header[2] = 0x08;
            header[3] = (byte) shape.length;
            for (int i = 0; i < shape.length; i++) {
                header[4 + 4 * i] = (byte) (shape[i] >>> 24);
                header[5 + 4 * i] = (byte) (shape[i] >>> 16);
                header[6 + 4 * i] = (byte) (shape[i] >>> 8);
                header[7 + 4 * i] = (byte) shape[i];
            }
            out.write(header);
            out.write(data);
            if (gzip) {
                ((GZIPOutputStream) out).finish();
            }
        });
    }
}
