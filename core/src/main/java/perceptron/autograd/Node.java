package perceptron.autograd;

import perceptron.internal.tensor.TensorInternals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import perceptron.tensor.DType;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * One op in the backward graph: its name ({@code MulBackward}), where each input's gradient goes, the tensors
 * it saved, and its {@link Backward} formula. Created by {@link Autograd#record}; read by {@code Tensor.graph()}.
 */
public final class Node {
    final String name;
    final Node[] nextNodes;
    final Tensor[] nextLeaves;
    final int[][] inputShapes;
    final DType[] inputTypes;
    final Backward backward;
    final int[] outputShape;
    final DType outputType;
    final StackTraceElement[] createdAt;
    private Tensor[] saved;
    private int[] savedVersions;
    private final List<int[]> savedShapes;
    private boolean released;
    Tensor retainsGradOf;

    // Scratch for one backward pass (the engine is single-threaded per graph).
    Tensor pendingGrad;
    boolean visited;
    boolean needed;

    Node(String name, Tensor[] inputs, Tensor[] saved, Backward backward, Tensor output) {
        this.name = name;
        int n = inputs.length;
        this.nextNodes = new Node[n];
        this.nextLeaves = new Tensor[n];
        this.inputShapes = new int[n][];
        this.inputTypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Tensor in = inputs[i];
            if (in == null) {
                continue;
            }
            inputShapes[i] = in.shape();
            inputTypes[i] = in.dtype();
            if (in.isRequiresGrad()) {
                if (TensorInternals.gradNode(in) != null) {
                    nextNodes[i] = TensorInternals.gradNode(in);
                } else {
                    nextLeaves[i] = in;
                }
            }
        }
        this.backward = backward;
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        List<int[]> shapes = new ArrayList<>(saved.length);
        for (int i = 0; i < saved.length; i++) {
            savedVersions[i] = saved[i].version();
            shapes.add(saved[i].shape());
        }
        this.savedShapes = Collections.unmodifiableList(shapes);
        this.outputShape = output.shape();
        this.outputType = output.dtype();
        this.createdAt = Anomaly.isEnabled() ? new Throwable().getStackTrace() : null;
    }

    /** The op's backward name, e.g. {@code ReluBackward}. */
    public String name() {
        return name;
    }

    /** True if the gradient with respect to input i is wanted by someone (a leaf or a later node). */
    public boolean needsInputGrad(int i) {
        return nextNodes[i] != null || nextLeaves[i] != null;
    }

    /**
     * A tensor saved in the forward pass. Fails if the graph was freed by a backward pass without
     * {@code retainGraph}, or if the tensor was modified in place since it was saved.
     */
    public Tensor saved(int i) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access "
                    + "saved tensors after they have already been freed). Saved intermediate values of the graph "
                    + "are freed when you call backward() or Autograd.grad(). Specify retainGraph=true if you need "
                    + "to backward through the graph a second time or if you need to access saved tensors after "
                    + "calling backward. (op: " + name + ")");
        }
        Tensor t = saved[i];
        if (t.version() != savedVersions[i]) {
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified "
                    + "by an inplace operation: [" + t.dtype().displayName() + " " + Shape.toString(t.shape())
                    + "] is at version " + t.version() + "; expected version " + savedVersions[i]
                    + " instead. It was saved by " + name + "; use an out-of-place op (add instead of addInPlace) "
                    + "or modify a copy.");
        }
        return t;
    }

    /** Shapes of the tensors saved for backward (still known after they are freed). */
    public List<int[]> savedShapes() {
        return savedShapes;
    }

    /** True once a backward pass without retainGraph has freed the saved tensors. */
    public boolean isReleased() {
        return released;
    }

    public int inputCount() {
        return nextNodes.length;
    }

    /** The node that produced input i, or null if input i is a leaf or does not require grad. */
    public Node inputNode(int i) {
        return nextNodes[i];
    }

    /** Input i if it is a leaf that requires grad (where the gradient accumulates), else null. */
    public Tensor inputLeaf(int i) {
        return nextLeaves[i];
    }

    /** Shape of input i as it was in the forward pass (null for a null input). */
    public int[] inputShape(int i) {
        return inputShapes[i] == null ? null : inputShapes[i].clone();
    }

    public int[] outputShape() {
        return outputShape.clone();
    }

    public DType outputType() {
        return outputType;
    }

    /** The frame of user code that created this op, when anomaly detection was on; else null. */
    public StackTraceElement userFrame() {
        return Anomaly.userFrame(createdAt);
    }

    void release() {
        released = true;
        saved = null;
        savedVersions = null;
    }

    @Override
    public String toString() {
        return name;
    }
}
