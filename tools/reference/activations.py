#!/usr/bin/python3
"""Reference values for the activation functions, from PyTorch (Debian's python3-torch) and mpmath.

Run from anywhere with the system Python (the one that has torch):

    /usr/bin/python3 tools/reference/activations.py

It rewrites three fixtures under core/src/test/resources/reference/, plain text that the Java tests parse
themselves:

  activations.csv         function,dtype,x,y,dydx,d2ydx2 on a shared grid (kinks and +-1e4 included), float64
                          and float32; y, dy/dx and d2y/dx2 are PyTorch's (autograd, second order with
                          create_graph). Floats are written with repr(), which Java's Double.parseDouble reads back
                          exactly.
  activation_tensors.txt  prelu (shared and per-channel alpha, gradients for input and alpha) and softmax /
                          logSoftmax along each axis with a fixed upstream gradient: one tensor per line,
                          "key|shape|values".
  erf.csv                 x,erf,erfc from mpmath at 50 digits, correctly rounded to float64: the accuracy check of
                          our own erf/erfc.
  gelu.csv                x,gelu,gelu' (exact GELU, x Phi(x) and Phi(x) + x phi(x)) from mpmath at 50 digits, from
                          the far left tail (-38, where it underflows) to 10.

The function keys (first column) match the map in ActivationReferenceTest.java.
"""
import os
import sys

import mpmath
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "core", "src", "test", "resources", "reference"))

ALPHA = lambda t: torch.tensor([0.25], dtype=t.dtype)

