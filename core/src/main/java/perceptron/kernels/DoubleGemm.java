package perceptron.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 matrix product: {@link FloatGemm} line for line, with {@code DoubleVector} (4 lanes on AVX2, so
 * a register tile of 4 x 8). Kept as a separate file rather than generated because the two differ only in types;
 * any change to one must be made to the other (the tests run both against the reference).
 */
final class DoubleGemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the register tile; why four and not six: see {@link FloatGemm#MR}. */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * L;
    /** Largest depth block: 256 steps keep a packed panel of B at 256 * 8 * 8 B = 16 KiB, half of L1. */
    static final int KC = 256;
    /**
     * Rows of C per task: 8 micro-panels. 32 divides the batch sizes people use, so 256 rows make 8 equal tasks
     * (48 made 6 unequal ones: 89% of two cores); A's block, 32 x 256 doubles (64 KiB), stays in L2 beside B.
     */
    static final int MB = 8 * MR;
    /** Cap on the packed copy of op(B) (doubles): wider products are done in column chunks of this size. */
    private static final int MAX_PACKED_B = 1 << 22;
    /** Below this many multiply-adds a call runs on the calling thread: dispatch would cost more than it saves. */
    static final long PARALLEL_WORK = 1L << 18;

    /**
     * Products with at most this many rows (one sample, or a few) skip packing: packing B costs about as much as
     * multiplying one row by it, so a matrix-vector product would run at half speed or worse.
     */
    static final int FEW_ROWS = 2;
    /** Columns of C per task of the few-rows path. */
    private static final int FEW_ROWS_COLUMNS = 64;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Packing space reused from call to call, one set per thread, so a product allocates no arrays. */
    private static final class Buffers {
        double[] packedB = new double[0];
        final double[] packedA = new double[MB * KC];
        final double[] tile = new double[MR * NR];
        double[] row = new double[0];

        double[] row(int size) {
            if (row.length < size) {
                row = new double[size];
            }
            return row;
        }

        double[] packedB(int size) {
            if (packedB.length < size) {
                packedB = new double[size];
            }
            return packedB;
        }
    }

    private DoubleGemm() {
    }

    /** The number of depth blocks for depth k: blocks as equal as possible and at most {@link #KC} deep. */
    static int depthBlocks(int k) {
        return (k + KC - 1) / KC;
    }

