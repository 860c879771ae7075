package perceptron.nn;

import perceptron.internal.tensor.TensorInternals;

import java.util.SplittableRandom;
import perceptron.tensor.DType;
import perceptron.tensor.Tensor;

/**
 * Inverted dropout (d2l section 5.6): in training mode each element is zeroed with probability p and the
 * survivors are scaled by 1 / (1 - p), so the expected output equals the input; in eval mode it is the identity.
 *
 * <p>Randomness: the mask of the k-th training forward pass comes from a generator seeded with (seed, k), so a
 * run resumed from a checkpoint (which stores k, see {@link Layer#randomState()}) draws the same masks as an
 * uninterrupted one.
 */
public final class Dropout extends Layer {
    private final double p;
    private final long seed;
    private long calls;

    public Dropout(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.seed = seed;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0.0);
        }
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (calls + 1)));
        calls++;
        Tensor mask = Tensor.empty(input.dtype(), input.shape());
        int n = mask.size();
        double scale = 1 / (1 - p);
        // Two 32-bit uniforms per nextLong: keep when u >= p, compared in integer arithmetic (exact to 2^-32).
        long threshold = (long) Math.ceil(p * 4294967296.0);
        if (mask.dtype() == DType.FLOAT32) {
            float[] m = TensorInternals.floatData(mask);
            int off = mask.offset();
            float keep = (float) scale;
            for (int i = 0; i < n; i += 2) {
                long bits = rng.nextLong();
                m[off + i] = (bits >>> 32) >= threshold ? keep : 0f;
                if (i + 1 < n) {
                    m[off + i + 1] = (bits & 0xffffffffL) >= threshold ? keep : 0f;
                }
            }
        } else {
            double[] m = TensorInternals.doubleData(mask);
            int off = mask.offset();
            for (int i = 0; i < n; i += 2) {
                long bits = rng.nextLong();
                m[off + i] = (bits >>> 32) >= threshold ? scale : 0.0;
                if (i + 1 < n) {
                    m[off + i + 1] = (bits & 0xffffffffL) >= threshold ? scale : 0.0;
                }
            }
        }
        return input.mul(mask);
    }

    @Override
    protected long randomStreamPosition() {
        return calls;
    }

    @Override
    protected void setRandomStreamPosition(long position) {
        calls = position;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
