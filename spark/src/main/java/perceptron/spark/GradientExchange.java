package perceptron.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.rpc.IsolatedThreadSafeRpcEndpoint;
import org.apache.spark.rpc.RpcCallContext;
import org.apache.spark.rpc.RpcEndpointRef;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.RpcTimeout;
import org.apache.spark.util.RpcUtils;
import perceptron.kernels.Parallel;
import scala.PartialFunction;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.Duration;
import scala.concurrent.duration.FiniteDuration;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractPartialFunction;
import scala.runtime.BoxedUnit;

/**
 * The in-stage exchange: training runs as one barrier stage of P tasks (all running at once) that lasts from the
 * epoch it starts in to the last epoch, and at every step each task sends its {@link Contribution} to this
 * endpoint on the driver over Spark's own RPC (the Netty transport Spark's scheduler uses; in local mode a call
 * within the JVM, without serialisation). When the P contributions of the step have arrived, the endpoint makes
 * the step on the {@link TrainingState} and answers every task with the new weights. A step thus costs one round
 * trip instead of a Spark job (scheduling, a broadcast, task serialisation): docs/spark.md has the measurements.
 *
 * <p>At the end of an epoch each task scores its validation rows with the epoch's final weights and sends the sums
 * ({@link EpochDone}). When all P have, the driver's thread takes the epoch's end ({@link #awaitEpochEnd}: the
 * listener, early stopping) and {@linkplain #decide decides} whether the tasks go on to the next epoch or stop. So
 * the stage is scheduled once for the whole run, not once per epoch (Spark spends about 0.15 s starting and ending
 * a stage even in local mode), and validation needs no job of its own.
 *
 * <p>This is how Spark's barrier {@code allGather} works too (a driver-side coordinator endpoint), without its
 * one-second polling and with the summing and the optimiser step done where the messages meet. The RPC classes
 * are Spark's internal API ({@code private[spark]} in Scala, public in the bytecode), so this class is the one
 * place that depends on them.
 *
 * <p>Faults: when an executor dies, Spark fails the barrier stage and runs it again (a new stage attempt). The
 * new attempt's tasks {@linkplain Join join} at the epoch and step the endpoint has reached, with the weights of
 * that step; messages of the older attempt are refused. Steps already made are never made again, and each step
 * is a pure function of the weights and the seeds, so the result equals an uninterrupted run. An epoch's end is
 * likewise taken once: a task that reports an epoch already decided gets the decision at once.
 *
 * <p>Replies are JDK types only (Object[], float[][], Boolean), because an executor's RPC layer deserialises them
 * with Spark's class loader, which need not see the application's jar.
 */
final class GradientExchange implements IsolatedThreadSafeRpcEndpoint {
    /** How often a task waiting for the other partitions checks whether Spark has killed it. */
    private static final FiniteDuration POLL = Duration.create(50, TimeUnit.MILLISECONDS);
    /** A task waits for its partners as long as the stage lives; Spark kills it when the stage fails. */
    private static final RpcTimeout FOREVER =
            new RpcTimeout(Duration.create(7, TimeUnit.DAYS), "perceptron.exchange.timeout");

    /**
     * A task of stage attempt {@code attempt} starts; the reply is {epoch (Integer), step (Long), weights
     * (float[][])}: where training is, and the weights there.
     */
    record Join(int attempt, int partition) implements Serializable {
    }

    /** A task's contribution to the current step; the reply is the weights after the step (float[][]). */
    record Contribute(int epoch, int attempt, Contribution contribution) implements Serializable {
    }

    /**
     * A task has made every step of {@code epoch}; the summed validation loss and the number of validation rows
     * classified correctly, with the epoch's final weights, over the partition's validation rows (0 without
     * them). The reply (Boolean) says whether training goes on to the next epoch.
     */
    record EpochDone(int epoch, int attempt, int partition, double validationLoss, long validationCorrect)
            implements Serializable {
    }

    /** What every task of the stage needs: the endpoint's name, the data plan and the number of steps per epoch. */
    record StagePlan(String endpoint, NetworkConfig config, int[] trainCounts, long stepsPerEpoch)
            implements Serializable {
    }

    /** An epoch whose P tasks have all reported: its validation sums, in partition order. */
    record EpochEnd(int epoch, double validationLoss, long validationCorrect) {
    }

    private final RpcEnv rpcEnv;
    private final TrainingState state;
    private final Contribution[] pending;
    private final RpcCallContext[] waiting;
    /** The EpochDone messages of the epoch being ended, and their senders, by partition. Guarded by the state. */
    private final EpochDone[] done;
    private final RpcCallContext[] doneWaiting;
    /** Epochs decided by the driver: whether training went on after them. Guarded by the state's lock. */
    private final Map<Integer, Boolean> decisions = new HashMap<>();
    /** Epochs ended by all P tasks, for the driver's thread ({@link #awaitEpochEnd}). */
    private final BlockingQueue<EpochEnd> ends = new LinkedBlockingQueue<>();
    /** The last epoch handed to the driver's thread (each is handed over once). Guarded by the state's lock. */
    private int handedOver;
    /** EpochDone messages accepted so far: progress, for the driver's stall detection. */
    private volatile long epochReports;
    private int attempt = -1;
    /** Set by the driver when it gives up on the stage; guarded by the state's lock. */
    private boolean retired;
    /** What went wrong making a step on the driver (our bug): the driver rethrows it, with its stack trace. */
    private volatile RuntimeException failure;

