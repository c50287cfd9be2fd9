"""Disclosure control for tables of counts: primary and secondary suppression, rounding.

The rule adopted (see docs/gate.md):

- **Primary suppression.** A count ``v`` with ``1 <= v <= threshold - 1`` is suppressed
  (default ``threshold = 10``: counts 1-9 are never published; 0 is published, since a true
  zero discloses nothing about a person, unless ``suppress_zeros``). Margins obey the same rule.
- **Rounding** (optional, NHS-style): every published count is rounded to the nearest
  ``rounding`` (e.g. 5, half up) *after* suppression; totals are rounded from their true values,
  not summed from rounded cells.
- **Secondary (complementary) suppression.** More cells are suppressed until the audit
  (:mod:`insight_hub.gate.audit`) shows that no suppressed cell can be narrowed, from the
  published cells and totals, to an interval narrower than the protection rule (default: width
  at least the threshold). The heuristic, in the spirit of tau-Argus' hypercube method:

  1. while some line (a total with its components) holds exactly one suppressed cell, suppress
     one more cell of that line: a component before a total, non-zero before zero, one already
     tied to another suppressed line (closing a rectangle) before a fresh one, smallest first;
  2. solve the attacker's LPs; for each cell still unprotected suppress the smallest published
     cell, on one of its lines (or, failing that, on a line of a suppressed neighbour), that is
     at least as large as the missing width;
  3. repeat until the audit passes. It always terminates: at worst everything is suppressed.

- **Publication.** Each count column stays numeric (``BIGINT``), NULL where suppressed, with a
  companion text column ``<count>_status`` holding the GSS symbol ``c`` ("confidential") on
  suppressed cells and NULL elsewhere. BI tools can sum and chart the number, and show the
  status next to it; NULL is never mistaken for 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from insight_hub.gate.audit import AuditResult, ProtectionRule, audit, round_half_up
from insight_hub.gate.tables import CountTable, add_totals, from_frame

GSS_CONFIDENTIAL = "c"
STATUS_SUFFIX = "_status"


@dataclass(frozen=True)
class DisclosureRule:
    """The whole publication rule for counts."""

    threshold: int = 10
    rounding: int | None = None
    suppress_zeros: bool = False
    protection: ProtectionRule = field(default_factory=ProtectionRule)
    symbol: str = GSS_CONFIDENTIAL
    status_suffix: str = STATUS_SUFFIX

    def __post_init__(self):
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")
        if self.rounding is not None and self.rounding < 1:
            raise ValueError("rounding must be a positive base, e.g. 5")


def primary_mask(values: np.ndarray, threshold: int, suppress_zeros: bool = False) -> np.ndarray:
    """Cells to suppress on their own: 1 .. threshold-1 (and 0 when suppress_zeros)."""
    v = np.asarray(values, dtype=float)
    low = 0 if suppress_zeros else 1
    return (v >= low) & (v <= threshold - 1)


def _published_values(values: np.ndarray, rounding: int | None) -> np.ndarray:
    return round_half_up(values, rounding) if rounding and rounding > 1 else values.astype(float)


def _linked(table: CountTable, cell: int, suppressed: np.ndarray, skip_line: int) -> bool:
    """Does another line of this cell already hold a suppressed cell?"""
    for line in table.lines_of(cell):
        if line != skip_line and suppressed[table.line_cells(line)].any():
            return True
    return False


def _singles_pass(table: CountTable, suppressed: np.ndarray, margin: np.ndarray) -> int:
    """Step 1: no line may hold exactly one suppressed cell. Returns cells added."""
    added = 0
    values = table.values
    pending = set(range(len(table.constraints)))
    while pending:
        line = pending.pop()
        cells = table.line_cells(line)
        if int(suppressed[cells].sum()) != 1:
            continue
        candidates = [int(c) for c in cells if not suppressed[c]]
        if not candidates:
            continue
        best = min(
            candidates,
            key=lambda c: (
                bool(margin[c]),
                values[c] == 0,
                not _linked(table, c, suppressed, line),
                values[c],
            ),
        )
        suppressed[best] = True
        added += 1
        pending.update(table.lines_of(best))
    return added


def _fix_candidate(
    table: CountTable, cell: int, suppressed: np.ndarray, margin: np.ndarray, deficit: float
) -> int | None:
    """Step 2: a published cell whose suppression widens ``cell``'s interval."""
    values = table.values
    seen_lines: set[int] = set()
    frontier = [cell]
    seen_cells = {cell}
    while frontier:
        candidates: set[int] = set()
        next_frontier = []
        for c in frontier:
            for line in table.lines_of(c):
                if line in seen_lines:
                    continue
                seen_lines.add(line)
                for other in table.line_cells(line):
                    other = int(other)
                    if suppressed[other]:
                        if other not in seen_cells:
                            seen_cells.add(other)
                            next_frontier.append(other)
                    else:
                        candidates.add(other)
        if candidates:
            return min(
                candidates,
                key=lambda c: (
                    values[c] < deficit,
                    bool(margin[c]),
                    values[c] == 0,
                    values[c] if values[c] >= deficit else -values[c],
                ),
            )
        frontier = next_frontier
    return None


