"""d2l's MLP (section 5.2) in PyTorch, on the same Fashion-MNIST IDX files: the peer of perceptron's benchmark.

Usage: /usr/bin/python3 bench/pytorch_mlp.py [--data DIR] [--epochs 10] [--threads N] [--seed 42] [--hidden 256,256]
                                               [--dropout 0.2,0.5] [--lr 0.1] [--json]
Prints one line per epoch (train loss, train acc, test acc, seconds) and a summary; with --json, the summary as
one JSON line (what bench/compare-pytorch.sh reads). PyTorch is a benchmark peer only, never a dependency.
"""
import argparse
import gzip
import json
import os
import resource
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        p = os.path.join(data_dir, name)
        if os.path.exists(p):
            return p
    sys.exit(f"pytorch_mlp.py: {stem}(.gz) not found in {data_dir}")


def blas_in_use():
    """The BLAS library the process actually mapped (from /proc/self/maps): OpenBLAS, or MKL in PyTorch 2.x wheels."""
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path).lower()
            if "blas" in name or name.startswith("libmkl"):
                libs.add(path)
    if torch.backends.mkl.is_available():
        # PyTorch 2.x wheels link MKL into libtorch_cpu.so: it does not show as a library of its own.
        libs = {"MKL (linked into libtorch_cpu)"} | {l for l in libs if "numpy" not in l}
    return ", ".join(sorted(libs)) or "none found"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--hidden", default="256")
    ap.add_argument("--dropout", default="")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    # As d2l: uint8 images kept in memory, converted per batch with ToTensor's x / 255.
    train_x = torch.from_numpy(read_idx(find(args.data, "train-images-idx3-ubyte")).copy())
    train_y = torch.from_numpy(read_idx(find(args.data, "train-labels-idx1-ubyte")).astype(np.int64))
    test_x = torch.from_numpy(read_idx(find(args.data, "t10k-images-idx3-ubyte")).copy())
    test_y = torch.from_numpy(read_idx(find(args.data, "t10k-labels-idx1-ubyte")).astype(np.int64))

    hidden = [int(h) for h in args.hidden.split(",") if h]
    dropout = [float(p) for p in args.dropout.split(",") if p]
    layers, width = [nn.Flatten()], 784
    for i, h in enumerate(hidden):
        layers += [nn.Linear(width, h), nn.ReLU()]
        if dropout and dropout[i] > 0:
            layers.append(nn.Dropout(dropout[i]))
        width = h
    layers.append(nn.Linear(width, 10))
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, std=0.01)
            nn.init.zeros_(m.bias)
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=args.lr)
    gen = torch.Generator().manual_seed(args.seed)

    def accuracy(x, y):
        net.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, len(x), 1000):
                xb = x[i:i + 1000].unsqueeze(1).float() / 255
                correct += (net(xb).argmax(1) == y[i:i + 1000]).sum().item()
        net.train()
        return correct / len(x)

    train_seconds, cpu_seconds, history = [], [], []
    n = len(train_x)
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        cpu_start = time.process_time()
        perm = torch.randperm(n, generator=gen)
        loss_sum, correct, seen = 0.0, 0, 0
        net.train()
        for i in range(0, n, args.batch_size):
            idx = perm[i:i + args.batch_size]
            xb = train_x[idx].unsqueeze(1).float() / 255
            yb = train_y[idx]
            out = net(xb)
            loss = loss_fn(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
            seen += len(idx)
        seconds = time.perf_counter() - start
        train_seconds.append(seconds)
        cpu_seconds.append(time.process_time() - cpu_start)
        test_acc = accuracy(test_x, test_y)
        history.append((epoch, loss_sum / seen, correct / seen, test_acc, seconds))
        if not args.json:
            print(f"epoch {epoch}/{args.epochs}  train loss {loss_sum / seen:.4f}  train acc {correct / seen:.4f}"
                  f"  test acc {test_acc:.4f}  {seconds:.3f} s", flush=True)

    summary = {
        "framework": f"PyTorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "blas": blas_in_use(),
        "first_epoch_s": train_seconds[0],
        "median_epoch_s": statistics.median(train_seconds[1:]) if len(train_seconds) > 1 else train_seconds[0],
        "test_acc": history[-1][3],
        # CPU time of the process (all threads, OpenMP's spinning included): less disturbed by a shared machine.
        "cpu_epoch_s": statistics.median(cpu_seconds[1:]) if len(cpu_seconds) > 1 else cpu_seconds[0],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"PyTorch {torch.__version__}, {summary['threads']} threads, BLAS: {summary['blas']}")
        print(f"first epoch {summary['first_epoch_s']:.3f} s, median of the rest {summary['median_epoch_s']:.3f} s, "
              f"test acc {summary['test_acc']:.4f}, peak RSS {summary['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
