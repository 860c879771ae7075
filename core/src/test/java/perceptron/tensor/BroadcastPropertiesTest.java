package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** NumPy broadcasting as algebra: properties that must hold for every pair of shapes, checked by jqwik. */
class BroadcastPropertiesTest {

    /** A random shape of rank 0..4 with sizes 0..4 (1 is common, so that broadcasting happens). */
    @Provide
    Arbitrary<int[]> shapes() {
        return Arbitraries.of(0, 1, 1, 1, 2, 3, 4)
                .list().ofMinSize(0).ofMaxSize(4).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Two shapes that broadcast, and a target both reach: derived from the target by dropping leading axes and
     * setting sizes to 1. Sizes include 0 (empty tensors broadcast too).
     */
    @Provide
    Arbitrary<int[][]> compatiblePairs() {
        Arbitrary<int[]> target = Arbitraries.of(0, 1, 2, 2, 3, 3, 4, 4).list().ofMinSize(0).ofMaxSize(4)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(target, seeds).as((t, seed) -> {
            SplittableRandom r = new SplittableRandom(seed);
            return new int[][] {derive(t, r), derive(t, r), t};
        });
    }

    private static int[] derive(int[] target, SplittableRandom r) {
        int drop = r.nextInt(target.length + 1);
        int[] s = Arrays.copyOfRange(target, drop, target.length);
        for (int i = 0; i < s.length; i++) {
            if (r.nextInt(3) == 0) {
                s[i] = 1;
            }
        }
        return s;
    }

    private static Tensor random(int[] shape, long seed) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    private static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    private static boolean compatible(int[] a, int[] b) {
        for (int i = 1; i <= Math.min(a.length, b.length); i++) {
            int x = a[a.length - i];
            int y = b[b.length - i];
            if (x != y && x != 1 && y != 1) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 300)
    void broadcastIsCommutativeAndFailsExactlyWhenSomeAlignedPairDiffers(@ForAll("shapes") int[] a,
                                                                          @ForAll("shapes") int[] b) {
        if (compatible(a, b)) {
            assertArrayEquals(Shape.broadcast("op", a, b), Shape.broadcast("op", b, a));
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast("op", a, b));
            assertEquals("op: shapes " + Arrays.toString(a) + " and " + Arrays.toString(b) + " cannot be broadcast",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Shape.broadcast("op", b, a));
        }
    }

    @Property(tries = 300)
    void theResultIsReachableFromBothAndIsTheSmallestSuchShape(@ForAll("compatiblePairs") int[][] p) {
        int[] s = Shape.broadcast("op", p[0], p[1]);
        assertTrue(Shape.broadcastsTo(p[0], s));
        assertTrue(Shape.broadcastsTo(p[1], s));
        assertTrue(Shape.broadcastsTo(s, p[2]), "the target both were derived from is reachable from the result");
        assertEquals(Math.max(p[0].length, p[1].length), s.length);
        assertArrayEquals(p[0], Shape.broadcast("op", p[0], p[0]), "idempotent");
        assertArrayEquals(p[0], Shape.broadcast("op", p[0], new int[0]), "[] is the identity");
    }

    @Property(tries = 200)
    void broadcastIsAssociative(@ForAll("compatiblePairs") int[][] p, @ForAll long seed) {
        int[] c = derive(p[2], new SplittableRandom(seed));
        assertArrayEquals(Shape.broadcast("op", Shape.broadcast("op", p[0], p[1]), c),
                Shape.broadcast("op", p[0], Shape.broadcast("op", p[1], c)));
    }

    @Property(tries = 200)
    void sumToIsTheAdjointOfBroadcastTo(@ForAll("compatiblePairs") int[][] p, @ForAll long seed) {
        // <broadcastTo(x), y> == <x, sumTo(y)>: the identity every broadcasting op's backward relies on.
        Tensor x = random(p[0], seed);
        Tensor y = random(p[2], seed + 1);
        double lhs = dot(x.broadcastTo(p[2]), y);
        double rhs = dot(x, y.sumTo(p[0]));
        assertEquals(lhs, rhs, 1e-12 * (1 + Math.abs(lhs)));
    }

    @Property(tries = 200)
    void sumToOfABroadcastMultipliesByTheRepeatCount(@ForAll("compatiblePairs") int[][] p, @ForAll long seed) {
        Tensor x = random(p[0], seed);
        Tensor back = x.broadcastTo(p[2]).sumTo(p[0]);
        int repeats = Shape.numel(p[2]) / Math.max(1, Shape.numel(p[0]));
        TensorAssert.assertClose(x.mul((double) repeats), back, 1e-12, "sumTo(broadcastTo(x))");
    }

    @Property(tries = 200)
    void binaryOpsEqualTheSameOpOnExplicitlyBroadcastOperands(@ForAll("compatiblePairs") int[][] p,
                                                               @ForAll long seed) {
        Tensor a = random(p[0], seed);
        Tensor b = random(p[1], seed + 1);
        int[] s = Shape.broadcast("add", p[0], p[1]);
        Tensor ea = a.broadcastTo(s).contiguous();
        Tensor eb = b.broadcastTo(s).contiguous();
        for (List<Tensor> pair : List.of(List.of(a.add(b), ea.add(eb)), List.of(a.sub(b), ea.sub(eb)),
                List.of(a.mul(b), ea.mul(eb)), List.of(a.maximum(b), ea.maximum(eb)),
                List.of(a.gt(b), ea.gt(eb)), List.of(Tensor.where(a.gt(0.0), a, b), Tensor.where(ea.gt(0.0), ea, eb)))) {
            assertArrayEquals(s, pair.get(0).shape());
            assertArrayEquals(pair.get(1).toDoubleArray(), pair.get(0).toDoubleArray(), 0.0);
        }
    }

    @Property(tries = 150)
    void gradientsOfBroadcastOperandsAreSummedBackToTheirShapes(@ForAll("compatiblePairs") int[][] p,
                                                                @ForAll long seed) {
        Tensor a = random(p[0], seed).requiresGrad();
        Tensor b = random(p[1], seed + 1).requiresGrad();
        Tensor y = a.mul(b);
        Tensor g = random(y.shape(), seed + 2);
        y.backward(g);
        assertArrayEquals(p[0], a.grad().shape());
        assertArrayEquals(p[1], b.grad().shape());
        TensorAssert.assertClose(g.mul(b.detach()).sumTo(p[0]), a.grad(), 1e-12, "d/da");
        TensorAssert.assertClose(g.mul(a.detach()).sumTo(p[1]), b.grad(), 1e-12, "d/db");
    }

    @Property(tries = 150)
    void viewsAgreeWithCopies(@ForAll("compatiblePairs") int[][] p, @ForAll long seed) {
        Tensor x = random(p[2], seed);
        int rank = x.dim();
        if (rank >= 2) {
            Tensor t = x.transpose(0, rank - 1);
            assertArrayEquals(t.contiguous().toDoubleArray(), t.toDoubleArray(), 0.0);
            assertArrayEquals(x.toDoubleArray(), t.transpose(0, rank - 1).toDoubleArray(), 0.0);
            Tensor flat = t.reshape(-1);
            assertArrayEquals(t.toDoubleArray(), flat.toDoubleArray(), 0.0);
        }
        if (rank >= 1 && x.size(0) > 1) {
            Tensor s = x.slice(0, 1, x.size(0));
            Tensor rest = Tensor.concat(0, x.slice(0, 0, 1), s);
            assertArrayEquals(x.toDoubleArray(), rest.toDoubleArray(), 0.0);
        }
    }
}
