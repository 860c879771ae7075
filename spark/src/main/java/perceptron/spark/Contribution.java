package perceptron.spark;

import java.io.Serializable;

/**
 * What one partition computed at one step: the gradient of the summed loss over its share of the global
 * minibatch (one array per parameter, in {@code Layer.parameters()} order), the summed loss, the number classified
 * correctly and the number of rows.
 */
record Contribution(int partition, long step, float[][] gradients, double lossSum, long correct, long rows)
        implements Serializable {
}
