package perceptron.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.data.KaggleHouses;

/** d2l section 5.7 on the command line: k-fold table, the fit on all rows, a Kaggle submission, and the errors. */
class TabularCommandTest {
    /** Debian's python3-vega-datasets: 1,461 days of Seattle weather, numeric columns and a text one. */
    static final Path SEATTLE = Path.of("/usr/lib/python3/dist-packages/vega_datasets/_data/seattle-weather.csv");

    @TempDir
    static Path dir;
    static Path train;
    static Path test;

    @BeforeAll
    static void writeKaggleFiles() throws IOException {
        train = Files.writeString(dir.resolve("kaggle_house_pred_train.csv"), KaggleHouses.train(600, 1));
        test = Files.writeString(dir.resolve("kaggle_house_pred_test.csv"), KaggleHouses.test(50, 2));
    }

    private static double mean(String out, String what) {
        Matcher m = Pattern.compile("(?m)^mean\\s+(\\S+)\\s+(\\S+)$").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(what.equals("train") ? 1 : 2));
    }

    @Test
    void theHousePricesWorkflowCrossValidatesFitsAndWritesASubmission(@TempDir Path tmp) throws IOException {
        assertEquals(81, Files.readAllLines(train).get(0).split(",").length);
        assertEquals(80, Files.readAllLines(test).get(0).split(",").length);
        Path run = tmp.resolve("houses");
        CliRun r = CliRun.of("train", "--csv", train.toString(), "--target", "SalePrice", "--id", "Id",
                "--log-target", "--kfold", "3", "--epochs", "20", "--optimizer", "adam", "--lr", "0.05", "--out",
                run.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("target SalePrice (trained on its logarithm)"), r.out());
        assertTrue(r.out().contains("3-fold cross-validation (20 epochs each)"), r.out());
        assertTrue(r.out().contains("fold  train log-RMSE  valid log-RMSE"), r.out());
        double valid = mean(r.out(), "valid");
        assertTrue(valid < 0.3, "mean validation log-RMSE " + valid + "\n" + r.out());
        assertTrue(r.out().contains("fitting on all 600 rows"), r.out());
        assertTrue(r.out().contains("kept the weights of the last epoch, 20"), r.out());
        for (String f : new String[] {"folds.png", "folds.svg", "curves.png", "tabular.json", "model.json"}) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }

        Path submission = tmp.resolve("submission.csv");
        CliRun p = CliRun.of("predict", run.toString(), "--csv", test.toString(), "--out", submission.toString());
        assertEquals(0, p.code(), p.err());
        List<String> lines = Files.readAllLines(submission);
        assertEquals("Id,SalePrice", lines.get(0));
        assertEquals(51, lines.size());
        assertTrue(lines.get(1).startsWith("1461,"), lines.get(1));
        double price = Double.parseDouble(lines.get(1).split(",")[1]);
        assertTrue(price > 30_000 && price < 1_000_000, lines.get(1));
    }

    @Test
    void mistakesInTablesNameTheFileTheLineAndTheColumn(@TempDir Path tmp) throws IOException {
        CliRun noTarget = CliRun.of("train", "--csv", train.toString(), "--target", "Price", "--out",
                tmp.resolve("a").toString());
        assertEquals(2, noTarget.code());
        assertTrue(noTarget.err().contains("kaggle_house_pred_train.csv: line 1: no column 'Price'"), noTarget.err());
        assertFalse(Files.exists(tmp.resolve("a")));

        Path run = tmp.resolve("run");
        assertEquals(0, CliRun.of("train", "--csv", train.toString(), "--target", "SalePrice", "--id", "Id",
                "--log-target", "--epochs", "1", "--out", run.toString()).code());
        List<String> rows = Files.readAllLines(test);
        Path fewer = tmp.resolve("fewer.csv");
        StringBuilder sb = new StringBuilder();
        for (String line : rows) {
            sb.append(line.substring(0, line.lastIndexOf(','))).append('\n');   // drop SaleCondition
        }
        Files.writeString(fewer, sb);
        CliRun differ = CliRun.of("predict", run.toString(), "--csv", fewer.toString(), "--out",
                tmp.resolve("s.csv").toString());
        assertEquals(2, differ.code());
        assertTrue(differ.err().contains("fewer.csv: line 1: no column 'SaleCondition', which the model was trained on"),
                differ.err());

        Path typo = tmp.resolve("typo.csv");
        String[] cells = rows.get(3).split(",", -1);
        cells[4] = "8,45O";   // LotArea, quoted below so that it stays one field
        cells[4] = "\"" + cells[4] + "\"";
        rows.set(3, String.join(",", cells));
        Files.write(typo, rows);
        CliRun bad = CliRun.of("predict", run.toString(), "--csv", typo.toString(), "--out",
                tmp.resolve("t.csv").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("typo.csv: line 4, column 5 ('LotArea'): '8,45O' is not a number"), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());
    }

    @Test
    void theExercisesOptionsChangeThePreprocessingAndTheModel(@TempDir Path tmp) {
        CliRun r = CliRun.of("train", "--csv", train.toString(), "--target", "SalePrice", "--id", "Id",
                "--log-target", "--no-standardize", "--missing", "indicator", "--no-na-category", "--hidden", "16",
                "--dropout", "0.1", "--weight-decay", "1e-3", "--epochs", "1", "--out", tmp.resolve("r").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(numbers as they are, missing numbers 0 with a _missing indicator, text one-hot)"),
                r.out());
        assertTrue(r.out().contains("-> [16] (relu, dropout [0.1]) -> 1"), r.out());
        CliRun tableOnly = CliRun.of("train", "--kfold", "5");
        assertEquals(2, tableOnly.code());
        assertTrue(tableOnly.err().contains("--kfold applies to tables: add --csv FILE"), tableOnly.err());
    }

    @Test
    void aTableRunResumesWithItsOwnPreprocessingAndEqualsAnUninterruptedOne(@TempDir Path tmp) throws IOException {
        Path straight = tmp.resolve("straight");
        Path resumed = tmp.resolve("resumed");
        String[] common = {"train", "--csv", train.toString(), "--target", "SalePrice", "--id", "Id", "--log-target",
                "--threads", "1"};
        assertEquals(0, CliRun.of(concat(common, "--epochs", "3", "--out", straight.toString())).code());
        assertEquals(0, CliRun.of(concat(common, "--epochs", "2", "--out", resumed.toString())).code());
        CliRun wrong = CliRun.of("train", "--resume", resumed.toString(), "--epochs", "3");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("was trained on a table: resume it with --resume"), wrong.err());
        CliRun changed = CliRun.of("train", "--resume", resumed.toString(), "--csv", train.toString(), "--lr", "1");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("--lr cannot change a resumed run"), changed.err());
        CliRun r = CliRun.of("train", "--resume", resumed.toString(), "--csv", train.toString(), "--epochs", "3",
                "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming " + resumed + " after epoch 2"), r.out());
        assertEquals(Files.readString(straight.resolve("metrics.csv")).replaceAll(",[0-9.]+\n", "\n"),
                Files.readString(resumed.resolve("metrics.csv")).replaceAll(",[0-9.]+\n", "\n"),
                "the same losses, epoch by epoch (seconds aside)");
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(straight.resolve("model.safetensors")),
                Files.readAllBytes(resumed.resolve("model.safetensors"))));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aRealTableFromADebianPackageIsLearnt(@TempDir Path tmp) {
        Assumptions.assumeTrue(Files.exists(SEATTLE), "install python3-vega-datasets for this test");
        Path run = tmp.resolve("weather");
        CliRun r = CliRun.of("train", "--csv", SEATTLE.toString(), "--target", "temp_max", "--id", "date",
                "--kfold", "5", "--epochs", "10", "--validation", "0.1", "--out", run.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1,461 rows; target temp_max"), r.out());
        assertTrue(r.out().contains("fold  train RMSE  valid RMSE") || r.out().contains("valid RMSE"), r.out());
        double valid = mean(r.out(), "valid");
        // temp_max from temp_min, precipitation, wind and the weather: about 3 degrees C (its std is 7.3).
        assertTrue(valid < 4.0, "mean validation RMSE " + valid + "\n" + r.out());
        assertTrue(r.out().matches("(?s).*kept the weights of epoch \\d+ of 10: the best val_loss on the validation "
                + "set.*"), r.out());
    }
}
