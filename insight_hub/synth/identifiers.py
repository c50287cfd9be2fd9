"""Identifiers in their real formats, generated and validated vectorised.

- NHS number: 10 digits, the 10th a modulus-11 check digit over the first nine (weights
  10..2; 11 - remainder, 11 -> 0, 10 -> number not issued).
- UPN (DfE unique pupil number): check letter + LA code (3) + establishment (4) + year (2) +
  serial (3); the check letter is sum(digit_i * i for positions 2..13) mod 23 mapped onto
  ABCDEFGHJKLMNPQRTUVWXYZ.
- NI number: two prefix letters (neither D, F, I, Q, U, V; second not O; not BG, GB, KN, NK,
  NT, TN, ZZ), six digits, suffix A-D.
"""

from __future__ import annotations

import numpy as np

UPN_LETTERS = np.array(list("ABCDEFGHJKLMNPQRTUVWXYZ"))
NINO_FIRST = [c for c in "ABCEGHJKLMNOPRSTWXYZ"]
NINO_SECOND = [c for c in "ABCEGHJKLMNPRSTWXYZ"]
NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
NINO_PREFIXES = np.array(
    [a + b for a in NINO_FIRST for b in NINO_SECOND if a + b not in NINO_BAD_PREFIX]
)
_WEIGHTS_NHS = np.arange(10, 1, -1)


def _digits_to_str(d: np.ndarray) -> np.ndarray:
    """(n, k) int array of digits -> object array of strings."""
    n, k = d.shape
    b = np.ascontiguousarray((d + ord("0")).astype(np.uint8))
    return b.view(f"S{k}").reshape(n).astype(f"U{k}").astype(object)


def unique_ints(rng: np.random.Generator, space: int, n: int) -> np.ndarray:
    """n distinct integers in [0, space), in random order."""
    if n > space:
        raise ValueError("not enough distinct values")
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        k = int((n - len(out)) * 1.02) + 64
        cand = np.concatenate([out, rng.integers(0, space, size=k)])
        _, first = np.unique(cand, return_index=True)
        out = cand[np.sort(first)]
    return out[:n]


def zpad(values: np.ndarray, width: int) -> np.ndarray:
    """Integers -> zero-padded strings (numpy unicode array)."""
    if np.size(values) == 0:
        return np.empty(0, dtype=f"U{width}")
    return np.char.zfill(np.asarray(values, dtype=np.int64).astype(f"U{width}"), width)


def nhs_check(d9: np.ndarray) -> np.ndarray:
    """Check digit for (n, 9) digits; 10 marks an invalid (never issued) number."""
    r = (d9 * _WEIGHTS_NHS).sum(axis=1) % 11
    c = 11 - r
    return np.where(c == 11, 0, c)


