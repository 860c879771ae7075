package perceptron.data;

import perceptron.internal.tensor.TensorInternals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import perceptron.tensor.Storage;
import perceptron.tensor.Tensor;

class DataLoaderTest {

    /** Example i has features (i, -i) and label i, so every batch says which examples it holds. */
    private static ArrayDataset indexed(int n) {
        float[] x = new float[2 * n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i;
        }
        return new ArrayDataset(n, x, new int[] {2}, y, new int[0]);
    }

    private static DataLoader loader(Dataset d, int batch, boolean shuffle, boolean dropLast, int prefetch) {
        return DataLoader.builder(d).batchSize(batch).shuffle(shuffle).seed(42).dropLast(dropLast)
                .prefetch(prefetch).build();
    }

    /** The labels of every batch of an epoch, copied out as they arrive. */
    private static List<int[]> labels(Iterable<Batch> epoch) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : epoch) {
            int[] l = b.labels().toIntArray();
            float[] f = b.features().toFloatArray();
            for (int j = 0; j < l.length; j++) {
                assertEquals(l[j], f[2 * j], "features and labels of one example stay together");
                assertEquals(-l[j], f[2 * j + 1]);
            }
            out.add(l);
        }
        return out;
    }

    private static int[] flat(List<int[]> batches) {
        return batches.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void batchShapesAndSizes() {
        try (DataLoader l = loader(indexed(10), 3, false, false, 1)) {
            assertEquals(4, l.batchesPerEpoch());
            List<Integer> sizes = new ArrayList<>();
            for (Batch b : l.epoch(0)) {
                assertArrayEquals(new int[] {b.size(), 2}, b.features().shape());
                assertArrayEquals(new int[] {b.size()}, b.labels().shape());
                assertTrue(b.features().isContiguous());
                sizes.add(b.size());
            }
            assertEquals(List.of(3, 3, 3, 1), sizes);
        }
        try (DataLoader l = loader(indexed(10), 3, false, true, 1)) {
            assertEquals(3, l.batchesPerEpoch());
            assertEquals(List.of(3, 3, 3), labels(l.epoch(0)).stream().map(a -> a.length).toList());
        }
        try (DataLoader l = loader(indexed(2), 3, false, true, 1)) {
            assertEquals(0, l.batchesPerEpoch());
            assertFalse(l.epoch(0).hasNext());
        }
    }

    @Test
    void imageBatchesHaveTheShapeOfD2lsToTensor() {
        byte[] pixels = new byte[3 * 4];
        pixels[5] = (byte) 255;
        pixels[6] = (byte) 254;
        ImageDataset d = new ImageDataset(pixels, new int[] {1, 2, 2}, new byte[] {0, 1, 2}, 3);
        try (DataLoader l = DataLoader.sequential(d, 2)) {
            Batch b = l.epoch(0).next();
            assertArrayEquals(new int[] {2, 1, 2, 2}, b.features().shape());
            assertArrayEquals(new int[] {2}, b.labels().shape());
            assertEquals(1.0f, b.features().get(1, 0, 0, 1));
            assertEquals(254 / 255f, b.features().get(1, 0, 1, 0));
            assertArrayEquals(new float[] {0, 1}, b.labels().toFloatArray());
        }
    }

    @Test
    void withoutShuffleBatchesComeInIndexOrder() {
        try (DataLoader l = DataLoader.sequential(indexed(7), 3)) {
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, flat(labels(l.epoch(0))));
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, flat(labels(l.epoch(1))));
        }
    }

    @Test
    void everyExampleExactlyOncePerEpoch() {
        for (int prefetch : new int[] {0, 1, 3}) {
            try (DataLoader l = loader(indexed(103), 10, true, false, prefetch)) {
                for (int e = 0; e < 4; e++) {
                    int[] seen = flat(labels(l.epoch(e)));
                    assertEquals(103, seen.length);
                    int[] sorted = seen.clone();
                    Arrays.sort(sorted);
                    for (int i = 0; i < 103; i++) {
                        assertEquals(i, sorted[i]);
                    }
                    assertArrayEquals(l.order(e), seen, "the batches follow order(epoch)");
                }
            }
        }
    }

    @Test
    void dropLastLeavesOutOnlyTheTail() {
        try (DataLoader l = loader(indexed(103), 10, true, true, 1)) {
            int[] seen = flat(labels(l.epoch(3)));
            assertEquals(100, seen.length);
            assertArrayEquals(Arrays.copyOf(l.order(3), 100), seen);
            assertEquals(100, Arrays.stream(seen).distinct().count());
        }
    }

    @Test
    void shuffleDependsOnlyOnSeedAndEpoch() {
        int[] epoch2;
        try (DataLoader a = loader(indexed(50), 8, true, false, 1)) {
            labels(a.epoch(0));
            labels(a.epoch(1));
            epoch2 = flat(labels(a.epoch(2)));
        }
        try (DataLoader b = loader(indexed(50), 8, true, false, 0)) {
            assertArrayEquals(epoch2, flat(labels(b.epoch(2))), "a resumed run sees the same epoch 2");
            assertNotEquals(Arrays.toString(epoch2), Arrays.toString(flat(labels(b.epoch(3)))));
        }
        try (DataLoader c = DataLoader.builder(indexed(50)).batchSize(8).shuffle(true).seed(43).build()) {
            assertNotEquals(Arrays.toString(epoch2), Arrays.toString(flat(labels(c.epoch(2)))));
        }
        assertNotEquals(Arrays.toString(Permutation.of(50, 1, 0)), Arrays.toString(Permutation.of(50, 0, 1)));
    }

    @Test
    void resumingMidEpochGivesTheRemainingBatches() {
        try (DataLoader l = loader(indexed(50), 8, true, false, 1)) {
            List<int[]> full = labels(l.epoch(5));
            List<Batch> rest = new ArrayList<>();
            for (Batch b : l.epoch(5, 3)) {
                rest.add(b.copy());
            }
            assertEquals(full.size() - 3, rest.size());
            for (int i = 0; i < rest.size(); i++) {
                assertEquals(3 + i, rest.get(i).index());
                assertArrayEquals(full.get(3 + i), rest.get(i).labels().toIntArray());
            }
            assertFalse(l.epoch(5, full.size()).hasNext());
            assertThrows(IllegalArgumentException.class, () -> l.epoch(5, full.size() + 1));
        }
    }

    @Test
    void prefetchOnAndOffGiveTheSameBatches() {
        for (boolean dropLast : new boolean[] {false, true}) {
            List<String> reference = null;
            for (int prefetch : new int[] {0, 1, 2, 5}) {
                try (DataLoader l = loader(indexed(77), 9, true, dropLast, prefetch)) {
                    List<String> all = new ArrayList<>();
                    for (int e = 0; e < 3; e++) {
                        for (int[] b : labels(l.epoch(e))) {
                            all.add(Arrays.toString(b));
                        }
                    }
                    if (reference == null) {
                        reference = all;
                    } else {
                        assertEquals(reference, all, "prefetch " + prefetch);
                    }
                }
            }
        }
    }

    @Test
    void noNewBuffersAfterTheFirstEpoch() {
        for (int prefetch : new int[] {0, 1, 3}) {
            try (DataLoader l = loader(indexed(100), 7, true, false, prefetch)) {
                Set<Storage> first = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Batch b : l.epoch(0)) {
                    first.add(TensorInternals.storage(b.features()));
                    first.add(TensorInternals.storage(b.labels()));
                }
                assertEquals(2 * (prefetch + 2), first.size(), "a ring of prefetch + 2 pairs of buffers");
                for (int e = 1; e < 4; e++) {
                    for (Batch b : l.epoch(e)) {
                        assertTrue(first.contains(TensorInternals.storage(b.features())), "epoch " + e + " reuses the buffers");
                        assertTrue(first.contains(TensorInternals.storage(b.labels())));
                    }
                }
            }
        }
    }

    @Test
    void aBatchStaysValidUntilPrefetchPlusOneMoreBatchesAndCopyKeepsIt() {
        for (int prefetch : new int[] {0, 1, 2}) {
            try (DataLoader l = loader(indexed(100), 5, false, false, prefetch)) {
                DataLoader.Epoch epoch = l.epoch(0);
                Batch first = epoch.next();
                Batch kept = first.copy();
                Tensor firstFeatures = first.features();
                int version = firstFeatures.version();
                // With no prefetch thread the guarantee is exact: prefetch + 1 more batches leave it intact.
                if (prefetch == 0) {
                    epoch.next();
                    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, first.labels().toIntArray());
                }
                for (int i = 0; i < prefetch + 3; i++) {
                    epoch.next();
                }
                assertNotEquals(version, firstFeatures.version(), "the refilled buffer's version moved on");
                // Using the recycled batch throws instead of returning another batch's numbers.
                IllegalStateException e = assertThrows(IllegalStateException.class, first::labels);
                assertTrue(e.getMessage().startsWith("DataLoader: Batch(epoch 0, index 0, size 5) was used after its "
                        + "buffers were refilled with a later batch"), e.getMessage());
                assertThrows(IllegalStateException.class, first::features);
                assertThrows(IllegalStateException.class, first::copy);
                assertArrayEquals(new int[] {0, 1, 2, 3, 4}, kept.labels().toIntArray());
                assertArrayEquals(new float[] {0, 0, 1, -1, 2, -2, 3, -3, 4, -4}, kept.features().toFloatArray());
            }
        }
    }

    @Test
    void autogradNoticesAStaleBatch() {
        try (DataLoader l = loader(indexed(100), 5, false, false, 0)) {
            DataLoader.Epoch epoch = l.epoch(0);
            Batch b = epoch.next();
            Tensor w = Tensor.ones(2).requiresGrad();
            Tensor loss = b.features().mul(w).sum();
            epoch.next();
            epoch.next();
            IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
            assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        }
    }

    /** A dataset that fails on one example, to see where the exception surfaces. */
    private static final class Failing implements Dataset {
        final Dataset inner = indexed(40);

        @Override
        public int size() {
            return inner.size();
        }

        @Override
        public int[] featureShape() {
            return inner.featureShape();
        }

        @Override
        public int[] labelShape() {
            return inner.labelShape();
        }

        @Override
        public void read(int index, float[] f, int fOff, float[] l, int lOff) {
            if (index == 17) {
                throw new IllegalArgumentException("example 17 is broken");
            }
            inner.read(index, f, fOff, l, lOff);
        }
    }

    @Test
    void anExceptionInTheProducerSurfacesInTheConsumer() {
        for (int prefetch : new int[] {0, 1, 4}) {
            try (DataLoader l = loader(new Failing(), 5, false, false, prefetch)) {
                Iterator<Batch> it = l.epoch(0);
                for (int i = 0; i < 3; i++) {
                    assertEquals(i, it.next().index());
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next,
                        "prefetch " + prefetch);
                assertEquals("example 17 is broken", e.getMessage());
                assertFalse(it.hasNext());
            }
        }
    }

    @Test
    void startingAnotherEpochStopsThePreviousThread() {
        DataLoader l = loader(indexed(1000), 10, true, false, 2);
        try {
            DataLoader.Epoch abandoned = l.epoch(9101);
            abandoned.next();
            assertTrue(prefetchThreadAlive("perceptron-prefetch-epoch-9101"));
            DataLoader.Epoch next = l.epoch(9102);
            assertFalse(prefetchThreadAlive("perceptron-prefetch-epoch-9101"), "stopped and joined");
            assertFalse(abandoned.hasNext());
            assertThrows(NoSuchElementException.class, abandoned::next);
            assertEquals(0, next.next().index());
            assertTrue(prefetchThreadAlive("perceptron-prefetch-epoch-9102"));
            l.close();
            assertFalse(prefetchThreadAlive("perceptron-prefetch-epoch-9102"), "close() stops the thread");
            assertThrows(IllegalStateException.class, () -> l.epoch(0));
        } finally {
            l.close();
        }
    }

    @Test
    void anAbandonedEpochStopsOnceGarbageCollected() throws InterruptedException {
        startAndAbandon();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (prefetchThreadAlive("perceptron-prefetch-epoch-9301") && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertFalse(prefetchThreadAlive("perceptron-prefetch-epoch-9301"),
                "the producer notices that nobody can take its batches any more");
    }

    /** Starts an epoch, takes a batch and drops every reference to the loader and the epoch. */
    private static void startAndAbandon() {
        DataLoader l = loader(indexed(1000), 10, true, false, 1);
        l.epoch(9301).next();
        assertTrue(prefetchThreadAlive("perceptron-prefetch-epoch-9301"));
    }

    @Test
    void aFinishedEpochLeavesNoThreadBehind() {
        try (DataLoader l = loader(indexed(30), 10, true, false, 1)) {
            labels(l.epoch(9201));
            assertFalse(prefetchThreadAlive("perceptron-prefetch-epoch-9201"));
        }
    }

    @Test
    void theIteratorWalksThroughSuccessiveEpochs() {
        try (DataLoader l = loader(indexed(20), 20, true, false, 1)) {
            int[] e0 = flat(labels(l));
            int[] e1 = flat(labels(l));
            assertArrayEquals(l.order(0), e0);
            assertArrayEquals(l.order(1), e1);
            DataLoader.Epoch e = l.epoch(7);
            assertSame(e, e.iterator());
            assertThrows(IllegalStateException.class, e::iterator, "an epoch is iterated once");
        }
    }

    @Test
    void theBuilderRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(indexed(3)).batchSize(0));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(indexed(3)).prefetch(-1));
        assertThrows(IllegalStateException.class, () -> DataLoader.builder(indexed(3)).build());
    }

    private static boolean prefetchThreadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
