package perceptron.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old contents or the new, never half of the new: the bytes go to a
 * temporary file in the target's directory, are forced to disk, and the temporary file is renamed over the
 * target in one atomic step. A crash mid-write (or a full disk) leaves the previous checkpoint intact.
 *
 * <pre>{@code
 * AtomicFiles.writeString(dir.resolve("model.json"), Json.pretty(spec));
 * AtomicFiles.write(dir.resolve("model.safetensors"), out -> SafeTensors.writeTo(out, tensors, metadata));
 * }</pre>
 *
 * <p>The temporary file is named {@code .<name>.<random>.tmp}, created with the default permissions (not the
 * owner-only ones of {@link Files#createTempFile}), and deleted if writing fails.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces the contents of a file on a stream; the stream is closed by {@link #write(Path, Body)}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Replaces {@code target} with {@code bytes}, atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Replaces {@code target} with {@code text} in UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces {@code target} with whatever {@code body} writes, atomically. The parent directory must exist.
     * If {@code body} throws, the target is untouched and the temporary file is removed.
     */
    public static void write(Path target, Body body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(target.toString(), null,
                    "cannot write it: the directory " + dir + " does not exist");
        }
        try {
            writeInto(absolute, dir, body);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new java.nio.file.AccessDeniedException(target.toString(), null,
                    "cannot write it: permission denied in " + dir);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException("cannot write " + target + ": " + (e.getReason() != null ? e.getReason()
                    : e.getClass().getSimpleName()), e);
        }
    }

    private static void writeInto(Path absolute, Path dir, Body body) throws IOException {
        Path temp = dir.resolve("." + absolute.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                // Not closed by the try: closing the stream would close the channel before force().
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Same directory, so this only happens on exotic file systems; a plain replace is the best left.
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Deletes the temporary files ({@code .<name>.<hex>.tmp}) that a process killed in the middle of a write left
     * in {@code dir}. Call it only when no other process is writing there (a training run owns its directory).
     *
     * @return how many were deleted
     */
    public static int removeLeftovers(Path dir) throws IOException {
        int removed = 0;
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : entries) {
                if (LEFTOVER.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    private static final java.util.regex.Pattern LEFTOVER = java.util.regex.Pattern.compile("\\..+\\.[0-9a-f]{1,16}\\.tmp");

    /** Makes the rename itself durable (POSIX); some platforms cannot open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows and some file systems: the rename is still atomic, only its durability is up to the OS.
        }
    }

    /** Deletes a directory and everything under it (nothing if it does not exist); children before parents. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
