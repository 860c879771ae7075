package perceptron.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;
import perceptron.autograd.Autograd;
import perceptron.data.Batch;
import perceptron.data.DataLoader;
import perceptron.loss.Loss;
import perceptron.nn.Layer;
import perceptron.optim.GradClip;
import perceptron.optim.LrSchedule;
import perceptron.optim.Optimizer;
import perceptron.tensor.Tensor;
import perceptron.tensor.Workspace;

/**
 * The training loop of d2l's {@code train_ch3}, with what a real run needs around it: evaluation each epoch,
 * a learning-rate schedule, gradient clipping, callbacks (early stopping, monitors, checkpoints) and a
 * progress display.
 *
 * <p>Each step runs inside a {@link Workspace} scope, so its activations and gradients reuse the previous
 * step's memory: a steady-state step allocates no tensor storage.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(10).build();
 * List<EpochMetrics> history = trainer.fit(trainLoader, testLoader);
 * }</pre>
 */
public final class Trainer {
    private final Layer model;
    private final Optimizer optimizer;
    private final BinaryOperator<Tensor> loss;
    private final boolean classification;
    private final int epochs;
    private final LrSchedule schedule;
    private final double clipNorm;
    private final List<Callback> callbacks;
    private final Progress progress;
    private final Checkpointer checkpointer;
    private final Workspace workspace = new Workspace();
    private long step;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.loss = b.loss;
        this.classification = b.classification;
        this.epochs = b.epochs;
        this.schedule = b.schedule;
        this.clipNorm = b.clipNorm;
        this.callbacks = List.copyOf(b.callbacks);
        this.progress = b.progress == null ? Progress.console(b.epochs) : b.progress;
        this.checkpointer = b.checkpointer;
    }

    /** Saves the state of training after an epoch (model, optimiser, step, metrics); see {@link RunDirectory}. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(int epoch, long step, EpochMetrics metrics) throws java.io.IOException;
    }

    public static Builder builder(Layer model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /** Settings of a {@link Trainer}. */
    public static final class Builder {
        private final Layer model;
        private final Optimizer optimizer;
        private BinaryOperator<Tensor> loss = Loss::crossEntropy;
        private boolean classification = true;
        private int epochs = 10;
        private LrSchedule schedule = LrSchedule.constant();
        private double clipNorm = Double.POSITIVE_INFINITY;
        private final List<Callback> callbacks = new ArrayList<>();
        private Progress progress;
        private Checkpointer checkpointer;

        private Builder(Layer model, Optimizer optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** The loss of (output, labels); default softmax cross-entropy. */
        public Builder loss(BinaryOperator<Tensor> loss) {
            this.loss = loss;
            return this;
        }

        /** Whether to measure accuracy (argmax of the output against class labels); default true. */
        public Builder classification(boolean on) {
            this.classification = on;
            return this;
        }

        public Builder epochs(int epochs) {
            if (epochs < 0) {
                throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        public Builder schedule(LrSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Clips the global gradient norm before every step. */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0)) {
                throw new IllegalArgumentException("clipGradNorm must be positive, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        public Builder callback(Callback c) {
            callbacks.add(c);
            return this;
        }

        public Builder progress(Progress p) {
            this.progress = p;
            return this;
        }

        /** Called after every epoch, after the callbacks, to save a checkpoint. */
        public Builder checkpointer(Checkpointer c) {
            this.checkpointer = c;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }

    /** Trains from epoch 1 to the configured number of epochs, measuring the test set after every epoch. */
    public List<EpochMetrics> fit(DataLoader train, DataLoader test) {
        return fit(train, null, test, 1, 0);
    }

    /** {@link #fit(DataLoader, DataLoader, DataLoader, int, long)} without a validation set. */
    public List<EpochMetrics> fit(DataLoader train, DataLoader test, int firstEpoch, long startStep) {
        return fit(train, null, test, firstEpoch, startStep);
    }

    /**
     * Trains epochs {@code firstEpoch .. epochs} (counting from 1), resuming at optimiser step {@code startStep};
     * a resumed run passes the values its checkpoint recorded. After every epoch the model is measured, in eval
     * mode, on {@code validation} and {@code test} (either may be null). Callbacks such as {@link EarlyStopping}
     * see the validation metrics; nothing here selects on the test set.
     *
     * @throws IllegalArgumentException if {@code train} has no batch
     * @throws TrainingDivergedException if a loss is NaN or infinite; the weights are those before that step
     */
    public List<EpochMetrics> fit(DataLoader train, DataLoader validation, DataLoader test, int firstEpoch,
                                  long startStep) {
        if (train.batchesPerEpoch() == 0) {
            throw new IllegalArgumentException("the training set is empty: " + train.dataset().size()
                    + " examples, batch size " + train.batchSize() + (train.dropLast() ? " with dropLast" : ""));
        }
        step = startStep;
        List<EpochMetrics> history = new ArrayList<>();
        for (Callback c : callbacks) {
            c.onTrainStart(model, firstEpoch, epochs);
        }
        for (int epoch = firstEpoch; epoch <= epochs; epoch++) {
            EpochMetrics m = trainEpoch(train, validation, test, epoch);
            history.add(m);
            progress.endEpoch(m);
            boolean stop = false;
            String reason = null;
            for (Callback c : callbacks) {
                if (c.onEpochEnd(model, m)) {
                    stop = true;
                    reason = reason != null ? reason : c.stopReason();
                }
            }
            if (checkpointer != null) {
                try {
                    checkpointer.save(epoch, step, m);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("could not save the checkpoint of epoch " + epoch + ": "
                            + e.getMessage(), e);
                }
            }
            if (stop) {
                progress.message("stopping early after epoch " + epoch + (reason != null ? ": " + reason : ""));
                break;
            }
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(model);
        }
        return history;
    }

    /** Optimiser steps taken so far (the step counter a checkpoint records). */
    public long steps() {
        return step;
    }

    private EpochMetrics trainEpoch(DataLoader train, DataLoader validation, DataLoader test, int epoch) {
        long start = System.nanoTime();
        model.train();
        for (Callback c : callbacks) {
            c.onEpochStart(epoch);
        }
        progress.startEpoch(epoch);
        int batches = train.batchesPerEpoch();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        int batch = 0;
        double batchLoss = Double.NaN;
        // Epochs count from 1 for people; the loader's shuffle and the schedule count from 0.
        try (DataLoader.Epoch batchesOfEpoch = train.epoch(epoch - 1)) {
            for (Batch b : batchesOfEpoch) {
                try (Workspace.Scope s = workspace.enter()) {
                    optimizer.scaleLearningRate(schedule.factor(epoch - 1 + (double) batch / Math.max(batches, 1)));
                    Tensor output = model.forward(b.features());
                    Tensor l = loss.apply(output, b.labels());
                    double value = l.item();
                    // Checked before backward and step, so that the weights stay those of the last good step.
                    if (Double.isNaN(value) || Double.isInfinite(value)) {
                        throw new TrainingDivergedException("training diverged: the loss is " + value + " at epoch " + epoch
                                + ", batch " + (batch + 1) + "; lower the learning rate, or find the op that produced it with "
                                + "anomaly detection (-Dperceptron.anomaly=true; for bin/perceptron, "
                                + "PERCEPTRON_JAVA_OPTS=-Dperceptron.anomaly=true)");
                    }
                    optimizer.zeroGrad();
                    l.backward();
                    for (Callback c : callbacks) {
                        c.afterBackward(model, epoch, step);
                    }
                    if (clipNorm != Double.POSITIVE_INFINITY) {
                        GradClip.clipByNorm(optimizer.parameters(), clipNorm);
                    }
                    optimizer.step();
                    step++;
                    lossSum += value * b.size();
                    batchLoss = value;
                    if (classification) {
                        correct += Metrics.countCorrect(output, b.labels());
                    }
                    seen += b.size();
                }
                batch++;
                progress.update(epoch, batch, batches, seen, lossSum / Math.max(seen, 1));
                for (Callback c : callbacks) {
                    c.afterStep(epoch, batch, batches, batchLoss);
                }
            }
        }
        Evaluation v = validation != null ? evaluate(validation) : Evaluation.NONE;
        Evaluation t = test != null ? evaluate(test) : Evaluation.NONE;
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochMetrics(epoch, lossSum / Math.max(seen, 1),
                classification ? (double) correct / Math.max(seen, 1) : Double.NaN, v.loss(), v.accuracy(), t.loss(),
                t.accuracy(), seconds);
    }

    /**
     * The mean loss and the accuracy (NaN unless classification) of a model on a set of examples.
     *
     * @param loss     the mean of the loss over the examples (each batch's mean loss weighted by its size)
     * @param accuracy the fraction of examples whose argmax output is the label
     */
    public record Evaluation(double loss, double accuracy) {
        static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN);
    }

    /** The mean loss and accuracy of the model on every example of {@code data}, in eval mode, without a graph. */
    public Evaluation evaluate(DataLoader data) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        try (Autograd.Scope g = Autograd.noGrad()) {
            try (DataLoader.Epoch batches = data.epoch(0)) {
                for (Batch b : batches) {
                    try (Workspace.Scope s = workspace.enter()) {
                        Tensor output = model.forward(b.features());
                        lossSum += loss.apply(output, b.labels()).item() * b.size();
                        if (classification) {
                            correct += Metrics.countCorrect(output, b.labels());
                        }
                        seen += b.size();
                    }
                }
            }
        } finally {
            model.train(wasTraining);
        }
        return new Evaluation(lossSum / Math.max(seen, 1),
                classification ? (double) correct / Math.max(seen, 1) : Double.NaN);
    }

    /** Accuracy of the model on every example of {@code data}, in eval mode (NaN for a regression trainer). */
    public double accuracy(DataLoader data) {
        return evaluate(data).accuracy();
    }
}
