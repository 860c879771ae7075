package perceptron.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a directory read-only for the rest of a test, even for root (tests run as root in CI, where permission
 * bits are ignored): {@code chmod a-w}, and where that is not enough, the immutable attribute ({@code chattr +i},
 * ext4). Skips the test if neither works. Close to make it writable again.
 */
final class ReadOnly implements AutoCloseable {
    private final Path dir;
    private final boolean immutable;

    private ReadOnly(Path dir, boolean immutable) {
        this.dir = dir;
        this.immutable = immutable;
    }

    static ReadOnly make(Path dir) throws IOException, InterruptedException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!canWrite(dir)) {
            return new ReadOnly(dir, false);
        }
        boolean chattr = run("chattr", "+i", dir.toString());
        ReadOnly r = new ReadOnly(dir, chattr);
        if (chattr && !canWrite(dir)) {
            return r;
        }
        r.close();
        Assumptions.abort("cannot make " + dir + " read-only here (root without chattr)");
        return r;
    }

    private static boolean canWrite(Path dir) {
        Path probe = dir.resolve(".probe");
        try {
            Files.createFile(probe);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException noSuchProgram) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        if (immutable) {
            try {
                run("chattr", "-i", dir.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
