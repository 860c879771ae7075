package perceptron.spark;

import java.io.Serializable;

/**
 * One partition's share of the training data, packed once and cached: the training rows and the validation
 * rows, each as a row-major float matrix [n, features] and a label vector [n]. Rows are in the order of their
 * global index in the input, so that a recomputed partition (after a lost executor) is the same bytes.
 */
final class Block implements Serializable {
    private static final long serialVersionUID = 1L;

    final int features;
    final float[] x;
    final float[] y;
    final int n;
    final float[] validationX;
    final float[] validationY;
    final int validationN;

    Block(int features, float[] x, float[] y, float[] validationX, float[] validationY) {
        this.features = features;
        this.x = x;
        this.y = y;
        this.n = y.length;
        this.validationX = validationX;
        this.validationY = validationY;
        this.validationN = validationY.length;
    }
}
