"""The gate on the partner aggregates: it publishes them as built, and refuses weakened ones.

Runs insight_hub.gate.run.gate_and_publish with the committed suites of
expectations/suites/shared (and a gate.yml publishing schema shared only, so that the test
does not depend on the single-view suites).
"""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pytest
import yaml
from shared_support import ROOT, SHARED_TABLES, SUITES, read

from insight_hub.gate.run import gate_and_publish
from insight_hub.gate.tables import from_frame


@pytest.fixture(scope="module")
def gate_setup(tmp_path_factory):
    """A suites folder with the shared suites, and a gate.yml that publishes schema shared."""
    root = tmp_path_factory.mktemp("gate")
    suites = root / "suites" / "shared"
    suites.mkdir(parents=True)
    for path in SUITES.glob("*.yml"):
        (suites / path.name).write_text(path.read_text())
    config = yaml.safe_load((ROOT / "expectations" / "gate.yml").read_text())
    config["schemas"] = ["shared"]
    (root / "gate.yml").write_text(yaml.safe_dump(config))
    return root / "suites", root / "gate.yml"


def _gate(warehouse, serving, gate_setup, publish=True):
    suites, config = gate_setup
    return gate_and_publish(
        warehouse, serving, suites, reports_dir=None, config_path=config, publish=publish
    )


def test_the_gate_publishes_the_shared_tables(built, gate_setup, tmp_path):
    serving = tmp_path / "serving.duckdb"
    result = _gate(built.warehouse, serving, gate_setup)
    assert result.passed, [f.line() for f in result.failures]
    by_table = {m.table: m for m in result.marts}
    for spec in SHARED_TABLES:
        mart = by_table[spec.table]
        assert mart.status == "passed"
        disclosure = {o.expectation for o in mart.outcomes if o.category == "disclosure"}
        assert disclosure == {
            "expect_counts_to_be_suppressed",
            "expect_suppressed_cells_to_be_protected",
        }
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = {
            r[0]
            for r in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables "
                "where table_schema <> 'meta'"
            ).fetchall()
        }
    finally:
        con.close()
    # the true counts (schema intermediate) are never published
    assert tables == {spec.table for spec in SHARED_TABLES}


def _weaken(built, target):
    """Copy the shared tables into ``target``, then break two of them:

    - in one table, publish (at its true value) every other suppressed cell of a line that
      holds a small (primary) suppressed cell, leaving that cell alone in its line: it is then
      recoverable from the line's total (the other cells published are 0 or >= threshold, so
      only the LP audit can catch it);
    - in another table, publish one small count as it is.
    Returns (table left with a lonely cell, table with a small count).
    """
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{built.warehouse}' as built (read_only)")
        con.execute("create schema shared")
        for spec in SHARED_TABLES:
            con.execute(f"create table {spec.table} as select * from built.{spec.table}")
        truths = {
            spec.name: read(con, f"built.intermediate.{spec.counted}") for spec in SHARED_TABLES
        }
        lonely = small = None
        for spec in SHARED_TABLES:
            frame = read(con, spec.table)
            table = from_frame(frame, spec.dimensions, spec.count, total=spec.total)
            true = from_frame(truths[spec.name], spec.dimensions, spec.count, total=spec.total)
            truth = dict(zip(true.keys, true.values, strict=True))
            values = np.array([truth[k] for k in table.keys])
            hidden = np.isnan(table.values)
            primary = hidden & (values >= 1) & (values <= spec.threshold - 1)
            if lonely is None:
                for line in range(len(table.constraints)):
                    cells = [int(c) for c in table.line_cells(line)]
                    keep = [c for c in cells if primary[c]]
                    others = [c for c in cells if hidden[c] and c not in keep[:1]]
                    if len(keep) != 1 or not others:
                        continue  # one small cell to leave alone, the rest 0 or >= threshold
                    for c in others:
                        _publish(con, spec, frame, c, values[c])
                    lonely = spec
                    break
                if lonely is spec:
                    continue
            if small is None and primary.any():
                row = int(np.flatnonzero(primary)[0])
                _publish(con, spec, frame, row, values[row])
                small = spec
        con.execute("checkpoint")
    finally:
        con.close()
    assert lonely is not None and small is not None, "the fixture has no line to weaken"
    return lonely, small


def _publish(con, spec, frame, row, value):
    """Set the row's count to ``value`` and clear its status (un-suppress it)."""
    where, params = [], []
    for dim in spec.dimensions:
        v = frame[dim].iloc[row]
        if v is None or (isinstance(v, float) and math.isnan(v)):
            where.append(f"{dim} is null")
        else:
            where.append(f"{dim} = ?")
            params.append(v)
    con.execute(
        f"update {spec.table} set {spec.count} = ?, {spec.status} = null "
        f"where {' and '.join(where)}",
        [int(value), *params],
    )


def test_a_weakened_table_is_refused(built, gate_setup, tmp_path):
    weak = tmp_path / "weak.duckdb"
    lonely, small = _weaken(built, weak)
    serving = tmp_path / "serving.duckdb"
    result = _gate(weak, serving, gate_setup)
    assert not result.passed
    assert not serving.exists(), "a failed gate must not publish"
    failed = {(m.table, o.expectation) for m in result.marts for o in m.failed}
    assert (lonely.table, "expect_suppressed_cells_to_be_protected") in failed
    assert (lonely.table, "expect_counts_to_be_suppressed") not in failed
    assert (small.table, "expect_counts_to_be_suppressed") in failed
    lines = [f.line() for f in result.failures]
    assert any("recoverable exactly" in line for line in lines), lines
    untouched = {s.table for s in SHARED_TABLES} - {lonely.table, small.table}
    assert all(m.status == "passed" for m in result.marts if m.table in untouched)
