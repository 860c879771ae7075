package perceptron.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ---- byte-exact agreement with the reference implementation's own test vectors (safetensors/src/tensor.rs)

    @Test
    void writesTheSameBytesAsTheReferenceForOneTensor() {
        Tensor t = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3);
        byte[] expected = bytes(64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64);
        assertArrayEquals(expected, SafeTensors.toBytes(Map.of("attn.0", t), null));
    }

    @Test
    void padsTheHeaderWithSpacesLikeTheReference() {
        Tensor t = Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3);
        byte[] expected = bytes(72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                160, 64);
        assertArrayEquals(expected, SafeTensors.toBytes(Map.of("attn0", t), null));
    }

    @Test
    void writesEmptyFilesAndMetadataLikeTheReference() throws IOException {
        assertArrayEquals(bytes(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32),
                SafeTensors.toBytes(Map.of(), null));
        byte[] withMetadata = bytes(40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97,
                95, 95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                116, 34, 125, 125, 32, 32, 32, 32, 32);
        assertArrayEquals(withMetadata, SafeTensors.toBytes(Map.of(), Map.of("framework", "pt")));
        SafeTensors.Loaded in = SafeTensors.fromBytes(withMetadata, "mem");
        assertEquals(Map.of("framework", "pt"), in.metadata());
        assertTrue(in.tensors().isEmpty());
    }

    @Test
    void ordersTensorsByDtypeThenNameLikeTheReference() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b", Tensor.zeros(2));
        m.put("a", Tensor.zeros(3));
        m.put("z64", Tensor.zeros(DType.FLOAT64, 1));
        m.put("c64", Tensor.zeros(DType.FLOAT64, 1));
        byte[] b = SafeTensors.toBytes(m, null);
        String header = header(b);
        assertEquals("{\"c64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},"
                + "\"z64\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[28,36]}}", header.strip());
        assertEquals(List.of("c64", "z64", "a", "b"), List.copyOf(SafeTensors.fromBytes(b, "mem").tensors().keySet()));
    }

    /**
     * Writes the fixture that {@code tools/safetensors_check.py --fixture} reads with NumPy and PyTorch, an
     * implementation independent of this one: run it after the tests to cross-check.
     */
    @Test
    void writesTheInteropFixture() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        float[] w = new float[12];
        for (int i = 0; i < 12; i++) {
            w[i] = i / 8f;
        }
        m.put("fc1.weight", Tensor.wrap(w, 3, 4));
        m.put("fc1.bias", Tensor.of(-1f, 0.5f, 2f));
        m.put("scale", Tensor.scalar(Math.PI, DType.FLOAT64));
        m.put("empty", Tensor.zeros(0, 3));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("epoch", "3");
        Path out = Path.of("target", "interop");
        Files.createDirectories(out);
        SafeTensors.write(out.resolve("fixture.safetensors"), m, meta);
        SafeTensors.Loaded in = SafeTensors.read(out.resolve("fixture.safetensors"));
        assertEquals(List.of("scale", "empty", "fc1.bias", "fc1.weight"), List.copyOf(in.tensors().keySet()));
        assertEquals(Math.PI, in.tensors().get("scale").item());
    }

    // ---- round trips

    @Test
    void roundTripsFloat32Float64ScalarsEmptyTensorsAndMetadata() throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc1.weight", Tensor.randn(rng, 256, 784));
        m.put("fc1.bias", Tensor.randn(rng, 256));
        m.put("exact", Tensor.randn(rng, DType.FLOAT64, 3, 4));
        m.put("scalar", Tensor.scalar(3.5));
        m.put("scalar64", Tensor.scalar(-1e-300, DType.FLOAT64));
        m.put("empty", Tensor.zeros(0, 5));
        m.put("special", Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE));
        m.put("naïve ünïcode", Tensor.ones(2));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "line\nbreak \"quoted\"");
        Path f = dir.resolve("model.safetensors");
        SafeTensors.write(f, m, meta);
        SafeTensors.Loaded in = SafeTensors.read(f);
        assertEquals(meta, in.metadata());
        assertEquals(m.keySet(), in.tensors().keySet());
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            Tensor got = in.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            if (got.dtype() == DType.FLOAT32) {
                assertArrayEquals(e.getValue().toFloatArray(), got.toFloatArray(), e.getKey());
            } else {
                assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), e.getKey());
            }
        }
        assertEquals("F64", in.dtypes().get("exact"));
        assertEquals("F32", in.dtypes().get("scalar"));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "the data starts 8-byte aligned");
    }

    @Test
    void writesAViewAsItsContiguousValues() throws IOException {
        Tensor m = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = m.transpose(0, 1);
        Tensor back = SafeTensors.fromBytes(SafeTensors.toBytes(Map.of("t", t), null), "mem").tensors().get("t");
        assertArrayEquals(new int[] {3, 2}, back.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.toFloatArray());
    }

    @Test
    void refusesTheReservedMetadataNameForATensor() {
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.toBytes(Map.of("__metadata__", Tensor.zeros(1)), null));
    }

    @Test
    void readsHalfBfloatAndIntegerDtypesFromPyTorch() throws IOException {
        // F16 1.0 = 0x3C00, -2.0 = 0xC000, smallest subnormal 0x0001; BF16 1.5 = 0x3FC0; I64 -3; BOOL true
        ByteBuffer data = ByteBuffer.allocate(6 + 2 + 8 + 1).order(ByteOrder.LITTLE_ENDIAN);
        data.putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001);
        data.putShort((short) 0x3FC0).putLong(-3).put((byte) 1);
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[],\"data_offsets\":[6,8]},"
                + "\"num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]},"
                + "\"flag\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[16,17]}}";
        SafeTensors.Loaded in = SafeTensors.fromBytes(file(json, data.array()), "pt");
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, in.tensors().get("h").toFloatArray());
        assertEquals(1.5, in.tensors().get("bf").item());
        assertEquals(DType.FLOAT64, in.tensors().get("num_batches_tracked").dtype());
        assertEquals(-3.0, in.tensors().get("num_batches_tracked").item());
        assertEquals(1.0, in.tensors().get("flag").item());
        assertEquals("I64", in.dtypes().get("num_batches_tracked"));
    }

    @Test
    void halfToFloatIsExactForEveryHalf() {
        for (int h = 0; h < 0x10000; h++) {
            float f = SafeTensors.halfToFloat(h);
            int exp = (h >>> 10) & 0x1f;
            if (exp == 31) {
                assertTrue(Float.isNaN(f) || Float.isInfinite(f));
                continue;
            }
            double mant = exp == 0 ? (h & 0x3ff) / 1024.0 : 1 + (h & 0x3ff) / 1024.0;
            double expected = Math.scalb(mant, exp == 0 ? -14 : exp - 15) * ((h & 0x8000) != 0 ? -1 : 1);
            assertEquals(expected, f, 0.0, Integer.toHexString(h));
        }
    }

    // ---- corrupt files: every error names the file, the tensor and the byte offset

    @Test
    void rejectsAFileShorterThanTheLengthPrefix() {
        assertMessage(bytes(1, 2, 3), "the file is 3 bytes");
    }

    @Test
    void rejectsAHugeHeaderLengthWithoutAllocatingIt() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        assertMessage(b.array(), "header length 1099511627776 at byte offset 0 is more than the 100000000-byte limit");
        ByteBuffer neg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1);
        assertMessage(neg.array(), "header length 18446744073709551615 at byte offset 0");
    }

    @Test
    void rejectsAHeaderLongerThanTheFile() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(50_000_000);
        assertMessage(b.array(), "header length 50000000 at byte offset 0 runs past the end of the file (16 bytes)");
    }

    @Test
    void rejectsAHeaderThatIsNotAJsonObject() {
        assertMessage(file("[1, 2, 3]", new byte[0]), "must start with '{'");
        assertMessage(file("{\"a\": [1, 2,]}", new byte[0]), "invalid JSON in the header at byte offset 20");
        assertMessage(file("{\"é\": 1 x}", new byte[0]), "at byte offset 17");
        assertMessage(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": 1}",
                new byte[4]), "duplicate key \"a\"");
    }

    @Test
    void rejectsInvalidUtf8InTheHeader() {
        byte[] f = file("{\"ab\": 1}", new byte[0]);
        f[10] = (byte) 0xff;
        assertMessage(f, "not valid UTF-8 at byte offset 10");
    }

    @Test
    void rejectsBadTensorEntries() {
        assertMessage(file("{\"w\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}", new byte[1]),
                "tensor 'w' in the header has dtype F8_E4M3, which this reader does not support");
        assertMessage(file("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", new byte[4]),
                "tensor 'w' in the header has no string \"dtype\"");
        assertMessage(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", new byte[4]),
                "\"shape\" entry 0 is -1, not a non-negative integer");
        assertMessage(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", new byte[4]),
                "\"shape\" entry 0 is 1.5");
        assertMessage(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", new byte[4]),
                "\"data_offsets\" must have 2 entries, found 1");
        assertMessage(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [65536, 65536], \"data_offsets\": [0, 4]}}",
                new byte[4]), "more elements than a Java array holds");
        assertMessage(file("{\"w\": 7}", new byte[0]), "must be an object with dtype, shape and data_offsets");
        assertMessage(file("{\"__metadata__\": {\"epoch\": 3}}", new byte[0]),
                "\"__metadata__\" entry \"epoch\" must be a string, found 3");
    }

    @Test
    void rejectsAShapeThatDisagreesWithTheOffsets() {
        assertMessage(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 3], \"data_offsets\": [0, 20]}}",
                new byte[20]), "tensor 'w' (data_offsets [0, 20], file bytes 80 to 100): shape [2, 3] of F32 needs "
                + "24 bytes, the offsets span 20");
    }

    @Test
    void rejectsHolesOverlapsAndTrailingBytes() {
        String two = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [%d, %d]}}";
        assertMessage(file(String.format(two, 8, 12), new byte[12]), "tensor 'b' (data_offsets [8, 12]");
        assertMessage(file(String.format(two, 8, 12), new byte[12]), "leaves a hole");
        assertMessage(file(String.format(two, 2, 6), new byte[6]), "overlaps the previous tensor");
        assertMessage(file(String.format(two, 4, 8), new byte[9]), "the tensors end at data offset 8");
        assertMessage(file(String.format(two, 4, 8), new byte[9]), "1 more bytes");
        assertMessage(file(String.format(two, 4, 8), new byte[6]), "runs past the end of the file");
        assertMessage(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", new byte[4]),
                "leaves a hole");
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path f = dir.resolve("broken.safetensors");
        Files.write(f, bytes(9, 9, 9));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    // ---- helpers

    private static void assertMessage(byte[] file, String expected) {
        IOException e = assertThrows(IOException.class, () -> SafeTensors.fromBytes(file, "bad.safetensors"));
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    /** A file with the given header (padded to 8 bytes) and data buffer. */
    private static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        b.put(data);
        return b.array();
    }

    private static String header(byte[] file) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(file, 8, (int) n, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
