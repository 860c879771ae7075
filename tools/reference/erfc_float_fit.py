#!/usr/bin/env python3
"""Fits the polynomial P of VectorMath.erfc: erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + z / 2), z in [0, 10.1].

Beyond z = 10.1, erfc(z) is below the smallest float32 subnormal. P is a least-squares fit on Chebyshev nodes of
log(erfc(z) e^(z^2) / t), computed with mpmath at 40 digits, then its float32 coefficients are checked by
evaluating the whole formula in float32 (numpy) against mpmath. Prints the coefficients, highest power first.

    python3 tools/reference/erfc_float_fit.py
"""
import mpmath
import numpy as np

mpmath.mp.dps = 40
DEGREE = 9
T_MIN = 1.0 / (1.0 + 10.1 / 2)


def target(t):
    z = 2 * (1 / mpmath.mpf(t) - 1)
    return float(mpmath.log(mpmath.erfc(z) * mpmath.exp(z * z) / t))


nodes = np.cos(np.pi * (np.arange(400) + 0.5) / 400)
ts = T_MIN + (1 - T_MIN) * (nodes + 1) / 2
ys = np.array([target(t) for t in ts])
coef = np.polyfit(ts, ys, DEGREE)          # highest power first
c32 = coef.astype(np.float32)

worst = 0.0
for z in np.linspace(0, 10.0, 20001):
    zf = np.float32(z)
    t = np.float32(1) / (np.float32(1) + zf * np.float32(0.5))
    p = np.float32(0)
    for c in c32:
        p = p * t + c
    # z^2 exactly (VectorMath splits it into two floats): what is checked is the fit and its float32 Horner.
    got = float(t) * float(np.exp(np.float32(p))) * float(mpmath.exp(-mpmath.mpf(float(zf)) ** 2))
    ref = float(mpmath.erfc(mpmath.mpf(float(zf))))
    if ref > 1e-37:
        worst = max(worst, abs(got - ref) / ref)
print("float32 coefficients, highest power first:")
for c in c32:
    print(f"{float(c)!r}f,")
print(f"max relative error in float32 for z in [0, 10] (erfc > 1e-37): {worst:.3g}")
