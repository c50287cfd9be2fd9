"""`insight-hub evaluate risk`: the held-out risk predictions against the synthetic truth.

Reads the built warehouse (read-only): the backtest's held-out predictions
(marts.mart_risk_holdout), and, to map each pseudonymous household_key to a true household,
the restricted identity layer's records (identity.idn_match_records: record_key, service,
source_file, record_id) with their keys (intermediate.int_records__keyed). Each
household_key takes the true household that most of its records belong to
(data/truth/records.csv). Then for every held-out household-month (m):

- the true outcome: the true household approached in months m+1 .. m+6
  (data/truth/homelessness_monthly.csv);
- the best achievable score: the generative probability of that outcome,
  P = 1 - prod_{k=1..6} (1 - p_approach[m+k]);
- the model's score (calibrated probability) and a simple baseline: total arrears
  (council tax + rent), and, as a second baseline, "arrears rising" (either arrears rising for
  2+ months, ranked by total arrears), both from the held-out month's needs profile.

Four views, each with ROC AUC and average precision of all four scores, the model's
calibration (ECE) and the targets (AUC >= 0.95 x best achievable, above the baseline,
ECE < 0.02):

- ``all_keys``: every held-out household-month against the true outcome;
- ``one_key_per_true_household``: the same, keeping for each true household only the key
  holding most of its records. When linkage splits a household over several keys, the
  approach is recorded on one of them; the others carry the true outcome but none of its
  signal, which no model reading the warehouse can see (the oracle can). This view separates
  the model's quality from the identity layer's;
- ``warehouse_label``: every held-out household-month against the warehouse's own outcome
  (the label the model was trained on);
- ``unsplit_households``: the true households linkage keeps under a single key, against the
  true outcome: where the identity layer formed the household right, how close the model
  comes to the best achievable (the gap to ``one_key_per_true_household`` is the identity
  layer's household formation).

This reads the truth and the identity layer: an evaluation tool, never part of the build (no
model reads them).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
import duckdb
import numpy as np
import pandas as pd

from insight_hub.prediction import features as F
from insight_hub.prediction import metrics as M

TARGET_RATIO = 0.95
TARGET_ECE = 0.02


def _household_map(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> pd.DataFrame:
    records = truth_dir / "records.csv"
    return con.execute(
        f"""
        with labelled as (
            select k.household_key, t.household_id as true_household_id, count(*) as n
            from wh.identity.idn_match_records r
            join wh.intermediate.int_records__keyed k using (record_key)
            join read_csv('{records}', all_varchar = true) t
              on t.service = r.service
             and t.source_file = r.source_file
             and t.source_record_id = r.record_id
            where k.household_key is not null and t.household_id is not null
            group by 1, 2
        )
        select household_key, true_household_id, n,
               sum(n) over (partition by household_key) as records
        from labelled
        qualify row_number() over (
            partition by household_key order by n desc, true_household_id
        ) = 1
        """
    ).df()


def _truth_windows(
    con: duckdb.DuckDBPyConnection, truth_dir: Path, horizon: int = F.HORIZON
) -> pd.DataFrame:
    """Per true household and month m: P(approach in m+1..m+h) and whether one happened."""
    monthly = truth_dir / "homelessness_monthly.csv"
    return con.execute(
        f"""
        with t as (
            select household_id::varchar as true_household_id,
                   (cast(substr(month, 1, 4) as integer) * 12
                    + cast(substr(month, 6, 2) as integer) - 1) as midx,
                   cast(p_approach as double) as p,
                   cast(approached as integer) as a
            from read_csv('{monthly}', all_varchar = true)
        ),
        need as (
            select distinct true_household_id, midx
            from hold_keys
        )
        select need.true_household_id, need.midx,
               1 - exp(sum(ln(greatest(1 - coalesce(t.p, 0), 1e-12)))) as best,
               coalesce(max(t.a), 0) > 0 as true_label
        from need
        left join t
          on t.true_household_id = need.true_household_id
         and t.midx between need.midx + 1 and need.midx + {horizon}
        group by 1, 2
        """
    ).df()


def _needs_baselines(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        select n.household_key, n.month,
               coalesce(n.ct_arrears, 0) + coalesce(n.rent_arrears, 0) as total_arrears,
               greatest(coalesce(n.ct_arrears_months_rising, 0),
                        coalesce(n.rent_arrears_months_rising, 0)) >= 2 as arrears_rising
        from wh.marts.mart_household_needs n
        semi join wh.marts.mart_risk_holdout h
          on h.household_key = n.household_key and h.month = n.month
        """
    ).df()


