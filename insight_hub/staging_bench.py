"""`insight-hub bench staging`: staging (and its audit models and tests) at scale.

1. A borough of --residents (400,000 by default) at --borough (default data/bench/<n>k,
   git-ignored), generated with `insight-hub synth` when its raw/ folder is absent.
2. Untimed: `dbt parse` into the bench target folder (so the timed build parses partially,
   as a developer's second build does).
3. Timed: `dbt build --select +path:models/audit` into --warehouse: the reference seeds, every
   base_ and stg_ model, the audit rejection and reconciliation models, and their unit and
   data tests. Wall time and the peak resident memory of that dbt process (DuckDB included).
   Target: under 60 s.

Prints a table, or JSON with --json. Exit code 1 when a step fails (not when the target is
missed: the figures say so).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from insight_hub.dbt_bench import (
    ROOT,
    bench_env,
    bench_paths,
    dbt_command,
    ensure_borough,
    run_measured,
)

SELECTOR = "+path:models/audit"
TARGET_S = 60.0


def staging_counts(warehouse: Path) -> dict[str, int]:
    """Rows raw, staged, rejected and expired over every extract (audit.rec_extract_counts)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        raw, staged, rejected, expired, extracts = con.execute(
            "select sum(raw_rows), sum(staged_rows), sum(rejected_rows), sum(expired_rows), "
            "count(*) "
            "from audit.rec_extract_counts"
        ).fetchone()
    finally:
        con.close()
    return {
        "extracts": extracts,
        "raw_rows": int(raw),
        "staged_rows": int(staged),
        "rejected_rows": int(rejected),
        "expired_rows": int(expired),
    }


def node_counts(target: Path) -> dict[str, int]:
    """What the timed build ran, by resource type (from run_results.json)."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    out: dict[str, int] = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        out[kind] = out.get(kind, 0) + 1
    return out


@click.command("bench_staging")
@click.option("--residents", default=400_000, show_default=True, help="Borough size.")
@click.option("--seed", default=42, show_default=True, help="Seed of the synthetic borough.")
@click.option(
    "--borough",
    type=click.Path(path_type=Path),
    default=None,
    help="Borough folder (raw/, truth/). Default: data/bench/<residents/1000>k.",
)
@click.option(
    "--warehouse",
    type=click.Path(path_type=Path),
    default=None,
    help="Bench warehouse (rebuilt). Default: warehouse/bench_staging_<residents/1000>k.duckdb.",
)
@click.option(
    "--project-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=ROOT,
    show_default=True,
    help="The dbt project to build.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_staging(residents, seed, borough, warehouse, project_dir, as_json):
    """Time `dbt build` of staging and the audit models (with their tests) at scale."""
    label, borough, warehouse = bench_paths(residents, borough, warehouse, "bench_staging_")
    logs = ROOT / "logs" / warehouse.stem
    target = logs / "target"
    logs.mkdir(parents=True, exist_ok=True)
    env = bench_env(warehouse)
    say = (lambda *_: None) if as_json else (lambda m: click.echo(m, err=True))
    raw = ensure_borough(borough, residents, seed, env, say, "bench staging")

    def measured(args: list[str], what: str):
        return run_measured(dbt_command(args, raw, logs), env, what, project_dir, "bench staging")

    say("parsing the project (untimed) ...")
    parse_s, _, _ = measured(["parse"], "dbt parse")
    for suffix in ("", ".wal"):
        Path(f"{warehouse}{suffix}").unlink(missing_ok=True)
    say(f"timing dbt build --select {SELECTOR} on {borough} ...")
    build_s, build_cpu_s, peak_mib = measured(
        ["build", "--select", SELECTOR], "dbt build of staging"
    )
    figures = {
        "residents": residents,
        "borough": str(borough),
        "warehouse": str(warehouse),
        "selector": SELECTOR,
        **staging_counts(warehouse),
        **{f"{k}s": v for k, v in node_counts(target).items()},
        "parse_s": round(parse_s, 1),
        "build_s": round(build_s, 1),
        "build_cpu_s": round(build_cpu_s, 1),
        "peak_rss_mib": round(peak_mib),
        "target_s": TARGET_S,
        "target_met": build_s < TARGET_S,
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 1),
    }
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    width = max(len(k) for k in figures)
    click.echo(f"bench staging ({label} residents)")
    for k, v in figures.items():
        click.echo(
            f"  {k:<{width}}  {f'{v:,}' if isinstance(v, int) and not isinstance(v, bool) else v}"
        )


if __name__ == "__main__":
    bench_staging()
