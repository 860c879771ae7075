package perceptron.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import perceptron.io.InvalidInputException;
import perceptron.io.JsonFields;
import perceptron.nn.Layer;
import perceptron.nn.init.Initializer;
import perceptron.optim.Adam;
import perceptron.optim.AdamW;
import perceptron.optim.LrSchedule;
import perceptron.optim.Optimizer;
import perceptron.optim.ParamGroup;
import perceptron.optim.ParamGroups;
import perceptron.optim.SGD;

/**
 * How a model is trained: the hyperparameters stored under "training" in model.json, so that a run can be
 * resumed or reproduced exactly. Defaults are d2l's MLP of section 5.2: SGD, lr 0.1, batch 256, 10 epochs,
 * weights N(0, 0.01), no validation split.
 *
 * @param optimizer     SGD, Adam or AdamW
 * @param momentum      SGD momentum (0 for plain SGD)
 * @param weightDecay   L2 penalty (SGD, Adam) or decoupled decay (AdamW), applied to weights only, not to biases
 * @param init          the weight initialisation
 * @param schedule      constant, cosine, or step (x0.1 every third of the run)
 * @param warmupEpochs  linear warm-up before the schedule (0 for none)
 * @param validation    the fraction of the training set held out for validation (stratified, seeded by
 *                      {@code seed}); 0 keeps the book's setting, with no validation set
 * @param clipGradNorm  the largest global gradient norm before each step (0 for no clipping)
 * @param earlyStopping patience in epochs without improvement of the validation metric (0 for none)
 */
