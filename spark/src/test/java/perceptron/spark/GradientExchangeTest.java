package perceptron.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcCallContext;
import org.junit.jupiter.api.Test;
import perceptron.train.ModelSpec;
import perceptron.train.TrainingSettings;

/**
 * The exchange's protocol, driven directly (no Spark): steps are made from contributions in partition order
 * whatever their arrival order, a newer stage attempt supersedes an older one, and nothing is applied twice.
 */
class GradientExchangeTest {
    /** 2 inputs -> 1 output: 3 parameters (weight [1, 2], bias [1]). SGD with learning rate 0.5. */
    static TrainingState state(int partitions) {
        TrainingSettings sgd = new TrainingSettings(TrainingSettings.OptimizerType.SGD, 0.5, 0, 0, 4, 1,
                perceptron.nn.init.Initializer.NORMAL, 1, TrainingSettings.ScheduleType.CONSTANT, 0);
        ModelSpec spec = new ModelSpec(new int[] {2}, new int[0], "relu", new double[0], false, 1);
        TrainingState state = new TrainingState(sgd, sgd.buildModel(spec), partitions, 10);
        state.beginEpoch(1);
        return state;
    }

    /** A call context that records the reply or the failure. */
    static final class Call implements RpcCallContext {
        Object reply;
        Throwable failure;

        @Override
        public void reply(Object response) {
            reply = response;
        }

        @Override
        public void sendFailure(Throwable e) {
            failure = e;
        }

        @Override
        public RpcAddress senderAddress() {
            return null;
        }
    }

    static Call send(GradientExchange exchange, Object message) {
        Call call = new Call();
        exchange.receiveAndReply(call).apply(message);
        return call;
    }

    /** A contribution to epoch 1 of the gradient {weight[0], weight[1], bias}. */
    static GradientExchange.Contribute contribute(int attempt, int partition, long step, float... gradient) {
        return contribute(1, attempt, partition, step, gradient);
    }

    static GradientExchange.Contribute contribute(int epoch, int attempt, int partition, long step,
                                                  float... gradient) {
        float[][] perParameter = {{gradient[0], gradient[1]}, {gradient[2]}};
        return new GradientExchange.Contribute(epoch, attempt, new Contribution(partition, step, perParameter, 1.0,
                1, 2));
    }

    /** The weights {weight[0], weight[1], bias} of a reply. */
    static float[] flat(Object weights) {
        float[][] w = (float[][]) weights;
        return new float[] {w[0][0], w[0][1], w[1][0]};
    }

    @Test
    void aStepIsMadeWhenAllPartitionsHaveContributedAndSumsInPartitionOrder() {
        TrainingState state = state(2);
        float[] before = flat(state.weights());
        GradientExchange exchange = new GradientExchange(null, state);
        Object[] joined = (Object[]) send(exchange, new GradientExchange.Join(0, 1)).reply;
        assertEquals(1, joined[0]);
        assertEquals(0L, joined[1]);
        assertArrayEquals(before, flat(joined[2]));

        Call second = send(exchange, contribute(0, 1, 0, 0.3f, 1e8f, 2f));     // partition 1 arrives first
        assertNull(second.reply, "no reply before every partition has contributed");
        assertEquals(0, state.step());
        Call first = send(exchange, contribute(0, 0, 0, 0.1f, -1e8f, 1f));
        assertEquals(1, state.step());
        float[] after = flat(first.reply);
        assertArrayEquals(after, flat(second.reply));
        // mean over the 4 rows of the step, summed as partition 0 + partition 1, then one SGD step of 0.5
        float[] g0 = {0.1f, -1e8f, 1f};
        float[] g1 = {0.3f, 1e8f, 2f};
        for (int i = 0; i < 3; i++) {
            float mean = (0f + g0[i] + g1[i]) / 4f;
            assertEquals(before[i] - 0.5f * mean, after[i], 0f, "parameter " + i);
        }
        assertEquals(2.0, state.lossSum());
    }

    @Test
    void aNewerStageAttemptDropsTheOlderOnesHalfGatheredStepAndRefusesItsMessages() {
        TrainingState state = state(2);
        GradientExchange exchange = new GradientExchange(null, state);
        Call waiting = send(exchange, contribute(0, 0, 0, 1f, 1f, 1f));
        // the stage was retried (an executor died): the new attempt joins at the step reached
        Object[] joined = (Object[]) send(exchange, new GradientExchange.Join(1, 1)).reply;
        assertEquals(0L, joined[1]);
        assertNotNull(waiting.failure, "the older attempt's waiting task is told to stop");
        assertNotNull(send(exchange, contribute(0, 1, 0, 1f, 1f, 1f)).failure, "older attempt refused");
        assertEquals(0, state.step());
        send(exchange, contribute(1, 0, 0, 1f, 1f, 1f));
        Call last = send(exchange, contribute(1, 1, 0, 1f, 1f, 1f));
        assertNotNull(last.reply);
        assertEquals(1, state.step(), "the step is made once, by the new attempt");
    }

    @Test
    void aContributionForAnotherStepOrATwiceSentOneIsRefused() {
        TrainingState state = state(2);
        GradientExchange exchange = new GradientExchange(null, state);
        assertNotNull(send(exchange, contribute(0, 0, 3, 1f, 1f, 1f)).failure);
        assertNull(send(exchange, contribute(0, 0, 0, 1f, 1f, 1f)).failure);
        assertNotNull(send(exchange, contribute(0, 0, 0, 1f, 1f, 1f)).failure);
        assertNotNull(send(exchange, new GradientExchange.Contribute(2, 0, new Contribution(1, 0,
                new float[][] {{1f, 1f}, {1f}}, 1.0, 1, 2))).failure, "another epoch's step");
    }

