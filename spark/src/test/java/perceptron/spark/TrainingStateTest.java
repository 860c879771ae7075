package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The driver's sum of the partitions' gradients. */
class TrainingStateTest {
    @Test
    void theMeanIsTheSumFromZeroInPartitionOrderDividedByTheRowsForEveryPartitionCount() {
        SplittableRandom random = new SplittableRandom(7);
        for (int partitions = 1; partitions <= 5; partitions++) {
            int n = 37;
            float[][] parts = new float[partitions][n];
            for (float[] part : parts) {
                for (int i = 0; i < n; i++) {
                    part[i] = switch (random.nextInt(4)) {
                        case 0 -> -0f;
                        case 1 -> (float) (random.nextGaussian() * 1e8);
                        default -> (float) random.nextGaussian();
                    };
                }
            }
            float[] out = new float[n];
            TrainingState.mean(parts, 300, out);
            for (int i = 0; i < n; i++) {
                float sum = 0f;
                for (float[] part : parts) {
                    sum += part[i];
                }
                float expected = sum / 300f;
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(out[i]),
                        partitions + " partitions, element " + i + ": " + expected + " vs " + out[i]);
            }
        }
    }
}
