"""`insight-hub bench linkage`: the linkage step alone at scale, timed, with peak memory.

1. The borough: data/bench/<n> (generated with `insight-hub synth --residents <n> --seed 42`
   unless it is already there).
2. Its match records: `dbt run --select +idn_match_records` into a bench warehouse
   (warehouse/bench_identity_<n>.duckdb), not timed.
3. The linkage step, timed in a fresh worker process (so its peak RSS is the linkage's
   alone): Splink scoring with the reviewed model (idn_pairwise_predictions) and clustering
   (idn_person_clusters), on a DuckDB connection to the bench warehouse, as in the build.
4. Pairwise F1 and B-cubed of the clusters, and of the deterministic baseline, against the
   bench borough's truth (not timed).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import click

TIME_TARGET_S = 90.0
MEMORY_TARGET_GIB = 4.0


def _run(cmd: list[str], env: dict | None = None) -> None:
    result = subprocess.run(cmd, env=env, check=False)
    if result.returncode != 0:
        raise click.ClickException(f"failed: {' '.join(cmd)}")


def ensure_borough(residents: int, out: Path) -> None:
    if (out / "raw").is_dir() and any((out / "raw").iterdir()):
        click.echo(f"reusing the borough in {out}")
        return
    click.echo(f"generating a {residents:,}-resident borough in {out} ...")
    _run(
        [
            sys.executable,
            "-m",
            "insight_hub.cli",
            "synth",
            "--residents",
            str(residents),
            "--seed",
            "42",
            "--out",
            str(out),
        ]
    )


def ensure_match_records(borough: Path, warehouse: Path, rebuild: bool) -> None:
    if warehouse.is_file() and not rebuild:
        click.echo(f"reusing the match records in {warehouse}")
        return
    click.echo(f"building identity.idn_match_records for {borough} into {warehouse} ...")
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, INSIGHT_HUB_WAREHOUSE=str(warehouse), DO_NOT_TRACK="1")
    target = Path("target") / warehouse.stem
    dbt = str(Path(sys.executable).with_name("dbt"))
    common = ["--quiet", "--target-path", str(target)]
    dbt_vars = ["--vars", json.dumps({"raw_path": str(borough / "raw")})]
    _run([dbt, "seed", *common], env=env)
    _run([dbt, "run", *common, "--select", "+idn_match_records", *dbt_vars], env=env)


def worker(warehouse: str, clusters_out: str) -> dict:
    """The timed part, in its own process: score pairs, cluster them; report time and RSS."""
    import duckdb

    from insight_hub.dbt_plugin import register
    from insight_hub.identity.linkage import cluster_records, predict_pairs
    from insight_hub.pseudonymise import load_key

    # An in-memory database with the bench warehouse attached read-only: Splink's working
    # tables stay in memory, so the peak RSS is an upper bound on the build's.
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    register(con, load_key())
    source = "wh.identity.idn_match_records"
    records = con.execute(f"select count(*) from {source}").fetchall()[0][0]
    t0 = time.perf_counter()
    pairs = predict_pairs(con, source)
    t1 = time.perf_counter()
    con.register("__bench_pairs", pairs)
    clusters = cluster_records(con, source, "__bench_pairs")
    t2 = time.perf_counter()
    import pyarrow.parquet as pq

    pq.write_table(clusters, clusters_out)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "records": records,
        "pairs_scored_at_or_above_review": pairs.num_rows,
        "links": int(sum(1 for d in pairs.column("decision").to_pylist() if d == "link")),
        "persons": len(set(clusters.column("cluster_id").to_pylist())),
        "predict_seconds": round(t1 - t0, 2),
        "cluster_seconds": round(t2 - t1, 2),
        "linkage_seconds": round(t2 - t0, 2),
        "peak_rss_gib": round(peak_kib / 1024 / 1024, 3),
    }


def accuracy(warehouse: Path, clusters_file: Path, truth_dir: Path) -> dict:
    """Model and baseline metrics of the worker's clusters against the borough's truth."""
    import duckdb

    from insight_hub.identity.metrics import cluster_metrics

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{warehouse}' as wh (read_only)")
    con.execute(
        f"""
        create temp table labelled as
        select r.record_key, r.forename, r.surname, r.date_of_birth, c.cluster_id,
               t.person_id as truth
        from wh.identity.idn_match_records r
        join read_parquet('{clusters_file}') c using (record_key)
        join (
            select service, source_file, source_record_id, min(person_id) as person_id
            from read_csv('{truth_dir / "records.csv"}', all_varchar = true)
            group by service, source_file, source_record_id
        ) t
          on t.service = r.service and t.source_file = r.source_file
         and t.source_record_id = r.record_id
        """
    )
    con.execute("create temp view m as select cluster_id as predicted, truth from labelled")
    con.execute(
        """
        create temp view b as
        select case when forename is not null and surname is not null
                         and date_of_birth is not null
                    then forename || '|' || surname || '|' || date_of_birth::varchar
                    else 'rec|' || record_key end as predicted, truth
        from labelled
        """
    )
    model, baseline = cluster_metrics(con, "m"), cluster_metrics(con, "b")
    con.close()
    return {"model": model.as_dict(), "baseline": baseline.as_dict()}


def format_result(result: dict) -> str:
    w, acc = result["linkage"], result.get("accuracy")
    lines = [
        f"residents               {result['residents']:>14,}",
        f"match records           {w['records']:>14,}",
        f"pairs >= review band    {w['pairs_scored_at_or_above_review']:>14,}",
        f"links (>= match)        {w['links']:>14,}",
        f"persons (clusters)      {w['persons']:>14,}",
        f"predict (s)             {w['predict_seconds']:>14.1f}",
        f"cluster (s)             {w['cluster_seconds']:>14.1f}",
        f"linkage step (s)        {w['linkage_seconds']:>14.1f}   target < {TIME_TARGET_S:.0f}",
        f"peak RSS (GiB)          {w['peak_rss_gib']:>14.2f}   target < {MEMORY_TARGET_GIB:.0f}",
    ]
    if acc:
        m, b = acc["model"], acc["baseline"]
        lines.append(f"{'':24}{'model':>14}{'baseline':>10}")
        for key, label in [
            ("pairwise_precision", "pairwise precision"),
            ("pairwise_recall", "pairwise recall"),
            ("pairwise_f1", "pairwise F1"),
            ("bcubed_precision", "B-cubed precision"),
            ("bcubed_recall", "B-cubed recall"),
        ]:
            lines.append(f"{label:<24}{m[key]:>14.4f}{b[key]:>10.4f}")
    return "\n".join(lines)


@click.command("linkage")
@click.option("--residents", default=400_000, show_default=True, help="Borough size.")
@click.option(
    "--borough",
    type=click.Path(file_okay=False),
    default=None,
    help="Borough folder (default data/bench/<residents/1000>k); generated if absent.",
)
@click.option("--rebuild", is_flag=True, help="Rebuild the bench match records.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_linkage(residents: int, borough: str | None, rebuild: bool, as_json: bool):
    """Time the linkage step (Splink scoring + clustering) at scale, with peak memory."""
    tag = f"{residents // 1000}k" if residents >= 1000 else str(residents)
    borough_dir = Path(borough or f"data/bench/{tag}")
    warehouse = Path("warehouse") / f"bench_identity_{tag}.duckdb"
    ensure_borough(residents, borough_dir)
    ensure_match_records(borough_dir, warehouse, rebuild)
    clusters_file = warehouse.with_suffix(".clusters.parquet")
    click.echo("timing the linkage step in a fresh process ...")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "insight_hub.identity.bench",
            str(warehouse),
            str(clusters_file),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        click.echo(proc.stderr[-4000:], err=True)
        raise click.ClickException("the linkage worker failed")
    linkage = json.loads(proc.stdout.strip().splitlines()[-1])
    result = {"residents": residents, "borough": str(borough_dir), "linkage": linkage}
    truth = borough_dir / "truth"
    if (truth / "records.csv").is_file():
        result["accuracy"] = accuracy(warehouse, clusters_file, truth)
    result["within_targets"] = (
        linkage["linkage_seconds"] < TIME_TARGET_S and linkage["peak_rss_gib"] < MEMORY_TARGET_GIB
    )
    click.echo(json.dumps(result, indent=2) if as_json else format_result(result))


if __name__ == "__main__":
    # worker mode: python -m insight_hub.identity.bench <warehouse> <clusters.parquet>
    print(json.dumps(worker(sys.argv[1], sys.argv[2])))