public record TrainingSettings(OptimizerType optimizer, double lr, double momentum, double weightDecay, int batchSize,
                               int epochs, Initializer init, long seed, ScheduleType schedule, double warmupEpochs,
                               double validation, double clipGradNorm, int earlyStopping) {

    /** The optimisers a run can use; the CLI's {@code --optimizer} values are the lower-case names. */
    public enum OptimizerType {
        SGD, ADAM, ADAMW;

        /** The default learning rate: d2l's 0.1 for SGD, 0.001 (the papers' and PyTorch's) for Adam and AdamW. */
        public double defaultLearningRate() {
            return this == SGD ? 0.1 : 0.001;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Learning-rate schedules; the CLI's {@code --schedule} values are the lower-case names. */
    public enum ScheduleType {
        CONSTANT, COSINE, STEP;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TrainingSettings {
        java.util.Objects.requireNonNull(optimizer, "optimizer");
        java.util.Objects.requireNonNull(init, "init");
        java.util.Objects.requireNonNull(schedule, "schedule");
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        if (!(warmupEpochs >= 0)) {
            throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + warmupEpochs);
        }
        if (!(validation >= 0 && validation < 1)) {
            throw new IllegalArgumentException("the validation fraction must be in [0, 1), e.g. 0.1; got " + validation);
        }
        if (!(clipGradNorm >= 0) || Double.isInfinite(clipGradNorm)) {
            throw new IllegalArgumentException("the gradient-norm clip must be a positive number (0 for none), got "
                    + clipGradNorm);
        }
        if (earlyStopping < 0) {
            throw new IllegalArgumentException("early-stopping patience must be >= 0 (0 for none), got " + earlyStopping);
        }
        if (earlyStopping > 0 && validation == 0) {
            throw new IllegalArgumentException("early stopping watches a validation set: hold one out with a "
                    + "validation fraction (e.g. 0.1); stopping on the test set would select the model on it");
        }
    }

    /** Settings without validation split, clipping or early stopping. */
    public TrainingSettings(OptimizerType optimizer, double lr, double momentum, double weightDecay, int batchSize,
                            int epochs, Initializer init, long seed, ScheduleType schedule, double warmupEpochs) {
        this(optimizer, lr, momentum, weightDecay, batchSize, epochs, init, seed, schedule, warmupEpochs, 0, 0, 0);
    }

    /** d2l's settings for the MLP of section 5.2. */
    public static TrainingSettings d2l() {
        return new TrainingSettings(OptimizerType.SGD, 0.1, 0, 0, 256, 10, Initializer.NORMAL, 42,
                ScheduleType.CONSTANT, 0);
    }

    /** The optimiser over the model's parameters; weight decay goes to weights only (biases form a second group). */
    public Optimizer optimizerFor(Layer model) {
        List<ParamGroup> groups = weightDecay > 0 ? ParamGroups.decayAndNoDecay(model, weightDecay)
                : List.of(new ParamGroup(model.parameters()));
        switch (optimizer) {
            case SGD: return new SGD(groups, lr, momentum, 0, weightDecay, false);
            case ADAM: return new Adam(groups, lr, 0.9, 0.999, 1e-8, weightDecay);
            case ADAMW: return new AdamW(groups, lr, 0.9, 0.999, 1e-8, weightDecay);
            default: throw new AssertionError(optimizer);
        }
    }

    public LrSchedule lrSchedule() {
        LrSchedule after;
        switch (schedule) {
            case COSINE: after = LrSchedule.cosine(Math.max(epochs - warmupEpochs, 1e-9), 0.0); break;
            case STEP: after = LrSchedule.step(Math.max(1, (int) Math.ceil(epochs / 3.0)), 0.1); break;
            case CONSTANT: after = LrSchedule.constant(); break;
            default: throw new AssertionError(schedule);
        }
        return LrSchedule.warmup(warmupEpochs, after);
    }

    /** Builds the model of {@code spec} and initialises it from this run's seed. */
    public Layer buildModel(ModelSpec spec) {
        SplittableRandom rng = new SplittableRandom(seed);
        Layer model = spec.build(rng, seed + 1);
        init.apply(model, rng);
        return model;
    }

    /** A copy with another number of epochs (to extend a resumed run). */
    public TrainingSettings withEpochs(int newEpochs) {
        return new TrainingSettings(optimizer, lr, momentum, weightDecay, batchSize, newEpochs, init, seed, schedule,
                warmupEpochs, validation, clipGradNorm, earlyStopping);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer.toString());
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("batch_size", batchSize);
        m.put("epochs", epochs);
        m.put("init", init.toString());
        m.put("seed", seed);
        m.put("schedule", schedule.toString());
        m.put("warmup_epochs", warmupEpochs);
        m.put("validation", validation);
        m.put("clip_grad_norm", clipGradNorm);
        m.put("early_stopping", earlyStopping);
        return m;
    }

    /**
     * Reads what {@link #toJson()} wrote. Every field is checked (type, range, exactness); errors name the file
     * and the field, e.g. {@code model.json: training.epochs must be an integer from 0 to 2147483647, got -5}.
     * Fields added after the first version of model.json (validation, clip_grad_norm, early_stopping) may be
     * absent: older runs had none of them, which is 0.
     */
    public static TrainingSettings fromJson(JsonFields t) {
        OptimizerType optimizer = choice(OptimizerType.class, t, "optimizer");
        double lr = t.number("lr", 0, Double.MAX_VALUE);
        double momentum = t.number("momentum", 0, 1);
        double weightDecay = t.number("weight_decay", 0, Double.MAX_VALUE);
        int batchSize = t.integer("batch_size", 1, Integer.MAX_VALUE);
        int epochs = t.integer("epochs", 0, Integer.MAX_VALUE);
        String init = t.string("init");
        long seed = t.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        ScheduleType schedule = choice(ScheduleType.class, t, "schedule");
        double warmupEpochs = t.number("warmup_epochs", 0, Double.MAX_VALUE);
        double validation = t.has("validation") ? t.number("validation", 0, 1) : 0;
        double clipGradNorm = t.has("clip_grad_norm") ? t.number("clip_grad_norm", 0, Double.MAX_VALUE) : 0;
        int earlyStopping = t.has("early_stopping") ? t.integer("early_stopping", 0, Integer.MAX_VALUE) : 0;
        try {
            return new TrainingSettings(optimizer, lr, momentum, weightDecay, batchSize, epochs,
                    Initializer.parse(init), seed, schedule, warmupEpochs, validation, clipGradNorm, earlyStopping);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(t.source() + ": training: " + e.getMessage(), e);
        }
    }

    /** {@link #fromJson(JsonFields)} for a map already parsed (errors then name no file). */
    public static TrainingSettings fromJson(Map<String, Object> m) {
        return fromJson(JsonFields.of("training", m));
    }

    private static <E extends Enum<E>> E choice(Class<E> type, JsonFields t, String key) {
        String s = t.string(key);
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw t.error(key, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got \"" + s
                + "\"");
    }
}
