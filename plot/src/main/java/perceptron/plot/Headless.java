package perceptron.plot;

import java.awt.GraphicsEnvironment;

/**
 * Decides, before AWT starts, whether there is a display. On Linux and other X11/Wayland systems without
 * {@code DISPLAY} or {@code WAYLAND_DISPLAY}, sets {@code java.awt.headless=true}, so that drawing into images works
 * on servers and in CI instead of failing when AWT looks for a screen. An explicit {@code -Djava.awt.headless}
 * always wins.
 */
final class Headless {
    private Headless() {
    }

    static {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        boolean usesX11 = !(os.startsWith("windows") || os.startsWith("mac"));
        if (System.getProperty("java.awt.headless") == null && usesX11 && isBlank(System.getenv("DISPLAY"))
                && isBlank(System.getenv("WAYLAND_DISPLAY"))) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Runs the check above (once); every entry point of this package calls it before touching AWT. */
    static void configure() {
        // The static initialiser did the work.
    }

    /** True when no window can be opened. */
    static boolean isHeadless() {
        return GraphicsEnvironment.isHeadless();
    }
}
