"""The retention purge deletes expired records from what the Hub stores, and audits it."""

from __future__ import annotations

import duckdb
import pytest

from insight_hub.governance.purge import purge

from .conftest import SELECT_STAGING


def _counts(warehouse) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select service, source_file, raw_rows, staged_rows, rejected_rows, expired_rows"
            " from audit.rec_extract_counts"
        ).fetchall()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def test_purge_deletes_expired_rows_and_writes_an_audit_entry(project):
    project.restore_raw()
    try:
        run = project.dbt("build", "--select", SELECT_STAGING)
        assert run.success, run.text[-3000:]
        before = _counts(project.warehouse)
        expired = {k: v[3] for k, v in before.items() if v[3] > 0}
        assert expired, "the test borough should hold records past retention"

        dry = purge(project.warehouse, project.raw, dry_run=True)
        assert {(e.service, e.source_file) for e in dry} == set(expired)
        assert _counts(project.warehouse) == before  # a dry run changes nothing

        entries = purge(project.warehouse, project.raw)
        with duckdb.connect(str(project.warehouse), read_only=True) as con:
            log = con.execute(
                "select service, source_file, target, rows_deleted, rule from audit.purge_log"
            ).fetchall()
            left = {
                (s, f): con.execute(
                    f"select count(*) from staging.base_{s}__{f} where staging_status = 'expired'"
                ).fetchone()[0]
                for s, f in expired
            }
        assert len(log) == len(entries) == 2 * len(expired)  # raw file + base table each
        for service, source_file, target, deleted, rule in log:
            assert deleted == expired[(service, source_file)]
            assert "years after" in rule
            assert source_file in target
        assert set(left.values()) == {0}

        # The next build finds nothing expired, and stages and rejects exactly as before.
        run = project.dbt("build", "--select", SELECT_STAGING)
        assert run.success, run.text[-3000:]
        after = _counts(project.warehouse)
        for key, (raw, staged, rejected, exp) in before.items():
            assert after[key] == (raw - exp, staged, rejected, 0), key
    finally:
        project.restore_raw()


def test_purge_needs_a_built_warehouse(tmp_path):
    with pytest.raises(duckdb.Error, match="rec_extract_counts"):
        purge(tmp_path / "empty.duckdb", tmp_path, dry_run=True)
