#!/usr/bin/python3
"""Prints erfc(k/4), k = 0..14, correctly rounded to float64: the ERFC_AT_CENTRE table in ActivationMath.java.

    /usr/bin/python3 tools/reference/erfc_centres.py
"""
import mpmath

mpmath.mp.dps = 50
for k in range(15):
    print("        %r," % float(mpmath.erfc(mpmath.mpf(k) / 4)))
