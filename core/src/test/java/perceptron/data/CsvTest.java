package perceptron.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import perceptron.tensor.Tensor;

class CsvTest {
    @TempDir
    Path dir;

    /** A few rows in the style of Kaggle's house prices (d2l section 5.7). */
    private static final String TRAIN = "Id,MSSubClass,MSZoning,LotFrontage,Street,SalePrice\n"
            + "1,60,RL,65,Pave,208500\n"
            + "2,20,RL,80,Pave,181500\n"
            + "3,60,RM,NA,Grvl,223500\n"
            + "4,70,NA,60,Pave,140000\n";

    @Test
    void parsesQuotesCommasNewlinesAndCrlf() throws IOException {
        Csv.Table t = Csv.parse("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n1,,3\n", "q.csv");
        assertEquals(List.of("a", "b", "c"), t.columns());
        assertEquals(2, t.size());
        assertEquals("x, y", t.get(0, 0));
        assertEquals("say \"hi\"", t.get(0, 1));
        assertEquals("two\nlines", t.get(0, 2));
        assertEquals("", t.get(1, 1));
        assertEquals(2, t.line(0));
        assertEquals(5, t.line(1), "the quoted line break and the blank line count");
    }

    @Test
    void standardisesNumericColumnsWithTrainingStatistics() throws IOException {
        Csv.Table train = Csv.parse(TRAIN, "train.csv");
        Csv.Encoder enc = Csv.Encoder.fit(train, "SalePrice", "Id");
        assertEquals(List.of("MSSubClass", "LotFrontage", "MSZoning_RL", "MSZoning_RM", "MSZoning_NA",
                "Street_Grvl", "Street_Pave", "Street_NA"), enc.featureNames());
        ArrayDataset d = enc.encode(train);
        assertArrayEquals(new int[] {8}, d.featureShape());
        assertArrayEquals(new int[] {1}, d.labelShape());
        float[][] x = d.features().toFloatMatrix();
        // MSSubClass 60, 20, 60, 70: mean 52.5, sample std sqrt(((7.5^2)*2 + 32.5^2 + 17.5^2) / 3).
        double std = Math.sqrt((2 * 7.5 * 7.5 + 32.5 * 32.5 + 17.5 * 17.5) / 3);
        assertEquals((60 - 52.5) / std, x[0][0], 1e-6);
        assertEquals((20 - 52.5) / std, x[1][0], 1e-6);
        // LotFrontage 65, 80, NA, 60: statistics of the three present values; the missing one becomes 0.
        double mean = (65 + 80 + 60) / 3.0;
        double std2 = Math.sqrt(((65 - mean) * (65 - mean) + (80 - mean) * (80 - mean) + (60 - mean) * (60 - mean))
                / 2);
        assertEquals((80 - mean) / std2, x[1][1], 1e-6);
        assertEquals(0f, x[2][1]);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0}, java.util.Arrays.copyOfRange(x[0], 2, 8));
        assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, java.util.Arrays.copyOfRange(x[2], 2, 8));
        assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0}, java.util.Arrays.copyOfRange(x[3], 2, 8));
        assertArrayEquals(new float[] {208500, 181500, 223500, 140000}, d.labels().toFloatArray());
        float[] sum = new float[2];
        for (float[] row : x) {
            sum[0] += row[0];
        }
        assertEquals(0, sum[0], 1e-5, "standardised training columns have mean 0");
    }

    @Test
    void encodesTestDataWithTheTrainingEncoding() throws IOException {
        Csv.Encoder enc = Csv.Encoder.fit(Csv.parse(TRAIN, "train.csv"), "SalePrice", "Id");
        Path test = Files.writeString(dir.resolve("test.csv"), "Id,Street,LotFrontage,MSZoning,MSSubClass\n"
                + "5,Pave,65,FV,52.5\n6,,,RL,\n");
        Tensor x = enc.encodeFeatures(Csv.read(test));
        assertArrayEquals(new int[] {2, 8}, x.shape());
        float[][] rows = x.toFloatMatrix();
        assertEquals(0f, rows[0][0], 1e-6, "52.5 is the training mean of MSSubClass");
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0}, java.util.Arrays.copyOfRange(rows[0], 2, 8),
                "FV was never seen in training: no MSZoning column is set");
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0, 0, 1}, rows[1]);
    }

    @Test
    void aConstantColumnBecomesZeros() throws IOException {
        Csv.Table t = Csv.parse("a,y\n3,1\n3,2\n", "c.csv");
        assertArrayEquals(new float[] {0, 0}, Csv.Encoder.fit(t, "y").encode(t).features().toFloatArray());
    }

    @Test
    void numbersAreDecimalOnly() {
        assertTrue(Csv.isNumber(" -1.5e3 "));
        assertTrue(Csv.isNumber(".5"));
        assertTrue(Csv.isNumber("5."));
        for (String notNumber : new String[] {"1d", "0x10", "Infinity", "1,000", "", "e5", "--1"}) {
            assertTrue(!Csv.isNumber(notNumber), notNumber);
        }
        assertTrue(Csv.isMissing("NA"));
        assertTrue(Csv.isMissing(" "));
    }

    @Test
    void errorsNameTheFileLineAndColumn() throws IOException {
        assertError("a,b\n1,2\n3\n", "bad.csv: line 3: 1 fields, but the header has 2");
        assertError("a,b\n1,\"2\n", "bad.csv: line 2, column 2: the quoted field never ends");
        assertError("a,b\n1,\"2\"x\n", "bad.csv: line 2, column 2: unexpected 'x' after a closing quote");
        assertError("a,a\n1,2\n", "bad.csv: line 1, column 2: the column name 'a' appears twice");
        assertError("", "bad.csv: empty");
        Csv.Table train = Csv.parse("x,y\n1,2\n3,4\n", "train.csv");
        Csv.Encoder enc = Csv.Encoder.fit(train, "y");
        IOException e = assertThrows(IOException.class,
                () -> enc.encode(Csv.parse("x,y\n1,2\nabc,4\n", "test.csv")));
        assertEquals("test.csv: line 3, column 1 ('x'): 'abc' is not a number, and the column is numeric in the "
                + "training data", e.getMessage());
        e = assertThrows(IOException.class, () -> enc.encode(Csv.parse("x,y\n1,NA\n", "test.csv")));
        assertEquals("test.csv: line 2, column 2 ('y'): the target must be a number, found 'NA'", e.getMessage());
        e = assertThrows(IOException.class, () -> enc.encode(Csv.parse("z,y\n1,2\n", "test.csv")));
        assertEquals("test.csv: line 1: no column 'x'; the header has [z, y]", e.getMessage());
        e = assertThrows(IOException.class, () -> Csv.Encoder.fit(train, "SalePrice"));
        assertTrue(e.getMessage().contains("no column 'SalePrice'"), e.getMessage());
    }

    @Test
    void readsFilesAndRejectsInvalidUtf8() throws IOException {
        Path f = Files.write(dir.resolve("latin1.csv"), new byte[] {'a', '\n', (byte) 0xe9, '\n'});
        IOException e = assertThrows(IOException.class, () -> Csv.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not valid UTF-8"), e.getMessage());
    }

    @Test
    void theExercisesPreprocessingChoicesChangeTheFeatures() throws IOException {
        Csv.Table train = Csv.parse(TRAIN, "train.csv");
        Csv.Encoder raw = Csv.Encoder.fit(train, "SalePrice", new Csv.Preprocessing(false,
                Csv.MissingNumbers.INDICATOR, false), "Id");
        assertEquals(List.of("MSSubClass", "LotFrontage", "LotFrontage_missing", "MSZoning_RL", "MSZoning_RM",
                "Street_Grvl", "Street_Pave"), raw.featureNames());
        float[][] x = raw.encode(train).features().toFloatMatrix();
        assertArrayEquals(new float[] {60, 0, 1, 0, 1, 1, 0}, x[2]);   // LotFrontage NA: 0 and its indicator
        assertArrayEquals(new float[] {70, 60, 0, 0, 0, 0, 1}, x[3]);  // MSZoning NA: no category at all
        Csv.Encoder mean = Csv.Encoder.fit(train, "SalePrice", new Csv.Preprocessing(false, Csv.MissingNumbers.MEAN,
                true), "Id");
        assertEquals((65 + 80 + 60) / 3.0, mean.encode(train).features().toFloatMatrix()[2][1], 1e-4);
    }

    @Test
    void anEncoderSurvivesJsonAndEncodesTheSame() throws IOException {
        Csv.Table train = Csv.parse(TRAIN, "train.csv");
        Csv.Encoder enc = Csv.Encoder.fit(train, "SalePrice", "Id");
        Object json = perceptron.io.Json.parse(perceptron.io.Json.pretty(enc.toJson()));
        @SuppressWarnings("unchecked")
        Csv.Encoder back = Csv.Encoder.fromJson((java.util.Map<String, Object>) json, "tabular.json");
        assertEquals(enc.featureNames(), back.featureNames());
        assertArrayEquals(enc.encodeFeatures(train).toFloatArray(), back.encodeFeatures(train).toFloatArray(), 0f);
        IOException e = assertThrows(IOException.class, () -> Csv.Encoder.fromJson(java.util.Map.of(), "t.json"));
        assertTrue(e.getMessage().startsWith("t.json: not a valid encoder description"), e.getMessage());
    }

    @Test
    void aTypoInANumericColumnIsReportedNotTurnedIntoCategories() throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i == 17 ? "12o" : Integer.toString(i)).append(",1\n");
        }
        Csv.Table t = Csv.parse(csv.toString(), "train.csv");
        IOException e = assertThrows(IOException.class, () -> Csv.Encoder.fit(t, "y"));
        assertEquals("train.csv: line 19, column 1 ('x'): '12o' is not a number, in a column where 39 of 40 cells "
                + "are numbers", e.getMessage());
    }

    @Test
    void aTestFileWhoseColumnsDifferIsRefusedNamingTheColumn() throws IOException {
        Csv.Encoder enc = Csv.Encoder.fit(Csv.parse(TRAIN, "train.csv"), "SalePrice", "Id");
        enc.checkColumns(Csv.parse("Id,MSSubClass,MSZoning,LotFrontage,Street\n5,20,RL,1,Pave\n", "test.csv"));
        IOException e = assertThrows(IOException.class, () -> enc.checkColumns(
                Csv.parse("Id,MSSubClass,MSZoning,Street\n5,20,RL,Pave\n", "test.csv")));
        assertTrue(e.getMessage().startsWith("test.csv: line 1: no column 'LotFrontage', which the model was trained "
                + "on"), e.getMessage());
        e = assertThrows(IOException.class, () -> enc.checkColumns(
                Csv.parse("Id,MSSubClass,MSZoning,LotFrontage,Street,Pool\n5,20,RL,1,Pave,0\n", "test.csv")));
        assertEquals("test.csv: line 1, column 6: 'Pool' was not a column of the training file", e.getMessage());
    }

    private static void assertError(String text, String expected) {
        IOException e = assertThrows(IOException.class, () -> Csv.parse(text, "bad.csv"));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
