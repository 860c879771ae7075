package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertFails;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import perceptron.autograd.Autograd;
import perceptron.ops.Linalg;

/**
 * A user mistake gets a message naming the op and the shapes, and is never an ArrayIndexOutOfBoundsException:
 * the issue's examples exactly, then a fuzz of every shape-taking op with random (often wrong) shapes, axes and
 * indices.
 */
class UserErrorsTest {

    @Test
    void theIssuesExamples() {
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(256, 10).add(Tensor.zeros(256)),
                "add: shapes [256, 10] and [256] cannot be broadcast");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(256, 784).matmul(Tensor.zeros(256, 10)),
                "matmul: [256, 784] @ [256, 10]: inner dimensions 784 and 256 differ");
    }

    @Test
    void messagesNameTheOpAndTheShapes() {
        Tensor a = Tensor.zeros(2, 3);
        assertFails(IllegalArgumentException.class, () -> a.mul(Tensor.zeros(4)), "mul: shapes [2, 3] and [4]");
        assertFails(IllegalArgumentException.class, () -> a.sub(Tensor.zeros(3, 2)), "sub: shapes [2, 3] and [3, 2]");
        assertFails(IllegalArgumentException.class, () -> a.div(Tensor.zeros(2)), "div: shapes [2, 3] and [2]");
        assertFails(IllegalArgumentException.class, () -> a.gt(Tensor.zeros(2)), "gt: shapes [2, 3] and [2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(4), a, a), "where: shapes [4] and [2, 3]");
        assertFails(IllegalArgumentException.class, () -> a.reshape(4, 2),
                "reshape: shape [4, 2] is invalid for input of size 6 (shape [2, 3])");
        assertFails(IllegalArgumentException.class, () -> a.reshape(-1, -1), "reshape: only one dimension can be inferred");
        assertFails(IllegalArgumentException.class, () -> a.sum(2),
                "sum: axis 2 is out of range for a tensor of rank 2 (valid: -2 to 1)");
        assertFails(IllegalArgumentException.class, () -> a.transpose(0, 2), "transpose: axis 2 is out of range");
        assertFails(IllegalArgumentException.class, () -> a.broadcastTo(3, 3),
                "broadcastTo: shape [2, 3] cannot be broadcast to [3, 3]");
        assertFails(IllegalArgumentException.class, () -> Tensor.concat(0, a, Tensor.zeros(2, 4)),
                "concat: tensor 1 has shape [2, 4], which does not match [2, 3] outside axis 0");
        assertFails(IllegalArgumentException.class, () -> Tensor.stack(0, a, Tensor.zeros(3, 2)),
                "stack: expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1");
        assertFails(IndexOutOfBoundsException.class, () -> a.select(1, 3),
                "select: index 3 is out of bounds for axis 1 with size 3 (shape [2, 3])");
        assertFails(IndexOutOfBoundsException.class, () -> a.indexSelect(0, 0, 2),
                "indexSelect: index 2 (position 1) is out of range for axis 0 with size 2");
        assertFails(IndexOutOfBoundsException.class, () -> a.get(0, 3),
                "get: index 3 is out of bounds for axis 1 with size 3 (shape [2, 3])");
        assertFails(IllegalArgumentException.class, () -> a.get(0), "get: index has 1 coordinates, tensor of shape [2, 3] needs 2");
        assertFails(IllegalStateException.class, a::item,
                "item: a tensor with 6 elements (shape [2, 3]) cannot be converted to a scalar");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).t(),
                "t: expects a tensor with <= 2 dimensions, but got shape [2, 3, 4]");
        assertFails(IllegalArgumentException.class, () -> a.matmul(Tensor.scalar(2)),
                "matmul: both arguments need at least 1 dimension, got shapes [2, 3] and []");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 2, 3).matmul(Tensor.zeros(3, 3, 1)),
                "matmul: [2, 2, 3] @ [3, 3, 1]: batch dimensions [2] and [3] cannot be broadcast");
        assertFails(IllegalArgumentException.class, () -> Linalg.linear(a, Tensor.zeros(4, 2), null),
                "linear: input of shape [2, 3] does not end in 2, the in-features of weight [4, 2]");
        assertFails(IllegalArgumentException.class, () -> a.addInPlace(Tensor.zeros(3, 3)),
                "addInPlace: shapes [2, 3] and [3, 3] cannot be broadcast");
        assertFails(IllegalArgumentException.class, () -> a.addInPlace(Tensor.zeros(2, 2, 3)),
                "addInPlace: the other operand of shape [2, 2, 3] cannot be broadcast to this tensor's shape [2, 3]");
        assertFails(IllegalArgumentException.class, () -> a.copyFrom(Tensor.zeros(2)),
                "copyFrom: source of shape [2] cannot be broadcast to [2, 3]");
        assertFails(IllegalArgumentException.class, () -> a.sumTo(2), "sumTo: shape [2, 3] cannot be summed to [2]");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(0).max(), "max: the tensor of shape [0] is empty");
        assertFails(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmax(1),
                "argmax: the tensor of shape [2, 0] is empty");
        assertFails(IllegalArgumentException.class, () -> a.size(2), "size: axis 2 is out of range");
        assertFails(IllegalArgumentException.class, () -> Tensor.scalar(1).size(0),
                "size: a scalar (shape []) has no axis 0");
    }

    @Test
    void inPlaceWritesIntoABroadcastViewAreRefused() {
        // Several elements of a broadcast view share one memory location; PyTorch refuses to write into it.
        Tensor base = Tensor.of(1f, 2f);
        Tensor wide = base.broadcastTo(3, 2);
        assertFails(IllegalArgumentException.class, () -> wide.addInPlace(Tensor.arange(6).reshape(3, 2)),
                "addInPlace: more than one element of the written-to tensor (shape [3, 2], strides [0, 1]) refers to "
                        + "a single memory location");
        assertFails(IllegalArgumentException.class, () -> wide.mulInPlace(2.0), "mulInPlace: more than one element");
        assertFails(IllegalArgumentException.class, () -> wide.copyFrom(Tensor.zeros(3, 2)), "copyFrom");
        assertFails(IllegalArgumentException.class, () -> wide.fill(0.0), "fill");
        assertFails(IllegalArgumentException.class, () -> wide.set(1.0, 0, 0), "set");
        TensorAssert.assertValues(base, 1, 2);
        // A size-1 axis with stride 0 is harmless.
        Tensor one = base.select(0, 0).broadcastTo(1);
        one.addInPlace(1.0);
        TensorAssert.assertValues(base, 2, 2);
    }

    // ---- fuzz -------------------------------------------------------------------------------------------

    private static final SplittableRandom RNG = new SplittableRandom(2024);

    private static int[] shape() {
        int rank = RNG.nextInt(4);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = RNG.nextInt(5) == 0 ? 0 : 1 + RNG.nextInt(4);
        }
        return s;
    }

    private static int[] shapeOrBad() {
        int[] s = shape();
        if (s.length > 0 && RNG.nextInt(6) == 0) {
            s[RNG.nextInt(s.length)] = -1 - RNG.nextInt(2);
        }
        return s;
    }

    private static int small() {
        return RNG.nextInt(13) - 6;
    }

    private static int[] smalls(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = small();
        }
        return out;
    }

    private static Tensor tensor() {
        Tensor t = Tensor.randn(RNG, shape());
        switch (RNG.nextInt(4)) {
            case 0 -> t = t.dim() >= 2 ? t.transpose(0, t.dim() - 1) : t;
            case 1 -> t = t.toType(DType.FLOAT64);
            default -> {
            }
        }
        return t;
    }

    private record Attempt(String op, Supplier<Object> call) {
    }

    private static List<Attempt> attempts() {
        Tensor a = tensor();
        Tensor b = tensor();
        int[] s = shapeOrBad();
        int ax = small();
        int ax2 = small();
        List<Attempt> list = new ArrayList<>();
        list.add(new Attempt("add", () -> a.add(b)));
        list.add(new Attempt("sub", () -> a.sub(b)));
        list.add(new Attempt("mul", () -> a.mul(b)));
        list.add(new Attempt("div", () -> a.div(b)));
        list.add(new Attempt("pow", () -> a.pow(b)));
        list.add(new Attempt("maximum", () -> a.maximum(b)));
        list.add(new Attempt("gt", () -> a.gt(b)));
        list.add(new Attempt("where", () -> Tensor.where(a.gt(0.0), a, b)));
        list.add(new Attempt("matmul", () -> a.matmul(b)));
        list.add(new Attempt("linear", () -> Linalg.linear(a, b, null)));
        list.add(new Attempt("reshape", () -> a.reshape(s)));
        list.add(new Attempt("broadcastTo", () -> a.broadcastTo(s)));
        list.add(new Attempt("sumTo", () -> a.sumTo(s)));
        list.add(new Attempt("transpose", () -> a.transpose(ax, ax2)));
        list.add(new Attempt("permute", () -> a.permute(smalls(a.dim() + RNG.nextInt(2) - (a.dim() > 0 ? RNG.nextInt(2) : 0)))));
        list.add(new Attempt("unsqueeze", () -> a.unsqueeze(ax)));
        list.add(new Attempt("squeeze", () -> a.squeeze(ax)));
        list.add(new Attempt("flatten", () -> a.flatten(ax, ax2)));
        list.add(new Attempt("slice", () -> a.slice(ax, small(), small(), RNG.nextInt(4) - 1)));
        list.add(new Attempt("select", () -> a.select(ax, small())));
        list.add(new Attempt("indexSelect", () -> a.indexSelect(ax, smalls(RNG.nextInt(3)))));
        list.add(new Attempt("concat", () -> Tensor.concat(ax, a, b)));
        list.add(new Attempt("stack", () -> Tensor.stack(ax, a, b)));
        list.add(new Attempt("sum", () -> a.sum(ax, RNG.nextBoolean())));
        list.add(new Attempt("sum", () -> a.sum(smalls(RNG.nextInt(3)), RNG.nextBoolean())));
        list.add(new Attempt("mean", () -> a.mean(ax)));
        list.add(new Attempt("max", () -> a.max(ax)));
        list.add(new Attempt("min", () -> a.min()));
        list.add(new Attempt("argmax", () -> a.argmax(ax)));
        list.add(new Attempt("argmin", () -> a.argmin()));
        list.add(new Attempt("softmax", () -> a.softmax(ax)));
        list.add(new Attempt("logSoftmax", () -> a.logSoftmax(ax)));
        list.add(new Attempt("logSumExp", () -> a.logSumExp(ax, RNG.nextBoolean())));
        list.add(new Attempt("get", () -> a.get(smalls(Math.max(0, a.dim() + RNG.nextInt(3) - 1)))));
        list.add(new Attempt("set", () -> a.set(1.0, smalls(Math.max(0, a.dim() + RNG.nextInt(3) - 1)))));
        list.add(new Attempt("size", () -> a.size(ax)));
        list.add(new Attempt("item", a::item));
        list.add(new Attempt("t", a::t));
        list.add(new Attempt("addInPlace", () -> a.addInPlace(b)));
        list.add(new Attempt("copyFrom", () -> a.copyFrom(b)));
        list.add(new Attempt("zeros", () -> Tensor.zeros(s)));
        list.add(new Attempt("wrap", () -> Tensor.wrap(new float[RNG.nextInt(5)], s)));
        list.add(new Attempt("toFloatMatrix", a::toFloatMatrix));
        list.add(new Attempt("backward", () -> {
            Tensor x = a.detach().copyToHeap().requiresGrad();
            x.mul(2.0).backward(b);
            return x.grad();
        }));
        list.add(new Attempt("grad", () -> Autograd.grad(a.detach().copyToHeap().requiresGrad().exp(),
                List.of(b.detach().requiresGrad()), null, false, false)));
        return list;
    }

    @Test
    void fuzzedMistakesNeverSurfaceAsArrayIndexOutOfBounds() {
        List<String> problems = new ArrayList<>();
        int failures = 0;
        for (int trial = 0; trial < 300; trial++) {
            for (Attempt at : attempts()) {
                try {
                    Object unused = at.call().get();
                } catch (IllegalArgumentException | IndexOutOfBoundsException | IllegalStateException e) {
                    failures++;
                    if (e instanceof ArrayIndexOutOfBoundsException || e instanceof StringIndexOutOfBoundsException) {
                        problems.add(at.op() + ": " + e);
                    } else if (e.getMessage() == null || (!e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(at.op().toLowerCase(java.util.Locale.ROOT))
                            && !at.op().equals("backward") && !at.op().equals("grad"))) {
                        problems.add(at.op() + ": message does not name the op: " + e);
                    }
                } catch (RuntimeException | Error e) {
                    problems.add(at.op() + ": " + e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(), 3)));
                }
            }
        }
        assertTrue(failures > 1000, "the fuzz should mostly make mistakes, made " + failures);
        assertTrue(problems.isEmpty(), problems.size() + " problems, first ones:\n"
                + String.join("\n", problems.subList(0, Math.min(15, problems.size()))));
    }
}
