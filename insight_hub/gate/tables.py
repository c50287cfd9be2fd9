"""Tables of counts as a linear system: cells, and the totals that tie them together.

A published aggregate is a "long" (tidy) table: one row per cell, dimension columns and one or
more count columns. Margins (totals) are rows whose dimension holds the *total marker*: NULL by
default, which is what SQL's ``GROUP BY CUBE`` / ``ROLLUP`` produce, or a label such as
``"Total"``. Every margin is one linear constraint: ``total = sum of its components``. A simple
hierarchy inside one dimension (ward -> LSOAs) adds constraints ``parent = sum of children``.

This is all an attacker needs to know about the table's structure, and all that the
suppression heuristic (:mod:`insight_hub.gate.disclosure`) and the audit
(:mod:`insight_hub.gate.audit`) use. A combination absent from the frame counts as a known 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd


class _Total:
    """The margin marker inside cell keys (whatever the frame used: NULL or a label)."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "Total"

    def __reduce__(self):
        return (_Total, ())


TOTAL = _Total()


def _is_total(value: object, total: object) -> bool:
    if total is None:
        return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))
    return value == total


@dataclass
class CountTable:
    """Cells (one per row of the frame) and the linear constraints between them."""

    dimensions: tuple[str, ...]
    keys: list[tuple]
    values: np.ndarray  # float64, NaN where not known (a suppressed cell of a published frame)
    constraints: list[tuple[int, np.ndarray]]  # (total cell, component cells)
    row_index: np.ndarray = field(default=None)  # frame position of each cell

    def __post_init__(self):
        if self.row_index is None:
            self.row_index = np.arange(len(self.keys))
        self._lines_of: list[list[int]] | None = None

    @property
    def n(self) -> int:
        return len(self.keys)

    def line_cells(self, line: int) -> np.ndarray:
        total, comps = self.constraints[line]
        return np.concatenate(([total], comps)).astype(int)

    def lines_of(self, cell: int) -> list[int]:
        """The constraints (lines) a cell takes part in, as total or as component."""
        if self._lines_of is None:
            lines: list[list[int]] = [[] for _ in range(self.n)]
            for i, (total, comps) in enumerate(self.constraints):
                lines[total].append(i)
                for c in comps:
                    lines[int(c)].append(i)
            self._lines_of = lines
        return self._lines_of[cell]

    @property
    def is_margin(self) -> np.ndarray:
        """True for cells that are the total of some constraint."""
        out = np.zeros(self.n, dtype=bool)
        for total, _ in self.constraints:
            out[total] = True
        return out

    def label(self, cell: int) -> str:
        return ", ".join(
            f"{d}={v!r}" for d, v in zip(self.dimensions, self.keys[cell], strict=True)
        )

    def inconsistencies(self, tol: float = 1e-6) -> list[int]:
        """Constraints whose cells are all known and do not add up."""
        bad = []
        for i, (total, comps) in enumerate(self.constraints):
            cells = np.concatenate(([total], comps)).astype(int)
            if np.isnan(self.values[cells]).any():
                continue
            if abs(self.values[total] - self.values[comps.astype(int)].sum()) > tol:
                bad.append(i)
        return bad


def from_frame(
    df: pd.DataFrame,
    dimensions: Sequence[str],
    count: str,
    *,
    total: object = None,
    hierarchies: Mapping[str, Mapping[object, Sequence[object]]] | None = None,
) -> CountTable:
    """Read a long table of counts (margins as rows carrying ``total``) into a CountTable.

    ``hierarchies`` maps a dimension to ``{parent value: [child values]}``; the margin of that
    dimension is then the sum of its top-level values (those that are nobody's child).
    """
    dimensions = tuple(dimensions)
    hierarchies = {d: dict(h) for d, h in (hierarchies or {}).items()}
    missing = [c for c in (*dimensions, count) if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the table: {missing}")

    dim_values = [df[d].tolist() for d in dimensions]
    keys = [
        tuple(TOTAL if _is_total(v, total) else v for v in row)
        for row in zip(*dim_values, strict=True)
    ]
    if len(set(keys)) != len(keys):
        dup = pd.Series(keys)[pd.Series(keys).duplicated()].iloc[0]
        raise ValueError(f"duplicate cell {dict(zip(dimensions, dup, strict=True))} in the table")
    values = pd.to_numeric(df[count], errors="coerce").astype("float64").to_numpy()

    constraints: list[tuple[int, np.ndarray]] = []
    for i, dim in enumerate(dimensions):
        levels = {k[i] for k in keys if k[i] is not TOTAL}
        children_of: dict[object, list] = {p: list(c) for p, c in hierarchies.get(dim, {}).items()}
        all_children = {c for cs in children_of.values() for c in cs}
        children_of[TOTAL] = sorted(
            (v for v in levels if v not in all_children), key=lambda v: (str(type(v)), str(v))
        )
        groups: dict[tuple, dict] = {}
        for idx, key in enumerate(keys):
            groups.setdefault(key[:i] + key[i + 1 :], {})[key[i]] = idx
        for members in groups.values():
            for parent, children in children_of.items():
                if parent not in members:
                    continue
                comps = [members[c] for c in children if c in members]
                constraints.append((members[parent], np.asarray(comps, dtype=int)))
    return CountTable(dimensions, keys, values, constraints, np.arange(len(keys)))


def add_totals(
    df: pd.DataFrame,
    dimensions: Sequence[str],
    counts: Sequence[str],
    *,
    total: object = None,
) -> pd.DataFrame:
    """Interior cells plus every margin (the full cube), margins marked with ``total``.

    Rows that already carry the total marker in any dimension are dropped first, so the margins
    are always the exact sums of the interior cells.
    """
    dimensions, counts = list(dimensions), list(counts)
    interior = df.copy()
    for d in dimensions:
        interior = interior[~interior[d].map(lambda v: _is_total(v, total))]
    interior = interior[dimensions + counts]
    parts = [interior]
    for r in range(1, len(dimensions) + 1):
        for rolled in combinations(dimensions, r):
            kept = [d for d in dimensions if d not in rolled]
            if kept:
                agg = interior.groupby(kept, dropna=False, sort=True)[counts].sum().reset_index()
            else:
                agg = interior[counts].sum().to_frame().T
            for d in rolled:
                agg[d] = total
            parts.append(agg[dimensions + counts])
    out = pd.concat([p.astype({d: object for d in dimensions}) for p in parts], ignore_index=True)
    for c in counts:
        out[c] = out[c].astype("int64")
    return out
