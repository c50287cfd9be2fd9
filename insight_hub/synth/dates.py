"""Dates as int32 day numbers (days since 1970-01-01), formatted by table lookup.

Every date in the generator is a day number so that all arithmetic is vectorised; formatting
to a system's layout indexes a precomputed table of strings, which is much faster than
formatting each value.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np

EPOCH = dt.date(1970, 1, 1)
NULL = np.iinfo(np.int32).min  # "no date"


def day(s: str) -> int:
    """'2026-10-01' -> day number."""
    return (dt.date.fromisoformat(s) - EPOCH).days


SIM_START = day("2018-01-01")  # the simulation (and the oldest extract records) start here
WINDOW_START = day("2023-10-01")  # the 36-month analysis window 2023-10 .. 2026-09
AS_OF = day("2026-10-01")  # the extract date
N_MONTHS = 105  # 2018-01 .. 2026-09
WINDOW_FIRST_MONTH = 69  # month index of 2023-10
ARREARS_FIRST_MONTH = 57  # 2022-10: arrears series carry 12 months before the window

# day-number range covered by the formatting tables
_TABLE_START = day("1900-01-01")
_TABLE_END = day("2031-01-01")


def month_start(m) -> np.ndarray:
    """Month index (0 = 2018-01) -> day number of the 1st of that month."""
    m = np.asarray(m)
    y = 2018 + m // 12
    mo = m % 12 + 1
    return ymd_to_day(y, mo, np.ones_like(m))


def ymd_to_day(y, m, d) -> np.ndarray:
    y = np.asarray(y, dtype=np.int64)
    m = np.asarray(m, dtype=np.int64)
    d = np.asarray(d, dtype=np.int64)
    months = (y - 1970) * 12 + (m - 1)
    first = np.array(months, dtype="datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return (first + d - 1).astype(np.int32)


def to_ymd(days) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(days, dtype="int64").astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    return y, m, dd


def month_index(days) -> np.ndarray:
    """Day number -> month index relative to 2018-01."""
    d = np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[M]")
    return (d.astype(np.int64) - (2018 - 1970) * 12).astype(np.int32)


def age_at(dob, when) -> np.ndarray:
    """Whole years of age at `when` (vectorised, exact on birthdays)."""
    y1, m1, d1 = to_ymd(dob)
    y2, m2, d2 = to_ymd(when)
    before = (m2 < m1) | ((m2 == m1) & (d2 < d1))
    return (y2 - y1 - before).astype(np.int32)


def add_months(days, n) -> np.ndarray:
    y, m, d = to_ymd(days)
    total = y * 12 + (m - 1) + np.asarray(n)
    return ymd_to_day(total // 12, total % 12 + 1, np.minimum(d, 28))


MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# layouts: iso 2024-03-02, uk 02/03/2024, iso_time 2024-03-02 00:00:00, dmy_abbr 02-Mar-2024


def _z(values: np.ndarray, width: int) -> np.ndarray:
    return np.char.zfill(values.astype(f"U{width}"), width)


@cache
def _table(fmt: str) -> np.ndarray:
    """Every day in the table range formatted in one layout (built vectorised, once)."""
    days = np.arange(_TABLE_START, _TABLE_END)
    y, m, d = to_ymd(days)
    yy, mm, dd = _z(y, 4), _z(m, 2), _z(d, 2)
    add = np.char.add
    if fmt == "iso":
        out = add(add(add(add(yy, "-"), mm), "-"), dd)
    elif fmt == "uk":
        out = add(add(add(add(dd, "/"), mm), "/"), yy)
    elif fmt == "iso_time":
        out = add(add(add(add(add(yy, "-"), mm), "-"), dd), " 00:00:00")
    elif fmt == "dmy_abbr":
        mon = np.array(MONTH_ABBR)[m - 1]
        out = add(add(add(add(dd, "-"), mon), "-"), yy)
    else:
        raise ValueError(f"unknown date layout {fmt!r}")
    return out.astype(object)


def fmt(days, style: str) -> np.ndarray:
    """Format day numbers in a system's layout; NULL -> None."""
    days = np.asarray(days, dtype=np.int64)
    out = np.empty(days.shape, dtype=object)
    ok = days != NULL
    out[ok] = _table(style)[days[ok] - _TABLE_START]
    return out


@cache
def _month_labels(style: str) -> np.ndarray:
    if style == "ym":
        return np.array(
            [f"{2018 + i // 12:04d}-{i % 12 + 1:02d}" for i in range(N_MONTHS)], dtype=object
        )
    return np.array(
        [f"{MONTH_ABBR[i % 12]}-{2018 + i // 12:04d}" for i in range(N_MONTHS)], dtype=object
    )


def fmt_month(month_idx, style: str) -> np.ndarray:
    """Month index -> 'yyyy-mm' ('ym') or 'Mar-2024' ('mon_yyyy')."""
    return _month_labels(style)[np.asarray(month_idx)]
