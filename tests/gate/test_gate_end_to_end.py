"""The gate on a fake warehouse: it publishes a good build and refuses a broken one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from click.testing import CliRunner

from insight_hub.gate.fake import AGGREGATE, FAKE_SUITES, break_mart, build_fake_warehouse
from insight_hub.gate.run import gate_and_publish

REPO = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory) -> Path:
    return build_fake_warehouse(tmp_path_factory.mktemp("wh") / "build.duckdb", residents=2000)


@pytest.fixture(scope="module")
def published(tmp_path_factory, good_warehouse):
    """A first, passing gate run that publishes serving.duckdb."""
    root = tmp_path_factory.mktemp("serve")
    serving = root / "serving.duckdb"
    result = gate_and_publish(good_warehouse, serving, FAKE_SUITES, reports_dir=root / "reports")
    return result, serving, root


def test_good_build_passes_and_publishes(published):
    result, serving, root = published
    assert result.passed, [f.line() for f in result.failures]
    assert result.published and serving.is_file()
    assert not list(serving.parent.glob("*.tmp-*"))
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = {
            r[0]
            for r in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        assert {"marts.dim_resident", "marts.dim_household", AGGREGATE} <= tables
        assert "identity.person_names" not in tables  # the identity layer is never published
        meta = con.execute("select count(*) from meta.publication").fetchone()[0]
        assert meta == 3
    finally:
        con.close()
    categories = {o.category for m in result.marts for o in m.outcomes}
    assert {
        "keys",
        "privacy",
        "privacy (k-anonymity)",
        "disclosure",
        "freshness",
        "referential integrity",
        "volume",
    } <= categories
    summary = (root / "reports" / "summary.md").read_text()
    assert "Gate PASSED" in summary
    assert (root / "reports" / "summary.html").is_file()
    assert (root / "reports" / "data_docs" / "index.html").is_file()


BREAKS = {
    "leaked_ni": (
        "marts.dim_household",
        "expect_column_values_to_not_match_direct_identifier",
        "AB123456C",
    ),
    "leaked_name": (
        "marts.dim_household",
        "expect_column_values_to_not_contain_identity_names",
        "GEORGE WILSON",
    ),
    "unsuppressed": (AGGREGATE, "expect_counts_to_be_suppressed", None),
    "duplicate_key": ("marts.dim_resident", "expect_column_values_to_be_unique", None),
    "recoverable": (AGGREGATE, "expect_suppressed_cells_to_be_protected", None),
}


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_broken_mart_is_refused_and_serving_untouched(how, published, good_warehouse, tmp_path):
    _, serving, _ = published
    before = digest(serving)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(good_warehouse, broken)
    table = break_mart(broken, how)
    mart, expectation, secret = BREAKS[how]
    assert table == mart
    reports = tmp_path / "reports"
    result = gate_and_publish(
        broken, serving, FAKE_SUITES, reports_dir=reports, data_docs=how == "leaked_ni"
    )
    assert not result.passed
    assert not result.published
    assert digest(serving) == before  # byte-identical
    assert not list(serving.parent.glob("*.tmp-*"))
    assert any(f.mart == mart and f.expectation.startswith(expectation) for f in result.failures)
    summary_md = (reports / "summary.md").read_text()
    summary_html = (reports / "summary.html").read_text()
    assert "Gate FAILED" in summary_md
    assert mart in summary_md and expectation in summary_md and expectation in summary_html
    if secret:  # the leaked value itself never reaches a report
        for path in reports.rglob("*"):
            if path.is_file() and path.suffix in (".md", ".html", ".json"):
                assert secret not in path.read_text(errors="ignore").upper(), path
    assert all(line.line().startswith("gate: ") for line in result.failures)


def test_row_count_tolerance_against_last_published(published, good_warehouse, tmp_path):
    _, serving, _ = published
    shrunk = tmp_path / "shrunk.duckdb"
    shutil.copy(good_warehouse, shrunk)
    con = duckdb.connect(str(shrunk))
    con.execute("delete from marts.dim_household where rowid % 4 <> 0")  # keep a quarter
    con.execute(
        "delete from marts.dim_resident where household_key not in "
        "(select household_key from marts.dim_household)"
    )
    con.close()
    result = gate_and_publish(shrunk, serving, FAKE_SUITES, reports_dir=None, publish=False)
    volume = [f for f in result.failures if "expect_table_row_count_to_be_between" in f.expectation]
    assert {f.mart for f in volume} == {"marts.dim_household", "marts.dim_resident"}


def _suites_copy(tmp_path: Path) -> Path:
    suites = tmp_path / "suites"
    shutil.copytree(FAKE_SUITES, suites)
    return suites


def test_unsuited_and_missing_tables(good_warehouse, tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    shutil.copy(good_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("create schema shared; create table shared.partner_counts as select 1 as n")
    con.execute("create table marts.extra as select 'council' as label")
    con.close()
    suites = _suites_copy(tmp_path)
    (suites / "gone.yml").write_text("table: marts.not_built\nrequired: true\n")
    (suites / "later.yml").write_text("table: marts.later\nrequired: false\n")
    config = tmp_path / "gate.yml"
    config.write_text(yaml.safe_dump({"unsuited_tables": {"marts": "privacy", "shared": "fail"}}))
    result = gate_and_publish(
        warehouse, tmp_path / "serving.duckdb", suites, config_path=config, reports_dir=None
    )
    status = {m.table: m.status for m in result.marts}
    assert status["shared.partner_counts"] == "unsuited"
    assert status["marts.extra"] == "passed"  # privacy checks only
    assert status["marts.not_built"] == "missing"
    assert status["marts.later"] == "skipped"
    failing = {f.mart for f in result.failures}
    assert failing == {"shared.partner_counts", "marts.not_built"}
    assert not (tmp_path / "serving.duckdb").exists()


def test_a_bad_suite_is_a_failure_not_a_crash(good_warehouse, tmp_path):
    suites = _suites_copy(tmp_path)
    (suites / "dim_household.yml").write_text(
        "table: marts.dim_household\nexpectations:\n  - expect_no_such_thing: {}\n"
    )
    result = gate_and_publish(good_warehouse, tmp_path / "s.duckdb", suites, reports_dir=None)
    assert not result.passed
    (failure,) = result.failures
    assert failure.mart == "marts.dim_household" and "expect_no_such_thing" in failure.detail
    (suites / "twice.yml").write_text("table: marts.dim_household\n")
    result = gate_and_publish(good_warehouse, tmp_path / "s.duckdb", suites, reports_dir=None)
    assert "second suite" in result.failures[0].detail
    assert not (tmp_path / "s.duckdb").exists()


def test_cli_gate_exits_non_zero_with_one_line_per_failure(good_warehouse, tmp_path):
    from insight_hub.cli import main

    broken = tmp_path / "broken.duckdb"
    shutil.copy(good_warehouse, broken)
    break_mart(broken, "duplicate_key")
    serving = tmp_path / "serving.duckdb"
    runner = CliRunner()
    res = runner.invoke(
        main,
        [
            "gate",
            "--warehouse",
            str(broken),
            "--serving",
            str(serving),
            "--suites",
            str(FAKE_SUITES),
            "--reports",
            str(tmp_path / "r"),
            "--no-docs",
        ],
    )
    assert res.exit_code == 1
    err = res.stderr if hasattr(res, "stderr") else res.output
    lines = [ln for ln in err.splitlines() if ln.startswith("insight-hub gate: ")]
    assert any("marts.dim_resident" in ln and "unique" in ln for ln in lines)
    assert "serving left untouched" in err
    assert not serving.exists()
    ok = runner.invoke(
        main,
        [
            "gate",
            "--warehouse",
            str(good_warehouse),
            "--serving",
            str(serving),
            "--suites",
            str(FAKE_SUITES),
            "--reports",
            str(tmp_path / "r2"),
            "--no-docs",
            "--json",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert '"passed": true' in ok.stdout and serving.is_file()


def test_repo_suites_are_valid_declarations():
    """The committed suites load, and build GX suites against frames of their columns."""
    import pandas as pd

    from insight_hub.gate.suites import BuildContext, GateConfig, build_expectations, load_suites

    config = GateConfig.load(REPO / "expectations" / "gate.yml")
    suites = load_suites(REPO / "expectations" / "suites")
    assert "marts.dim_resident" in suites
    for spec in suites.values():
        columns = set(spec.keys) | set(spec.not_null) | set(spec.quasi_identifiers)
        columns |= {r["column"] for r in spec.relationships}
        columns |= set((spec.privacy or {}).get("ignore", {}))
        for item in spec.expectations:
            (kwargs,) = item.values()
            for key in ("column", "column_A", "column_B"):
                if key in kwargs:
                    columns.add(kwargs[key])
            columns.update(kwargs.get("column_list", []))
        frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in sorted(columns)})
        built = build_expectations(spec, BuildContext(frame=frame, config=config))
        assert built, spec.table


def test_warning_severity_is_reported_but_does_not_block(good_warehouse, tmp_path):
    suites = _suites_copy(tmp_path)
    path = suites / "dim_household.yml"
    path.write_text(
        path.read_text()
        + "  - expect_column_values_to_be_between:\n"
        + "      {column: household_size, max_value: 2, severity: warning}\n"
    )
    reports = tmp_path / "reports"
    result = gate_and_publish(
        good_warehouse, tmp_path / "s.duckdb", suites, reports_dir=reports, data_docs=False
    )
    assert result.passed and result.published
    (mart,) = [m for m in result.marts if m.table == "marts.dim_household"]
    assert [o.expectation for o in mart.warnings] == ["expect_column_values_to_be_between"]
    assert "Warnings (reported, not blocking)" in (reports / "summary.md").read_text()


def test_unreadable_suites_or_settings_block_publishing(good_warehouse, tmp_path):
    suites = _suites_copy(tmp_path)
    (suites / "broken.yml").write_text("table: [unclosed\n")
    result = gate_and_publish(good_warehouse, tmp_path / "s.duckdb", suites, reports_dir=None)
    assert not result.passed and result.failures[0].mart == "(suites)"
    (suites / "broken.yml").unlink()
    (tmp_path / "gate.yml").write_text("unsuited_tables: sometimes\n")
    result = gate_and_publish(good_warehouse, tmp_path / "s.duckdb", suites, reports_dir=None)
    assert not result.passed and "unsuited_tables" in result.failures[0].detail
    assert not (tmp_path / "s.duckdb").exists()
