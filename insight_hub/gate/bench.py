"""`insight-hub bench gate`: time the gate (and publishing) on the warehouse or a fake one."""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from pathlib import Path

import click

from insight_hub.gate.run import DEFAULT_SUITES, DEFAULT_WAREHOUSE


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _has_marts(path: Path) -> bool:
    if not path.is_file():
        return False
    import duckdb

    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return False
    try:
        n = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema in ('marts', 'shared')"
        ).fetchone()[0]
    finally:
        con.close()
    return n > 0


def run_bench(
    rows: int = 400_000,
    warehouse: str | None = None,
    suites: str | None = None,
    workdir: str | Path | None = None,
) -> dict:
    """Run gate + publish once; returns the figures."""
    from insight_hub.gate.fake import FAKE_SUITES, build_fake_warehouse
    from insight_hub.gate.run import gate_and_publish

    warehouse_path = Path(warehouse or os.environ.get("INSIGHT_HUB_WAREHOUSE", DEFAULT_WAREHOUSE))
    tmp = tempfile.TemporaryDirectory(prefix="gate-bench-", dir=workdir)
    figures: dict = {}
    try:
        work = Path(tmp.name)
        if _has_marts(warehouse_path):
            source = "build"
            suites_dir = Path(suites or DEFAULT_SUITES)
        else:
            source = "fake"
            t0 = time.perf_counter()
            warehouse_path = build_fake_warehouse(
                work / "fake.duckdb", residents=rows, wards=25, months=36
            )
            figures["fake_build_s"] = round(time.perf_counter() - t0, 2)
            suites_dir = FAKE_SUITES
        t0 = time.perf_counter()
        result = gate_and_publish(
            warehouse_path, work / "serving.duckdb", suites_dir, reports_dir=work / "reports"
        )
        total = time.perf_counter() - t0
        figures.update(
            {
                "source": source,
                "warehouse": str(warehouse_path),
                "marts": len(result.marts),
                "rows": sum(m.rows or 0 for m in result.marts),
                "expectations": sum(len(m.outcomes) for m in result.marts),
                "passed": result.passed,
                "gate_s": round(result.seconds, 2),
                "publish_s": round(result.publish_detail.get("seconds", 0.0), 2),
                "total_s": round(total, 2),
                "peak_rss_mib": round(_peak_mib(), 1),
                "per_mart_s": {m.table: round(m.seconds, 2) for m in result.marts},
            }
        )
    finally:
        tmp.cleanup()
    return figures


@click.command("gate")
@click.option(
    "--rows",
    default=400_000,
    show_default=True,
    help="Residents in the fake warehouse (used when no warehouse with marts exists).",
)
@click.option("--warehouse", default=None, help="Warehouse to gate (default: the build one).")
@click.option("--suites", default=None, help=f"Suites folder (default {DEFAULT_SUITES}).")
@click.option("--json", "as_json", is_flag=True, help="Print figures as JSON.")
def bench_gate(rows, warehouse, suites, as_json):
    """Time the gate and atomic publishing on the warehouse (or a fake ~400k-row mart)."""
    figures = run_bench(rows=rows, warehouse=warehouse, suites=suites)
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"gate benchmark ({figures['source']} warehouse: {figures['warehouse']})")
    for key in (
        "marts",
        "rows",
        "expectations",
        "passed",
        "fake_build_s",
        "gate_s",
        "publish_s",
        "total_s",
        "peak_rss_mib",
    ):
        if key in figures:
            click.echo(f"  {key:14} {figures[key]}")
    for table, seconds in figures["per_mart_s"].items():
        click.echo(f"  {table:55} {seconds:6.2f} s")
