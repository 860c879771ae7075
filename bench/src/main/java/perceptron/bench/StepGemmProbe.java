package perceptron.bench;

import java.util.Arrays;
import java.util.Random;
import perceptron.internal.kernels.KernelOps;
import perceptron.internal.kernels.VectorKernels;
import perceptron.kernels.Parallel;

/**
 * Times each matrix product of one training step of d2l's MLP (784-256-10, batch 256) on one thread and on two,
 * alternating in the same JVM, and prints per-product medians, the two-thread speed-up and GFLOP/s. With
 * {@code --peak N} it also times an N x N x N product, the machine's GEMM rate at a large size.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar perceptron.bench.StepGemmProbe \
 *      [--rounds 15] [--calls 40] [--peak 2048]
 * </pre>
 */
public final class StepGemmProbe {
    private StepGemmProbe() {
    }

    /** One product: C = op(A) op(B) (+ C when beta is 1), with the operands of a step. */
    private record Product(String name, boolean transA, boolean transB, int m, int n, int k, float[] a, int lda,
                           float[] b, int ldb, float beta, float[] c) {
        void run(KernelOps kern) {
            kern.gemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        }

        double flop() {
            return 2.0 * m * n * k;
        }
    }

    public static void main(String[] args) {
        int rounds = 15;
        int calls = 40;
        int peak = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--calls" -> calls = Integer.parseInt(args[++i]);
                case "--peak" -> peak = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("StepGemmProbe: unknown option " + args[i]);
            }
        }
        Random r = new Random(1);
        int batch = 256;
        int in = 784;
        int hidden = 256;
        int out = 10;
        float[] x = random(r, batch * in);
        float[] w1 = random(r, hidden * in);
        float[] h = random(r, batch * hidden);
        float[] w2 = random(r, out * hidden);
        float[] g = random(r, batch * out);
        float[] dh = random(r, batch * hidden);
        Product[] step = {
            new Product("forward x W1^T   256x256x784", false, true, batch, hidden, in, x, in, w1, in, 1f,
                    new float[batch * hidden]),
            new Product("forward h W2^T   256x10x256 ", false, true, batch, out, hidden, h, hidden, w2, hidden, 1f,
                    new float[batch * out]),
            new Product("dh = g W2        256x256x10 ", false, false, batch, hidden, out, g, out, w2, hidden, 0f,
                    new float[batch * hidden]),
            new Product("dW2 = g^T h      10x256x256 ", true, false, out, hidden, batch, g, out, h, hidden, 0f,
                    new float[out * hidden]),
            new Product("dW1 = dh^T x     256x784x256", true, false, hidden, in, batch, dh, hidden, x, in, 0f,
                    new float[hidden * in]),
        };
        KernelOps kern = new VectorKernels();
        int[] threadCounts = {1, 2};
        double[][][] us = new double[threadCounts.length][step.length + 1][rounds];
        for (int warm = 0; warm < 3; warm++) {
            for (int t : threadCounts) {
                Parallel.setThreads(t);
                for (Product p : step) {
                    for (int c = 0; c < 200; c++) {
                        p.run(kern);
                    }
                }
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (int ti = 0; ti < threadCounts.length; ti++) {
                Parallel.setThreads(threadCounts[ti]);
                double total = 0;
                for (int pi = 0; pi < step.length; pi++) {
                    long t0 = System.nanoTime();
                    for (int c = 0; c < calls; c++) {
                        step[pi].run(kern);
                    }
                    double perCall = (System.nanoTime() - t0) / 1e3 / calls;
                    us[ti][pi][round] = perCall;
                    total += perCall;
                }
                // The step's products back to back, as training issues them.
                long t0 = System.nanoTime();
                for (int c = 0; c < calls; c++) {
                    for (Product p : step) {
                        p.run(kern);
                    }
                }
                us[ti][step.length][round] = (System.nanoTime() - t0) / 1e3 / calls;
            }
        }
        System.out.printf("%-30s %10s %10s %8s %10s %10s%n", "product", "1T us", "2T us", "2T/1T", "1T GFLOP/s",
                "2T GFLOP/s");
        double stepFlop = 0;
        for (Product p : step) {
            stepFlop += p.flop();
        }
        for (int pi = 0; pi <= step.length; pi++) {
            String name = pi < step.length ? step[pi].name : "all five, back to back";
            double flop = pi < step.length ? step[pi].flop() : stepFlop;
            double one = median(us[0][pi]);
            double two = median(us[1][pi]);
            System.out.printf("%-30s %10.1f %10.1f %8.2f %10.1f %10.1f%n", name, one, two, one / two,
                    flop / one / 1e3, flop / two / 1e3);
        }
        if (peak > 0) {
            float[] a = random(r, peak * peak);
            float[] b = random(r, peak * peak);
            float[] c = new float[peak * peak];
            double flop = 2.0 * peak * peak * peak;
            for (int t : threadCounts) {
                Parallel.setThreads(t);
                double[] times = new double[5];
                for (int i = -2; i < times.length; i++) {
                    long t0 = System.nanoTime();
                    kern.gemm(false, false, peak, peak, peak, 1f, a, 0, peak, b, 0, peak, 0f, c, 0, peak);
                    if (i >= 0) {
                        times[i] = (System.nanoTime() - t0) / 1e3;
                    }
                }
                System.out.printf("%d^3 on %d thread(s): best %.1f GFLOP/s, median %.1f (5 calls)%n", peak, t,
                        flop / Arrays.stream(times).min().orElseThrow() / 1e3, flop / median(times) / 1e3);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 0.1f;
        }
        return v;
    }
}
