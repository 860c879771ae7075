package perceptron.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Damaged IDX files, raw and gzip, fail with an IOException and never allocate for a false promise. */
class IdxFuzzTest {
    private static Path dir;
    private static byte[] raw;
    private static byte[] gzip;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("idx-fuzz");
        byte[] pixels = new byte[3 * 5 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        Idx.write(dir.resolve("valid"), new int[] {3, 5, 4}, pixels);
        Idx.write(dir.resolve("valid.gz"), new int[] {3, 5, 4}, pixels);
        raw = Files.readAllBytes(dir.resolve("valid"));
        gzip = Files.readAllBytes(dir.resolve("valid.gz"));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 300)
    void damagedFilesFailWithIoException(@ForAll boolean compressed,
                                         @ForAll @Size(min = 1, max = 3) List<@IntRange(max = 200) Integer> positions,
                                         @ForAll @Size(min = 3, max = 3) List<@IntRange(max = 255) Integer> values,
                                         @ForAll @IntRange(max = 100) int cut) throws IOException {
        byte[] b = (compressed ? gzip : raw).clone();
        for (int i = 0; i < positions.size(); i++) {
            b[positions.get(i) % b.length] = (byte) (int) values.get(i);
        }
        if (cut % 4 == 0) {
            b = Arrays.copyOf(b, cut % (b.length + 1));
        }
        Path f = Files.write(dir.resolve("damaged"), b);
        try {
            Idx.read(f);
        } catch (IOException expected) {
            // The documented failure.
        }
    }
}
