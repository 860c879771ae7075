#!/usr/bin/env python3
"""Splits the execution samples of a JFR recording of a training run into the parts of a step.

    jfr print --json --events jdk.ExecutionSample run.jfr > run.json
    python3 bench/scripts/jfr_breakdown.py run.json [--threads] [--skip SECONDS]

Each sample is put in the first category whose pattern matches a frame, scanning from the top of the stack
(the method running) down; --threads splits the counts by thread as well. Patterns are (class, method) prefixes
of the frames JFR prints, with '/' or '.' in class names both accepted. --skip drops the samples of the first
SECONDS of the recording (the first epoch, while the JIT compiles), so that what remains is the steady state.
"""
import collections
import json
import sys

# Order matters: the first pattern found while walking down from the top frame wins.
CATEGORIES = [
    # Before GEMM: a block of C waiting for the packing of B (awaitPacking) is a hand-off, not multiplying.
    ("thread hand-off (wait/spin/park)", [("perceptron.kernels.Parallel$Pool", "workLoop"),
                                          ("perceptron.kernels.Parallel$Pool", "run"),
                                          ("perceptron.kernels.Parallel$Job", "awaitDone"),
                                          ("perceptron.internal.kernels.FloatGemm", "awaitPacking"),
                                          ("perceptron.internal.kernels.DoubleGemm", "awaitPacking"),
                                          ("jdk.internal.misc.Unsafe", "park")]),
    ("GEMM", [("perceptron.internal.kernels.FloatGemm", ""), ("perceptron.internal.kernels.DoubleGemm", "")]),
    ("optimizer", [("perceptron.internal.kernels.VectorKernels", "sgdStep"), ("perceptron.internal.kernels.VectorKernels", "lambda$sgdStep"),
                   ("perceptron.internal.kernels.VectorKernels", "adamStep"), ("perceptron.internal.kernels.VectorKernels", "lambda$adamStep"),
                   ("perceptron.optim", "")]),
    ("softmax-CE", [("perceptron.internal.kernels.VectorKernels", "crossEntropy"), ("perceptron.internal.kernels.VectorKernels", "lambda$crossEntropy"),
                    ("perceptron.internal.kernels.VectorKernels", "rowLogSumExp"), ("perceptron.internal.kernels.VectorKernels", "expShiftSum"),
                    ("perceptron.loss", "")]),
    ("batch gathering (bytes to floats, shuffle)", [("perceptron.data", ""), ("perceptron.internal.kernels.VectorKernels", "lambda$bytesToFloats"),
                                  ("perceptron.internal.kernels.VectorKernels", "bytesToFloats")]),
    ("bias add / bias gradient (column sum)", [("perceptron.internal.kernels.VectorKernels", "reduceColumns"),
                                               ("perceptron.internal.kernels.VectorKernels", "lambda$reduce"),
                                               ("perceptron.ops.Reductions", ""),
                                               ("perceptron.ops.Loops", "")]),
    ("activation (relu and its backward)", [("perceptron.internal.kernels.VectorKernels", "unaryFloat"),
                                            ("perceptron.internal.kernels.VectorKernels", "binaryFloat"),
                                            ("perceptron.internal.kernels.VectorKernels", "binaryDouble"),
                                            ("perceptron.internal.kernels.VectorKernels", "unary"),
                                            ("perceptron.internal.kernels.VectorKernels", "binary"),
                                            ("perceptron.ops.Activations", "")]),
    ("allocation / GC / workspace", [("perceptron.tensor.Workspace", ""), ("perceptron.tensor.Storage", ""),
                                     ("java.util.Arrays", "fill")]),
    ("autograd bookkeeping", [("perceptron.autograd", ""), ("perceptron.tensor", ""), ("perceptron.ops", ""),
                              ("perceptron.nn", "")]),
    ("trainer / metrics", [("perceptron.train", "")]),
]


def classify(thread, frames):
    if thread.startswith("perceptron-prefetch"):
        return "batch gathering (bytes to floats, shuffle)"
    for cls, method in frames:
        for name, patterns in CATEGORIES:
            for pc, pm in patterns:
                if cls.startswith(pc) and method.startswith(pm):
                    return name
    if frames and frames[0][0].startswith(("jdk.incubator.vector", "jdk.internal.vm.vector")):
        return "Vector API not yet compiled (warm-up)"
    return "other: " + (frames[0][0] + "." + frames[0][1] if frames else "?")


def parse_time(text):
    """Seconds of an ISO time stamp as JFR prints it (2026-12-03T12:28:01.123456789Z), within the day."""
    clock = text.split("T")[1].rstrip("Z")
    h, m, sec = clock.split(":")
    return int(h) * 3600 + int(m) * 60 + float(sec[:12])


def main():
    path = sys.argv[1]
    by_thread = "--threads" in sys.argv
    skip = float(sys.argv[sys.argv.index("--skip") + 1]) if "--skip" in sys.argv else 0.0
    events = json.load(open(path))["recording"]["events"]
    start = min(parse_time(e["values"]["startTime"]) for e in events)
    counts = collections.Counter()
    for e in events:
        if parse_time(e["values"]["startTime"]) - start < skip:
            continue
        thread = (e["values"].get("sampledThread") or {}).get("javaName") or "?"
        frames = [(f["method"]["type"]["name"].replace("/", "."), f["method"]["name"])
                  for f in e["values"]["stackTrace"]["frames"]]
        key = classify(thread, frames)
        if by_thread:
            key = thread + ": " + key
        counts[key] += 1
    total = sum(counts.values())
    for key, n in counts.most_common():
        print(f"{n:6d} {100.0 * n / total:5.1f}%  {key}")
    print(f"{total:6d} samples")


if __name__ == "__main__":
    main()
