package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --dashboard}: the dashboard beside a run, its address printed, stopped when training ends. */
class TrainDashboardTest {

    @Test
    void trainStartsTheDashboardBesideTheRunAndStopsItAtTheEnd(@TempDir Path tmp) throws Exception {
        Path data = ExperimentRuns.tinyData(tmp.resolve("data"));
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", tmp.resolve("runs/r").toString(),
                "--epochs", "1", "--threads", "1", "--dashboard=0");
        assertEquals(0, r.code(), r.err());
        Matcher m = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/) \\(runs in (.*); it stops when "
                + "training ends\\)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(tmp.resolve("runs").toAbsolutePath().toString(), m.group(2));
        HttpClient http = HttpClient.newHttpClient();
        assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.discarding()), "the server stops with the run");
    }
}