VIEWS = {
    "all_keys": "every held-out household-month, true outcome",
    "one_key_per_true_household": (
        "one household_key per true household (the key holding most of its records), true "
        "outcome: without the extra keys that linkage splits off a household"
    ),
    "warehouse_label": "every held-out household-month, the warehouse's own (linked) outcome",
    "unsplit_households": (
        "the true households that linkage keeps under one household_key (none split off), true "
        "outcome: the model where the identity layer formed the household"
    ),
}


def _scores(ev: pd.DataFrame) -> dict[str, np.ndarray]:
    total = ev["total_arrears"].fillna(0).to_numpy(dtype=float)
    rising = ev["arrears_rising"].fillna(False).to_numpy(dtype=bool)
    return {
        "model": ev["score"].to_numpy(dtype=float),
        "best_achievable": ev["best"].fillna(0).to_numpy(dtype=float),
        "baseline_arrears": total,
        "baseline_rising_arrears": rising * 1e7 + total,
    }


def _view(ev: pd.DataFrame, y: np.ndarray, capacity: int | None) -> dict:
    scores = _scores(ev)
    out: dict = {}
    for name, s in scores.items():
        out[name] = M.discrimination(y, s)
    p = scores["model"]
    out["model"]["ece"] = M.ece(y, p)
    out["model"]["ece_adaptive"] = M.ece(y, p, strategy="quantile")
    out["model"]["mean_score"] = float(p.mean())
    out["best_achievable"]["ece"] = M.ece(y, scores["best_achievable"])
    if capacity:
        ranked = ev.assign(y=y).sort_values(["month", "score"], ascending=[True, False])
        out["model"]["precision_at_capacity"] = float(
            ranked.groupby("month").head(capacity)["y"].mean()
        )
    out["observed_rate"] = float(y.mean())
    out["rows"] = int(len(ev))
    out["positives"] = int(y.sum())
    best, model = out["best_achievable"]["roc_auc"], out["model"]["roc_auc"]
    out["targets"] = {
        "auc_ratio_to_best": model / best if best else float("nan"),
        "auc_at_least_95pct_of_best": bool(model >= TARGET_RATIO * best),
        "auc_above_baseline": bool(model > out["baseline_arrears"]["roc_auc"]),
        "ece_below_0_02": bool(out["model"]["ece"] < TARGET_ECE),
    }
    return out


def evaluate(warehouse: str | Path, truth_dir: str | Path, capacity: int | None = None) -> dict:
    truth_dir = Path(truth_dir)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{Path(warehouse)}' as wh (read_only)")
        hold = con.execute("select * from wh.marts.mart_risk_holdout").df()
        if hold.empty:
            raise ValueError("marts.mart_risk_holdout is empty: build the prediction marts first.")
        hmap = _household_map(con, truth_dir)
        hold = hold.merge(hmap, on="household_key", how="left")
        mapped = hold["true_household_id"].notna()
        hold["midx"] = F.month_index(hold["month"])
        keys = hold.loc[mapped, ["true_household_id", "midx"]].drop_duplicates()
        con.register("hold_keys", keys)
        truth = _truth_windows(con, truth_dir)
        base = _needs_baselines(con)
    finally:
        con.close()
    ev = hold.loc[mapped].merge(truth, on=["true_household_id", "midx"], how="left")
    ev = ev.merge(base, on=["household_key", "month"], how="left")
    y_true = ev["true_label"].fillna(False).to_numpy(dtype=bool)
    main = hmap.sort_values(["n", "household_key"], ascending=[False, True]).drop_duplicates(
        "true_household_id"
    )["household_key"]
    one = ev["household_key"].isin(set(main)).to_numpy()
    per_true = hmap.groupby("true_household_id").size()
    unsplit = ev["true_household_id"].isin(set(per_true[per_true == 1].index)).to_numpy()
    result: dict = {
        "model_version": str(hold["model_version"].iloc[0]),
        "views": VIEWS,
        "all_keys": _view(ev, y_true, capacity),
        "one_key_per_true_household": _view(ev.loc[one], y_true[one], capacity),
        "warehouse_label": _view(ev, ev["label"].to_numpy(dtype=bool), capacity),
        "unsplit_households": _view(ev.loc[unsplit], y_true[unsplit], capacity),
    }
    result["rows"] = {
        "holdout": int(len(hold)),
        "mapped_to_true_household": int(mapped.sum()),
        "unmapped": int((~mapped).sum()),
        "household_keys": int(hold["household_key"].nunique()),
        "true_households": int(ev["true_household_id"].nunique()),
        "true_households_split_over_several_keys": int((per_true > 1).sum()),
        "keys_of_split_households": int(per_true[per_true > 1].sum()),
        "months": int(hold["month"].nunique()),
    }
    return result