    GradientExchange(RpcEnv rpcEnv, TrainingState state) {
        this.rpcEnv = rpcEnv;
        this.state = state;
        this.pending = new Contribution[state.partitions];
        this.waiting = new RpcCallContext[state.partitions];
        this.done = new EpochDone[state.partitions];
        this.doneWaiting = new RpcCallContext[state.partitions];
    }

    @Override
    public RpcEnv rpcEnv() {
        return rpcEnv;
    }

    @Override
    public PartialFunction<Object, BoxedUnit> receiveAndReply(RpcCallContext context) {
        return new AbstractPartialFunction<>() {
            @Override
            public boolean isDefinedAt(Object message) {
                return message instanceof Join || message instanceof Contribute || message instanceof EpochDone;
            }

            @Override
            public BoxedUnit apply(Object message) {
                if (message instanceof Join join) {
                    join(join, context);
                } else if (message instanceof Contribute contribute) {
                    contribute(contribute, context);
                } else {
                    epochDone((EpochDone) message, context);
                }
                return BoxedUnit.UNIT;
            }
        };
    }

    /**
     * Refuses every later message and every step not yet made: the driver gave up on this stage (it cancelled
     * the job) and makes the rest of the epoch itself. Atomic with respect to a step being made.
     */
    void retire() {
        synchronized (state) {
            retired = true;
        }
    }

    /** Tells the tasks still waiting to stop (Spark calls it on the endpoint's thread after rpcEnv.stop). */
    @Override
    public void onStop() {
        dropPending("the exchange was stopped");
    }

    private void join(Join join, RpcCallContext context) {
        if (!current(join.attempt(), context)) {
            return;
        }
        synchronized (state) {       // the position and its weights together
            context.reply(new Object[] {state.epoch(), state.step(), state.weights()});
        }
    }

    private void contribute(Contribute message, RpcCallContext context) {
        Contribution c = message.contribution();
        if (!current(message.attempt(), context)) {
            return;
        }
        if (message.epoch() != state.epoch()) {
            context.sendFailure(new IllegalStateException("partition " + c.partition() + " sent a step of epoch "
                    + message.epoch() + " while the exchange is at epoch " + state.epoch()));
            return;
        }
        int p = c.partition();
        if (c.step() != state.step() || pending[p] != null) {
            context.sendFailure(new IllegalStateException("partition " + p + " sent step " + c.step()
                    + (pending[p] != null ? " twice" : " while the exchange is at step " + state.step())));
            return;
        }
        pending[p] = c;
        waiting[p] = context;
        for (Contribution other : pending) {
            if (other == null) {
                return;
            }
        }
        RpcCallContext[] replyTo = waiting.clone();
        Arrays.fill(waiting, null);
        Contribution[] step = pending.clone();
        Arrays.fill(pending, null);
        float[][] weights;
        synchronized (state) {
            if (retired) {
                for (RpcCallContext r : replyTo) {
                    r.sendFailure(new IllegalStateException("the driver gave up on this stage"));
                }
                return;
            }
            try {
                state.apply(step);
            } catch (RuntimeException e) {
                // Kept for the driver, which rethrows it; the tasks get a message only (a JDK type: an executor
                // may not be able to deserialise e's class), and the exchange takes no further step.
                failure = e;
                retired = true;
                for (RpcCallContext r : replyTo) {
                    r.sendFailure(new IllegalStateException("the step failed on the driver: " + e));
                }
                return;
            }
            weights = state.weights();
        }
        for (RpcCallContext r : replyTo) {
            r.reply(weights);
        }
    }

    private void epochDone(EpochDone message, RpcCallContext context) {
        if (!current(message.attempt(), context)) {
            return;
        }
        int p = message.partition();
        int epoch = message.epoch();
        synchronized (state) {
            Boolean decided = decisions.get(epoch);
            if (decided != null) {              // a retried stage attempt's task, after the driver decided
                context.reply(decided);
                return;
            }
            if (doneWaiting[p] != null) {
                context.sendFailure(new IllegalStateException("partition " + p + " ended epoch " + epoch + " twice"));
                return;
            }
            epochReports++;
            if (epoch == handedOver) {
                // A retried attempt's task, while the driver ends the epoch (it may already have begun the next
                // one on the state): the driver's decision will answer it.
                done[p] = message;
                doneWaiting[p] = context;
                return;
            }
            if (epoch != state.epoch() || state.step() != state.stepsPerEpoch) {
                context.sendFailure(new IllegalStateException("partition " + p + " ended epoch " + epoch
                        + " while the exchange is at epoch " + state.epoch() + ", step " + state.step()));
                return;
            }
            done[p] = message;
            doneWaiting[p] = context;
            double loss = 0;
            long correct = 0;
            for (EpochDone d : done) {             // in partition order
                if (d == null) {
                    return;
                }
                loss += d.validationLoss();
                correct += d.validationCorrect();
            }
            handedOver = epoch;
            ends.add(new EpochEnd(epoch, loss, correct));
        }
    }

