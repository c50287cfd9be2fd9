"""The attacker's audit: how precisely can each suppressed cell be recovered?

For every suppressed cell the audit solves the two linear programmes an attacker would:
minimise and maximise the cell subject to everything published (the published cells, the
published totals, and that every count is non-negative). The optimum values bound the
*feasible interval* ``[lower, upper]`` of the cell (rounded inwards to integers, since counts
are whole numbers). This is the audit step of tau-Argus (Hundepool et al., *Statistical
Disclosure Control*, Wiley 2012, sections 4.2-4.3; tau-Argus manual, "Audit").

The attacker also knows the publication rule:
- with rounding to base ``b`` a published value ``r`` means a true value in
  ``[r - floor(b/2), r + ceil(b/2) - 1]`` (round half up);
- a published non-zero value cannot be below the threshold ``T`` (those are suppressed), and a
  published 0 is a true 0.

The protection rule (:class:`ProtectionRule`) then says which intervals are wide enough.
For 1-D and 2-D tables with margins the constraint matrix is totally unimodular, so the LP
bounds equal the integer bounds exactly; for larger or hierarchical tables the LP interval may
be wider than the integer one, and the inward integer rounding is the safeguard.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from insight_hub.gate.tables import CountTable, from_frame

EPS = 1e-7


@dataclass(frozen=True)
class ProtectionRule:
    """When is a suppressed cell protected? (defaults: interval width at least the threshold)

    For a suppressed cell whose attacker interval is ``[lower, upper]``:

    - ``upper - lower >= max(min_width, percent/100 * value)``; ``min_width`` defaults to the
      suppression threshold, so nobody can pin a suppressed cell to fewer than T possible
      values (a cell known to lie in 0..9 tells nothing the rule did not already say);
    - and, where the true value ``a`` of a primary (small) cell is known (when suppressing,
      before publication), tau-Argus-style protection levels: ``upper >= a + upper_level`` and
      ``lower <= max(0, a - lower_level)``.

    ``percent``, ``upper_level`` and ``lower_level`` apply only where true values are known.
    """

    min_width: float | None = None
    percent: float = 0.0
    upper_level: float = 0.0
    lower_level: float = 0.0

    def width_needed(self, threshold: int, value: float | None = None) -> float:
        width = float(threshold if self.min_width is None else self.min_width)
        if value is not None and not math.isnan(value) and self.percent:
            width = max(width, self.percent / 100.0 * value)
        return width


@dataclass
class CellInterval:
    """The attacker's feasible interval for one suppressed cell, and the verdict."""

    cell: int
    label: str
    lower: float
    upper: float
    required_width: float
    passed: bool
    value: float | None = None
    primary: bool | None = None
    reason: str = ""

    @property
    def width(self) -> float:
        return self.upper - self.lower

    def describe(self) -> str:
        hi = "inf" if math.isinf(self.upper) else f"{self.upper:g}"
        text = f"[{self.label}] feasible interval [{self.lower:g}, {hi}]"
        if not self.passed:
            text += f": {self.reason}"
        return text


@dataclass
class AuditResult:
    intervals: list[CellInterval] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lp_solved: int = 0

    @property
    def passed(self) -> bool:
        return not self.errors and all(i.passed for i in self.intervals)

    @property
    def failures(self) -> list[CellInterval]:
        return [i for i in self.intervals if not i.passed]

    def summary(self) -> dict:
        return {
            "suppressed_cells": len(self.intervals),
            "unprotected_cells": len(self.failures),
            "errors": list(self.errors),
            "failures": [i.describe() for i in self.failures[:20]],
        }


def round_half_up(values: np.ndarray, base: int) -> np.ndarray:
    return base * np.floor(np.asarray(values, dtype=float) / base + 0.5)