@dataclass
class SuppressionResult:
    """One count column: which cells are suppressed, why, and the audit that proves it."""

    count: str
    primary: np.ndarray
    suppressed: np.ndarray
    published: np.ndarray  # float, NaN where suppressed (rounded when rounding)
    audit: AuditResult
    rounds: int

    @property
    def secondary(self) -> np.ndarray:
        return self.suppressed & ~self.primary


def suppress_table(
    table: CountTable, rule: DisclosureRule, *, max_rounds: int = 10_000
) -> SuppressionResult:
    """Primary then secondary suppression of one table, finishing on a passing audit."""
    values = table.values
    if np.isnan(values).any():
        raise ValueError("the table has missing counts: suppress true counts, not published ones")
    if (values < 0).any():
        raise ValueError("counts cannot be negative")
    margin = table.is_margin
    primary = primary_mask(values, rule.threshold, rule.suppress_zeros)
    suppressed = primary.copy()
    published_all = _published_values(values, rule.rounding)
    rounds = 0
    while True:
        rounds += 1
        _singles_pass(table, suppressed, margin)
        result = audit(
            table,
            suppressed,
            threshold=rule.threshold,
            rule=rule.protection,
            rounding=rule.rounding,
            published=published_all,
            primary=primary,
            true_values=values,
        )
        if result.errors:
            raise ValueError("; ".join(result.errors))
        if result.passed:
            break
        added = 0
        for failure in result.failures:
            deficit = failure.required_width - (failure.upper - failure.lower)
            pick = _fix_candidate(table, failure.cell, suppressed, margin, deficit)
            if pick is not None and not suppressed[pick]:
                suppressed[pick] = True
                added += 1
        if not added:
            remaining = np.flatnonzero(~suppressed)
            if not len(remaining):
                raise RuntimeError("suppression did not converge with every cell suppressed")
            suppressed[remaining[np.argmin(values[remaining])]] = True
        if rounds >= max_rounds:
            raise RuntimeError("secondary suppression did not converge")
    published = np.where(suppressed, np.nan, published_all)
    return SuppressionResult("", primary, suppressed, published, result, rounds)


@dataclass
class ProtectedTable:
    """The publishable frame and, per count column, the suppression and its audit."""

    frame: pd.DataFrame
    results: dict[str, SuppressionResult]

    @property
    def passed(self) -> bool:
        return all(r.audit.passed for r in self.results.values())


def protect(
    df: pd.DataFrame,
    dimensions: Sequence[str],
    counts: Sequence[str],
    *,
    rule: DisclosureRule | None = None,
    total: object = None,
    hierarchies: Mapping[str, Mapping[object, Sequence[object]]] | None = None,
    add_margins: bool = True,
) -> ProtectedTable:
    """Suppress (and optionally round) a long table of true counts for publication.

    ``df`` holds true counts: the interior cells, and the margins too when ``add_margins`` is
    False (margins are rows whose dimension holds ``total``: NULL by default). With
    ``add_margins`` (the default) margins are (re)derived from the interior cells and published.
    Each count column is protected independently. Returns the published frame: dimensions,
    each count as nullable integer (NULL when suppressed), and ``<count>_status`` = ``c``.
    """
    rule = rule or DisclosureRule()
    dimensions, counts = list(dimensions), list(counts)
    if add_margins:
        if hierarchies:
            raise ValueError("add_margins cannot derive hierarchy parents: pass them in df")
        df = add_totals(df, dimensions, counts, total=total)
    frame = df[dimensions].copy().reset_index(drop=True)
    results: dict[str, SuppressionResult] = {}
    for count in counts:
        table = from_frame(
            df.reset_index(drop=True), dimensions, count, total=total, hierarchies=hierarchies
        )
        bad = table.inconsistencies()
        if bad:
            raise ValueError(
                f"{count}: totals do not add up at [{table.label(table.constraints[bad[0]][0])}]"
            )
        res = suppress_table(table, rule)
        res.count = count
        results[count] = res
        frame[count] = pd.array(
            [None if np.isnan(v) else int(v) for v in res.published], dtype="Int64"
        )
        frame[count + rule.status_suffix] = pd.array(
            [rule.symbol if s else None for s in res.suppressed], dtype="string"
        )
    return ProtectedTable(frame, results)


def display(frame: pd.DataFrame, counts: Sequence[str], rule: DisclosureRule | None = None):
    """A text view for spreadsheets: each count as text, ``c`` where suppressed."""
    rule = rule or DisclosureRule()
    out = frame.copy()
    for count in counts:
        out[count] = [rule.symbol if pd.isna(v) else str(int(v)) for v in frame[count].tolist()]
        out = out.drop(columns=[count + rule.status_suffix], errors="ignore")
    return out
