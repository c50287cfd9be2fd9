"""`insight-hub bench prediction`: risk training plus scoring at scale, timed, peak memory.

The input is the needs profile (mart_household_needs) of the benchmark borough: read from a
built warehouse when one is found (``--warehouse``, or ``<borough>/warehouse/*.duckdb``);
otherwise a contract-shaped frame of the same size is generated
(:mod:`insight_hub.prediction.synthetic`, in a child process, handed over as Parquet and read
through Arrow as the dbt models read the mart), with the borough's household count (from its
truth/households.csv when present, else residents / 2.36, the UK mean household size) and 36
months for every household (more rows than a real mart, where households appear when first
seen). Peak memory is this process's: loading, training and scoring.

Timed stages (the target is training plus scoring under 3 minutes and 6 GiB on 2 cores):
backtest (fit on the earlier months, predict the held-out months), production fit, scoring the
current month with reasons, metrics. The TA forecast and its backtest are timed too (small).
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click
import pandas as pd

from insight_hub.prediction import features as F
from insight_hub.prediction import forecast, metrics, pipeline, risk

UK_MEAN_HOUSEHOLD = 2.36
TARGET_SECONDS = 180
TARGET_GIB = 6.0


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def find_warehouse(borough: Path, warehouse: str | None) -> Path | None:
    if warehouse:
        return Path(warehouse)
    for cand in sorted(borough.glob("warehouse/*.duckdb")) + sorted(borough.glob("*.duckdb")):
        if cand.name.startswith("serving"):
            continue
        try:
            import duckdb

            con = duckdb.connect(str(cand), read_only=True)
            try:
                con.execute("select 1 from marts.mart_household_needs limit 1").fetchall()
                return cand
            finally:
                con.close()
        except Exception:  # noqa: BLE001 - any unreadable candidate is skipped
            continue
    return None


def load_needs(path: Path) -> pd.DataFrame:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        cols = ", ".join(F.INPUT_COLUMNS)
        return (
            con.sql(f"select {cols} from marts.mart_household_needs").to_arrow_table().to_pandas()
        )
    finally:
        con.close()


def synthetic_needs(households: int, seed: int, path: Path) -> pd.DataFrame:
    """Generate the synthetic frame in a child process (so that the generator's own memory
    does not count), written as Parquet with only the columns the model reads, then read it
    back through Arrow, as the dbt models read the mart."""
    code = (
        "import sys; from insight_hub.prediction import synthetic, features as F; "
        "synthetic.needs_frame(households=int(sys.argv[1]), seed=int(sys.argv[2]))"
        "[F.INPUT_COLUMNS].to_parquet(sys.argv[3], index=False)"
    )
    subprocess.run([sys.executable, "-c", code, str(households), str(seed), str(path)], check=True)
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()


def household_count(borough: Path, residents: int) -> tuple[int, str]:
    truth = borough / "truth" / "households.csv"
    if truth.is_file():
        with truth.open("rb") as fh:
            n = sum(1 for _ in fh) - 1
        return n, f"{truth} ({n:,} households)"
    n = int(round(residents / UK_MEAN_HOUSEHOLD))
    return n, f"residents / {UK_MEAN_HOUSEHOLD} ({n:,} households)"


def run(borough: Path, residents: int, warehouse: str | None, capacity: int, seed: int) -> dict:
    t0 = time.perf_counter()
    wh = find_warehouse(borough, warehouse)
    if wh is not None:
        needs = load_needs(wh)
        source = f"warehouse {wh} (marts.mart_household_needs)"
    else:
        n, how = household_count(borough, residents)
        with tempfile.TemporaryDirectory(prefix="insight-hub-bench-") as tmp:
            needs = synthetic_needs(n, seed, Path(tmp) / "needs.parquet")
        source = f"contract-shaped synthetic frame sized from {how}"
    load_s = time.perf_counter() - t0
    gc.collect()
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name, fn):
        t, c = time.perf_counter(), _cpu()
        out = fn()
        stages[name] = time.perf_counter() - t
        cpu[name] = _cpu() - c
        return out

    fitted_bt, hold = timed(
        "backtest_fit_and_predict", lambda: risk.backtest(needs, capacity=capacity)
    )
    scored, fitted = timed(
        "production_fit_score_reasons", lambda: pipeline.score_with_reasons(needs, capacity)
    )
    rows = timed("metrics", lambda: metrics.metric_rows(hold, capacity))
    train_score = sum(stages.values())
    train_score_cpu = sum(cpu.values())
    timed("ta_forecast_backtest", lambda: forecast.backtest(_ta_series(needs)))

    peak = _peak_gib()
    m = dict(
        zip(
            rows.loc[rows["decile"].isna(), "metric"],
            rows.loc[rows["decile"].isna(), "value"],
            strict=False,
        )
    )
    return {
        "source": source,
        "residents": residents,
        "household_months": int(len(needs)),
        "households": int(needs[F.KEY].nunique()),
        "households_scored": int(len(scored)),
        "train_rows": fitted.train_rows,
        "backtest_train_rows": fitted_bt.train_rows,
        "holdout_rows": int(len(hold)),
        "load_seconds": round(load_s, 1),
        "stages_seconds": {k: round(v, 1) for k, v in stages.items()},
        "stages_cpu_seconds": {k: round(v, 1) for k, v in cpu.items()},
        "train_plus_score_seconds": round(train_score, 1),
        "train_plus_score_cpu_seconds": round(train_score_cpu, 1),
        "load_average_1m": round(os.getloadavg()[0], 1),
        "peak_rss_gib": round(peak, 2),
        "holdout_roc_auc": round(m["roc_auc"], 4),
        "holdout_ece": round(m["ece"], 4),
        "targets": {
            "seconds": TARGET_SECONDS,
            "gib": TARGET_GIB,
            "met": bool(train_score < TARGET_SECONDS and peak < TARGET_GIB),
        },
    }


def _ta_series(needs: pd.DataFrame) -> pd.DataFrame:
    """Borough TA starts per month from the needs frame (a placement open now, not last month)."""
    df = needs[[F.KEY, F.MONTH, "in_temporary_accommodation"]].sort_values([F.KEY, F.MONTH])
    ta = df["in_temporary_accommodation"].fillna(False).astype(bool)
    prev = ta.groupby(df[F.KEY]).shift(1, fill_value=False).astype(bool)
    starts = df.loc[ta & ~prev].groupby(F.MONTH).size()
    months = pd.date_range(df[F.MONTH].min(), df[F.MONTH].max(), freq="MS")
    s = starts.reindex(months, fill_value=0).iloc[1:]  # the first month has no "previous"
    return pd.DataFrame({"month": s.index, "placements": s.to_numpy()})


def format_table(r: dict) -> str:
    lines = [
        f"prediction benchmark: {r['source']}",
        f"{r['household_months']:,} household-months, {r['households']:,} households; "
        f"training rows {r['train_rows']:,} (production), {r['backtest_train_rows']:,} (backtest)",
        f"{'stage':<34}{'wall s':>10}{'CPU s':>10}",
    ]
    for k, v in r["stages_seconds"].items():
        lines.append(f"{k:<34}{v:>10.1f}{r['stages_cpu_seconds'][k]:>10.1f}")
    lines.append(
        f"{'training plus scoring':<34}{r['train_plus_score_seconds']:>10.1f}"
        f"{r['train_plus_score_cpu_seconds']:>10.1f}"
    )
    lines.append(f"{'loading the needs profile':<34}{r['load_seconds']:>10.1f}")
    lines.append(
        f"load average {r['load_average_1m']} on 2 cores; "
        f"peak RSS {r['peak_rss_gib']:.2f} GiB; held-out AUC {r['holdout_roc_auc']:.4f}, "
        f"ECE {r['holdout_ece']:.4f}"
    )
    t = r["targets"]
    lines.append(
        f"target: < {t['seconds']} s and < {t['gib']} GiB: {'met' if t['met'] else 'NOT met'}"
    )
    return "\n".join(lines)


@click.command("prediction")
@click.option(
    "--borough",
    default="data/bench/400k",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The benchmark borough's folder.",
)
@click.option(
    "--residents",
    default=400_000,
    show_default=True,
    help="Residents in the borough (sizes the synthetic frame when no warehouse).",
)
@click.option("--warehouse", default=None, help="A built warehouse to read the needs profile from.")
@click.option("--capacity", default=200, show_default=True, help="Prevention team capacity.")
@click.option("--seed", default=42, show_default=True, help="Seed of the synthetic frame.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench_prediction(borough, residents, warehouse, capacity, seed, as_json):
    """Time risk training plus scoring (and the TA forecast) at benchmark scale."""
    try:
        result = run(Path(borough), residents, warehouse, capacity, seed)
    except (ValueError, OSError) as err:
        click.echo(f"insight-hub bench prediction: {err}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result, indent=2) if as_json else format_table(result))
    if not result["targets"]["met"]:
        sys.exit(2)
