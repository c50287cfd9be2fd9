"""The error model: how each system's copy of a person drifts from the truth.

Every function takes a rate from `ErrorRates` and applies it independently per value, so
the realised rate can be measured against the truth (tests/synth/test_errors.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import NULL, to_ymd, ymd_to_day

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# keys next to each other on a UK keyboard: substitutions are mostly neighbours
_NEIGHBOURS = {
    "a": "qswz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def typo(rng: np.random.Generator, s: str) -> str:
    """One keying error: insert, delete, substitute (keyboard neighbour) or transpose."""
    if not s or len(s) < 2:
        return s
    op = rng.integers(0, 4)
    i = int(rng.integers(1, len(s)))  # keep the first letter more often right
    if op == 0:  # insert: a doubled or neighbouring letter
        c = s[i - 1]
        return s[:i] + c + s[i:]
    if op == 1 and len(s) > 3:  # delete
        return s[:i] + s[i + 1 :]
    if op == 2:  # substitute
        c = s[i].lower()
        pool = _NEIGHBOURS.get(c, _LETTERS)
        new = pool[int(rng.integers(0, len(pool)))]
        new = new.upper() if s[i].isupper() else new
        return s[:i] + new + s[i + 1 :]
    # transpose with the next letter
    if i < len(s) - 1 and s[i] != s[i + 1]:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    return s[:i] + s[i] + s[i:]  # fall back to a doubling


def typos(rng: np.random.Generator, values: np.ndarray, rate: float) -> np.ndarray:
    out = values.copy()
    hit = np.flatnonzero(rng.random(len(values)) < rate)
    for i in hit:
        if out[i]:
            out[i] = typo(rng, out[i])
    return out


def nicknames(
    rng, forenames: np.ndarray, variants: dict[str, np.ndarray], rate: float
) -> np.ndarray:
    out = forenames.copy()
    hit = np.flatnonzero(rng.random(len(out)) < rate)
    for i in hit:
        v = variants.get(out[i])
        if v is not None:
            out[i] = v[int(rng.integers(0, len(v)))]
    return out


def middle_in_forename(rng, forenames: np.ndarray, middle: np.ndarray, rate: float) -> np.ndarray:
    """The middle name keyed into the forename field ('John Paul'), for people who have one."""
    out = forenames.copy()
    hit = np.flatnonzero((rng.random(len(out)) < rate) & pd.notna(middle))
    out[hit] = out[hit] + " " + middle[hit]
    return out


def hyphen_variants(rng, surnames: np.ndarray, rate: float) -> np.ndarray:
    out = surnames.copy()
    hit = np.flatnonzero(rng.random(len(out)) < rate)
    for i in hit:
        s = out[i]
        if s and "-" in s and not s.startswith(("Al-", "El-")):
            a, b = s.split("-", 1)
            k = rng.integers(0, 3)
            out[i] = (a, b, f"{a} {b}")[k]
    return out


def dob_errors(rng, dob: np.ndarray, swap_rate: float, typo_rate: float) -> np.ndarray:
    """Day/month transposed (where possible) or a day / year off by one."""
    dob = np.asarray(dob, dtype=np.int32).copy()
    ok = dob != NULL
    y, m, d = to_ymd(np.where(ok, dob, 0))
    swappable = ok & (d <= 12) & (d != m)
    swap = swappable & (rng.random(len(dob)) < swap_rate)
    if swap.any():
        dob[swap] = ymd_to_day(y[swap], d[swap], m[swap])
    slip = ok & ~swap & (rng.random(len(dob)) < typo_rate)
    if slip.any():
        which = rng.integers(0, 2, size=int(slip.sum()))
        delta_day = np.where(rng.random(int(slip.sum())) < 0.5, -1, 1)
        dob[slip] = np.where(
            which == 0,
            dob[slip] + delta_day,
            ymd_to_day(y[slip] + delta_day, m[slip], np.minimum(d[slip], 28)),
        )
    return dob


def blank(rng, values: np.ndarray, rate: float) -> np.ndarray:
    """Missing at `rate` (None)."""
    out = np.asarray(values, dtype=object).copy()
    out[rng.random(len(out)) < rate] = None
    return out