# key -> function of a 1-D tensor. Keys name the Java call in ActivationReferenceTest.
FUNCTIONS = {
    "relu": F.relu,
    "prelu": lambda t: F.prelu(t, ALPHA(t)),
    "leakyRelu": F.leaky_relu,
    "leakyRelu(0.2)": lambda t: F.leaky_relu(t, 0.2),
    "elu": F.elu,
    "elu(0.5)": lambda t: F.elu(t, 0.5),
    "selu": F.selu,
    "celu": F.celu,
    "celu(2)": lambda t: F.celu(t, 2.0),
    "gelu": F.gelu,
    "geluTanh": lambda t: F.gelu(t, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "softplus": F.softplus,
    "softplus(2,5)": lambda t: F.softplus(t, beta=2.0, threshold=5.0),
    "softsign": F.softsign,
    "hardtanh": F.hardtanh,
    "hardtanh(-2,2)": lambda t: F.hardtanh(t, -2.0, 2.0),
    "relu6": F.relu6,
    "hardSigmoid": F.hardsigmoid,
    "hardSwish": F.hardswish,
    "logSigmoid": F.logsigmoid,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "abs": torch.abs,
    # d2l's scratch relu. PyTorch splits the gradient at the tie x = 0 (1/2); we do not (see docs/activations.md).
    "maximum(x,0)": lambda t: torch.max(t, torch.zeros_like(t)),
}


def grid():
    xs = [k * 0.25 for k in range(-32, 33)]  # -8 .. 8, exact in binary: every kink on it is hit exactly
    xs += [-0.01, 0.01, -1e-4, 1e-4, -1e-8, 1e-8, -0.0]
    for v in [9.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 50.0, 100.0, 1e3, 1e4]:
        xs += [-v, v]
    return xs


def derivatives(f, x):
    x = x.clone().requires_grad_(True)
    y = f(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    g2 = None
    if g.requires_grad:
        try:
            (g2,) = torch.autograd.grad(g.sum(), x, allow_unused=True)
        except RuntimeError:  # PyTorch 1.13 has no double backward for hardsigmoid: written as "nan", not checked
            g2 = torch.full_like(x, float("nan"))
    if g2 is None:
        g2 = torch.zeros_like(x)
    return y.detach(), g.detach(), g2.detach()


def fmt(v):
    return repr(float(v))


def write_grid():
    xs = grid()
    lines = ["# function,dtype,x,y,dydx,d2ydx2 from torch " + torch.__version__ + " (tools/reference/activations.py)"]
    for dtype, dname in [(torch.float64, "float64"), (torch.float32, "float32")]:
        x = torch.tensor(xs, dtype=dtype)
        for key, f in FUNCTIONS.items():
            y, g, g2 = derivatives(f, x)
            for i in range(len(xs)):
                lines.append(",".join([key, dname, fmt(x[i]), fmt(y[i]), fmt(g[i]), fmt(g2[i])]))
    with open(os.path.join(OUT, "activations.csv"), "w") as out:
        out.write("\n".join(lines) + "\n")


def tensor_line(key, t):
    t = t.detach().to(torch.float64)
    shape = ",".join(str(s) for s in t.shape)
    return key + "|" + shape + "|" + " ".join(fmt(v) for v in t.reshape(-1).tolist())


def write_tensors():
    gen = torch.Generator().manual_seed(2024)
    lines = ["# key|shape|values from torch " + torch.__version__ + " (tools/reference/activations.py), float64"]

    def prelu_case(name, x, alpha):
        x = x.clone().requires_grad_(True)
        alpha = alpha.clone().requires_grad_(True)
        w = torch.randn(x.shape, generator=gen, dtype=torch.float64)
        y = F.prelu(x, alpha)
        (y * w).sum().backward()
        for k, t in [("x", x), ("alpha", alpha), ("w", w), ("y", y), ("gx", x.grad), ("galpha", alpha.grad)]:
            lines.append(tensor_line(name + "." + k, t))

    x = torch.randn(4, 3, generator=gen, dtype=torch.float64)
    x[0, 0] = 0.0
    x[2, 1] = 0.0
    prelu_case("prelu.shared", x, torch.tensor([0.25], dtype=torch.float64))
    x = torch.randn(2, 3, 4, generator=gen, dtype=torch.float64)
    x[1, 2, 3] = 0.0
    x[0, 1, 0] = 0.0
    prelu_case("prelu.channels", x, torch.tensor([0.25, -0.5, 1.5], dtype=torch.float64))

    x = torch.randn(2, 3, 4, generator=gen, dtype=torch.float64) * 3
    x[0, 0, 0] = 1e4
    x[1, 2, 1] = -1e4
    w = torch.randn(2, 3, 4, generator=gen, dtype=torch.float64)
    lines.append(tensor_line("softmax.x", x))
    lines.append(tensor_line("softmax.w", w))
    for fname, f in [("softmax", F.softmax), ("logSoftmax", F.log_softmax)]:
        for axis in range(3):
            xx = x.clone().requires_grad_(True)
            y = f(xx, dim=axis)
            (y * w).sum().backward()
            lines.append(tensor_line(fname + "." + str(axis) + ".y", y))
            lines.append(tensor_line(fname + "." + str(axis) + ".gx", xx.grad))
    with open(os.path.join(OUT, "activation_tensors.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


def write_erf():
    mpmath.mp.dps = 50
    xs = [k / 64.0 for k in range(-6 * 64, 28 * 64 + 1)]  # -6 .. 28 by 1/64: every branch and boundary of ours
    xs += [1e-300, 1e-20, 1e-8, 0.3, 0.49999999999999994, 0.5000000000000001, 1.1, 2.2, 3.6249999999999996,
           3.625, 3.6250000000000004, 5.55, 9.87654321, 26.5, 27.25, -1e-8, -0.7, -3.3, 7.0 ** 0.5, 10.0 ** 0.5]
    lines = ["# x,erf,erfc from mpmath " + mpmath.__version__ + " at 50 digits (tools/reference/activations.py)"]
    for v in xs:
        m = mpmath.mpf(v)
        lines.append(",".join([fmt(v), fmt(mpmath.erf(m)), fmt(mpmath.erfc(m))]))
    with open(os.path.join(OUT, "erf.csv"), "w") as out:
        out.write("\n".join(lines) + "\n")


def write_gelu():
    mpmath.mp.dps = 50
    xs = [k / 8.0 for k in range(-38 * 8, 10 * 8 + 1)] + [-37.5 + k * 0.0123456789 for k in range(3000)]
    lines = ["# x,gelu,gelu' from mpmath " + mpmath.__version__ + " at 50 digits (tools/reference/activations.py)"]
    for v in xs:
        m = mpmath.mpf(v)
        cdf = mpmath.ncdf(m)
        pdf = mpmath.npdf(m)
        lines.append(",".join([fmt(v), fmt(m * cdf), fmt(cdf + m * pdf)]))
    with open(os.path.join(OUT, "gelu.csv"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    os.makedirs(OUT, exist_ok=True)
    write_grid()
    write_tensors()
    write_erf()
    write_gelu()
    print("wrote activations.csv, activation_tensors.txt, erf.csv and gelu.csv to " + OUT, file=sys.stderr)