def format_table(r: dict) -> str:
    rows = r["rows"]
    lines = [
        f"held-out predictions of {r['model_version']}: {rows['holdout']:,} household-months "
        f"({rows['months']} months), {rows['mapped_to_true_household']:,} mapped to a true "
        f"household; {rows['true_households_split_over_several_keys']:,} true households are "
        f"split over {rows['keys_of_split_households']:,} household_keys by linkage",
    ]
    for view, label in r["views"].items():
        v = r[view]
        lines += [
            "",
            f"{view}: {label} ({v['rows']:,} rows, {v['positives']:,} positive, "
            f"rate {v['observed_rate']:.2%})",
            f"  {'score':<32}{'ROC AUC':>10}{'avg prec':>10}",
        ]
        for name, text in [
            ("model", "model (calibrated blend)"),
            ("best_achievable", "best achievable (true p)"),
            ("baseline_arrears", "baseline: total arrears"),
            ("baseline_rising_arrears", "baseline: rising arrears"),
        ]:
            lines.append(
                f"  {text:<32}{v[name]['roc_auc']:>10.4f}{v[name]['average_precision']:>10.4f}"
            )
        m, t = v["model"], v["targets"]
        cap = (
            f"; precision at capacity {m['precision_at_capacity']:.4f}"
            if "precision_at_capacity" in m
            else ""
        )
        lines.append(
            f"  model ECE {m['ece']:.4f} (deciles {m['ece_adaptive']:.4f}), mean score "
            f"{m['mean_score']:.4f}{cap}"
        )
        ok = "yes" if t["auc_at_least_95pct_of_best"] else "NO"
        lines.append(
            f"  targets: AUC / best {t['auc_ratio_to_best']:.3f} (>= 0.95: {ok}); above "
            f"baseline: {'yes' if t['auc_above_baseline'] else 'NO'}; ECE < 0.02: "
            f"{'yes' if t['ece_below_0_02'] else 'NO'}"
        )
    return "\n".join(lines)


@click.command("risk")
@click.option(
    "--warehouse",
    default=lambda: os.environ.get("INSIGHT_HUB_WAREHOUSE", "warehouse/insight_hub.duckdb"),
    show_default="$INSIGHT_HUB_WAREHOUSE or warehouse/insight_hub.duckdb",
    help="The built warehouse (opened read-only).",
)
@click.option(
    "--truth",
    "truth_dir",
    default="data/truth",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The synthetic borough's ground truth folder.",
)
@click.option(
    "--capacity", default=200, show_default=True, help="Households the team can contact a month."
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_risk(warehouse: str, truth_dir: str, capacity: int, as_json: bool):
    """Held-out risk AUC / average precision beside the best achievable and a baseline."""
    if not Path(warehouse).is_file():
        click.echo(f"insight-hub evaluate risk: no warehouse at {warehouse}.", err=True)
        sys.exit(1)
    for name in ("records.csv", "homelessness_monthly.csv"):
        if not (Path(truth_dir) / name).is_file():
            click.echo(f"insight-hub evaluate risk: no {truth_dir}/{name}.", err=True)
            sys.exit(1)
    try:
        result = evaluate(warehouse, truth_dir, capacity)
    except (duckdb.Error, ValueError) as err:
        click.echo(f"insight-hub evaluate risk: {err}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result, indent=2, default=float) if as_json else format_table(result))
