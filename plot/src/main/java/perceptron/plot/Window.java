package perceptron.plot;

import java.awt.image.BufferedImage;
import javax.swing.ImageIcon;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/** A window showing a rendered figure; {@link #update} replaces the image (for curves that grow during training). */
final class Window {
    private final JLabel label = new JLabel();
    private final JFrame frame;

    private Window(String title, BufferedImage image) {
        frame = new JFrame(title);
        frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
        label.setIcon(new ImageIcon(image));
        frame.getContentPane().add(label);
        frame.pack();
        frame.setLocationByPlatform(true);
        frame.setVisible(true);
    }

    /** Opens a window with the image (on the Swing thread); the caller must have checked there is a display. */
    static Window show(String title, BufferedImage image) {
        Window[] w = new Window[1];
        try {
            SwingUtilities.invokeAndWait(() -> w[0] = new Window(title, image));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("cannot open a window: " + e.getCause(), e.getCause());
        }
        return w[0];
    }

    void update(BufferedImage image) {
        SwingUtilities.invokeLater(() -> {
            label.setIcon(new ImageIcon(image));
            frame.pack();
        });
    }
}
