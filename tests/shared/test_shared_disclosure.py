"""Disclosure control of the partner aggregates, checked on the tables as built.

For every table of schema shared: no published count lies in 1..threshold-1; a count is NULL
exactly where its status is `c`; every suppressed cell's feasible interval (the attacker's LP,
insight_hub.gate.audit) is at least `threshold` wide and holds the true count; no line (a
total with its cells) holds a single suppressed cell; published counts are the true counts
and the published totals agree with the published cells.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from shared_support import SHARED_TABLES

from insight_hub.gate.audit import audit_published
from insight_hub.gate.tables import from_frame

IDS = [t.name for t in SHARED_TABLES]


def test_every_shared_table_is_built(con):
    built = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'shared'"
        ).fetchall()
    }
    assert built == {t.name for t in SHARED_TABLES}, "a shared table without a suite, or none"


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_no_published_count_below_the_threshold(spec, published):
    frame = published[spec.name]
    counts = frame[spec.count]
    shown = counts.dropna().astype("int64")
    small = shown[(shown >= 1) & (shown <= spec.threshold - 1)]
    assert small.empty, f"{len(small)} published count(s) in 1..{spec.threshold - 1}"
    assert (shown >= 0).all()
    if spec.rounding:
        assert (shown % int(spec.rounding) == 0).all()
    suppressed = counts.isna().to_numpy()
    flagged = (frame[spec.status] == "c").fillna(False).to_numpy(dtype=bool)
    assert (suppressed == flagged).all(), "NULL count and status 'c' disagree"
    assert set(frame[spec.status].dropna()) <= {"c"}
    assert suppressed.any(), "nothing suppressed: the data does not exercise the rule"


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_every_suppressed_cell_is_protected(spec, published, true_counts):
    frame = published[spec.name]
    result = audit_published(
        frame,
        spec.dimensions,
        spec.count,
        total=spec.total,
        threshold=spec.threshold,
        rounding=spec.rounding,
        status_column=spec.status,
    )
    assert not result.errors, result.errors
    assert result.passed, [i.describe() for i in result.failures[:5]]
    assert len(result.intervals) == int(frame[spec.count].isna().sum())
    truth = _values_by_key(true_counts[spec.name], spec)
    keys = from_frame(frame, spec.dimensions, spec.count, total=spec.total).keys
    for interval in result.intervals:
        assert interval.upper - interval.lower >= spec.threshold
        value = truth[keys[interval.cell]]
        assert interval.lower <= value <= interval.upper, interval.describe()


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_no_line_holds_a_single_suppressed_cell(spec, published):
    table = from_frame(published[spec.name], spec.dimensions, spec.count, total=spec.total)
    suppressed = np.isnan(table.values)
    lonely = [
        table.label(table.constraints[line][0])
        for line in range(len(table.constraints))
        if suppressed[table.line_cells(line)].sum() == 1
    ]
    assert not lonely, f"lines with one suppressed cell (totals at): {lonely[:5]}"


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_published_counts_and_totals_are_consistent(spec, published, true_counts):
    frame = published[spec.name]
    truth = _values_by_key(true_counts[spec.name], spec)
    table = from_frame(frame, spec.dimensions, spec.count, total=spec.total)
    assert set(table.keys) == set(truth), "published cells differ from the true table's cells"
    for key, value in zip(table.keys, table.values, strict=True):
        if not math.isnan(value):
            if spec.rounding:
                assert abs(value - truth[key]) <= int(spec.rounding) / 2, key
            else:
                assert value == truth[key], key
    if spec.rounding:
        return
    assert not table.inconsistencies(), "published totals do not add up"
    assert table.constraints, "no margins published"
    for total, comps in table.constraints:
        shown = table.values[comps]
        if not math.isnan(table.values[total]):
            hidden = table.values[total] - np.nansum(shown)
            assert hidden >= 0
            if not np.isnan(shown).any():
                assert hidden == 0


def test_secondary_suppression_is_exercised(published, true_counts):
    """Somewhere a cell of at least the threshold is suppressed to protect a small one."""
    secondary = 0
    for spec in SHARED_TABLES:
        truth = _values_by_key(true_counts[spec.name], spec)
        table = from_frame(published[spec.name], spec.dimensions, spec.count, total=spec.total)
        for key, value in zip(table.keys, table.values, strict=True):
            if math.isnan(value) and not 1 <= truth[key] <= spec.threshold - 1:
                secondary += 1
    assert secondary > 0


def _values_by_key(frame: pd.DataFrame, spec) -> dict[tuple, float]:
    table = from_frame(frame, spec.dimensions, spec.count, total=spec.total)
    assert not np.isnan(table.values).any(), "true counts are never NULL"
    return dict(zip(table.keys, table.values.tolist(), strict=True))