def nhs_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid NHS numbers (first digit 4-7, as issued in England and Wales)."""
    out = np.empty(0, dtype=np.int64)
    while len(out) < n:
        k = n - len(out)
        body = unique_ints(rng, 400_000_000, int(k * 1.12) + 32) + 400_000_000
        d9 = (body[:, None] // 10 ** np.arange(8, -1, -1)) % 10
        c = nhs_check(d9)
        good = c != 10
        cand = body[good] * 10 + c[good]
        cand = np.concatenate([out, cand])
        _, first = np.unique(cand, return_index=True)
        out = cand[np.sort(first)]
    return out[:n].astype("U10").astype(object)


def nhs_valid(values) -> np.ndarray:
    out = []
    for v in values:
        s = "".join(ch for ch in str(v) if ch.isdigit()) if v is not None else ""
        if len(s) != 10:
            out.append(False)
            continue
        d = np.frombuffer(s.encode(), dtype=np.uint8) - ord("0")
        c = nhs_check(d[None, :9])[0]
        out.append(bool(c != 10 and c == d[9]))
    return np.array(out, dtype=bool)


def corrupt_nhs(values: np.ndarray) -> np.ndarray:
    """Replace the check digit with a wrong one."""
    out = values.copy()
    for i, v in enumerate(values):
        last = int(v[9])
        out[i] = v[:9] + str((last + 1 + i % 8) % 10)
    return out


def upn_check_letter(body12: np.ndarray) -> np.ndarray:
    """(n, 12) digits of UPN positions 2..13 -> check letters."""
    w = np.arange(2, 14)
    return UPN_LETTERS[(body12 * w).sum(axis=1) % 23]


def upns(rng: np.random.Generator, n: int, la_code: int, year2: np.ndarray) -> np.ndarray:
    """n distinct valid UPNs for pupils first registered in the LA in year2 (2 digits)."""
    est = rng.integers(2000, 2200, size=n)  # the 4-digit establishment number (primaries)
    serial = rng.permutation(n) % 1000
    # LA(3) est(4) year(2) serial(3): make (est, year, serial) unique by bumping collisions
    key = est * 100_000 + (year2 % 100) * 1000 + serial
    _, first = np.unique(key, return_index=True)
    dup = np.ones(n, dtype=bool)
    dup[first] = False
    while dup.any():
        est[dup] = rng.integers(2000, 4999, size=int(dup.sum()))
        key = est * 100_000 + (year2 % 100) * 1000 + serial
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
    digits = np.zeros((n, 12), dtype=np.int64)
    for j, (val, width) in enumerate(
        [(np.full(n, la_code), 3), (est, 4), (year2 % 100, 2), (serial, 3)]
    ):
        offset = [0, 3, 7, 9][j]
        for p in range(width):
            digits[:, offset + p] = (val // 10 ** (width - 1 - p)) % 10
    letters = upn_check_letter(digits)
    body = _digits_to_str(digits).astype("U12")
    return np.char.add(letters, body).astype(object)


def upn_valid(values) -> np.ndarray:
    out = []
    for v in values:
        s = str(v) if v is not None else ""
        if len(s) != 13 or not s[1:].isdigit():
            out.append(False)
            continue
        d = np.frombuffer(s[1:].encode(), dtype=np.uint8).astype(np.int64) - ord("0")
        out.append(bool(upn_check_letter(d[None, :])[0] == s[0]))
    return np.array(out, dtype=bool)


def corrupt_upn(values: np.ndarray) -> np.ndarray:
    out = values.copy()
    for i, v in enumerate(values):
        k = int(np.flatnonzero(v[0] == UPN_LETTERS)[0])
        out[i] = UPN_LETTERS[(k + 1 + i % 20) % 23] + v[1:]
    return out


def ninos(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct valid NI numbers (distinct prefix + number; suffix A-D)."""
    code = unique_ints(rng, len(NINO_PREFIXES) * 1_000_000, n)
    prefix = NINO_PREFIXES[code // 1_000_000]
    suffix = np.array(list("ABCD"))[rng.integers(0, 4, size=n)]
    out = np.char.add(np.char.add(prefix, zpad(code % 1_000_000, 6)), suffix)
    return out.astype(object)


def nino_valid(values) -> np.ndarray:
    good_prefix = set(NINO_PREFIXES.tolist())
    out = []
    for v in values:
        s = str(v).replace(" ", "").upper() if v is not None else ""
        out.append(len(s) == 9 and s[:2] in good_prefix and s[2:8].isdigit() and s[8] in "ABCD")
    return np.array(out, dtype=bool)


def corrupt_nino(values: np.ndarray) -> np.ndarray:
    """An invalid prefix (a D, F, I, Q, U or V; or a reserved pair) or suffix."""
    bad = ["QQ", "DF", "TN", "BG", "IV", "UA"]
    out = values.copy()
    for i, v in enumerate(values):
        out[i] = (bad[i % len(bad)] + v[2:]) if i % 4 else (v[:8] + "E")
    return out


def uprns(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct 12-digit UPRN-like ids (the borough's range starts 1000 or 2000)."""
    vals = rng.choice(900_000_000, size=n, replace=False) + 100_000_000
    base = np.where(rng.random(n) < 0.7, 100_000_000_000, 200_000_000_000)
    return (base + vals).astype(np.int64)
