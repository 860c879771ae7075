#!/usr/bin/python3
"""Reference values for perceptron's core ops, computed with PyTorch.

Writes core/src/test/resources/reference/core_ops.txt, which ReferenceValuesTest reads. Run from the repository
root with Debian's PyTorch (python3-torch):

    /usr/bin/python3 tools/reference/core_ops.py

Every case applies one op (named like the lambda in ReferenceValuesTest that computes it in Java) to fixed
inputs, then runs backward with a fixed upstream gradient `gout`, and records the output and the gradient of
every input that requires grad. Inputs are drawn from a seeded generator, then written out, so the Java side reads
the exact same numbers and never has to reproduce NumPy's random streams.

File format (plain text, one record per line, parsed by the test itself):

    case <op>/<dtype>
    in    <name> <dtype> <shape> <values...>     an input that requires grad
    const <name> <dtype> <shape> <values...>     an input that does not
    gout  -      <dtype> <shape> <values...>     the gradient passed to backward
    out   -      <dtype> <shape> <values...>     the op's output
    grad  <name> <dtype> <shape> <values...>     d(sum(out * gout)) / d(input)
    end

A shape is written [2,3] ([] for a scalar). Values use Python's repr (round-trips float64 exactly; float32
values are written as the float64 of the same number), with inf, -inf and nan.
"""

import math
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "core", "src", "test", "resources", "reference",
                   "core_ops.txt")

rng = np.random.default_rng(20240601)
DTYPES = {"float32": torch.float32, "float64": torch.float64}
lines = []


