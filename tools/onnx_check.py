#!/usr/bin/env python3
"""Checks ONNX files written by perceptron with the reference tools: onnx.checker (full check, with shape
inference) and onnxruntime, and compares onnxruntime's output with perceptron's.

    python3 -m venv V && V/bin/pip install onnx onnxruntime numpy
    mvn -q -pl core -am test -Dtest=OnnxExportTest -Dsurefire.failIfNoSpecifiedTests=false   # writes the files
    V/bin/python tools/onnx_check.py [core/target/onnx-export]    # or: tools/onnx_check.py FILE.onnx ...

For a directory, every NAME.onnx that has a NAME.expected.safetensors beside it (tensors "input" and "output",
perceptron's output on that input) is run in onnxruntime on the same input; the largest absolute difference
must be at most 1e-5. A plain FILE.onnx is checked and run on a random input of its declared shape (batch 3).
Exit code 1 if any check fails.
"""
import glob
import json
import os
import struct
import sys

import numpy as np
import onnx
import onnxruntime as ort

TOLERANCE = 1e-5


def read_safetensors(path):
    """The tensors of a safetensors file (F32 and F64 only), with the standard library and NumPy."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": "<f4", "F64": "<f8"}[info["dtype"]]
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[8 + n + start:8 + n + end], dtype=dtype).reshape(info["shape"])
    return out


def check(path):
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    opset = {o.domain: o.version for o in model.opset_import}.get("", "?")
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    expected = path[:-len(".onnx")] + ".expected.safetensors"
    if os.path.exists(expected):
        tensors = read_safetensors(expected)
        x = tensors["input"].astype(np.float32)
        want = tensors["output"]
    else:
        inp = session.get_inputs()[0]
        shape = [3 if not isinstance(d, int) else d for d in inp.shape]
        x = np.random.default_rng(0).random(shape, dtype=np.float32)
        want = None
    got = session.run(None, {session.get_inputs()[0].name: x})[0]
    ops = sorted({n.op_type for n in model.graph.node})
    line = f"{os.path.basename(path)}: opset {opset}, onnx.checker ok, onnxruntime output {list(got.shape)}"
    if want is None:
        return True, line + f"; ops {ops}"
    diff = float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64))))
    ok = diff <= TOLERANCE and got.shape == want.shape
    return ok, line + f", max |onnxruntime - perceptron| = {diff:.1e}" + ("" if ok else "  FAILED") + f"; ops {ops}"


def main(args):
    paths = []
    for a in args or ["core/target/onnx-export"]:
        paths += sorted(glob.glob(os.path.join(a, "*.onnx"))) if os.path.isdir(a) else [a]
    if not paths:
        print("no .onnx files found (run OnnxExportTest first, see --help)", file=sys.stderr)
        return 2
    failed = 0
    for p in paths:
        try:
            ok, line = check(p)
        except Exception as e:   # the checker's and onnxruntime's errors, reported per file
            ok, line = False, f"{os.path.basename(p)}: FAILED: {type(e).__name__}: {e}".splitlines()[0]
        failed += not ok
        print(line)
    print(f"{len(paths) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    if "--help" in sys.argv or "-h" in sys.argv:
        print(__doc__)
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
