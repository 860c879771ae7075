package perceptron.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The training progress display. On a terminal: a bar redrawn in place at most ten times a second with
 * samples/s, the running loss and the time left in the epoch; elsewhere (a log file, a pipe, CI): one plain line
 * per epoch. Either way each epoch ends with a summary line.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final int epochs;
    private long epochStart;
    private long lastDraw;
    private int width;

    public Progress(PrintStream out, boolean terminal, int epochs) {
        this.out = out;
        this.terminal = terminal;
        this.epochs = epochs;
    }

    /** Writes to stdout, with a bar only when stdout is an interactive terminal. */
    public static Progress console(int epochs) {
        return new Progress(System.out, isTerminal(), epochs);
    }

    /** No output at all (tests, library use). */
    public static Progress silent() {
        return new Progress(new PrintStream(java.io.OutputStream.nullOutputStream()), false, 0);
    }

    /** Whether stdout is an interactive terminal (Console.isTerminal on Java 22+, else a console exists). */
    @SuppressWarnings("SystemConsoleNull") // handled: on Java 22+ the null test is backed by isTerminal below
    static boolean isTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    void startEpoch(int epoch) {
        epochStart = System.nanoTime();
        lastDraw = 0;
    }

    void update(int epoch, int batch, int batches, long samples, double meanLoss) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (batch < batches && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double rate = elapsed > 0 ? samples / elapsed : 0;
        double eta = batch > 0 ? elapsed * (batches - batch) / batch : 0;
        int barWidth = 24;
        int filled = batches == 0 ? barWidth : (int) ((long) barWidth * batch / batches);
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d  loss %.4f  %,.0f samples/s  ETA %s",
                epoch, epochs, "=".repeat(filled), " ".repeat(barWidth - filled), batch, batches, meanLoss, rate,
                clock(eta));
        width = Math.max(width, line.length());
        out.print("\r" + line + " ".repeat(width - line.length()));
        out.flush();
    }

    void endEpoch(EpochMetrics m) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f", m.epoch(), epochs, m.trainLoss()));
        if (!Double.isNaN(m.trainAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  train acc %.4f", m.trainAccuracy()));
        }
        if (m.hasValidation()) {
            sb.append(String.format(Locale.ROOT, "  val loss %.4f", m.validationLoss()));
            if (!Double.isNaN(m.validationAccuracy())) {
                sb.append(String.format(Locale.ROOT, "  val acc %.4f", m.validationAccuracy()));
            }
        }
        if (!Double.isNaN(m.testAccuracy())) {
            sb.append(String.format(Locale.ROOT, "  test acc %.4f", m.testAccuracy()));
        }
        sb.append(String.format(Locale.ROOT, "  %.2f s", m.seconds()));
        if (terminal) {
            out.print("\r" + " ".repeat(width) + "\r");
        }
        out.println(sb);
        out.flush();
    }

    void message(String line) {
        out.println(line);
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
