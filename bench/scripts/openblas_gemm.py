"""OpenBLAS sgemm through PyTorch at the MLP shapes, 1024^3 and 2048^3: the bound our GEMM is compared against.

Run:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
        LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/scripts/openblas_gemm.py
Prints GFLOP/s (2*m*n*k / time), best of several repeats, for 1 and 2 threads.
"""
import time
import torch

SHAPES = [
    ("X*W^T  256x784 @ (256x784)^T", lambda: (torch.randn(256, 784), torch.randn(256, 784).t()), (256, 256, 784)),
    ("dY*W   256x256 @ 256x784", lambda: (torch.randn(256, 256), torch.randn(256, 784)), (256, 784, 256)),
    ("dY^T*X (256x256)^T @ 256x784", lambda: (torch.randn(256, 256).t(), torch.randn(256, 784)), (256, 784, 256)),
    ("1024^3", lambda: (torch.randn(1024, 1024), torch.randn(1024, 1024)), (1024, 1024, 1024)),
    ("2048^3 (the machine's peak)", lambda: (torch.randn(2048, 2048), torch.randn(2048, 2048)), (2048, 2048, 2048)),
]


def bench(a, b, flops, seconds=1.0):
    out = torch.empty(a.shape[0], b.shape[1])
    for _ in range(5):
        torch.mm(a, b, out=out)
    best = float("inf")
    for _ in range(7):
        reps = 0
        t0 = time.perf_counter()
        while True:
            torch.mm(a, b, out=out)
            reps += 1
            t = time.perf_counter() - t0
            if t > seconds / 7:
                break
        best = min(best, t / reps)
    return flops / best / 1e9


print(torch.__version__, torch.__config__.show().split("\n")[0:0])
for threads in (1, 2):
    torch.set_num_threads(threads)
    for name, make, (m, n, k) in SHAPES:
        a, b = make()
        print(f"threads={threads} {name:32s} m={m} n={n} k={k}: {bench(a, b, 2.0 * m * n * k):7.1f} GFLOP/s")
