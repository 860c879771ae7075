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
 * weights N(0, 0.01).
 *
 * @param optimizer     "sgd", "adam" or "adamw"
 * @param momentum      SGD momentum (0 for plain SGD)
 * @param weightDecay   L2 penalty (SGD, Adam) or decoupled decay (AdamW), applied to weights only, not to biases
 * @param schedule      "constant", "cosine" or "step" (x0.1 every third of the run)
 * @param warmupEpochs  linear warm-up before the schedule (0 for none)
 */
public record TrainingSettings(String optimizer, double lr, double momentum, double weightDecay, int batchSize,
                               int epochs, String init, long seed, String schedule, double warmupEpochs) {

    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");
    static final List<String> SCHEDULES = List.of("constant", "cosine", "step");

    public TrainingSettings {
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        schedule = schedule.toLowerCase(Locale.ROOT);
        init = init.toLowerCase(Locale.ROOT);
        if (!OPTIMIZERS.contains(optimizer)) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "' (choose from " + OPTIMIZERS + ")");
        }
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
        Initializer.parse(init);
        if (!SCHEDULES.contains(schedule)) {
            throw new IllegalArgumentException("unknown schedule '" + schedule + "' (choose from " + SCHEDULES + ")");
        }
        if (!(warmupEpochs >= 0)) {
            throw new IllegalArgumentException("warm-up epochs must be >= 0, got " + warmupEpochs);
        }
    }

    /** d2l's settings for the MLP of section 5.2. */
    public static TrainingSettings d2l() {
        return new TrainingSettings("sgd", 0.1, 0, 0, 256, 10, "normal", 42, "constant", 0);
    }

    /** The optimiser over the model's parameters; weight decay goes to weights only (biases form a second group). */
    public Optimizer optimizerFor(Layer model) {
        List<ParamGroup> groups = weightDecay > 0 ? ParamGroups.decayAndNoDecay(model, weightDecay)
                : List.of(new ParamGroup(model.parameters()));
        switch (optimizer) {
            case "sgd": return new SGD(groups, lr, momentum, 0, weightDecay, false);
            case "adam": return new Adam(groups, lr, 0.9, 0.999, 1e-8, weightDecay);
            default: return new AdamW(groups, lr, 0.9, 0.999, 1e-8, weightDecay);
        }
    }

    public LrSchedule lrSchedule() {
        LrSchedule after;
        switch (schedule) {
            case "cosine": after = LrSchedule.cosine(Math.max(epochs - warmupEpochs, 1e-9), 0.0); break;
            case "step": after = LrSchedule.step(Math.max(1, (int) Math.ceil(epochs / 3.0)), 0.1); break;
            default: after = LrSchedule.constant();
        }
        return LrSchedule.warmup(warmupEpochs, after);
    }

    /** Builds the model of {@code spec} and initialises it from this run's seed. */
    public Layer buildModel(ModelSpec spec) {
        SplittableRandom rng = new SplittableRandom(seed);
        Layer model = spec.build(rng, seed + 1);
        Initializer.parse(init).apply(model, rng);
        return model;
    }

    /** A copy with another number of epochs (to extend a resumed run). */
    public TrainingSettings withEpochs(int newEpochs) {
        return new TrainingSettings(optimizer, lr, momentum, weightDecay, batchSize, newEpochs, init, seed, schedule,
                warmupEpochs);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("batch_size", batchSize);
        m.put("epochs", epochs);
        m.put("init", init);
        m.put("seed", seed);
        m.put("schedule", schedule);
        m.put("warmup_epochs", warmupEpochs);
        return m;
    }

    /**
     * Reads what {@link #toJson()} wrote. Every field is checked (type, range, exactness); errors name the file
     * and the field, e.g. {@code model.json: training.epochs must be an integer from 0 to 2147483647, got -5}.
     */
    public static TrainingSettings fromJson(JsonFields t) {
        String optimizer = t.string("optimizer");
        double lr = t.number("lr", 0, Double.MAX_VALUE);
        double momentum = t.number("momentum", 0, 1);
        double weightDecay = t.number("weight_decay", 0, Double.MAX_VALUE);
        int batchSize = t.integer("batch_size", 1, Integer.MAX_VALUE);
        int epochs = t.integer("epochs", 0, Integer.MAX_VALUE);
        String init = t.string("init");
        long seed = t.longInteger("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        String schedule = t.string("schedule");
        double warmupEpochs = t.number("warmup_epochs", 0, Double.MAX_VALUE);
        try {
            return new TrainingSettings(optimizer, lr, momentum, weightDecay, batchSize, epochs, init, seed, schedule,
                    warmupEpochs);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(t.source() + ": training: " + e.getMessage(), e);
        }
    }

    /** {@link #fromJson(JsonFields)} for a map already parsed (errors then name no file). */
    public static TrainingSettings fromJson(Map<String, Object> m) {
        return fromJson(JsonFields.of("training", m));
    }
}
