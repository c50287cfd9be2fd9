"""Disclosure control: primary and secondary suppression, rounding, and the attacker's LP audit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from insight_hub.gate.audit import (
    ProtectionRule,
    attacker_intervals,
    audit,
    audit_published,
    published_bounds,
)
from insight_hub.gate.disclosure import DisclosureRule, display, primary_mask, protect
from insight_hub.gate.tables import TOTAL, add_totals, from_frame


def one_d(values, total=None):
    df = pd.DataFrame({"ward": [f"W{i}" for i in range(len(values))], "n": values})
    return add_totals(df, ["ward"], ["n"], total=total)


def two_d(matrix):
    rows = [(f"R{i}", f"C{j}", int(v)) for i, row in enumerate(matrix) for j, v in enumerate(row)]
    return pd.DataFrame(rows, columns=["row", "col", "n"])


# -- primary suppression -----------------------------------------------------------------------


def test_primary_rule_suppresses_one_to_threshold_minus_one():
    values = np.array([0, 1, 5, 9, 10, 11, 100])
    assert primary_mask(values, 10).tolist() == [False, True, True, True, False, False, False]
    assert primary_mask(values, 10, suppress_zeros=True)[0]
    assert primary_mask(values, 6).tolist() == [False, True, True, False, False, False, False]


def test_published_frame_uses_null_plus_gss_symbol():
    out = protect(pd.DataFrame({"ward": ["A", "B", "C"], "n": [3, 20, 30]}), ["ward"], ["n"])
    frame = out.frame
    assert str(frame["n"].dtype) == "Int64"
    suppressed = frame["n"].isna()
    assert (frame.loc[suppressed, "n_status"] == "c").all()
    assert frame.loc[~suppressed, "n_status"].isna().all()
    text = display(frame, ["n"])
    assert set(text.loc[suppressed.to_numpy(), "n"]) == {"c"}
    assert "n_status" not in text.columns


# -- the audit catches recovery by subtraction -------------------------------------------------


def test_audit_catches_cell_recoverable_by_subtraction_then_passes_after_secondary():
    full = one_d([3, 20, 30])  # total 53
    table = from_frame(full, ["ward"], "n")
    primary = primary_mask(table.values, 10)
    before = audit(table, primary, threshold=10)
    assert not before.passed
    (only,) = before.failures
    assert (only.lower, only.upper) == (3, 3)  # 53 - 20 - 30
    assert "recoverable exactly" in only.reason

    protected = protect(full, ["ward"], ["n"], add_margins=False)
    result = protected.results["n"]
    assert result.audit.passed
    assert result.suppressed.sum() == 2  # 3 and its smallest complement, 20
    assert protected.frame.loc[result.suppressed, "ward"].tolist() == ["W0", "W1"]
    interval = {i.label: (i.lower, i.upper) for i in result.audit.intervals}
    assert interval["ward='W0'"] == (0, 23)
    # the same audit, from the published frame alone (the attacker's position)
    again = audit_published(protected.frame, ["ward"], "n", status_column="n_status")
    assert again.passed and len(again.intervals) == 2


def test_two_small_cells_in_one_line_need_a_third():
    # 3 + 4 = 7 is known from the total: both lie in [0, 7], narrower than the threshold
    full = one_d([3, 4, 50])
    table = from_frame(full, ["ward"], "n")
    res = audit(table, primary_mask(table.values, 10), threshold=10)
    assert [(f.lower, f.upper) for f in res.failures] == [(0, 7), (0, 7)]
    protected = protect(full, ["ward"], ["n"], add_margins=False)
    assert protected.results["n"].suppressed[:3].all()
    assert protected.passed


def test_two_d_single_small_cell_gets_a_rectangle():
    matrix = [[3, 20, 25], [30, 40, 35], [22, 28, 50]]
    protected = protect(two_d(matrix), ["row", "col"], ["n"])
    res = protected.results["n"]
    assert res.audit.passed
    interior = protected.frame["row"].notna() & protected.frame["col"].notna()
    suppressed_interior = protected.frame[interior & protected.frame["n"].isna()]
    # the classic pattern: the small cell plus three complements closing a rectangle
    assert len(suppressed_interior) == 4
    assert suppressed_interior["row"].nunique() == 2 and suppressed_interior["col"].nunique() == 2
    # no margin needed suppressing
    assert not protected.frame.loc[~interior, "n"].isna().any()
    assert audit_published(protected.frame, ["row", "col"], "n").passed


def test_audit_published_reports_inconsistent_totals():
    full = one_d([20, 30])
    full.loc[full["ward"].isna(), "n"] = 49
    res = audit_published(full, ["ward"], "n")
    assert not res.passed
    assert any("do not add up" in e for e in res.errors)


def test_totals_present_or_derived_give_the_same_protection():
    matrix = [[3, 20, 25, 11], [30, 2, 35, 14], [22, 28, 50, 8]]
    interior = two_d(matrix)
    derived = protect(interior, ["row", "col"], ["n"]).frame
    present = protect(
        add_totals(interior, ["row", "col"], ["n"]), ["row", "col"], ["n"], add_margins=False
    ).frame
    pd.testing.assert_frame_equal(derived, present)


def test_total_marker_can_be_a_label():
    full = one_d([3, 20, 30], total="Total")
    assert "Total" in full["ward"].tolist()
    protected = protect(full, ["ward"], ["n"], total="Total", add_margins=False)
    assert protected.passed
    assert audit_published(protected.frame, ["ward"], "n", total="Total").passed


def test_hierarchy_parent_equals_sum_of_children():
    # area: a borough total, two wards, each ward the sum of its LSOAs
    rows = [
        (None, 83),
        ("W1", 23),
        ("W2", 60),
        ("L11", 3),
        ("L12", 20),
        ("L21", 25),
        ("L22", 35),
    ]
    df = pd.DataFrame(rows, columns=["area", "n"])
    hierarchy = {"area": {"W1": ["L11", "L12"], "W2": ["L21", "L22"]}}
    table = from_frame(df, ["area"], "n", hierarchies=hierarchy)
    assert len(table.constraints) == 3  # total = W1 + W2, W1 = L11 + L12, W2 = L21 + L22
    assert table.keys[0] == (TOTAL,)
    res = audit(table, primary_mask(table.values, 10), threshold=10)
    assert not res.passed  # L11 = W1 - L12
    protected = protect(df, ["area"], ["n"], hierarchies=hierarchy, add_margins=False)
    assert protected.passed
    assert audit_published(protected.frame, ["area"], "n", hierarchies=hierarchy).passed


# -- rounding ----------------------------------------------------------------------------------


def test_rounding_to_five_publishes_multiples_of_five_and_passes_the_audit():
    rng = np.random.default_rng(3)
    matrix = rng.choice([0, 2, 6, 12, 17, 33, 48], size=(5, 6))
    rule = DisclosureRule(rounding=5)
    protected = protect(two_d(matrix), ["row", "col"], ["n"], rule=rule)
    published = protected.frame["n"].dropna().astype(int)
    assert (published % 5 == 0).all()
    assert not ((published > 0) & (published < 10)).any()
    assert protected.passed
    assert audit_published(protected.frame, ["row", "col"], "n", rounding=5).passed


def test_rounding_widens_what_the_attacker_knows():
    lo, hi = published_bounds(np.array([0.0, 10.0, 15.0, 100.0]), rounding=5, threshold=10)
    assert lo.tolist() == [0, 10, 13, 98]  # a published 10 is 10..12: 8 and 9 were suppressed
    assert hi.tolist() == [0, 12, 17, 102]
    # the subtraction attack on a rounded table only yields an interval
    full = one_d([3, 20, 30])
    table = from_frame(full, ["ward"], "n")
    rounded = np.array([5.0, 20.0, 30.0, 55.0])
    intervals, errors, _ = attacker_intervals(
        table, primary_mask(table.values, 10), published=rounded, rounding=5, threshold=10
    )
    assert not errors
    assert intervals[0] == (0, 11)  # 53..57 - (18..22) - (28..32), clipped at 0


# -- the protection rule -----------------------------------------------------------------------


def test_protection_rule_width_and_levels():
    full = one_d([3, 20, 30])
    table = from_frame(full, ["ward"], "n")
    suppressed = np.array([True, True, False, False])
    ok = audit(table, suppressed, threshold=10)
    assert ok.passed  # [0, 23] is wider than 10
    strict = audit(table, suppressed, threshold=10, rule=ProtectionRule(min_width=30))
    assert not strict.passed
    # tau-Argus protection levels on the (known) value of the primary cell
    levels = ProtectionRule(upper_level=25)
    res = audit(
        table,
        suppressed,
        threshold=10,
        rule=levels,
        primary=primary_mask(table.values, 10),
        true_values=table.values,
    )
    assert not res.passed and "upper bound" in res.failures[0].reason


# -- property-style checks on random tables ----------------------------------------------------


def _check_protected(protected, frame_true, dims, rule):
    res = protected.results["n"]
    assert res.audit.passed
    published = protected.frame["n"]
    # no small count is ever published, and every published count is the true one (or rounded)
    pv = published.dropna().astype(int)
    assert not ((pv >= 1) & (pv <= rule.threshold - 1)).any()
    truth = frame_true["n"].to_numpy()
    mask = published.notna().to_numpy()
    expected = truth[mask] if not rule.rounding else 5 * np.floor(truth[mask] / 5 + 0.5)
    assert np.array_equal(pv.to_numpy(), expected.astype(int))
    # every primary cell is suppressed
    assert published[primary_mask(truth, rule.threshold)].isna().all()
    # the independent audit from the published frame agrees
    again = audit_published(
        protected.frame, dims, "n", rounding=rule.rounding, threshold=rule.threshold
    )
    assert again.passed, again.summary()


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_are_protected(seed):
    rng = np.random.default_rng(seed)
    rule = DisclosureRule(threshold=int(rng.choice([5, 10])), rounding=5 if seed % 4 == 3 else None)
    pool = np.array([0, 1, 2, 3, 4, 6, 8, 9, 10, 12, 15, 20, 35, 60, 120])
    if seed % 3 == 0:
        values = rng.choice(pool, size=int(rng.integers(2, 9)))
        frame = one_d(values.tolist())
        dims = ["ward"]
    else:
        shape = (int(rng.integers(2, 6)), int(rng.integers(2, 7)))
        frame = add_totals(two_d(rng.choice(pool, size=shape)), ["row", "col"], ["n"])
        dims = ["row", "col"]
    protected = protect(frame, dims, ["n"], rule=rule, add_margins=False)
    _check_protected(protected, frame.reset_index(drop=True), dims, rule)


def _brute_force_interval(table, suppressed, cell, limit):
    """All integer completions of the suppressed cells that satisfy every total."""
    cells = np.flatnonzero(suppressed)
    grids = np.meshgrid(*[np.arange(limit + 1)] * len(cells), indexing="ij")
    values = np.tile(table.values.astype(float), (grids[0].size, 1))
    for k, c in enumerate(cells):
        values[:, c] = grids[k].ravel()
    ok = np.ones(len(values), dtype=bool)
    for total, comps in table.constraints:
        ok &= values[:, total] == values[:, comps].sum(axis=1)
    feasible = values[ok, cell]
    return feasible.min(), feasible.max()


@pytest.mark.parametrize("seed", range(8))
def test_lp_interval_equals_brute_force_on_small_tables(seed):
    rng = np.random.default_rng(100 + seed)
    matrix = rng.integers(0, 9, size=(2, 3))
    full = add_totals(two_d(matrix), ["row", "col"], ["n"])
    table = from_frame(full, ["row", "col"], "n")
    suppressed = np.zeros(table.n, dtype=bool)
    suppressed[rng.choice(table.n, size=3, replace=False)] = True
    intervals, errors, _ = attacker_intervals(table, suppressed)
    assert not errors
    limit = int(table.values.max())
    for cell, (lo, hi) in intervals.items():
        b_lo, b_hi = _brute_force_interval(table, suppressed, cell, limit)
        assert lo == b_lo
        # a cell bounded only through other suppressed cells is unbounded in the LP
        assert hi == b_hi or (math.isinf(hi) and b_hi == limit)


def test_all_suppressed_table_is_trivially_protected():
    full = one_d([1, 2, 3])
    protected = protect(full, ["ward"], ["n"], add_margins=False)
    assert protected.frame["n"].isna().all()  # the total, 6, is small too
    assert protected.passed


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="duplicate cell"):
        from_frame(pd.DataFrame({"d": ["a", "a"], "n": [1, 2]}), ["d"], "n")
    with pytest.raises(ValueError, match="do not add up"):
        bad = one_d([20, 30])
        bad.loc[bad["ward"].isna(), "n"] = 10
        protect(bad, ["ward"], ["n"], add_margins=False)
    with pytest.raises(ValueError):
        DisclosureRule(threshold=0)


def test_no_line_holds_a_single_suppressed_cell():
    """Every row/column holding a suppressed cell holds at least two (no single suppressions)."""
    rng = np.random.default_rng(9)
    matrix = rng.choice([1, 4, 12, 30, 55], size=(6, 8))
    protected = protect(two_d(matrix), ["row", "col"], ["n"])
    table = from_frame(protected.frame, ["row", "col"], "n")
    suppressed = np.isnan(table.values)
    for line in range(len(table.constraints)):
        count = int(suppressed[table.line_cells(line)].sum())
        assert count != 1
