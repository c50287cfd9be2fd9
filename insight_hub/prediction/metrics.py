"""Discrimination, calibration and capacity metrics of held-out risk predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score


def ece(y: np.ndarray, p: np.ndarray, bins: int = 10, strategy: str = "uniform") -> float:
    """Expected calibration error: sum over bins of |mean score - observed rate| * bin share.

    ``uniform``: equal-width bins on [0, 1] (the usual definition); ``quantile``: equal-count
    bins (stricter when most scores are small, as here).
    """
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    if len(y) == 0:
        return float("nan")
    if strategy == "uniform":
        idx = np.minimum((p * bins).astype(int), bins - 1)
    else:
        idx = _deciles(p, bins)
    total = 0.0
    for b in np.unique(idx):
        m = idx == b
        total += abs(p[m].mean() - y[m].mean()) * m.mean()
    return float(total)


def _deciles(p: np.ndarray, bins: int = 10) -> np.ndarray:
    """Equal-count bins by rank (ties broken by position), 0 = lowest scores."""
    order = np.argsort(p, kind="stable")
    idx = np.empty(len(p), dtype=int)
    idx[order] = (np.arange(len(p)) * bins) // max(len(p), 1)
    return idx


def calibration_by_decile(y: np.ndarray, p: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """One row per score decile (1 = lowest): rows, mean score, observed rate."""
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    idx = _deciles(p, bins)
    df = pd.DataFrame({"decile": idx + 1, "y": y, "p": p})
    g = df.groupby("decile")
    return pd.DataFrame(
        {"rows": g.size(), "mean_score": g["p"].mean(), "observed_rate": g["y"].mean()}
    ).reset_index()


def capacity_metrics(holdout: pd.DataFrame, capacity: int) -> dict[str, float]:
    """Precision and recall when the team works the top ``capacity`` households each month."""
    sel = holdout["rank_in_month"] <= capacity
    y = holdout["label"].astype(bool)
    per_month = holdout.assign(sel=sel, y=y).groupby("month")
    precision = per_month.apply(lambda g: g.loc[g.sel, "y"].mean(), include_groups=False)
    recall = per_month.apply(
        lambda g: g.loc[g.sel, "y"].sum() / max(g["y"].sum(), 1), include_groups=False
    )
    base = per_month["y"].mean()
    return {
        "precision_at_capacity": float(precision.mean()),
        "recall_at_capacity": float(recall.mean()),
        "lift_at_capacity": float((precision / base.where(base > 0)).mean()),
    }


def discrimination(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    y = np.asarray(y, dtype=bool)
    if y.all() or not y.any():
        return {"roc_auc": float("nan"), "average_precision": float("nan")}
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "average_precision": float(average_precision_score(y, p)),
    }


def metric_rows(holdout: pd.DataFrame, capacity: int, fitted=None) -> pd.DataFrame:
    """The rows of ``mart_risk_model_metrics``: (metric, decile, value, description)."""
    y = holdout["label"].to_numpy(dtype=bool)
    p = holdout["score"].to_numpy(dtype=float)
    rows: list[tuple[str, int | None, float, str]] = []

    def add(metric, value, description, decile=None):
        rows.append((metric, decile, float(value), description))

    d = discrimination(y, p)
    add("roc_auc", d["roc_auc"], "ROC AUC on the held-out months")
    add("average_precision", d["average_precision"], "average precision on the held-out months")
    add(
        "brier_score", brier_score_loss(y, p) if len(y) else np.nan, "Brier score (lower is better)"
    )
    add("ece", ece(y, p), "expected calibration error, 10 equal-width bins")
    add("ece_adaptive", ece(y, p, strategy="quantile"), "expected calibration error, score deciles")
    add("mean_score", p.mean(), "mean predicted probability (held-out)")
    add("observed_rate", y.mean(), "observed 6-month approach rate (held-out)")
    b = discrimination(y, holdout["baseline_score"].to_numpy(dtype=float))
    add("baseline_roc_auc", b["roc_auc"], "ROC AUC of the arrears-only rule (ct + rent arrears)")
    add("baseline_average_precision", b["average_precision"], "average precision, arrears rule")
    for k, v in capacity_metrics(holdout, capacity).items():
        add(k, v, f"top {capacity} households per month (the team's capacity), monthly mean")
    base_rank = (
        holdout.assign(_s=holdout["baseline_score"])
        .sort_values(["month", "_s", "household_key"], ascending=[True, False, True])
        .groupby("month")
        .cumcount()
        + 1
    )
    base = holdout.assign(rank_in_month=base_rank.reindex(holdout.index))
    for k, v in capacity_metrics(base, capacity).items():
        add(f"baseline_{k}", v, f"arrears rule, top {capacity} households per month")
    add("capacity", capacity, "households the prevention team can contact per month")
    add("holdout_rows", len(holdout), "household-months held out")
    add("holdout_households", holdout["household_key"].nunique(), "households held out")
    add("holdout_months", holdout["month"].nunique(), "months held out")
    if fitted is not None:
        add("train_rows", fitted.train_rows, "household-months trained on")
        add("train_positive_rate", fitted.train_positive_rate, "6-month approach rate in training")
        add("calibration_rows", fitted.calibration_rows, "household-months in calibration slice")
    for _, r in calibration_by_decile(y, p).iterrows():
        dec = int(r["decile"])
        add("decile_rows", r["rows"], "household-months in the score decile", dec)
        add("decile_mean_score", r["mean_score"], "mean predicted probability in the decile", dec)
        add("decile_observed_rate", r["observed_rate"], "observed rate in the decile", dec)
    return pd.DataFrame(rows, columns=["metric", "decile", "value", "description"])
