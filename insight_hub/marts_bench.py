"""`insight-hub bench marts`: the single-view marts at scale, and a typical BI query on them.

1. A borough of --residents (400,000 by default) at --borough (generated with
   `insight-hub synth` when its raw/ folder is absent).
2. A warehouse (--warehouse) where seeds, staging and identity are built (built here, untimed,
   when identity.idn_record_keys is missing or --rebuild-upstream is given).
3. Timed: `dbt build --select path:models/intermediate path:models/marts/single_view` (the
   SQL intermediate models and the single-view marts, with their data and unit tests; the
   prediction and partner models have their own benchmarks), target under 60 s.
4. Timed: the needs profile of one ward for a year on a read-only connection to the published
   database (warehouse/serving.duckdb when it holds this borough's marts, else the bench
   warehouse opened read-only), median and worst of --query-runs, target under 200 ms.

Prints a table, or JSON with --json. Exit code 1 when a step fails (not when a target is
missed: the figures say so).
"""

from __future__ import annotations

import json
import os
import statistics
import time
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

SQL_MARTS = ["path:models/intermediate", "path:models/marts/single_view"]
BUILD_TARGET_S = 60.0
QUERY_TARGET_MS = 200.0

BI_QUERY = """
select
    month,
    count(*) as households,
    avg(ct_arrears) as avg_ct_arrears,
    avg(rent_arrears) as avg_rent_arrears,
    sum(notice_6m::int) as with_notice_6m,
    sum(in_temporary_accommodation::int) as in_temporary_accommodation,
    sum(on_benefits::int) as on_benefits,
    sum(approached::int) as approached
from marts.mart_household_needs
where ward_code = ? and month between ? and ?
group by month
order by month
"""


def _has_identity(warehouse: Path) -> bool:
    import duckdb

    if not warehouse.exists():
        return False
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        n = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'identity' and table_name = 'idn_record_keys'"
        ).fetchone()[0]
        return n > 0
    finally:
        con.close()


def time_query(database: Path, runs: int) -> dict:
    """The BI query on a read-only connection: first (cold) run, median and worst of the rest."""
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        ward, last_month = con.execute(
            """
            select ward_code, max(month) over () from marts.mart_household_needs
            where ward_code is not null
            group by ward_code, month
            order by count(*) desc
            limit 1
            """
        ).fetchone()
        first_month = con.execute(
            "select cast(? as date) - interval 11 month", [last_month]
        ).fetchone()[0]
        params = [ward, first_month, last_month]
        timings = []
        rows = 0
        for _ in range(runs + 1):
            start = time.perf_counter()
            rows = len(con.execute(BI_QUERY, params).fetchall())
            timings.append((time.perf_counter() - start) * 1000)
        total_rows = con.execute("select count(*) from marts.mart_household_needs").fetchone()[0]
    finally:
        con.close()
    warm = timings[1:] or timings
    return {
        "database": str(database),
        "ward_code": ward,
        "months": f"{first_month:%Y-%m}..{last_month:%Y-%m}",
        "result_rows": rows,
        "needs_rows": total_rows,
        "first_ms": round(timings[0], 1),
        "median_ms": round(statistics.median(warm), 1),
        "max_ms": round(max(warm), 1),
        "runs": len(warm),
    }


