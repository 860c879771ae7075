package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import perceptron.cli.experiments.RunInfo;
import org.junit.jupiter.api.io.TempDir;

/** {@code perceptron sweep} on a tiny dataset in the real format: the runs, the ranking, resuming, refusals. */
class SweepCommandTest {

    private static void refused(String expected, Path out, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "sweep";
        all[1] = "--out";
        all[2] = out.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        CliRun r = CliRun.of(all);
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("perceptron sweep: " + expected + "\n", r.err());
        assertFalse(Files.exists(out.resolve("sweep.json")), "nothing planned, nothing trained");
    }

    @Test
    void unparsableListsAndOptionsThatCannotVaryGetOneLineNamingTheOption(@TempDir Path tmp) {
        Path out = tmp.resolve("s");
        refused("--lr: 'fast' is not a number (give a list such as --lr 0.01,0.1,1)", out, "--lr", "0.1,fast");
        refused("--hidden: '256;256' is not a whole number", out, "--hidden", "256", "256;256");
        refused("--validation cannot vary in a sweep: every run is ranked on the same validation set; give one "
                + "fraction (got 0.1,0.2)", out, "--lr", "0.1,0.3", "--validation", "0.1,0.2");
        refused("--threads cannot vary in a sweep: the runs train one after another, each on the same threads "
                + "(got 1,2)", out, "--lr", "0.1,0.3", "--threads", "1,2");
        refused("--validation must be a fraction between 0 and 1, got 0: a sweep ranks its runs on a validation "
                + "set, never on the test set", out, "--lr", "0.1,0.3", "--validation", "0");
        refused("run 02-hidden=256,256: dropout: give one probability per hidden layer (2), got 1 "
                + "([0.5])", out, "--hidden", "256", "256,256", "--dropout", "0.5");
        refused("--batch-norm: give true, false or true,false; got yes", out, "--batch-norm", "yes,false");
        refused("give at least one option to sweep, e.g. --lr 0.03,0.1,0.3", out);
    }

    @Test
    void runsTheGridResumesTheInterruptedRunAndRanksOnValidation(@TempDir Path tmp) throws IOException {
        Path data = ExperimentRuns.tinyData(tmp.resolve("data"));
        Path sweep = tmp.resolve("sweep");
        // A crash: run 01 stopped after its first checkpoint of 2 epochs, run 02 died before its first.
        ExperimentRuns.train(sweep.resolve("01-lr=0.05"), data, "--lr", "0.05", "--epochs", "1", "--validation", "0.2");
        Path m = sweep.resolve("01-lr=0.05/model.json");
        Files.writeString(m, Files.readString(m).replaceFirst("\"epochs\": 1", "\"epochs\": 2"));
        Files.createDirectories(sweep.resolve("02-lr=0.3"));
        Files.writeString(sweep.resolve("02-lr=0.3/metrics.csv"), "epoch,train_loss\n");

        String[] args = {"sweep", "--data", data.toString(), "--threads", "1", "--out", sweep.toString(),
            "--lr", "0.05,0.3", "--epochs", "2", "--validation", "0.2"};
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("sweep " + sweep + ": 2 runs, varying --lr; ranked on validation accuracy (0.2 of "
                + "the training set)"), r.out());
        assertTrue(r.out().contains("resuming " + sweep.resolve("01-lr=0.05") + " after epoch 1"), r.out());
        assertTrue(r.out().contains("test accuracy of that run, reported once: "), r.out());
        List<String> csv = Files.readAllLines(sweep.resolve("sweep.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("rank,run,lr,val_acc,val_loss,train_loss,test_acc,epoch,"), csv.get(0));
        double first = Double.parseDouble(csv.get(1).split(",")[3]);
        double second = Double.parseDouble(csv.get(2).split(",")[3]);
        assertTrue(first >= second, "ranked by validation accuracy: " + csv);
        for (String f : new String[] {"sweep.json", "sweep.png", "best-curves.png", "01-lr=0.05/model.safetensors",
                "02-lr=0.3/curves.png"}) {
            assertTrue(Files.size(sweep.resolve(f)) > 0, f);
        }
        assertEquals(2, RunInfo.read(sweep.resolve("01-lr=0.05")).epochsDone());

        // Again, or with --resume: everything is finished, nothing trains.
        CliRun again = CliRun.of(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("== run 1/2: 01-lr=0.05 == finished before; skipped"), again.out());
        assertFalse(again.out().contains("epoch 1/2"), again.out());
        CliRun resumed = CliRun.of("sweep", "--resume", sweep.toString(), "--data", data.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("== run 2/2: 02-lr=0.3 == finished before; skipped"), resumed.out());

        // Other options into the same directory: refused.
        CliRun other = CliRun.of("sweep", "--data", data.toString(), "--out", sweep.toString(), "--lr", "0.1,0.2");
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds another sweep"), other.err());
    }
}
