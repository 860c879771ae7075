package perceptron.data;

import java.util.SplittableRandom;

/**
 * Seeded shuffles that depend only on (seed, stream): the loader uses the epoch as the stream, so epoch 7 of a
 * resumed run is shuffled exactly as epoch 7 of an uninterrupted one, whatever came before.
 */
final class Permutation {
    private Permutation() {
    }

    /** Fills {@code order} with 0..n-1 shuffled by Fisher-Yates from a generator seeded by (seed, stream). */
    static void shuffle(int[] order, long seed, long stream) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, stream));
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** A new array holding a permutation of 0..n-1 for (seed, stream). */
    static int[] of(int n, long seed, long stream) {
        int[] order = new int[n];
        shuffle(order, seed, stream);
        return order;
    }

    /**
     * SplitMix64's finaliser over both inputs, so that nearby (seed, stream) pairs give unrelated generators
     * (seed 1 epoch 0 and seed 0 epoch 1 must not coincide).
     */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        z += stream * 0xD1B54A32D192ED03L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
