package perceptron.internal.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import perceptron.kernels.Parallel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 matrix product C = alpha op(A) op(B) + beta C on the Vector API, in the layout of BLIS (Goto and
 * van de Geijn, "Anatomy of high-performance matrix multiplication", 2008).
 *
 * <p>op(B) is packed once per call into panels of {@code NR = 2 * lanes} columns, each panel laid out depth by
 * depth ({@code NR} contiguous elements per step of k), zero-padded past column n. Each task then owns a block of
 * rows of C; it packs its rows of op(A), one block of depth at a time, into micro-panels of {@code MR = 4} rows
 * (zero-padded past row m), and calls the micro-kernel on every (micro-panel, panel) pair. Packing is what lets
 * all four transpose combinations run the same inner loop: only the two packing routines know about transposes.
 *
 * <p>The micro-kernel keeps a 4 x NR tile of C in 8 vector registers and, per step of k, loads two vectors of B
 * and broadcasts four scalars of A: 8 fused multiply-adds for 6 loads, 14 of the 16 AVX2 registers. A panel of B
 * of {@link #KC} steps (16 KiB in either precision) stays in the 32 KiB L1 while every micro-panel of the task's rows
 * streams past it from L2.
 *
 * <p>Determinism: every element of C is one fused multiply-add chain over p in increasing order within a depth
 * block, and the depth blocks (a function of k alone) are added to C in increasing order. Neither depends on how
 * rows and columns are split into tasks, so the result is bitwise the same on any number of threads. Nor does it
 * depend on m: the few-rows path ({@link #fewRows}) computes the same chains over the same depth blocks, so a row
 * of C is bitwise the same whether its row of A comes alone or in a batch of any size (batch invariance).
 *
 * <p>The float64 product is generated from this file by GemmSourceTest, which fails when the two differ: edit
 * this one, regenerate the other (see the test), and write comments that hold for both.
 */
final class FloatGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Rows of the register tile. Six rows (12 accumulators, BLIS's Haswell shape) would fit 16 registers on
     * paper, but C2 loads all six broadcasts of a step up front and spills an accumulator; the spilled chain
     * (store, reload, fma) then sets the pace: 40 GFLOP/s against up to 95 for four rows (8 accumulators, no
     * spill; measured on Zen 3, JDK 25). Five rows spill the same way.
     */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Largest depth block: 256 steps keep a packed panel of B (256 x NR elements) at 16 KiB, half of L1. */
    static final int KC = 256;
    /**
     * Rows of C per task: 4 micro-panels. 16 divides the batch sizes people use, so 256 rows make 16 equal
     * tasks: a thread that joins a product late, or is interrupted, leaves the other at most one short task to
     * wait for (with 8 tasks of 32 rows the caller waited on the worker's last one; 48 made 6 unequal tasks:
     * 89% of two cores). A's block, 16 x 256 elements, stays in L1 and L2 beside B.
     */
    static final int MB = 4 * MR;
    /** Panels of op(B) per packing task. */
    private static final int PACK_PANELS = 4;
    /** Cap on the packed copy of op(B) (elements): wider products are done in column chunks of this size. */
    private static final int MAX_PACKED_B = 1 << 22;
    /** Below this many multiply-adds a call runs on the calling thread: dispatch would cost more than it saves. */
    static final long PARALLEL_WORK = 1L << 18;

    /**
     * Products with at most this many rows (one sample, or a few) and B not transposed skip packing: packing B
     * costs about as much as multiplying one row by it. With B transposed they are packed like any product: a
     * dot product along a row of B would sum in another order than the packed path, and a row would then differ
     * in its last bits alone and in a batch (1.4e-6 on a Fashion-MNIST MLP's logits).
     */
    static final int FEW_ROWS = KernelOps.GEMM_FEW_ROWS;
    /** Fewest columns of C per task of the few-rows path with a row-major B. */
    private static final int FEW_ROWS_COLUMNS = 64;
    /**
     * Width of the column panels that suit {@link #gemmPanels}: the eight vectors of {@link #axpyRows}' loop.
     * A panel is then read from first to last element, one step of k after the other.
     */
    static final int PANEL = 8 * L;
    /** The few-rows path reads all of B once per call: worth a second core from about 64 K multiply-adds. */
    static final long FEW_ROWS_PARALLEL_WORK = 1L << 16;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Packing space reused from call to call, one set per thread, so a product allocates no arrays. */
    private static final class Buffers {
        float[] packedB = new float[0];
        final float[] packedA = new float[MB * KC];
        final float[] tile = new float[MR * NR];
        float[] row = new float[0];

        float[] row(int size) {
            if (row.length < size) {
                row = new float[size];
            }
            return row;
        }

        float[] packedB(int size) {
            if (packedB.length < size) {
                packedB = new float[size];
            }
            return packedB;
        }
    }

    private FloatGemm() {
    }

    /** The number of depth blocks for depth k: blocks as equal as possible and at most {@link #KC} deep. */
    static int depthBlocks(int k) {
        return (k + KC - 1) / KC;
    }

    /** See {@link KernelOps#gemm}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                     int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m <= FEW_ROWS && !transB) {
            fewRows(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Column chunks bound the packed copy of B; every element of C is still computed the same way.
        int chunk = Math.max(NR, MAX_PACKED_B / k / NR * NR);
        for (int j0 = 0; j0 < n; j0 += chunk) {
            int nc = Math.min(chunk, n - j0);
            int bChunk = transB ? bOff + j0 * ldb : bOff + j0;
            chunk(transA, transB, m, nc, k, alpha, a, aOff, lda, b, bChunk, ldb, beta, c, cOff + j0, ldc);
        }
    }

    private static void chunk(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                              int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                              int ldc) {
        int panels = (n + NR - 1) / NR;
        float[] bp = BUFFERS.get().packedB(panels * k * NR);
        // Tasks: blocks of MB rows; short, wide products are also split by columns so that there are a few
        // tasks per core (each column block re-reads its rows of A, so only when rows are too few).
        int rowBlocks = (m + MB - 1) / MB;
        int colBlocks = rowBlocks >= 8 ? 1 : Math.max(1, Math.min(panels / 2, (16 + rowBlocks - 1) / rowBlocks));
        int panelsPerBlock = (panels + colBlocks - 1) / colBlocks;
        int blockTasks = rowBlocks * colBlocks;
        int packTasks = (panels + PACK_PANELS - 1) / PACK_PANELS;
        if ((long) m * n * k < PARALLEL_WORK) {
            packB(transB, b, bOff, ldb, k, n, bp, 0, panels);
            for (int t = 0; t < blockTasks; t++) {
                block(transA, m, n, k, alpha, a, aOff, lda, bp, beta, c, cOff, ldc, t / colBlocks, t % colBlocks,
                        panelsPerBlock, panels);
            }
            return;
        }
        // Packing B and the blocks of C in one call of the pool: tasks are taken in index order, so the packing
        // tasks are all taken before the first block, which then waits only for the packing still running. Two
        // calls (pack, then multiply) made each thread hand-off twice per product, and a worker that came late to
        // the second call found fewer tasks left to share.
        AtomicInteger packed = new AtomicInteger();
        Parallel.forEach(packTasks + blockTasks, t -> {
            if (t < packTasks) {
                try {
                    packB(transB, b, bOff, ldb, k, n, bp, PACK_PANELS * t, Math.min(panels, PACK_PANELS * (t + 1)));
                } finally {
                    packed.incrementAndGet();   // also on failure, which Parallel rethrows: no block waits forever
                }
                return;
            }
            awaitPacking(packed, packTasks);
            int u = t - packTasks;
            block(transA, m, n, k, alpha, a, aOff, lda, bp, beta, c, cOff, ldc, u / colBlocks, u % colBlocks,
                    panelsPerBlock, panels);
        });
    }

    /**
     * Waits until {@code packTasks} packing tasks have finished: spins for {@link Parallel#spinMicros()} (a packing
     * task takes tens of microseconds), then sleeps in short naps, which frees this core for a descheduled thread
     * still packing (a machine shared with other processes) instead of spinning through its time slice.
     */
    private static void awaitPacking(AtomicInteger packed, int packTasks) {
        long start = System.nanoTime();
        long spinNanos = 1000L * Parallel.spinMicros();
        while (packed.get() < packTasks) {
            if (System.nanoTime() - start < spinNanos) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /**
     * C = alpha op(A) op(B) + beta C for m &lt;= {@link #FEW_ROWS} and op(B) = B (row-major [k, n]), without
     * packing: a row of C accumulates rows of B scaled by elements of A, in the depth blocks of {@link #block}, so
     * that every element is the same fused multiply-add chain as there.
     */
    private static void fewRows(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        fewRows(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, 0, beta, c, cOff, ldc);
    }

    /**
     * C = alpha op(A) B + beta C with B [k, n] in column panels of the given width (see {@link ColumnPanels}),
     * each element the same fused multiply-add chain as in {@link #gemm}, so bitwise the same C. Meant for few
     * rows (predicting one example), where a row-major B read in column blocks ran at half the speed of panels
     * read from end to end (one row through 784 x 128: 9-11 against 5-6 us, Zen 3): the hardware prefetchers
     * follow one stream better than 784 strided pieces.
     */
    static void gemmPanels(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] panels, int bOff, int width, float beta, float[] c, int cOff, int ldc) {
        if (width < 1) {
            throw new IllegalArgumentException("gemmPanels: width must be >= 1, got " + width);
        }
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        fewRows(transA, m, n, k, alpha, a, aOff, lda, panels, bOff, 0, width, beta, c, cOff, ldc);
    }

    /**
     * The few-rows product, B either row-major with leading dimension {@code ldb} ({@code panelWidth == 0}) or
     * in column panels of {@code panelWidth} columns. Tasks are blocks of whole panels (of 64 columns when B is
     * row-major), one per thread, each always run by the same thread ({@link Parallel#forEachPerThread}): each
     * element of C is computed the same way whatever the split, and a fixed split lets each core keep its share of
     * B in its own L2 from one call to the next. B of a 784 x 256 layer, 800 KB, does not fit one 512 KB L2; half
     * of it does, and in panels that half is one contiguous 400 KB block (a block of columns of a row-major B maps
     * to half of the L2's sets only, and did not stay).
     */
    private static void fewRows(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb, int panelWidth, float beta, float[] c, int cOff,
                                int ldc) {
        boolean inPanels = panelWidth > 0;
        int unit = inPanels ? panelWidth : FEW_ROWS_COLUMNS;
        int units = (n + unit - 1) / unit;
        int tasks = (long) m * n * k < FEW_ROWS_PARALLEL_WORK ? 1 : Math.min(Parallel.threads(), units);
        IntConsumer columns = t -> {
            int u0 = (int) ((long) t * units / tasks);
            int u1 = (int) ((long) (t + 1) * units / tasks);
            float[] row = transA ? BUFFERS.get().row(k) : null;
            for (int i = 0; i < m; i++) {
                // A's row i, gathered when A is stored transposed.
                float[] x = a;
                int xi = aOff + i * lda;
                if (transA) {
                    for (int p = 0; p < k; p++) {
                        row[p] = a[aOff + p * lda + i];
                    }
                    x = row;
                    xi = 0;
                }
                int ci = cOff + i * ldc;
                if (!inPanels) {
                    axpyRows(x, xi, b, bOff, ldb, k, u0 * unit, Math.min(n, u1 * unit), alpha, beta, c, ci);
                    continue;
                }
                for (int q = u0; q < u1; q++) {
                    int w = Math.min(unit, n - q * unit);
                    int panel = bOff + ColumnPanels.offset(q, k, unit);
                    axpyRows(x, xi, b, panel, w, k, 0, w, alpha, beta, c, ci + q * unit);
                }
            }
        };
        if (tasks == 1) {
            columns.accept(0);
        } else {
            Parallel.forEachPerThread(tasks, columns);
        }
    }

    /**
     * C[ci + j] = alpha sum over p of x[xi + p] B[p, j] + beta C[ci + j], for j in [j0, j1), B row-major: per
     * depth block of {@link #block}, a chain of fused multiply-adds over p from zero, added to C as {@link #store}
     * adds a tile. Eight vectors of columns at a time: each chain is sequential, so only independent columns
     * can fill the two multiply-add units (4 cycles of latency). One row through 784 x 256 on one thread: 19-21
     * us of CPU, where dot products along the rows of a transposed B took 25-27 (Zen 3, shared machine).
     */
    private static void axpyRows(float[] x, int xi, float[] b, int bOff, int ldb, int k, int j0, int j1,
                                 float alpha, float beta, float[] c, int ci) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int blocks = depthBlocks(k);
        for (int blk = 0, p0 = 0; blk < blocks; blk++) {
            int kc = (k - p0) / (blocks - blk);
            int p1 = p0 + kc;
            float bb = blk == 0 ? beta : 1f;
            int j = j0;
            for (; j + 8 * L <= j1; j += 8 * L) {
                FloatVector acc0 = FloatVector.zero(S);
                FloatVector acc1 = acc0;
                FloatVector acc2 = acc0;
                FloatVector acc3 = acc0;
                FloatVector acc4 = acc0;
                FloatVector acc5 = acc0;
                FloatVector acc6 = acc0;
                FloatVector acc7 = acc0;
                for (int p = p0; p < p1; p++) {
                    FloatVector xp = FloatVector.broadcast(S, x[xi + p]);
                    int bi = bOff + p * ldb + j;
                    acc0 = xp.fma(FloatVector.fromArray(S, b, bi), acc0);
                    acc1 = xp.fma(FloatVector.fromArray(S, b, bi + L), acc1);
                    acc2 = xp.fma(FloatVector.fromArray(S, b, bi + 2 * L), acc2);
                    acc3 = xp.fma(FloatVector.fromArray(S, b, bi + 3 * L), acc3);
                    acc4 = xp.fma(FloatVector.fromArray(S, b, bi + 4 * L), acc4);
                    acc5 = xp.fma(FloatVector.fromArray(S, b, bi + 5 * L), acc5);
                    acc6 = xp.fma(FloatVector.fromArray(S, b, bi + 6 * L), acc6);
                    acc7 = xp.fma(FloatVector.fromArray(S, b, bi + 7 * L), acc7);
                }
                storeVector(acc0, va, bb, c, ci + j);
                storeVector(acc1, va, bb, c, ci + j + L);
                storeVector(acc2, va, bb, c, ci + j + 2 * L);
                storeVector(acc3, va, bb, c, ci + j + 3 * L);
                storeVector(acc4, va, bb, c, ci + j + 4 * L);
                storeVector(acc5, va, bb, c, ci + j + 5 * L);
                storeVector(acc6, va, bb, c, ci + j + 6 * L);
                storeVector(acc7, va, bb, c, ci + j + 7 * L);
            }
            for (; j < j1; j += 2 * L) {
                // The last columns, two vectors at a time (two chains rather than one, and no scalar loop: a
                // logits layer has 10 columns). Lanes past j1 load other elements of b and are never stored, so
                // the loads need a mask only where they would run past the end of b: a masked load with a
                // partial mask took twice as long (0.78 against 0.35 us for 10 x 256).
                VectorMask<Float> m0 = S.indexInRange(j, j1);
                VectorMask<Float> m1 = S.indexInRange(j + L, j1);
                int unmaskedEnd = Math.max(p0, Math.min(p1, Math.floorDiv(b.length - 2 * L - bOff - j, ldb) + 1));
                FloatVector acc0 = FloatVector.zero(S);
                FloatVector acc1 = acc0;
                for (int p = p0; p < unmaskedEnd; p++) {
                    FloatVector xp = FloatVector.broadcast(S, x[xi + p]);
                    int bi = bOff + p * ldb + j;
                    acc0 = xp.fma(FloatVector.fromArray(S, b, bi), acc0);
                    acc1 = xp.fma(FloatVector.fromArray(S, b, bi + L), acc1);
                }
                for (int p = unmaskedEnd; p < p1; p++) {
                    FloatVector xp = FloatVector.broadcast(S, x[xi + p]);
                    int bi = bOff + p * ldb + j;
                    acc0 = xp.fma(FloatVector.fromArray(S, b, bi, m0), acc0);
                    acc1 = xp.fma(FloatVector.fromArray(S, b, bi + L, m1), acc1);
                }
                storeVector(acc0, va, bb, c, ci + j, m0);
                storeVector(acc1, va, bb, c, ci + j + L, m1);
            }
            p0 = p1;
        }
    }

    /** C[ci ...] = alpha acc + beta C[ci ...] for one vector, with the arithmetic of {@link #store}. */
    private static void storeVector(FloatVector acc, FloatVector va, float beta, float[] c, int ci) {
        if (beta == 0f) {
            acc.mul(va).intoArray(c, ci);
        } else {
            acc.fma(va, FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
        }
    }

    /** {@link #storeVector} on the lanes of a mask. */
    private static void storeVector(FloatVector acc, FloatVector va, float beta, float[] c, int ci,
                                    VectorMask<Float> m) {
        if (beta == 0f) {
            acc.mul(va).intoArray(c, ci, m);
        } else {
            acc.fma(va, FloatVector.fromArray(S, c, ci, m).mul(beta)).intoArray(c, ci, m);
        }
    }

    /** One task: rows [rb * MB, ...) and panels [cb * panelsPerBlock, ...) of C, over the whole depth. */
    private static void block(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                              float[] bp, float beta, float[] c, int cOff, int ldc, int rb, int cb,
                              int panelsPerBlock, int panels) {
        Buffers buf = BUFFERS.get();
        float[] ap = buf.packedA;
        float[] tile = buf.tile;
        int i0 = rb * MB;
        int rows = Math.min(MB, m - i0);
        int microPanels = (rows + MR - 1) / MR;
        // Row-major A is read in place by full micro-panels (four rows, each contiguous along the depth);
        // only a partial last micro-panel is packed, zero-padded. Packing all of A cost 19% of X W^T.
        int direct = transA ? 0 : rows / MR;
        int jp0 = cb * panelsPerBlock;
        int jp1 = Math.min(panels, jp0 + panelsPerBlock);
        int blocks = depthBlocks(k);
        for (int blk = 0, p0 = 0; blk < blocks; blk++) {
            int kc = (k - p0) / (blocks - blk);
            if (direct < microPanels) {
                int r0 = direct * MR;
                packA(transA, a, aOff, lda, i0 + r0, rows - r0, p0, kc, ap);
            }
            boolean first = blk == 0;
            for (int jp = jp0; jp < jp1; jp++) {
                int bIdx = (jp * k + p0) * NR;
                int j = jp * NR;
                int cols = Math.min(NR, n - j);
                for (int ir = 0; ir < microPanels; ir++) {
                    int r = ir * MR;
                    if (ir < direct) {
                        kernelRows(kc, a, aOff + (i0 + r) * lda + p0, lda, bp, bIdx, tile);
                    } else {
                        kernel(kc, ap, (ir - direct) * MR * kc, bp, bIdx, tile);
                    }
                    store(tile, alpha, first ? beta : 1f, c, cOff + (i0 + r) * ldc + j, ldc,
                            Math.min(MR, rows - r), cols);
                }
            }
            p0 += kc;
        }
    }

    /**
     * Packs op(B)[p, j] for p in [0, k) and panels [jp0, jp1) into bp: panel jp, step p starts at (jp k + p) NR.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int k, int n, float[] bp, int jp0, int jp1) {
        for (int jp = jp0; jp < jp1; jp++) {
            int j = jp * NR;
            int cols = Math.min(NR, n - j);
            int dst = jp * k * NR;
            if (!transB) {
                // op(B) rows are rows of b: a panel step is NR contiguous elements.
                if (cols == NR) {
                    for (int p = 0; p < k; p++) {
                        int src = bOff + p * ldb + j;
                        FloatVector.fromArray(S, b, src).intoArray(bp, dst + p * NR);
                        FloatVector.fromArray(S, b, src + L).intoArray(bp, dst + p * NR + L);
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        int src = bOff + p * ldb + j;
                        int d = dst + p * NR;
                        for (int jj = 0; jj < cols; jj++) {
                            bp[d + jj] = b[src + jj];
                        }
                        for (int jj = cols; jj < NR; jj++) {
                            bp[d + jj] = 0f;
                        }
                    }
                }
            } else {
                // op(B) columns are rows of b: a transpose. Steps of 64 keep the 64 written lines in L1 while
                // the NR source rows are read contiguously.
                for (int p0 = 0; p0 < k; p0 += 64) {
                    int p1 = Math.min(k, p0 + 64);
                    for (int jj = 0; jj < cols; jj++) {
                        int src = bOff + (j + jj) * ldb;
                        for (int p = p0; p < p1; p++) {
                            bp[dst + p * NR + jj] = b[src + p];
                        }
                    }
                    for (int jj = cols; jj < NR; jj++) {
                        for (int p = p0; p < p1; p++) {
                            bp[dst + p * NR + jj] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(A)[i0 + i, p0 + p] for i in [0, rows), p in [0, kc) into micro-panels of MR rows: micro-panel r,
     * step p, row i at r MR kc + p MR + i; rows past {@code rows} are zero.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int rows, int p0, int kc, float[] ap) {
        int microPanels = (rows + MR - 1) / MR;
        for (int ir = 0; ir < microPanels; ir++) {
            int dst = ir * MR * kc;
            int r0 = ir * MR;
            int mr = Math.min(MR, rows - r0);
            if (transA) {
                // op(A) columns are rows of a: MR contiguous elements per step.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + r0;
                    int d = dst + p * MR;
                    for (int i = 0; i < mr; i++) {
                        ap[d + i] = a[src + i];
                    }
                    for (int i = mr; i < MR; i++) {
                        ap[d + i] = 0f;
                    }
                }
            } else {
                for (int i = 0; i < mr; i++) {
                    int src = aOff + (i0 + r0 + i) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR + i] = a[src + p];
                    }
                }
                for (int i = mr; i < MR; i++) {
                    for (int p = 0; p < kc; p++) {
                        ap[dst + p * MR + i] = 0f;
                    }
                }
            }
        }
    }

    /**
     * The MR x NR register tile: tile[i NR + j] = sum over p in [0, kc) of A[i, p] B[p, j], from micro-panels
     * of packed A and B. The tile goes through memory (MR x NR elements, in L1) rather than being written to C here:
     * with C's arguments live across the loop, C2 spilled accumulators and the loop ran at a quarter of the
     * speed (10 instead of 40 GFLOP/s measured).
     */
    private static void kernel(int kc, float[] ap, int aIdx, float[] bp, int bIdx, float[] tile) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /**
     * {@link #kernel} reading four rows of a row-major A in place: row i, step p at a[a0 + i lda + p]. Each row
     * is indexed by p plus a constant, so C2 hoists the bounds checks out of the loop as for packed A.
     */
    private static void kernelRows(int kc, float[] a, int a0, int lda, float[] bp, int bIdx, float[] tile) {
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
    }

    /**
     * C = alpha tile + beta C on the first rows x cols of the tile, written as fma(tile, alpha, beta C); with
     * {@code beta == 0} C is not read. Full tiles go by vectors, edge tiles element by element with the same
     * arithmetic.
     */
    private static void store(float[] tile, float alpha, float beta, float[] c, int cIdx, int ldc, int rows,
                              int cols) {
        if (cols == NR) {
            FloatVector va = FloatVector.broadcast(S, alpha);
            for (int i = 0; i < rows; i++) {
                int ci = cIdx + i * ldc;
                FloatVector t0 = FloatVector.fromArray(S, tile, i * NR);
                FloatVector t1 = FloatVector.fromArray(S, tile, i * NR + L);
                if (beta == 0f) {
                    t0.mul(va).intoArray(c, ci);
                    t1.mul(va).intoArray(c, ci + L);
                } else {
                    t0.fma(va, FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
                    t1.fma(va, FloatVector.fromArray(S, c, ci + L).mul(beta)).intoArray(c, ci + L);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int ci = cIdx + i * ldc + j;
                float acc = tile[i * NR + j];
                c[ci] = beta == 0f ? alpha * acc : Math.fma(acc, alpha, beta * c[ci]);
            }
        }
    }

    /** C = beta C (beta == 0: zeros, C not read): the whole product when k == 0. */
    static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0f ? 0f : beta * c[ci];
            }
        }
    }
}
