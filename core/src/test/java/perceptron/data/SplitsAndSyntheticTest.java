package perceptron.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

/** KFold, Synthetic and the small datasets (ArrayDataset, ImageDataset, subsets). */
class SplitsAndSyntheticTest {

    @Test
    void kFoldCoversEveryExampleOnceAsValidation() {
        for (List<KFold.Fold> folds : List.of(KFold.split(23, 5, 7), KFold.splitInOrder(23, 5))) {
            assertEquals(5, folds.size());
            int[] validated = new int[23];
            for (KFold.Fold f : folds) {
                assertEquals(23, f.train().length + f.validation().length);
                int[] all = IntStream.concat(Arrays.stream(f.train()), Arrays.stream(f.validation())).sorted()
                        .toArray();
                assertArrayEquals(IntStream.range(0, 23).toArray(), all, "train and validation partition 0..n-1");
                for (int i : f.validation()) {
                    validated[i]++;
                }
            }
            assertArrayEquals(IntStream.generate(() -> 1).limit(23).toArray(), validated);
            assertEquals(List.of(5, 5, 5, 4, 4), folds.stream().map(f -> f.validation().length).toList());
        }
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, KFold.splitInOrder(23, 5).get(0).validation());
        assertArrayEquals(new int[] {19, 20, 21, 22}, KFold.splitInOrder(23, 5).get(4).validation());
    }

    @Test
    void kFoldIsDeterministicFromTheSeed() {
        assertArrayEquals(KFold.split(100, 4, 1).get(2).validation(), KFold.split(100, 4, 1).get(2).validation());
        assertNotEquals(Arrays.toString(KFold.split(100, 4, 1).get(2).validation()),
                Arrays.toString(KFold.split(100, 4, 2).get(2).validation()));
        assertThrows(IllegalArgumentException.class, () -> KFold.split(3, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> KFold.split(10, 1, 0));
    }

    @Test
    void linearDataFollowsTheModel() {
        double[] w = {2, -3.4};
        ArrayDataset d = Synthetic.linear(w, 4.2, 1000, 0.01, 42);
        assertArrayEquals(new int[] {2}, d.featureShape());
        assertArrayEquals(new int[] {1}, d.labelShape());
        float[][] x = d.features().toFloatMatrix();
        float[] y = d.labels().toFloatArray();
        double meanResidual = 0;
        double sq = 0;
        double mean0 = 0;
        for (int i = 0; i < 1000; i++) {
            double r = y[i] - (x[i][0] * w[0] + x[i][1] * w[1] + 4.2);
            meanResidual += r / 1000;
            sq += r * r / 1000;
            mean0 += x[i][0] / 1000;
        }
        assertEquals(0, meanResidual, 0.002);
        assertEquals(0.01, Math.sqrt(sq), 0.002, "the noise has the requested standard deviation");
        assertEquals(0, mean0, 0.1);
        assertArrayEquals(d.labels().toFloatArray(), Synthetic.linear(w, 4.2, 1000, 0.01, 42).labels().toFloatArray(),
                "same seed, same data");
    }

    @Test
    void polynomialFeaturesArePowersOverFactorials() {
        ArrayDataset[] tt = Synthetic.polynomial(3);
        assertEquals(100, tt[0].size());
        assertEquals(100, tt[1].size());
        assertArrayEquals(new int[] {20}, tt[0].featureShape());
        float[][] x = tt[0].features().toFloatMatrix();
        float[] y = tt[0].labels().toFloatArray();
        double maxNoise = 0;
        for (int r = 0; r < 100; r++) {
            double s = x[r][1];
            assertEquals(1f, x[r][0]);
            assertEquals(s * s / 2, x[r][2], 1e-5 * Math.max(1, s * s));
            assertEquals(Math.pow(s, 5) / 120, x[r][5], 1e-5 * Math.max(1, Math.abs(Math.pow(s, 5))));
            double clean = 5 + 1.2 * s - 3.4 * s * s / 2 + 5.6 * s * s * s / 6;
            maxNoise = Math.max(maxNoise, Math.abs(y[r] - clean));
        }
        assertTrue(maxNoise < 0.5 && maxNoise > 0.01, "noise of standard deviation 0.1, max " + maxNoise);
        assertNotEquals(Arrays.toString(tt[0].labels().toFloatArray()), Arrays.toString(tt[1].labels().toFloatArray()));
    }

    @Test
    void arrayDatasetFromTensorsAndSubsets() {
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor y = Tensor.of(7f, 8f, 9f);
        ArrayDataset d = ArrayDataset.of(x, y);
        assertEquals(3, d.size());
        assertArrayEquals(new int[0], d.labelShape());
        Dataset s = d.subset(2, 0, 2);
        float[] f = new float[6];
        float[] l = new float[3];
        s.read(new int[] {0, 1, 2}, 0, 3, f, l);
        assertArrayEquals(new float[] {5, 6, 1, 2, 5, 6}, f);
        assertArrayEquals(new float[] {9, 7, 9}, l);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> d.subset(3));
        assertEquals("dataset index 3 is out of range for a dataset of 3 examples", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> s.read(3, f, 0, l, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArrayDataset(2, new float[3], new int[] {2},
                new float[2], new int[0]));
    }

    @Test
    void imagePixelsBecomeExactlyWhatToTensorGives() {
        byte[] pixels = new byte[256];
        for (int i = 0; i < 256; i++) {
            pixels[i] = (byte) i;
        }
        ImageDataset d = new ImageDataset(pixels, new int[] {1, 16, 16}, new byte[] {3}, 10);
        float[] f = new float[256];
        float[] l = new float[1];
        d.read(0, f, 0, l, 0);
        for (int i = 0; i < 256; i++) {
            // torchvision: img.float().div(255), a correctly rounded float32 division.
            assertEquals(Float.floatToIntBits(i / 255f), Float.floatToIntBits(f[i]), "pixel " + i);
        }
        assertEquals(3f, l[0]);
        assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset(new byte[4], new int[] {1, 2, 2}, new byte[] {10}, 10));
    }
}
