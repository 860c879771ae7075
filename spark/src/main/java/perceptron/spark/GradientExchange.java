package perceptron.spark;

import java.io.Serializable;
import java.util.Arrays;
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
 * The in-stage exchange: a whole epoch runs as one barrier stage of P tasks (all running at once), and at every
 * step each task sends its {@link Contribution} to this endpoint on the driver over Spark's own RPC (the Netty
 * transport Spark's scheduler uses; in local mode a call within the JVM, without serialisation). When the P
 * contributions of the step have arrived, the endpoint makes the step on the {@link TrainingState} and answers
 * every task with the new weights. A step thus costs one round trip instead of a Spark job (scheduling, a
 * broadcast, task serialisation): docs/spark.md has the measurements.
 *
 * <p>This is how Spark's barrier {@code allGather} works too (a driver-side coordinator endpoint), without its
 * one-second polling and with the summing and the optimiser step done where the messages meet. The RPC classes
 * are Spark's internal API ({@code private[spark]} in Scala, public in the bytecode), so this class is the one
 * place that depends on them.
 *
 * <p>Faults: when an executor dies mid-epoch, Spark fails the barrier stage and runs it again (a new stage
 * attempt). The new attempt's tasks {@linkplain Join join} at the step the endpoint has reached, with the weights
 * of that step; contributions of the older attempt are refused. Steps already made are never made again, and
 * each step is a pure function of the weights and the seeds, so the result equals an uninterrupted run.
 *
 * <p>Replies are JDK types only (float[][], Object[]), because an executor's RPC layer deserialises them with
 * Spark's class loader, which need not see the application's jar.
 */
final class GradientExchange implements IsolatedThreadSafeRpcEndpoint {
    /** How often a task waiting for the other partitions checks whether Spark has killed it. */
    private static final FiniteDuration POLL = Duration.create(50, TimeUnit.MILLISECONDS);
    /** A task waits for its partners as long as the stage lives; Spark kills it when the stage fails. */
    private static final RpcTimeout FOREVER =
            new RpcTimeout(Duration.create(7, TimeUnit.DAYS), "perceptron.exchange.timeout");

    /** A task of stage attempt {@code attempt} starts; the reply is {step (Long), weights (float[][])}. */
    record Join(int epoch, int attempt, int partition) implements Serializable {
    }

    /** A task's contribution to the current step; the reply is the weights after the step (float[][]). */
    record Contribute(int epoch, int attempt, Contribution contribution) implements Serializable {
    }

    /** What every task of an epoch's stage needs: the endpoint's name and the data plan. */
    record EpochPlan(String endpoint, NetworkConfig config, int[] trainCounts, int epoch, long stepsPerEpoch)
            implements Serializable {
    }

    private final RpcEnv rpcEnv;
    private final TrainingState state;
    private final Contribution[] pending;
    private final RpcCallContext[] waiting;
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
                return message instanceof Join || message instanceof Contribute;
            }

            @Override
            public BoxedUnit apply(Object message) {
                if (message instanceof Join join) {
                    join(join, context);
                } else {
                    contribute((Contribute) message, context);
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
        if (!current(join.epoch(), join.attempt(), context)) {
            return;
        }
        synchronized (state) {       // the step and its weights together
            context.reply(new Object[] {state.step(), state.weights()});
        }
    }

    private void contribute(Contribute message, RpcCallContext context) {
        Contribution c = message.contribution();
        if (!current(message.epoch(), message.attempt(), context)) {
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

    /** The exception that stopped the exchange on the driver, or null. */
    RuntimeException failure() {
        return failure;
    }

    /**
     * Whether a message belongs to the running stage attempt. A newer attempt (the stage was retried) supersedes
     * the older one: its half-gathered step is dropped and its waiting tasks are told to stop.
     */
    private boolean current(int epoch, int messageAttempt, RpcCallContext context) {
        boolean gaveUp;
        synchronized (state) {
            gaveUp = retired;
        }
        if (gaveUp || epoch != state.epoch() || messageAttempt < attempt) {
            context.sendFailure(new IllegalStateException("stale message of epoch " + epoch + ", stage attempt "
                    + messageAttempt + " (the exchange is at epoch " + state.epoch() + ", attempt " + attempt + ")"));
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
    }

    // ---- the executor's side -----------------------------------------------------------------------------------

    /** The body of one task of an epoch's barrier stage: every step of the epoch for this partition. */
    static void runEpoch(Block block, EpochPlan plan) {
        TaskContext task = TaskContext.get();
        int partition = task.partitionId();
        int attempt = task.stageAttemptNumber();
        SparkEnv env = SparkEnv.get();
        RpcEndpointRef driver = RpcUtils.makeDriverRef(plan.endpoint(), env.conf(), env.rpcEnv());
        // A task owns spark.task.cpus cores; perceptron's kernels must not use the other tasks' cores.
        try (Parallel.Limit cores = Parallel.limitThreads(Math.max(1, task.cpus()))) {
            PartitionReplica replica = new PartitionReplica(block, plan.config(), plan.trainCounts(), plan.epoch(),
                    partition);
            Object[] position = ask(driver, new Join(plan.epoch(), attempt, partition), Object[].class, task);
            long step = (Long) position[0];
            float[][] weights = (float[][]) position[1];
            for (; step < plan.stepsPerEpoch(); step++) {
                Contribution c = replica.step(step, weights);
                weights = ask(driver, new Contribute(plan.epoch(), attempt, c), float[][].class, task);
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
