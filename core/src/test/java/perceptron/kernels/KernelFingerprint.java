package perceptron.kernels;

import perceptron.internal.kernels.ReduceOp;
import perceptron.internal.kernels.UnaryOp;

import perceptron.internal.kernels.KernelOps;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs the kernels a training step uses on fixed inputs and prints one hash of all output bits. Run in a JVM
 * with {@code -Xint} (never compiled) by {@link InterpreterAgreementTest} and compared with a JIT-compiled run.
 */
public final class KernelFingerprint {
    private KernelFingerprint() {
    }

    public static void main(String[] args) {
        System.out.println(compute(Integer.parseInt(args[0])));
    }

    /** Hash of the outputs, computed {@code repeats} times (the last one counts) so the JIT can compile them. */
    static long compute(int repeats) {
        KernelOps k = KernelOps.get();
        SplittableRandom r = new SplittableRandom(3);
        int rows = 64;
        int cols = 10;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        float[] a = new float[64 * 100];
        float[] b = new float[100 * 37];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = i % cols;
        }
        long hash = 0;
        for (int rep = 0; rep < repeats; rep++) {
            hash = 17;
            float[] o = new float[x.length];
            k.softmax(false, x, 0, rows, cols, o, 0);
            hash = mix(hash, o);
            k.softmax(true, x, 0, rows, cols, o, 0);
            hash = mix(hash, o);
            float[] loss = new float[rows];
            float[] lse = new float[rows];
            k.crossEntropy(x, 0, rows, cols, t, 0.1, loss, lse);
            hash = mix(hash, loss);
            float[] g = {1f / rows};
            k.crossEntropyBackward(x, 0, rows, cols, t, 0.1, lse, g, 0, 0, o, 0);
            hash = mix(hash, o);
            for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID, UnaryOp.GELU,
                    UnaryOp.GELU_DERIVATIVE, UnaryOp.SILU, UnaryOp.SILU_DERIVATIVE, UnaryOp.MISH,
                    UnaryOp.MISH_DERIVATIVE, UnaryOp.ELU, UnaryOp.ELU_DERIVATIVE, UnaryOp.CELU,
                    UnaryOp.CELU_DERIVATIVE, UnaryOp.SOFTPLUS, UnaryOp.LOG_SIGMOID}) {
                k.unary(op, op == UnaryOp.CELU || op == UnaryOp.CELU_DERIVATIVE ? 3 : 1,
                        op == UnaryOp.SOFTPLUS ? 20 : 1.0507009873554805, x, 0, o, 0, x.length);
                hash = mix(hash, o);
            }
            float[] c = new float[64 * 37];
            k.gemm(false, false, 64, 37, 100, 1f, a, 0, 100, b, 0, 37, 0f, c, 0, 37);
            hash = mix(hash, c);
            float[] c1 = new float[37];
            k.gemm(false, false, 1, 37, 100, 1f, a, 0, 100, b, 0, 37, 0f, c1, 0, 37);
            hash = mix(hash, c1);
            float[] sums = new float[37];
            k.reduce(ReduceOp.SUM, b, 0, 1, 100, 37, sums, 0);
            hash = mix(hash, sums);
            hash = hash * 31 + Double.doubleToLongBits(k.sum(a, 0, a.length));
        }
        return hash;
    }

    private static long mix(long hash, float[] v) {
        return hash * 1_000_003L + Arrays.hashCode(v);
    }
}