def fmt_value(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(float(v))


def record(kind, name, t):
    t = t.detach()
    dtype = "float64" if t.dtype == torch.float64 else "float32"
    shape = "[" + ",".join(str(d) for d in t.shape) + "]"
    values = " ".join(fmt_value(v) for v in t.double().reshape(-1).tolist())
    lines.append(f"{kind} {name} {dtype} {shape} {values}".rstrip())


def randn(*shape, scale=1.0):
    return rng.standard_normal(shape) * scale


def case(op, dtype, fn, inputs=None, consts=None, backward=True):
    """inputs/consts: dict name -> numpy array (float64, converted to dtype)."""
    inputs = inputs or {}
    consts = consts or {}
    tdtype = DTYPES[dtype]
    lines.append(f"case {op}/{dtype}")
    ins = {}
    for k, v in inputs.items():
        t = torch.tensor(np.asarray(v, dtype=np.float64), dtype=tdtype).requires_grad_(True)
        ins[k] = t
        record("in", k, t)
    cs = {}
    for k, v in consts.items():
        t = torch.tensor(np.asarray(v, dtype=np.float64), dtype=tdtype)
        cs[k] = t
        record("const", k, t)
    out = fn(**ins, **cs)
    if backward and ins:
        gout = torch.tensor(rng.standard_normal(tuple(out.shape)), dtype=out.dtype)
        record("gout", "-", gout)
        out.backward(gout)
    record("out", "-", out)
    if backward:
        for k, t in ins.items():
            record("grad", k, t.grad if t.grad is not None else torch.zeros_like(t))
    lines.append("end")


def both(op, fn, inputs=None, consts=None, backward=True):
    for dtype in ("float32", "float64"):
        case(op, dtype, fn, inputs, consts, backward)


# ---- factories ---------------------------------------------------------------------------------------------
for dtype in ("float32", "float64"):
    d = DTYPES[dtype]
    case("arange_m8_8_0.1", dtype, lambda: torch.arange(-8.0, 8.0, 0.1, dtype=d), backward=False)
    case("arange_0_1_0.1", dtype, lambda: torch.arange(0.0, 1.0, 0.1, dtype=d), backward=False)
    case("arange_1_0_m0.25", dtype, lambda: torch.arange(1.0, 0.0, -0.25, dtype=d), backward=False)
    case("arange_0_10_3", dtype, lambda: torch.arange(0.0, 10.0, 3.0, dtype=d), backward=False)
    case("arange_m3_3_0.05", dtype, lambda: torch.arange(-3.0, 3.0, 0.05, dtype=d), backward=False)
    case("arange_5", dtype, lambda: torch.arange(5.0, dtype=d), backward=False)
    case("linspace_0_1_7", dtype, lambda: torch.linspace(0.0, 1.0, 7, dtype=d), backward=False)
    case("linspace_m8_8_161", dtype, lambda: torch.linspace(-8.0, 8.0, 161, dtype=d), backward=False)
    case("linspace_m1_1_5", dtype, lambda: torch.linspace(-1.0, 1.0, 5, dtype=d), backward=False)
    case("linspace_3_3_1", dtype, lambda: torch.linspace(3.0, 3.0, 1, dtype=d), backward=False)
    case("linspace_0_1_1", dtype, lambda: torch.linspace(0.0, 1.0, 1, dtype=d), backward=False)
    case("linspace_0_1_0", dtype, lambda: torch.linspace(0.0, 1.0, 0, dtype=d), backward=False)
    case("arange_m1_1_0.1", dtype, lambda: torch.arange(-1.0, 1.0, 0.1, dtype=d), backward=False)
    case("linspace_0.1_0.9_33", dtype, lambda: torch.linspace(0.1, 0.9, 33, dtype=d), backward=False)
    case("eye_3", dtype, lambda: torch.eye(3, dtype=d), backward=False)

# ---- elementwise ------------------------------------------------------------------------------------------
both("add", lambda a, b: a + b, {"a": randn(3, 1), "b": randn(1, 4)})
both("sub", lambda a, b: a - b, {"a": randn(2, 3, 4), "b": randn(4)})
both("mul", lambda a, b: a * b, {"a": randn(2, 1, 4), "b": randn(3, 1)})
both("div", lambda a, b: a / b, {"a": randn(3, 4), "b": rng.uniform(0.5, 2.0, (4,))})
both("add_scalar_tensor", lambda a, b: a + b, {"a": randn(), "b": randn(2, 3)})
both("mul_scalar", lambda a: a * 2.5, {"a": randn(2, 3)})
both("div_scalar", lambda a: a / 3.0, {"a": randn(2, 5)})
# Java scalars are rounded to the tensor's dtype first, as PyTorch does (x * 0.1 is x * 0.1f for float32).
steps = np.arange(1.0, 41.0)
both("mul_scalar_0.1", lambda a: a * 0.1, {"a": steps})
both("add_scalar_0.1", lambda a: a + 0.1, {"a": steps / 7})
both("div_scalar_0.1", lambda a: a / 0.1, {"a": steps})
both("sub_scalar_0.3", lambda a: a - 0.3, {"a": steps / 3})
both("eq_scalar_0.1", lambda a: (a == 0.1).to(a.dtype), None, {"a": [0.1, 0.2, 0.3]}, backward=False)
both("clamp_0.1_edges", lambda a: a.clamp(-0.1, 0.1), {"a": [-0.2, -0.1, 0.05, 0.1, 0.2]})
both("rsub_scalar", lambda a: 1.0 - a, {"a": randn(4)})
both("rdiv_scalar", lambda a: 2.0 / a, {"a": rng.uniform(0.5, 2.0, (4,))})
both("neg", lambda a: -a, {"a": randn(2, 3)})
both("exp", lambda a: a.exp(), {"a": randn(2, 3)})
both("log", lambda a: a.log(), {"a": rng.uniform(0.1, 5.0, (2, 3))})
both("sqrt", lambda a: a.sqrt(), {"a": rng.uniform(0.1, 5.0, (2, 3))})
both("abs", lambda a: a.abs(), {"a": [-2.0, -0.5, 0.0, 0.5, 2.0]})
both("sign", lambda a: a.sign(), {"a": [-2.0, 0.0, 3.0]})
both("square", lambda a: a.square(), {"a": randn(5)})
both("log1p", lambda a: a.log1p(), {"a": [1e-10, 1e-5, 0.5, 3.0]})
both("expm1", lambda a: a.expm1(), {"a": [1e-10, -1e-5, 0.5, -3.0]})
both("sin", lambda a: a.sin(), {"a": randn(4)})
both("cos", lambda a: a.cos(), {"a": randn(4)})
for p, tag in ((0.0, "0"), (1.0, "1"), (2.0, "2"), (3.0, "3"), (0.5, "0.5"), (-1.0, "m1"), (-2.0, "m2")):
    base = [0.5, 1.0, 1.5, 2.0, 3.0] if p < 1 and p != 0 else [-2.0, -0.5, 0.0, 0.5, 2.0]
    both("pow_" + tag, lambda a, p=p: a.pow(p), {"a": base})
both("pow_tensor", lambda a, b: a.pow(b), {"a": [[0.5, 1.5, 2.0], [1.0, 3.0, 0.25]], "b": [[2.0, -1.0, 0.5]]})
both("pow_tensor_zeros", lambda a, b: a.pow(b), {"a": [0.0, 0.0, 2.0, 0.0], "b": [0.0, 2.0, 0.0, 1.0]})
both("maximum_ties", lambda a, b: torch.maximum(a, b), {"a": [1.0, 2.0, 3.0, -1.0], "b": [1.0, 3.0, 2.0, -1.0]})
both("minimum_ties", lambda a, b: torch.minimum(a, b), {"a": [1.0, 2.0, 3.0, -1.0], "b": [1.0, 3.0, 2.0, -1.0]})
both("maximum_broadcast", lambda a, b: torch.maximum(a, b), {"a": randn(3, 1), "b": randn(4)})
both("clamp_edges", lambda a: a.clamp(-1.0, 1.0), {"a": [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]})
both("clamp_min_edge", lambda a: a.clamp(min=0.0), {"a": [-1.0, 0.0, 1.0]})
both("clamp_max_edge", lambda a: a.clamp(max=0.0), {"a": [-1.0, 0.0, 1.0]})
both("where", lambda c, a, b: torch.where(c != 0, a, b), {"a": randn(2, 3), "b": randn(3)},
     {"c": [[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]})
both("relu", lambda a: a.relu(), {"a": [-2.0, -1e-3, 0.0, 1e-3, 2.0]})
both("sigmoid", lambda a: a.sigmoid(), {"a": [-40.0, -5.0, -0.5, 0.0, 0.5, 5.0, 40.0]})
both("tanh", lambda a: a.tanh(), {"a": [-20.0, -2.0, -0.5, 0.0, 0.5, 2.0, 20.0]})
both("gt", lambda a, b: (a > b).to(a.dtype), None, {"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 2.0]}, backward=False)
both("eq", lambda a, b: (a == b).to(a.dtype), None, {"a": [1.0, 2.0, 3.0], "b": [2.0, 2.0, 2.0]}, backward=False)

# ---- reductions -------------------------------------------------------------------------------------------
x234 = randn(2, 3, 4)
both("sum_all", lambda a: a.sum(), {"a": x234})
for ax in (0, 1, 2, -1):
    both(f"sum_axis{ax}", lambda a, ax=ax: a.sum(ax), {"a": x234})
    both(f"sum_axis{ax}_keep", lambda a, ax=ax: a.sum(ax, keepdim=True), {"a": x234})
    both(f"mean_axis{ax}", lambda a, ax=ax: a.mean(ax), {"a": x234})
    both(f"amax_axis{ax}", lambda a, ax=ax: a.amax(ax), {"a": x234})
    both(f"amin_axis{ax}_keep", lambda a, ax=ax: a.amin(ax, keepdim=True), {"a": x234})
both("sum_axes02", lambda a: a.sum((0, 2)), {"a": x234})
both("mean_all", lambda a: a.mean(), {"a": x234})
both("mean_axes12_keep", lambda a: a.mean((1, 2), keepdim=True), {"a": x234})
both("mean_long", lambda a: a.mean(), {"a": rng.uniform(0, 1, (1000,))})
both("max_all_ties", lambda a: a.max(), {"a": [[1.0, 3.0, 3.0], [0.0, 3.0, -1.0]]})
both("min_all_ties", lambda a: a.min(), {"a": [[1.0, -3.0, 3.0], [-3.0, 3.0, -1.0]]})
both("amax_axis1_ties", lambda a: a.amax(1), {"a": [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [5.0, 0.0, 1.0]]})
both("argmax_ties", lambda a: a.argmax().to(torch.float64), None, {"a": [[1.0, 3.0, 3.0], [0.0, 3.0, -1.0]]},
     backward=False)
both("argmax_axis1_ties", lambda a: a.argmax(1).to(torch.float64), None,
     {"a": [[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [5.0, 0.0, 5.0]]}, backward=False)
both("argmax_axis0", lambda a: a.argmax(0).to(torch.float64), None, {"a": randn(4, 3)}, backward=False)
both("argmin_axis1_ties", lambda a: a.argmin(1).to(torch.float64), None,
     {"a": [[1.0, -3.0, -3.0], [2.0, 2.0, 2.0]]}, backward=False)

# ---- along an axis ----------------------------------------------------------------------------------------
for ax in (0, 1, -1):
    both(f"softmax_axis{ax}", lambda a, ax=ax: a.softmax(ax), {"a": randn(3, 4, scale=2.0)})
    both(f"log_softmax_axis{ax}", lambda a, ax=ax: a.log_softmax(ax), {"a": randn(3, 4, scale=2.0)})
    both(f"logsumexp_axis{ax}", lambda a, ax=ax: a.logsumexp(ax), {"a": randn(3, 4, scale=2.0)})
both("logsumexp_large", lambda a: a.logsumexp(1),
     {"a": [[1000.0, 1000.5, 999.0], [-1000.0, -1001.0, -999.5], [88.0, 89.0, 90.0]]})
both("logsumexp_axis1_keep", lambda a: a.logsumexp(1, keepdim=True), {"a": randn(2, 3)})
both("softmax_large", lambda a: a.softmax(-1), {"a": [[1000.0, 1000.5, 999.0], [-1000.0, -1001.0, -999.5]]})
both("log_softmax_large", lambda a: a.log_softmax(-1), {"a": [[1000.0, 0.0, -1000.0]]})

# ---- linear algebra ---------------------------------------------------------------------------------------
for name, sa, sb in (("matmul_1d_1d", (3,), (3,)), ("matmul_2d_1d", (2, 3), (3,)), ("matmul_1d_2d", (3,), (3, 4)),
                     ("matmul_2d_2d", (2, 3), (3, 4)), ("matmul_3d_2d", (5, 2, 3), (3, 4)),
                     ("matmul_3d_3d", (5, 2, 3), (5, 3, 4)), ("matmul_bcast", (1, 2, 3), (5, 3, 4)),
                     ("matmul_4d_3d", (2, 1, 2, 3), (4, 3, 2)), ("matmul_1d_3d", (3,), (2, 3, 4)),
                     ("matmul_3d_1d", (2, 4, 3), (3,))):
    both(name, lambda a, b: a @ b, {"a": randn(*sa), "b": randn(*sb)})
both("matmul_at_b", lambda a, b: a.t() @ b, {"a": randn(3, 2), "b": randn(3, 4)})
both("linear_bias", lambda x, w, b: torch.nn.functional.linear(x, w, b),
     {"x": randn(5, 3), "w": randn(4, 3), "b": randn(4)})
both("linear_nobias", lambda x, w: torch.nn.functional.linear(x, w), {"x": randn(2, 5, 3), "w": randn(4, 3)})

# ---- shape ------------------------------------------------------------------------------------------------
both("transpose_reshape", lambda a: a.transpose(0, 1).reshape(4, 3), {"a": randn(3, 4)})
both("concat_axis1", lambda a, b: torch.cat([a, b], 1), {"a": randn(2, 3), "b": randn(2, 2)})
both("stack_axis1", lambda a, b: torch.stack([a, b], 1), {"a": randn(2, 3), "b": randn(2, 3)})
both("index_select_repeat", lambda a: a.index_select(0, torch.tensor([2, 0, 2, 2])), {"a": randn(3, 2)})
both("slice_step", lambda a: a[:, 1:5:2], {"a": randn(2, 6)})
both("broadcast_to", lambda a: a.expand(2, 3, 4), {"a": randn(3, 1)})

with open(OUT, "w") as f:
    f.write(f"# Generated by tools/reference/core_ops.py with torch {torch.__version__}; do not edit by hand.\n")
    f.write("\n".join(lines) + "\n")
print(f"wrote {sum(1 for l in lines if l.startswith('case '))} cases to {os.path.normpath(OUT)}")

# ---- printing -----------------------------------------------------------------------------------------------
# core_format.txt: repr() of tensors that TensorFormatTest rebuilds by name. Each case is
#   format <name>
#   <repr, one or more lines>
#   end
FORMAT_OUT = os.path.join(os.path.dirname(OUT), "core_format.txt")
x_grad = torch.tensor([1.0, 2.0], requires_grad=True)
formats = {
    "scalar_3": torch.tensor(3.0),
    "scalar_2.5": torch.tensor(2.5),
    "scalar_nan": torch.tensor(float("nan")),
    "vector": torch.tensor([1.0, 2.5]),
    "matrix_int": torch.tensor([[1.0, -2.0], [3.0, 4.0]]),
    "arange_30": torch.arange(30.0),
    "arange_2000": torch.arange(2000.0),
    "arange_24_3d": torch.arange(24.0).reshape(2, 3, 4),
    "tiny_sci": torch.tensor([1e-5, 1.0]),
    "float64": torch.tensor([1.0, 2.0], dtype=torch.float64),
    "big_matrix": torch.arange(1200.0).reshape(40, 30) / 7,
    "summarized_4d": torch.arange(1200.0).reshape(2, 3, 4, 50),
    "nonfinite": torch.tensor([float("nan"), float("inf"), 1.5]),
    "nonfinite_int": torch.tensor([float("-inf"), 2.0]),
    "requires_grad": x_grad,
    "mixed": torch.tensor([0.1, 123.456]),
    "big": torch.tensor([1e9, 1.0]),
    "int_ratio": torch.tensor([1.0, 2000.0]),
    "book_range": torch.arange(-8.0, 8.0, 0.1),
    "linspace": torch.linspace(-1.0, 1.0, 5),
    "empty": torch.tensor([]),
    "empty_2d": torch.zeros(2, 0),
    "empty_float64": torch.zeros(0, dtype=torch.float64),
    "negative_zero": torch.tensor([-0.0, 1.0]),
    "zeros": torch.zeros(3),
    "half_even": torch.tensor([0.03125, 0.5]),
    "float64_matrix": (torch.arange(12.0, dtype=torch.float64).reshape(3, 4) - 5.5) / 3,
    "long_float64_row": torch.linspace(0.0, 1.0, 33, dtype=torch.float64),
}
with open(FORMAT_OUT, "w") as f:
    f.write(f"# Generated by tools/reference/core_ops.py with torch {torch.__version__}; do not edit by hand.\n")
    for name, t in formats.items():
        f.write(f"format {name}\n{t!r}\nend\n")
print(f"wrote {len(formats)} formats to {os.path.normpath(FORMAT_OUT)}")