    /**
     * Waits up to {@code millis} for the tasks to end an epoch (all P have reported it); null if none has. The
     * driver's thread then takes the epoch's end and calls {@link #decide}; the tasks wait for it.
     */
    EpochEnd awaitEpochEnd(long millis) throws InterruptedException {
        return ends.poll(millis, TimeUnit.MILLISECONDS);
    }

    /**
     * The driver's decision on {@code epoch}, which the tasks are waiting for: go on to the next epoch (the
     * driver has begun it on the state) or stop. Answers every task that reported the epoch, now or later.
     */
    void decide(int epoch, boolean goOn) {
        RpcCallContext[] replyTo = new RpcCallContext[doneWaiting.length];
        synchronized (state) {
            decisions.put(epoch, goOn);
            for (int p = 0; p < done.length; p++) {
                if (done[p] != null && done[p].epoch() == epoch) {
                    replyTo[p] = doneWaiting[p];
                    doneWaiting[p] = null;
                    done[p] = null;
                }
            }
        }
        for (RpcCallContext r : replyTo) {
            if (r != null) {
                r.reply(goOn);
            }
        }
    }

    /** How many epoch-end reports the exchange has accepted. */
    long epochReports() {
        return epochReports;
    }

    /** The exception that stopped the exchange on the driver, or null. */
    RuntimeException failure() {
        return failure;
    }

    /**
     * Whether a message belongs to the running stage attempt. A newer attempt (the stage was retried) supersedes
     * the older one: its half-gathered step and epoch end are dropped and its waiting tasks are told to stop.
     */
    private boolean current(int messageAttempt, RpcCallContext context) {
        boolean gaveUp;
        synchronized (state) {
            gaveUp = retired;
        }
        if (gaveUp || messageAttempt < attempt) {
            context.sendFailure(new IllegalStateException("stale message of stage attempt " + messageAttempt
                    + " (the exchange is at attempt " + attempt + (gaveUp ? ", and the driver gave up on it)" : ")")));
            return false;
        }
        if (messageAttempt > attempt) {
            attempt = messageAttempt;
            dropPending("superseded by stage attempt " + messageAttempt);
        }
        return true;
    }

    private void dropPending(String why) {
        for (int p = 0; p < waiting.length; p++) {
            if (waiting[p] != null) {
                waiting[p].sendFailure(new IllegalStateException(why));
            }
            waiting[p] = null;
            pending[p] = null;
        }
        synchronized (state) {
            for (int p = 0; p < doneWaiting.length; p++) {
                if (doneWaiting[p] != null) {
                    doneWaiting[p].sendFailure(new IllegalStateException(why));
                }
                doneWaiting[p] = null;
                done[p] = null;
            }
        }
    }

    // ---- the executor's side -----------------------------------------------------------------------------------

    /**
     * The body of one task of the training stage: every step of every epoch for this partition, from where the
     * exchange is to the epoch after which the driver says stop.
     */
    static void runEpochs(Block block, StagePlan plan) {
        TaskContext task = TaskContext.get();
        int partition = task.partitionId();
        int attempt = task.stageAttemptNumber();
        SparkEnv env = SparkEnv.get();
        RpcEndpointRef driver = RpcUtils.makeDriverRef(plan.endpoint(), env.conf(), env.rpcEnv());
        // A task owns spark.task.cpus cores; perceptron's kernels must not use the other tasks' cores.
        try (Parallel.Limit cores = Parallel.limitThreads(Math.max(1, task.cpus()))) {
            Object[] position = ask(driver, new Join(attempt, partition), Object[].class, task);
            int epoch = (Integer) position[0];
            long step = (Long) position[1];
            float[][] weights = (float[][]) position[2];
            while (true) {
                PartitionReplica replica = new PartitionReplica(block, plan.config(), plan.trainCounts(), epoch,
                        partition);
                for (; step < plan.stepsPerEpoch(); step++) {
                    Contribution c = replica.step(step, weights);
                    weights = ask(driver, new Contribute(epoch, attempt, c), float[][].class, task);
                }
                double[] validation = DataParallelTrainer.validate(block, plan.config(), weights);
                boolean goOn = ask(driver, new EpochDone(epoch, attempt, partition, validation[0],
                        (long) validation[1]), Boolean.class, task);
                if (!goOn) {
                    return;
                }
                epoch++;
                step = 0;
            }
        }
    }

    /** Asks the driver and waits for the reply, checking every 50 ms whether Spark has killed this task. */
    static <T> T ask(RpcEndpointRef driver, Object message, Class<T> type, TaskContext task) {
        ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
        Future<T> reply = driver.ask(message, FOREVER, tag);
        while (true) {
            try {
                return Await.result(reply, POLL);
            } catch (TimeoutException e) {
                task.killTaskIfInterrupted();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                task.killTaskIfInterrupted();
                throw new IllegalStateException("interrupted while waiting for the other partitions", e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