    /** Makes every step of epoch 1 of a 2-partition state whose epochs have {@code steps} steps. */
    static void finishEpoch(GradientExchange exchange, TrainingState state) {
        for (long s = state.step(); s < state.stepsPerEpoch; s++) {
            send(exchange, contribute(0, 0, s, 1f, 1f, 1f));
            send(exchange, contribute(0, 1, s, 1f, 1f, 1f));
        }
    }

    @Test
    void anEpochEndsOnceWhenEveryPartitionHasReportedAndTheTasksWaitForTheDriversDecision() throws Exception {
        TrainingState state = state(2);
        GradientExchange exchange = new GradientExchange(null, state);
        assertNotNull(send(exchange, new GradientExchange.EpochDone(1, 0, 0, 1, 1)).failure,
                "an epoch cannot end before its last step");
        finishEpoch(exchange, state);
        Call second = send(exchange, new GradientExchange.EpochDone(1, 0, 1, 0.25, 3));
        assertNull(exchange.awaitEpochEnd(0), "not before every partition has reported");
        Call first = send(exchange, new GradientExchange.EpochDone(1, 0, 0, 0.5, 4));
        GradientExchange.EpochEnd end = exchange.awaitEpochEnd(0);
        assertEquals(new GradientExchange.EpochEnd(1, 0.5 + 0.25, 7), end, "sums in partition order");
        assertNull(first.reply, "the tasks wait for the driver");
        state.beginEpoch(2);
        exchange.decide(1, true);
        assertEquals(Boolean.TRUE, first.reply);
        assertEquals(Boolean.TRUE, second.reply);
        // a retried stage attempt's task that reports the decided epoch again is answered at once, and the
        // epoch's end is not handed to the driver twice
        Call late = send(exchange, new GradientExchange.EpochDone(1, 1, 0, 9, 9));
        assertEquals(Boolean.TRUE, late.reply);
        assertNull(exchange.awaitEpochEnd(0));
        Object[] joined = (Object[]) send(exchange, new GradientExchange.Join(1, 1)).reply;
        assertEquals(2, joined[0], "a new attempt joins at the next epoch");
        assertEquals(0L, joined[1]);
    }

    @Test
    void aNewAttemptThatReportsAnEpochTheDriverIsStillEndingWaitsForTheSameDecision() throws Exception {
        TrainingState state = state(2);
        GradientExchange exchange = new GradientExchange(null, state);
        finishEpoch(exchange, state);
        Call old = send(exchange, new GradientExchange.EpochDone(1, 0, 0, 1, 1));
        send(exchange, new GradientExchange.EpochDone(1, 0, 1, 1, 1));
        assertNotNull(exchange.awaitEpochEnd(0));
        // the stage is retried while the driver ends epoch 1 (it has already begun epoch 2 on the state): the old
        // attempt's waiting task is told to stop, the new ones wait for the same decision
        state.beginEpoch(2);
        Call retried = send(exchange, new GradientExchange.EpochDone(1, 1, 0, 1, 1));
        assertNotNull(old.failure);
        assertNull(retried.failure);
        send(exchange, new GradientExchange.EpochDone(1, 1, 1, 1, 1));
        assertNull(exchange.awaitEpochEnd(0), "the epoch's end was handed over once");
        exchange.decide(1, false);
        assertEquals(Boolean.FALSE, retried.reply);
    }

    @Test
    void theDecisionOnAnEpochAnswersOnlyTheTasksThatReportedThatEpoch() throws Exception {
        TrainingState state = state(2);
        GradientExchange exchange = new GradientExchange(null, state);
        finishEpoch(exchange, state);
        send(exchange, new GradientExchange.EpochDone(1, 0, 0, 1, 1));
        send(exchange, new GradientExchange.EpochDone(1, 0, 1, 1, 1));
        assertEquals(1, exchange.awaitEpochEnd(0).epoch());
        state.beginEpoch(2);
        // before the driver answers for epoch 1, a retried attempt joins at epoch 2 and makes all of it
        assertEquals(2, ((Object[]) send(exchange, new GradientExchange.Join(1, 0)).reply)[0]);
        for (long s = 0; s < state.stepsPerEpoch; s++) {
            send(exchange, contribute(2, 1, 0, s, 1f, 1f, 1f));
            send(exchange, contribute(2, 1, 1, s, 1f, 1f, 1f));
        }
        Call second0 = send(exchange, new GradientExchange.EpochDone(2, 1, 0, 1, 1));
        Call second1 = send(exchange, new GradientExchange.EpochDone(2, 1, 1, 1, 1));
        exchange.decide(1, true);
        assertNull(second0.reply, "epoch 1's decision is not epoch 2's");
        assertNull(second1.reply);
        assertEquals(2, exchange.awaitEpochEnd(0).epoch());
        exchange.decide(2, false);
        assertEquals(Boolean.FALSE, second0.reply);
        assertEquals(Boolean.FALSE, second1.reply);
    }

    @Test
    void afterTheDriverRetiresTheExchangeNoStepIsMade() {
        TrainingState state = state(2);
        GradientExchange exchange = new GradientExchange(null, state);
        Call waiting = send(exchange, contribute(0, 0, 0, 1f, 1f, 1f));
        exchange.retire();
        Call last = send(exchange, contribute(0, 1, 0, 1f, 1f, 1f));
        assertNotNull(last.failure);
        assertEquals(0, state.step(), "the driver makes this step itself, with one job");
        assertNull(waiting.reply);
    }
}
