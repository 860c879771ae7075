package perceptron.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import perceptron.autograd.Autograd;
import perceptron.kernels.Kernels;
import perceptron.kernels.Parallel;
import perceptron.nn.Layer;
import perceptron.onnx.Onnx;
import perceptron.tensor.Tensor;
import perceptron.train.ModelSpec;

/**
 * perceptron's inference against ONNX Runtime (Java, CPU) on the same exported model in the same JVM: d2l's MLP
 * (784-256-10, ReLU) or {@code --hidden W[,W]}, one image and a batch of 1000.
 *
 * <p>Each call includes what a caller pays: wrapping the input, the forward pass, copying the logits out. The two
 * run in alternating rounds (perceptron, ORT, perceptron, ...) after a warm-up, and the medians of the rounds are
 * compared, so load from other processes hits both alike. ORT gets as many intra-op threads as perceptron's pool.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar perceptron.bench.OnnxRuntimeComparison \
 *      [--hidden 256] [--rounds 9] [--threads N]
 * </pre>
 */
public final class OnnxRuntimeComparison {
    private OnnxRuntimeComparison() {
    }

    public static void main(String[] args) throws Exception {
        int[] hidden = {256};
        int rounds = 9;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--hidden" -> hidden = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--threads" -> Parallel.setThreads(Integer.parseInt(args[++i]));
                default -> {
                    System.err.println("OnnxRuntimeComparison: unknown option " + args[i]
                            + " (--hidden W[,W], --rounds N, --threads N)");
                    System.exit(2);
                }
            }
        }
        ModelSpec spec = new ModelSpec(new int[] {1, 28, 28}, hidden, "relu", new double[0], false, 10);
        Layer model = spec.build(new SplittableRandom(42), 0);
        model.eval();
        byte[] onnx = Onnx.toBytes(model, spec.inputShape(), Onnx.DEFAULT_OPSET);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Parallel.threads());
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        System.out.printf(Locale.ROOT, "model %s; perceptron kernels %s on %d threads; ONNX Runtime %s (CPU), %d "
                        + "intra-op threads; Java %s%n", spec, Kernels.get().name(), Parallel.threads(), env.getVersion(),
                Parallel.threads(), Runtime.version());
        try (OrtSession session = env.createSession(onnx, options)) {
            for (int batch : new int[] {1, 1000}) {
                float[] x = new float[batch * 784];
                SplittableRandom rng = new SplittableRandom(batch);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.nextDouble();
                }
                double diff = maxAbsDiff(perceptron(model, x, batch), ort(env, session, x, batch));
                int calls = batch == 1 ? 4000 : 20;
                double[] ours = new double[rounds];
                double[] theirs = new double[rounds];
                for (int r = -2; r < rounds; r++) {   // two warm-up rounds
                    long t0 = System.nanoTime();
                    for (int c = 0; c < calls; c++) {
                        perceptron(model, x, batch);
                    }
                    long t1 = System.nanoTime();
                    for (int c = 0; c < calls; c++) {
                        ort(env, session, x, batch);
                    }
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        ours[r] = (t1 - t0) / 1e3 / calls;
                        theirs[r] = (t2 - t1) / 1e3 / calls;
                    }
                }
                double p = median(ours);
                double o = median(theirs);
                System.out.printf(Locale.ROOT, "batch %4d: perceptron %9.1f us, ONNX Runtime %9.1f us per call "
                                + "(medians of %d rounds of %d calls): perceptron is %.2fx %s; max |difference| %.1e%n",
                        batch, p, o, rounds, calls, p < o ? o / p : p / o, p < o ? "faster" : "slower", diff);
            }
        }
    }

    private static float[] perceptron(Layer model, float[] x, int batch) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return model.forward(Tensor.wrap(x, batch, 1, 28, 28)).toFloatArray();
        }
    }

    private static float[] ort(OrtEnvironment env, OrtSession session, float[] x, int batch) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {batch, 1, 28, 28});
             OrtSession.Result result = session.run(Map.of(Onnx.INPUT_NAME, input))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] logits = new float[out.remaining()];
            out.get(logits);
            return logits;
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
