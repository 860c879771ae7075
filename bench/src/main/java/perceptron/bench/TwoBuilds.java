package perceptron.bench;

import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs one benchmark's main against two builds of core (the code before a change and after it) in one JVM,
 * alternating A, B, A, B..., each build in a class loader of its own; on a machine shared with other jobs the two
 * then see the same load, which separate JVMs minutes apart do not. Prints the 1-minute load before each run.
 *
 * <pre>
 * java -XX:+UseSerialGC --add-modules jdk.incubator.vector -cp bench/target/classes perceptron.bench.TwoBuilds \
 *      OLD/core/target/classes core/target/classes bench/target/classes perceptron.bench.EpochScaling 5 --rounds 3
 * </pre>
 */
public final class TwoBuilds {
    private TwoBuilds() {
    }

    public static void main(String[] args) throws ReflectiveOperationException, java.io.IOException {
        if (args.length < 5) {
            System.err.println("TwoBuilds: CORE_CLASSES_A CORE_CLASSES_B BENCH_CLASSES MAIN_CLASS ALTERNATIONS [args...]");
            System.exit(2);
        }
        String[] builds = {args[0], args[1]};
        ClassLoader[] loaders = new ClassLoader[2];
        for (int i = 0; i < 2; i++) {
            // Parent: the platform loader, so that neither build sees the classes of the other (or of this one).
            loaders[i] = new URLClassLoader(new URL[] {url(builds[i]), url(args[2])},
                    ClassLoader.getPlatformClassLoader());
        }
        int alternations = Integer.parseInt(args[4]);
        String[] rest = Arrays.copyOfRange(args, 5, args.length);
        for (int r = 0; r < alternations; r++) {
            for (int i = 0; i < 2; i++) {
                System.out.println("=== " + (i == 0 ? "A " : "B ") + builds[i] + " round " + r + " load " + load());
                Class<?> c = Class.forName(args[3], true, loaders[i]);
                try {
                    c.getMethod("main", String[].class).invoke(null, (Object) rest);
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException("TwoBuilds: " + args[3] + " failed on " + builds[i], e.getCause());
                }
            }
        }
    }

    private static URL url(String dir) throws MalformedURLException {
        return Path.of(dir).toUri().toURL();
    }

    private static String load() throws java.io.IOException {
        Path loadavg = Path.of("/proc/loadavg");
        return Files.exists(loadavg) ? Files.readString(loadavg).split(" ")[0] : "?";
    }
}
