package perceptron.train;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import perceptron.data.DataLoader;
import perceptron.data.ImageDataset;
import perceptron.nn.Layer;
import perceptron.optim.Optimizer;

/**
 * Trains a throwaway twin of a model on random images in a background thread, so that the JIT has compiled the
 * training step (the Vector API kernels above all) by the time the real training starts.
 *
 * <p>Until C2 has compiled them, the Vector API kernels run interpreted or in C1, where every vector operation
 * is an allocated object and a step is about 100 times slower; that made the first epoch of the default run
 * about 4 times as long as the others. Started before the data is read, the warm-up overlaps that compilation
 * with reading the data and building the model (bench/RESULTS.md, "Warm-up").
 *
 * <p>The warm-up never touches the real model, its optimiser, a data loader or a shared random generator: the
 * twin is built from the same {@link ModelSpec} and {@link TrainingSettings} (so the JIT sees the same shapes and
 * the same optimiser), trains on images drawn from its own generator, and is thrown away. The kernels are pure
 * functions, so the real run computes bitwise the same numbers with or without it. It is explicit, not built into
 * {@link Trainer}: a Trainer knows its model but not how to build a twin of it.
 *
 * <pre>{@code
 * JitWarmup warmup = JitWarmup.start(spec, settings);   // first: it runs while the data loads
 * FashionMnist data = FashionMnist.load(null);
 * Layer model = settings.buildModel(spec);
 * warmup.await();                                      // before the first real step
 * trainer.fit(train, test);
 * }</pre>
 */
public final class JitWarmup {
    /**
     * Steps of the narrow twin: enough for C2 to compile the GEMM (its steps take 2 ms from about the 40th on).
     * This and {@link #FULL_STEPS} can be set with -Dperceptron.jitWarmupNarrowSteps / FullSteps, to measure.
     */
    static final int NARROW_STEPS = Integer.getInteger("perceptron.jitWarmupNarrowSteps", 40);
    /** Batch size of the narrow twin. */
    static final int NARROW_BATCH = 16;
    /** Widest hidden layer of the narrow twin. */
    static final int NARROW_WIDTH = 32;
    /**
     * Steps of the full-size twin: the per-step kernels (bias, activation, softmax cross-entropy, optimiser) are
     * called a few times per step, so only full-size arrays make their loops hot enough for C2.
     */
    static final int FULL_STEPS = Integer.getInteger("perceptron.jitWarmupFullSteps", 32);
    /**
     * Models with more parameters are not warmed up: a twin would double their memory, and their epochs are long
     * enough for a few seconds of compilation not to matter.
     */
    static final long MAX_PARAMETERS = 4_000_000;
    /** Images evaluated after each warm-up epoch: one batch of the size the CLI evaluates with. */
    private static final int EVALUATED = 1000;
    /** Training steps per warm-up epoch (each is followed by an evaluation, as in a real epoch). */
    private static final int STEPS_PER_EPOCH = 4;

    /** Whether a warm-up has started in this JVM: compiled code stays, so one is enough. */
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private final Thread thread;
    private volatile int steps;
    private volatile RuntimeException failure;

    /** A warm-up that has nothing to do. */
    private JitWarmup() {
        thread = null;
    }

    private JitWarmup(ModelSpec spec, TrainingSettings settings) {
        thread = new Thread(() -> run(spec, settings), "perceptron-jit-warmup");
        thread.setDaemon(true);
    }

    /**
     * Starts the warm-up in a daemon thread: a narrow twin of {@code spec}'s model (hidden layers at most 32 wide,
     * batch 16) trains for 40 steps, then a full-size twin for 32 steps of {@code settings}' batch size, with
     * {@code settings}' optimiser, on random images. Only the first call in a JVM warms up: the JIT's code stays
     * for the runs that follow (a sweep's, a test suite's); later calls, and calls for a model of more than 4
     * million parameters, return a warm-up that has ended.
     */
    public static JitWarmup start(ModelSpec spec, TrainingSettings settings) {
        if (spec.parameterCount() > MAX_PARAMETERS || STARTED.getAndSet(true)) {
            return new JitWarmup();
        }
        return begin(spec, settings);
    }

    /** Starts a warm-up whether or not one has run in this JVM (for tests). */
    static JitWarmup begin(ModelSpec spec, TrainingSettings settings) {
        JitWarmup w = new JitWarmup(spec, settings);
        w.thread.start();
        return w;
    }

    /**
     * Waits until the warm-up has ended.
     *
     * @return the training steps the twins took
     * @throws RuntimeException what the warm-up threw, other than its twin diverging (a bug, shown with its trace)
     */
    public int await() {
        boolean interrupted = false;
        while (thread != null && thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
        return steps;
    }

    private void run(ModelSpec spec, TrainingSettings settings) {
        try {
            SplittableRandom rng = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
            ModelSpec narrow = new ModelSpec(spec.inputShape(), narrow(spec.hidden()), spec.activation(),
                    spec.dropout(), spec.batchNorm(), spec.outputs());
            train(narrow, settings, Math.min(NARROW_BATCH, settings.batchSize()), NARROW_BATCH, NARROW_STEPS, rng);
            train(spec, settings, settings.batchSize(), EVALUATED, FULL_STEPS, rng);
        } catch (TrainingDivergedException e) {
            // Random labels may make a large learning rate diverge; the kernels have been compiled by then.
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private static int[] narrow(int[] hidden) {
        int[] n = hidden.clone();
        for (int i = 0; i < n.length; i++) {
            n[i] = Math.min(n[i], NARROW_WIDTH);
        }
        return n;
    }

    /** Trains a new twin of spec through a {@link Trainer}, in epochs of a few steps and one evaluation. */
    private void train(ModelSpec spec, TrainingSettings settings, int batch, int evaluated, int totalSteps,
                       SplittableRandom rng) {
        if (totalSteps <= 0) {
            return;
        }
        Layer twin = settings.buildModel(spec);
        Optimizer optimizer = settings.optimizerFor(twin);
        int epochs = (totalSteps + STEPS_PER_EPOCH - 1) / STEPS_PER_EPOCH;
        try (DataLoader train = DataLoader.builder(randomImages(spec, STEPS_PER_EPOCH * batch, rng))
                .batchSize(batch).shuffle(true).seed(rng.nextLong()).build();
             DataLoader test = DataLoader.sequential(randomImages(spec, evaluated, rng), evaluated)) {
            Trainer trainer = Trainer.builder(twin, optimizer).epochs(epochs).progress(Progress.silent())
                    .callback(new Callback() {
                        @Override
                        public void afterStep(int epoch, int b, int batches, double loss) {
                            steps++;
                        }
                    })
                    .build();
            trainer.fit(train, test);
        }
    }

    private static ImageDataset randomImages(ModelSpec spec, int count, SplittableRandom rng) {
        byte[] pixels = new byte[count * spec.inputFeatures()];
        rng.nextBytes(pixels);
        int classes = Math.min(spec.outputs(), 256);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) rng.nextInt(classes);
        }
        return new ImageDataset(pixels, spec.inputShape(), labels, classes);
    }
}