def mart_sizes(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


@click.command("bench_marts")
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
    help="Bench warehouse. Default: warehouse/bench_<residents/1000>k.duckdb.",
)
@click.option("--rebuild-upstream", is_flag=True, help="Rebuild seeds, staging and identity.")
@click.option("--query-runs", default=20, show_default=True, help="Timed runs of the BI query.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_marts(residents, seed, borough, warehouse, rebuild_upstream, query_runs, as_json):
    """Time the SQL intermediate models and marts at scale, and a BI query on the needs mart."""
    _, borough, warehouse = bench_paths(residents, borough, warehouse, "bench_")
    # one log and target folder per warehouse: benchmarks of several warehouses can run at once
    logs = ROOT / "logs" / f"bench_marts_{warehouse.stem}"
    logs.mkdir(parents=True, exist_ok=True)
    env = bench_env(warehouse)
    say = (lambda *_: None) if as_json else (lambda m: click.echo(m, err=True))
    raw = ensure_borough(borough, residents, seed, env, say, "bench marts")

    def measured(args: list[str], what: str):
        return run_measured(dbt_command(args, raw, logs), env, what, bench="bench marts")

    upstream_s = None
    if rebuild_upstream or not _has_identity(warehouse):
        say("building seeds, staging and identity (untimed set-up) ...")
        upstream_s, _, _ = measured(
            [
                "build",
                "--select",
                *[f"+{s}" for s in SQL_MARTS],
                "--exclude",
                *SQL_MARTS,
                "--exclude-resource-type",
                "test",
                "--exclude-resource-type",
                "unit_test",
            ],
            "dbt build of the upstream layers",
        )

    # dbt parses the project before it builds; parse once untimed with the same vars and
    # target path, so the timed build measures the models (partial parsing), not the parser.
    measured(["parse"], "dbt parse")
    say("timing dbt build --select " + " ".join(SQL_MARTS) + " ...")
    load_before = os.getloadavg()[0]
    build_s, build_cpu_s, peak_mib = measured(
        # cautious: only the tests of the selected models (not prediction's tests on a mart)
        ["build", "--select", *SQL_MARTS, "--indirect-selection", "cautious"],
        "dbt build of the marts",
    )
    sizes = mart_sizes(warehouse)

    # The published copy serves BI tools; it is used when it holds this borough's marts
    # (the same number of needs rows), else the bench warehouse is opened read-only.
    serving = ROOT / "warehouse" / "serving.duckdb"
    database = warehouse
    if serving.exists() and _needs_rows(serving) == sizes.get("mart_household_needs"):
        database = serving
    say(f"timing the BI query on {database} (read-only) ...")
    query = time_query(database, query_runs)

    figures = {
        "residents": residents,
        "borough": str(borough),
        "warehouse": str(warehouse),
        "upstream_build_s": None if upstream_s is None else round(upstream_s, 1),
        "marts_build_s": round(build_s, 1),
        "marts_build_cpu_s": round(build_cpu_s, 1),
        "load_average_1m": round(load_before, 1),
        "marts_build_target_s": BUILD_TARGET_S,
        "marts_build_ok": build_s < BUILD_TARGET_S,
        "peak_rss_mib": round(peak_mib),
        "mart_rows": sizes,
        "bi_query": query,
        "bi_query_target_ms": QUERY_TARGET_MS,
        "bi_query_ok": query["median_ms"] < QUERY_TARGET_MS,
    }
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    rows = [
        ("residents", f"{residents:,}"),
        (
            "dbt build intermediate + SQL marts",
            f"{build_s:.1f} s (target < {BUILD_TARGET_S:.0f} s)",
        ),
        ("CPU time of that build (user + system)", f"{build_cpu_s:.1f} s"),
        ("load average before it (1 min)", f"{load_before:.1f} (2 cores)"),
        ("peak RSS (dbt and children)", f"{peak_mib:,.0f} MiB"),
    ]
    if upstream_s is not None:
        rows.append(("set-up: seeds, staging, identity", f"{upstream_s:.1f} s (untimed target)"))
    rows += [(f"rows marts.{t}", f"{n:,}") for t, n in sizes.items()]
    rows += [
        ("BI query database", query["database"]),
        ("BI query: ward, months", f"{query['ward_code']}, {query['months']}"),
        ("BI query first run", f"{query['first_ms']:.1f} ms"),
        (
            f"BI query median of {query['runs']}",
            f"{query['median_ms']:.1f} ms (target < {QUERY_TARGET_MS:.0f} ms)",
        ),
        ("BI query worst", f"{query['max_ms']:.1f} ms"),
    ]
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        click.echo(f"{k:<{width}}  {v}")


def _needs_rows(database: Path) -> int | None:
    """Rows of marts.mart_household_needs in a database (None when absent or unreadable)."""
    import duckdb

    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("select count(*) from marts.mart_household_needs").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


if __name__ == "__main__":
    bench_marts()
