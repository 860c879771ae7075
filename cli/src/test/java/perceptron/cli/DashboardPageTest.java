package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import perceptron.cli.experiments.DashboardServer;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard page in real headless Chromium (Debian's {@code chromium}, installed by .ci/run): it loads
 * without console errors, draws one point per epoch of metrics.csv, follows a run that is being written without
 * a reload, and shows a finished run's confusion matrix. Saves target/dashboard.png for a person to look at.
 */
class DashboardPageTest {
    @TempDir
    static Path tmp;
    static DashboardServer server;
    static Chromium browser;
    static Path live;
    static String rest;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(Chromium.binary() != null,
                "chromium is not installed (apt-get install chromium; .ci/run does it)");
        Path root = tmp.resolve("runs");
        Path data = ExperimentRuns.tinyData(tmp.resolve("data"));
        Path finished = ExperimentRuns.train(root.resolve("finished"), data, "--epochs", "3");
        // Another real run, three epochs into ten: what a run being trained looks like.
        Path other = ExperimentRuns.train(tmp.resolve("other"), data, "--epochs", "3", "--hidden", "32", "--lr", "0.03");
        live = ExperimentRuns.liveCopy(other, root.resolve("sweep/live"), 10, 3);
        // Half of the 4th epoch's line: being written, so not shown yet.
        String epoch4 = ExperimentRuns.metricsLine(live, 4);
        Files.writeString(live.resolve("metrics.csv"), epoch4.substring(0, 5), StandardOpenOption.APPEND);
        rest = epoch4.substring(5);
        server = DashboardServer.start(root, 0, data);
        browser = new Chromium(1440, 1000);
        browser.navigate(server.url());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String points(String run, String column) {
        return "document.querySelectorAll('#chart-loss [data-run=\"" + run + "\"][data-column=\"" + column
                + "\"] circle, #chart-acc [data-run=\"" + run + "\"][data-column=\"" + column + "\"] circle').length";
    }

    private static Number count(String expression) {
        return (Number) browser.evaluate(expression);
    }

    @Test
    void pageDrawsEveryEpochFollowsALiveRunAndShowsTheConfusionMatrix() throws Exception {
        assertTrue(browser.await(points("sweep/live", "train_loss") + " > 0", Duration.ofSeconds(20)),
                "the live run's curve never appeared: " + browser.evaluate("document.body.innerText"));
        assertEquals(3, count(points("sweep/live", "train_loss")).intValue(),
                "one point per complete line of metrics.csv; the half-written 4th is left out");
        assertEquals(3, count(points("finished", "train_loss")).intValue());
        assertEquals(3, count(points("finished", "test_acc")).intValue());

        // The rest of epoch 4, then epoch 5: the page follows without a reload.
        browser.evaluate("window.notReloaded = true");
        Files.writeString(live.resolve("metrics.csv"), rest + "\n" + ExperimentRuns.metricsLine(live, 5) + "\n",
                StandardOpenOption.APPEND);
        assertTrue(browser.await(points("sweep/live", "train_loss") + " === 5", Duration.ofSeconds(20)),
                "epochs 4 and 5 did not appear: " + browser.evaluate(points("sweep/live", "train_loss")));
        assertEquals(Boolean.TRUE, browser.evaluate("window.notReloaded === true"));

        // The finished run's confusion matrix, once clicked: 10 x 10 cells.
        browser.evaluate("document.querySelector('li[data-run=\"finished\"] .name').click()");
        assertTrue(browser.await("document.querySelectorAll('table.matrix tbody td').length === 100",
                Duration.ofSeconds(30)), "no confusion matrix: " + browser.evaluate(
                "document.getElementById('confusion').innerText"));
        assertTrue(browser.evaluate("document.getElementById('settings').innerText").toString().contains("hidden"));
        browser.screenshot(Path.of("target", "dashboard.png"));
        List<String> errors = browser.errors();
        assertTrue(errors.isEmpty(), "console errors: " + errors);
    }
}
