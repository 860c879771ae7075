package perceptron.autograd;

import perceptron.internal.tensor.TensorInternals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import perceptron.tensor.Shape;
import perceptron.tensor.Tensor;

/**
 * The backward pass: order the graph topologically, then walk it once from the outputs to the leaves, summing
 * the gradients that reach each node before calling its {@link Backward}.
 */
final class Engine {
    private Engine() {
    }

    /**
     * Runs backward from {@code roots}. With {@code targets == null}, gradients accumulate into every leaf's
     * {@code grad()}; otherwise they are returned for exactly the targets, and no {@code grad()} is touched.
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                        Tensor[] targets, boolean allowUnused) {
        if (rootGrads != null && rootGrads.length != roots.length) {
            throw new IllegalArgumentException("backward: " + roots.length + " outputs but " + rootGrads.length
                    + " gradients; pass one gradient per output (null for a scalar output)");
        }
        Tensor[] grads = new Tensor[roots.length];
        for (int i = 0; i < roots.length; i++) {
            Tensor r = roots[i];
            if (!r.isRequiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not "
                        + "have a gradFn: call requiresGrad() on the inputs you want gradients for before "
                        + "computing " + (roots.length == 1 ? "this tensor" : "these tensors")
                        + (GradMode.isEnabled() ? "" : " (it was computed inside a noGrad scope)"));
            }
            Tensor g = rootGrads == null ? null : rootGrads[i];
            if (g == null) {
                if (r.size() != 1) {
                    throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs: "
                            + "this tensor has shape " + Shape.toString(r.shape())
                            + "; pass a gradient of that shape, e.g. backward(Tensor.onesLike(y))");
                }
                g = Tensor.onesLike(r);
            } else if (!Arrays.equals(g.shape(), r.shape())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + i + "] has a shape of "
                        + Shape.toString(g.shape()) + " and output[" + i + "] has a shape of "
                        + Shape.toString(r.shape()));
            } else if (g.dtype() != r.dtype()) {
                g = g.toType(r.dtype());
            }
            grads[i] = g;
        }

        IdentityHashMap<Object, Integer> targetIndex = null;
        Tensor[] captured = null;
        int[] sameAs = null;
        if (targets != null) {
            sameAs = new int[targets.length];
            targetIndex = new IdentityHashMap<>();
            captured = new Tensor[targets.length];
            for (int i = 0; i < targets.length; i++) {
                Tensor t = targets[i];
                if (!t.isRequiresGrad()) {
                    throw new IllegalArgumentException("Autograd.grad: input " + i + " (shape "
                            + Shape.toString(t.shape()) + ") does not require grad");
                }
                // The same input listed twice gets the same gradient twice, as in PyTorch.
                Integer first = targetIndex.putIfAbsent(TensorInternals.gradNode(t) != null ? TensorInternals.gradNode(t) : t, i);
                sameAs[i] = first == null ? i : first;
            }
        }

        List<Node> order = topologicalOrder(roots, targetIndex);
        boolean previous = GradMode.set(createGraph);
        try {
            for (int i = 0; i < roots.length; i++) {
                Node n = TensorInternals.gradNode(roots[i]);
                if (n == null) {
                    deliverToLeaf(roots[i], grads[i], createGraph, targetIndex, captured);
                } else {
                    n.pendingGrad = accumulate(n.pendingGrad, grads[i]);
                }
            }
            for (Node node : order) {
                Tensor g = node.pendingGrad;
                node.pendingGrad = null;
                if (g == null) {
                    continue;
                }
                if (node.retainsGradOf != null && targets == null) {
                    accumulateIntoGrad(node.retainsGradOf, g, createGraph);
                }
                if (targetIndex != null) {
                    Integer ti = targetIndex.get(node);
                    if (ti != null) {
                        captured[ti] = accumulate(captured[ti], g);
                    }
                }
                // A target's own derivative runs only if something further down is wanted too (PyTorch): the
                // gradient with respect to a tensor is what arrives at its node, not what leaves it.
                if (!node.needed) {
                    continue;
                }
                Tensor[] inputGrads = node.backward.apply(node, g);
                if (!retainGraph) {
                    node.release();
                }
                for (int k = 0; k < node.nextNodes.length; k++) {
                    Tensor gk = k < inputGrads.length ? inputGrads[k] : null;
                    if (gk == null || !node.needsInputGrad(k)) {
                        continue;
                    }
                    if (gk.dtype() != node.inputTypes[k]) {
                        // Ops record their (promoted) inputs; this keeps a gradient in its input's dtype anyway.
                        gk = gk.toType(node.inputTypes[k]);
                    }
                    check(node, k, gk);
                    if (node.nextNodes[k] != null) {
                        Node next = node.nextNodes[k];
                        if (next.needed || (targetIndex != null && targetIndex.containsKey(next))) {
                            next.pendingGrad = accumulate(next.pendingGrad, gk);
                        }
                    } else {
                        deliverToLeaf(node.nextLeaves[k], gk, createGraph, targetIndex, captured);
                    }
                }
            }
        } finally {
            GradMode.set(previous);
            for (Node node : order) {
                node.pendingGrad = null;
                node.visited = false;
                node.needed = false;
            }
        }
        if (captured != null) {
            for (int i = 0; i < captured.length; i++) {
                captured[i] = captured[sameAs[i]];
            }
        }
        if (captured != null && !allowUnused) {
            for (int i = 0; i < captured.length; i++) {
                if (captured[i] == null) {
                    throw new IllegalArgumentException("One of the differentiated Tensors (input " + i + ", shape "
                            + Shape.toString(targets[i].shape()) + ") appears to not have been used in the graph. "
                            + "Set allowUnused=true if this is the desired behavior.");
                }
            }
        }
        return captured;
    }

    /** Reverse post-order of a depth-first walk from the roots: every node comes before the nodes it feeds. */
    private static List<Node> topologicalOrder(Tensor[] roots, Map<Object, Integer> targets) {
        List<Node> postOrder = new ArrayList<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        ArrayDeque<Integer> position = new ArrayDeque<>();
        for (Tensor r : roots) {
            Node root = TensorInternals.gradNode(r);
            if (root == null || root.visited) {
                continue;
            }
            root.visited = true;
            stack.push(root);
            position.push(0);
            while (!stack.isEmpty()) {
                Node top = stack.peek();
                int k = position.pop();
                if (k < top.nextNodes.length) {
                    position.push(k + 1);
                    Node next = top.nextNodes[k];
                    if (next != null && !next.visited) {
                        next.visited = true;
                        stack.push(next);
                        position.push(0);
                    }
                } else {
                    stack.pop();
                    // A node's backward is needed if a gradient it produces reaches something we want: a leaf,
                    // or a target node further down (a target itself is captured, not differentiated through).
                    boolean needed = targets == null;
                    for (int i = 0; i < top.nextNodes.length && !needed; i++) {
                        Node next = top.nextNodes[i];
                        needed = (next != null && (next.needed || targets.containsKey(next)))
                                || (top.nextLeaves[i] != null && targets.containsKey(top.nextLeaves[i]));
                    }
                    top.needed = needed;
                    postOrder.add(top);
                }
            }
        }
        List<Node> order = new ArrayList<>(postOrder.size());
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            order.add(postOrder.get(i));
        }
        return order;
    }

    private static void deliverToLeaf(Tensor leaf, Tensor g, boolean createGraph, Map<Object, Integer> targets,
                                      Tensor[] captured) {
        if (targets != null) {
            Integer ti = targets.get(leaf);
            if (ti != null) {
                captured[ti] = accumulate(captured[ti], g);
            }
            return;
        }
        accumulateIntoGrad(leaf, g, createGraph);
    }

    /**
     * PyTorch's AccumulateGrad: the first gradient is copied into fresh memory the leaf owns; later ones are
     * added in place, or out of place when the graph of the gradient itself is being recorded.
     */
    private static void accumulateIntoGrad(Tensor leaf, Tensor g, boolean createGraph) {
        Tensor existing = leaf.grad();
        if (g.dtype() != leaf.dtype()) {
            g = g.toType(leaf.dtype());
        }
        if (existing == null) {
            leaf.setGrad(createGraph && g.isRequiresGrad() ? ownedCopy(g) : g.detach().copyToHeap());
        } else if (createGraph || existing.isRequiresGrad()) {
            leaf.setGrad(ownedCopy(existing.add(g)));
        } else {
            existing.addInPlace(g);
        }
    }

    /**
     * A differentiable copy of g in memory the leaf owns: never the caller's gradient tensor itself (zeroGrad would
     * zero it), never a broadcast view (in-place accumulation into it would be refused), never Workspace memory
     * (recycled when the step ends). PyTorch clones here too.
     */
    private static Tensor ownedCopy(Tensor g) {
        Tensor copy = g.detach().copyToHeap();
        if (!g.isRequiresGrad()) {
            return copy;
        }
        return Autograd.record("CloneBackward", copy, new Tensor[] {g}, (n, gg) -> new Tensor[] {gg});
    }

    private static Tensor accumulate(Tensor sum, Tensor g) {
        return sum == null ? g : sum.add(g);
    }

    private static void check(Node node, int k, Tensor gk) {
        if (!Arrays.equals(gk.shape(), node.inputShapes[k])) {
            throw new IllegalStateException("Function " + node.name + " returned an invalid gradient at index " + k
                    + " - got " + Shape.toString(gk.shape()) + " but expected shape compatible with "
                    + Shape.toString(node.inputShapes[k]));
        }
        if (Anomaly.isEnabled() && gk.hasNonFinite()) {
            StackTraceElement where = Anomaly.userFrame(node.createdAt);
            throw new IllegalStateException("Function '" + node.name + "' returned nan or infinite values in its "
                    + k + "th output (gradient of shape " + Shape.toString(gk.shape()) + "). The forward op was "
                    + "created at " + (where == null ? "(unknown: anomaly detection was off when it was created)"
                    : where));
        }
    }
}
