package perceptron.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ValidationSplitTest {

    /** 1000 examples: class 0 has 700, class 1 has 200, class 2 has 100. */
    private static Dataset unbalanced() {
        float[] x = new float[1000];
        float[] y = new float[1000];
        for (int i = 0; i < 1000; i++) {
            x[i] = i;
            y[i] = i < 700 ? 0 : i < 900 ? 1 : 2;
        }
        return new ArrayDataset(1000, x, new int[] {1}, y, new int[0]);
    }

    @Test
    void aStratifiedSplitKeepsEachClasssShare() {
        ValidationSplit s = ValidationSplit.stratified(unbalanced(), 0.1, 42);
        assertEquals(100, s.validation().size());
        assertEquals(900, s.train().size());
        int[] perClass = new int[3];
        for (int i : s.validationIndices()) {
            perClass[i < 700 ? 0 : i < 900 ? 1 : 2]++;
        }
        assertArrayEquals(new int[] {70, 20, 10}, perClass);
    }

    @Test
    void theSplitDependsOnlyOnTheSeedAndNeverOverlaps() {
        ValidationSplit a = ValidationSplit.stratified(unbalanced(), 0.2, 7);
        ValidationSplit b = ValidationSplit.stratified(unbalanced(), 0.2, 7);
        ValidationSplit c = ValidationSplit.stratified(unbalanced(), 0.2, 8);
        assertArrayEquals(a.validationIndices(), b.validationIndices());
        assertTrue(!Arrays.equals(a.validationIndices(), c.validationIndices()));
        boolean[] seen = new boolean[1000];
        for (int i : a.trainIndices()) {
            seen[i] = true;
        }
        for (int i : a.validationIndices()) {
            assertTrue(!seen[i], "index " + i + " is on both sides");
            seen[i] = true;
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
    }

    @Test
    void aRandomSplitWorksForRegressionTargets() {
        float[] x = new float[50];
        float[] y = new float[50];
        for (int i = 0; i < 50; i++) {
            y[i] = i * 0.37f;
        }
        ValidationSplit s = ValidationSplit.random(new ArrayDataset(50, x, new int[] {1}, y, new int[] {1}), 0.2, 1);
        assertEquals(10, s.validation().size());
        assertEquals(40, s.train().size());
    }

    @Test
    void fractionsThatLeaveASideEmptyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ValidationSplit.stratified(unbalanced(), 1.0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ValidationSplit.random(unbalanced(), 0.0001, 1));
        assertTrue(e.getMessage().contains("no example to validate on"), e.getMessage());
    }
}