    /** See {@link Kernels#gemm}. */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                     int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m <= FEW_ROWS) {
            fewRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
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

    private static void chunk(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                              int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff,
                              int ldc) {
        int panels = (n + NR - 1) / NR;
        double[] bp = BUFFERS.get().packedB(panels * k * NR);
        boolean parallel = (long) m * n * k >= PARALLEL_WORK;
        // Packing B: tasks of 8 panels.
        int packTasks = (panels + 7) / 8;
        if (parallel) {
            Parallel.forEach(packTasks, t -> packB(transB, b, bOff, ldb, k, n, bp, 8 * t,
                    Math.min(panels, 8 * t + 8)));
        } else {
            packB(transB, b, bOff, ldb, k, n, bp, 0, panels);
        }
        // Tasks: blocks of MB rows; short, wide products are also split by columns so that there are a few
        // tasks per core (each column block re-reads its rows of A, so only when rows are too few).
        int rowBlocks = (m + MB - 1) / MB;
        int colBlocks = rowBlocks >= 4 ? 1 : Math.max(1, Math.min(panels / 2, (8 + rowBlocks - 1) / rowBlocks));
        int panelsPerBlock = (panels + colBlocks - 1) / colBlocks;
        int tasks = rowBlocks * colBlocks;
        if (parallel) {
            Parallel.forEach(tasks, t -> block(transA, m, n, k, alpha, a, aOff, lda, bp, beta, c, cOff, ldc,
                    t / colBlocks, t % colBlocks, panelsPerBlock, panels));
        } else {
            for (int t = 0; t < tasks; t++) {
                block(transA, m, n, k, alpha, a, aOff, lda, bp, beta, c, cOff, ldc, t / colBlocks, t % colBlocks,
                        panelsPerBlock, panels);
            }
        }
    }

    /**
     * C = alpha op(A) op(B) + beta C for m &lt;= {@link #FEW_ROWS}, without packing. With B stored transposed (the
     * linear layer's W), each element is a dot product of a row of A and a row of B, both contiguous; otherwise a
     * row of C accumulates rows of B scaled by elements of A. Tasks are blocks of columns, fixed by n.
     */
    private static void fewRows(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                                int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff,
                                int ldc) {
        int tasks = (n + FEW_ROWS_COLUMNS - 1) / FEW_ROWS_COLUMNS;
        java.util.function.IntConsumer columns = t -> {
            int j0 = t * FEW_ROWS_COLUMNS;
            int j1 = Math.min(n, j0 + FEW_ROWS_COLUMNS);
            double[] row = BUFFERS.get().row(k);
            for (int i = 0; i < m; i++) {
                // A's row i, gathered when A is stored transposed.
                double[] ar = a;
                int ai = aOff + i * lda;
                if (transA) {
                    for (int p = 0; p < k; p++) {
                        row[p] = a[aOff + p * lda + i];
                    }
                    ar = row;
                    ai = 0;
                }
                int ci = cOff + i * ldc;
                if (transB) {
                    for (int j = j0; j < j1; j++) {
                        double dot = dot(ar, ai, b, bOff + j * ldb, k);
                        c[ci + j] = beta == 0.0 ? alpha * dot : Math.fma(dot, alpha, beta * c[ci + j]);
                    }
                } else {
                    axpyRows(ar, ai, b, bOff, ldb, k, j0, j1, alpha, beta, c, ci);
                }
            }
        };
        if ((long) m * n * k < PARALLEL_WORK) {
            for (int t = 0; t < tasks; t++) {
                columns.accept(t);
            }
        } else {
            Parallel.forEach(tasks, columns);
        }
    }

    /** Sum over p of x[xi + p] y[yi + p]: two vectors of fused multiply-adds, lanes added at the end. */
    private static double dot(double[] x, int xi, double[] y, int yi, int k) {
        DoubleVector s0 = DoubleVector.zero(S);
        DoubleVector s1 = s0;
        int p = 0;
        for (; p + 2 * L <= k; p += 2 * L) {
            s0 = DoubleVector.fromArray(S, x, xi + p).fma(DoubleVector.fromArray(S, y, yi + p), s0);
            s1 = DoubleVector.fromArray(S, x, xi + p + L).fma(DoubleVector.fromArray(S, y, yi + p + L), s1);
        }
        double sum = VectorMath.sumLanes(s0.add(s1));
        for (; p < k; p++) {
            sum = Math.fma(x[xi + p], y[yi + p], sum);
        }
        return sum;
    }

    /** C[ci + j] = alpha sum over p of x[xi + p] B[p, j] + beta C[ci + j], for j in [j0, j1), B row-major. */
    private static void axpyRows(double[] x, int xi, double[] b, int bOff, int ldb, int k, int j0, int j1,
                                 double alpha, double beta, double[] c, int ci) {
        int j = j0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (; j + 2 * L <= j1; j += 2 * L) {
            DoubleVector acc0 = DoubleVector.zero(S);
            DoubleVector acc1 = acc0;
            for (int p = 0; p < k; p++) {
                DoubleVector xp = DoubleVector.broadcast(S, x[xi + p]);
                int bi = bOff + p * ldb + j;
                acc0 = xp.fma(DoubleVector.fromArray(S, b, bi), acc0);
                acc1 = xp.fma(DoubleVector.fromArray(S, b, bi + L), acc1);
            }
            if (beta == 0.0) {
                acc0.mul(va).intoArray(c, ci + j);
                acc1.mul(va).intoArray(c, ci + j + L);
            } else {
                acc0.fma(va, DoubleVector.fromArray(S, c, ci + j).mul(beta)).intoArray(c, ci + j);
                acc1.fma(va, DoubleVector.fromArray(S, c, ci + j + L).mul(beta)).intoArray(c, ci + j + L);
            }
        }
        for (; j < j1; j++) {
            double acc = 0.0;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(x[xi + p], b[bOff + p * ldb + j], acc);
            }
            c[ci + j] = beta == 0.0 ? alpha * acc : Math.fma(acc, alpha, beta * c[ci + j]);
        }
    }

    /** One task: rows [rb * MB, ...) and panels [cb * panelsPerBlock, ...) of C, over the whole depth. */
    private static void block(boolean transA, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                              double[] bp, double beta, double[] c, int cOff, int ldc, int rb, int cb,
                              int panelsPerBlock, int panels) {
        Buffers buf = BUFFERS.get();
        double[] ap = buf.packedA;
        double[] tile = buf.tile;
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
                    store(tile, alpha, first ? beta : 1.0, c, cOff + (i0 + r) * ldc + j, ldc,
                            Math.min(MR, rows - r), cols);
                }
            }
            p0 += kc;
        }
    }

    /**
     * Packs op(B)[p, j] for p in [0, k) and panels [jp0, jp1) into bp: panel jp, step p starts at (jp k + p) NR.
     */
    static void packB(boolean transB, double[] b, int bOff, int ldb, int k, int n, double[] bp, int jp0, int jp1) {
        for (int jp = jp0; jp < jp1; jp++) {
            int j = jp * NR;
            int cols = Math.min(NR, n - j);
            int dst = jp * k * NR;
            if (!transB) {
                // op(B) rows are rows of b: a panel step is NR contiguous doubles.
                if (cols == NR) {
                    for (int p = 0; p < k; p++) {
                        int src = bOff + p * ldb + j;
                        DoubleVector.fromArray(S, b, src).intoArray(bp, dst + p * NR);
                        DoubleVector.fromArray(S, b, src + L).intoArray(bp, dst + p * NR + L);
                    }
                } else {
                    for (int p = 0; p < k; p++) {
                        int src = bOff + p * ldb + j;
                        int d = dst + p * NR;
                        for (int jj = 0; jj < cols; jj++) {
                            bp[d + jj] = b[src + jj];
                        }
                        for (int jj = cols; jj < NR; jj++) {
                            bp[d + jj] = 0.0;
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
                            bp[dst + p * NR + jj] = 0.0;
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
    static void packA(boolean transA, double[] a, int aOff, int lda, int i0, int rows, int p0, int kc, double[] ap) {
        int microPanels = (rows + MR - 1) / MR;
        for (int ir = 0; ir < microPanels; ir++) {
            int dst = ir * MR * kc;
            int r0 = ir * MR;
            int mr = Math.min(MR, rows - r0);
            if (transA) {
                // op(A) columns are rows of a: MR contiguous doubles per step.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * lda + i0 + r0;
                    int d = dst + p * MR;
                    for (int i = 0; i < mr; i++) {
                        ap[d + i] = a[src + i];
                    }
                    for (int i = mr; i < MR; i++) {
                        ap[d + i] = 0.0;
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
                        ap[dst + p * MR + i] = 0.0;
                    }
                }
            }
        }
    }

    /**
     * The MR x NR register tile: tile[i NR + j] = sum over p in [0, kc) of A[i, p] B[p, j], from micro-panels
     * of packed A and B. The tile goes through memory (64 doubles, in L1) rather than being written to C here:
     * with C's arguments live across the loop, C2 spilled accumulators and the loop ran at a quarter of the
     * speed (10 instead of 40 GFLOP/s measured).
     */
    private static void kernel(int kc, double[] ap, int aIdx, double[] bp, int bIdx, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[ai + 3]);
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
    private static void kernelRows(int kc, double[] a, int a0, int lda, double[] bp, int bIdx, double[] tile) {
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[a3 + p]);
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
    private static void store(double[] tile, double alpha, double beta, double[] c, int cIdx, int ldc, int rows,
                              int cols) {
        if (cols == NR) {
            DoubleVector va = DoubleVector.broadcast(S, alpha);
            for (int i = 0; i < rows; i++) {
                int ci = cIdx + i * ldc;
                DoubleVector t0 = DoubleVector.fromArray(S, tile, i * NR);
                DoubleVector t1 = DoubleVector.fromArray(S, tile, i * NR + L);
                if (beta == 0.0) {
                    t0.mul(va).intoArray(c, ci);
                    t1.mul(va).intoArray(c, ci + L);
                } else {
                    t0.fma(va, DoubleVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
                    t1.fma(va, DoubleVector.fromArray(S, c, ci + L).mul(beta)).intoArray(c, ci + L);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int ci = cIdx + i * ldc + j;
                double acc = tile[i * NR + j];
                c[ci] = beta == 0.0 ? alpha * acc : Math.fma(acc, alpha, beta * c[ci]);
            }
        }
    }

    /** C = beta C (beta == 0: zeros, C not read): the whole product when k == 0. */
    static void scale(int m, int n, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0.0 ? 0.0 : beta * c[ci];
            }
        }
    }
}