def published_bounds(
    published: np.ndarray, *, rounding: int | None, threshold: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """What the attacker knows about each published cell: [lo, hi] (NaN stays NaN)."""
    lo = published.astype(float).copy()
    hi = published.astype(float).copy()
    if rounding and rounding > 1:
        lo = np.maximum(0.0, np.ceil(published - rounding / 2.0))
        hi = np.ceil(published + rounding / 2.0) - 1.0
    if threshold and threshold > 1:
        # A published value is either 0 or at least the threshold (the rest were suppressed).
        only_zero = (hi < threshold) & (lo <= 0)
        above = lo > 0
        lo = np.where(only_zero, 0.0, np.where(above, np.maximum(lo, threshold), lo))
        hi = np.where(only_zero, 0.0, hi)
        # hi < T with lo > 0 is a published small count (a failure reported elsewhere):
        # the attacker then knows it exactly as published.
        small = (hi < threshold) & above
        lo = np.where(small, published, lo)
        hi = np.where(small, published, hi)
    lo = np.where(np.isnan(published), np.nan, lo)
    hi = np.where(np.isnan(published), np.nan, hi)
    return lo, hi


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def attacker_intervals(
    table: CountTable,
    suppressed: np.ndarray,
    *,
    published: np.ndarray | None = None,
    rounding: int | None = None,
    threshold: int | None = None,
    cells: Sequence[int] | None = None,
) -> tuple[dict[int, tuple[float, float]], list[str], int]:
    """Solve min/max LPs for each suppressed cell (or just ``cells``).

    ``published`` holds what was published for every cell (ignored where suppressed); by
    default the table's own values. Returns ({cell: (lower, upper)}, errors, LPs solved).
    """
    suppressed = np.asarray(suppressed, dtype=bool)
    pub = table.values if published is None else np.asarray(published, dtype=float)
    pub = np.where(suppressed, np.nan, pub)
    lo_known, hi_known = published_bounds(pub, rounding=rounding, threshold=threshold)
    uncertain = suppressed | (lo_known != hi_known)
    if np.isnan(pub[~suppressed]).any():
        return {}, ["a cell that is not suppressed has no published value"], 0

    # Rows that involve an uncertain cell, in terms of uncertain variables.
    uf = _UnionFind(table.n)
    rows: list[tuple[list[int], list[float], float]] = []
    for total, comps in table.constraints:
        cells_in = [int(total), *map(int, comps)]
        coefs = [1.0] + [-1.0] * len(comps)
        var_idx, var_coef, rhs = [], [], 0.0
        for c, a in zip(cells_in, coefs, strict=True):
            if uncertain[c]:
                var_idx.append(c)
                var_coef.append(a)
            else:
                rhs -= a * lo_known[c]
        if not var_idx:
            continue
        for c in var_idx[1:]:
            uf.union(var_idx[0], c)
        rows.append((var_idx, var_coef, rhs))

    targets = [int(c) for c in (np.flatnonzero(suppressed) if cells is None else cells)]
    by_comp: dict[int, list[int]] = {}
    for c in targets:
        by_comp.setdefault(uf.find(c), []).append(c)
    comp_rows: dict[int, list[int]] = {}
    for r, (var_idx, _, _) in enumerate(rows):
        comp_rows.setdefault(uf.find(var_idx[0]), []).append(r)

    out: dict[int, tuple[float, float]] = {}
    errors: list[str] = []
    solved = 0
    for root, comp_targets in by_comp.items():
        members = sorted(
            {c for r in comp_rows.get(root, []) for c in rows[r][0]} | set(comp_targets)
        )
        pos = {c: i for i, c in enumerate(members)}
        r_ids = comp_rows.get(root, [])
        bounds = [
            (0.0, None) if suppressed[c] else (float(lo_known[c]), float(hi_known[c]))
            for c in members
        ]
        if r_ids:
            data, ri, ci, b = [], [], [], []
            for k, r in enumerate(r_ids):
                var_idx, var_coef, rhs = rows[r]
                for c, a in zip(var_idx, var_coef, strict=True):
                    data.append(a)
                    ri.append(k)
                    ci.append(pos[c])
                b.append(rhs)
            a_eq = csr_matrix((data, (ri, ci)), shape=(len(r_ids), len(members)))
            b_eq = np.asarray(b)
        else:
            a_eq, b_eq = None, None
        for c in comp_targets:
            if a_eq is None:
                out[c] = (0.0, math.inf)
                continue
            objective = np.zeros(len(members))
            objective[pos[c]] = 1.0
            res_min = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            res_max = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            solved += 2
            if res_min.status == 2 or res_max.status == 2:
                errors.append(
                    f"the published totals are inconsistent around [{table.label(c)}] "
                    "(no non-negative table matches them)"
                )
                out[c] = (math.nan, math.nan)
                continue
            lower = 0.0 if res_min.status != 0 else max(0.0, math.ceil(res_min.fun - EPS))
            upper = math.inf if res_max.status == 3 else math.floor(-res_max.fun + EPS)
            out[c] = (lower, upper)
    return out, errors, solved


def audit(
    table: CountTable,
    suppressed: np.ndarray,
    *,
    threshold: int = 10,
    rule: ProtectionRule | None = None,
    rounding: int | None = None,
    published: np.ndarray | None = None,
    primary: np.ndarray | None = None,
    true_values: np.ndarray | None = None,
) -> AuditResult:
    """Check every suppressed cell against the protection rule.

    ``published``: what was published (rounded values, say); default the table's values.
    ``true_values`` and ``primary``: known only before publication; they switch on the
    percent and protection-level parts of the rule for primary cells.
    """
    rule = rule or ProtectionRule()
    intervals, errors, solved = attacker_intervals(
        table, suppressed, published=published, rounding=rounding, threshold=threshold
    )
    result = AuditResult(errors=errors, lp_solved=solved)
    for c, (lower, upper) in sorted(intervals.items()):
        value = None if true_values is None else float(true_values[c])
        is_primary = None if primary is None else bool(primary[c])
        known = value is not None and is_primary
        needed = rule.width_needed(threshold, value if known else None)
        reasons = []
        if math.isnan(lower):
            reasons.append("inconsistent totals")
        elif upper - lower < needed - EPS:
            if upper == lower:
                reasons.append(f"recoverable exactly (= {lower:g})")
            else:
                reasons.append(f"interval width {upper - lower:g} < {needed:g}")
        if known and not math.isnan(lower):
            if upper < value + rule.upper_level - EPS:
                reasons.append(f"upper bound below value + {rule.upper_level:g}")
            if lower > max(0.0, value - rule.lower_level) + EPS:
                reasons.append(f"lower bound above value - {rule.lower_level:g}")
        result.intervals.append(
            CellInterval(
                cell=c,
                label=table.label(c),
                lower=lower,
                upper=upper,
                required_width=needed,
                passed=not reasons,
                value=value,
                primary=is_primary,
                reason="; ".join(reasons),
            )
        )
    return result


def audit_published(
    frame: pd.DataFrame,
    dimensions: Sequence[str],
    count: str,
    *,
    total: object = None,
    hierarchies: Mapping[str, Mapping[object, Sequence[object]]] | None = None,
    threshold: int = 10,
    rounding: int | None = None,
    rule: ProtectionRule | None = None,
    status_column: str | None = None,
    symbol: str = "c",
) -> AuditResult:
    """Audit a table as published: suppressed cells are NULL counts (or status = symbol).

    This is exactly the attacker's position: only what is published is used.
    """
    table = from_frame(frame, dimensions, count, total=total, hierarchies=hierarchies)
    suppressed = np.isnan(table.values)
    if status_column and status_column in frame.columns:
        flagged = (frame[status_column].astype("string") == symbol).fillna(False).to_numpy()
        suppressed = suppressed | flagged
    result = audit(table, suppressed, threshold=threshold, rule=rule, rounding=rounding)
    if not rounding:
        for line in table.inconsistencies():
            total_cell, _ = table.constraints[line]
            result.errors.append(f"published totals do not add up at [{table.label(total_cell)}]")
    return result
