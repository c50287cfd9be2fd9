"""What each prediction dbt Python model computes: frames in, conformed Arrow tables out.

The dbt models (python_models/prediction/*.py) only read their refs and call one function
here, so that the logic is importable, testable without dbt, and shared with the benchmark.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from insight_hub.prediction import explain, fairness, forecast, metrics, risk
from insight_hub.prediction import features as F
from insight_hub.prediction.schemas import conform

DEFAULT_CAPACITY = 200


def read(relation, columns: list[str] | None = None) -> pd.DataFrame:
    """A dbt ref (a DuckDB relation) as a DataFrame, fetched in full through Arrow (much
    faster than ``.df()`` for text columns); ``columns`` limits what is read."""
    if columns:
        relation = relation.project(", ".join(columns))
    return relation.to_arrow_table().to_pandas()


def risk_holdout(needs: pd.DataFrame, capacity: int = DEFAULT_CAPACITY, config=None) -> pa.Table:
    """mart_risk_holdout: the backtest's predictions for the held-out months."""
    fitted, hold = risk.backtest(needs, config, capacity)
    hold["model_version"] = fitted.version
    return conform(hold, "mart_risk_holdout")


def spec_of(version: str) -> str:
    """The specification part of a model version (everything before ``-cut<yyyymm>``)."""
    return str(version).rsplit("-cut", 1)[0]


def homelessness_risk(
    needs: pd.DataFrame,
    capacity: int = DEFAULT_CAPACITY,
    config=None,
    medium_multiple: int = 4,
    evaluated_versions: list[str] | None = None,
) -> pa.Table:
    """mart_homelessness_risk: every current (non-objecting) household scored, with reasons.

    ``evaluated_versions``: the model versions in mart_risk_holdout. Scores are published only
    when the scoring model has the specification that was evaluated (same hash; only the
    cut-off differs), so no household is scored by an unevaluated model.
    """
    scored, fitted = score_with_reasons(needs, capacity, config, medium_multiple)
    if evaluated_versions is not None:
        evaluated = {spec_of(v) for v in evaluated_versions}
        if evaluated != {spec_of(fitted.version)}:
            raise ValueError(
                f"mart_homelessness_risk: the scoring model {fitted.version} was not evaluated "
                f"(mart_risk_holdout holds {sorted(evaluated)}): rebuild mart_risk_holdout."
            )
    return conform(scored, "mart_homelessness_risk")


def score_with_reasons(
    needs: pd.DataFrame, capacity: int = DEFAULT_CAPACITY, config=None, medium_multiple: int = 4
) -> tuple[pd.DataFrame, risk.FittedRisk]:
    fitted, scored, X = risk.score_current(needs, config)
    contrib = explain.contributions(fitted.predict, X, scored["score"].to_numpy())
    scored["reasons"] = explain.reasons(contrib, X).to_numpy()
    scored["risk_rank"] = risk.rank_within(scored)
    scored["band"] = risk.band(scored["risk_rank"].to_numpy(), capacity, medium_multiple)
    scored["scored_month"] = scored[F.MONTH]
    scored["model_version"] = fitted.version
    scored = scored.sort_values("risk_rank", kind="stable").reset_index(drop=True)
    return scored, fitted


def model_metrics(
    holdout: pd.DataFrame,
    needs: pd.DataFrame | None,
    capacity: int = DEFAULT_CAPACITY,
    config=None,
    scored: pd.DataFrame | None = None,
) -> pa.Table:
    """mart_risk_model_metrics: metric rows from the held-out predictions.

    ``needs`` (optional) replays the backtest's slicing, without training, to record how many
    household-months trained and calibrated the model; ``scored`` (optional, the production
    scores) adds what was scored.
    """
    rows = metrics.metric_rows(holdout, capacity)
    if scored is not None and len(scored):
        version = str(scored["model_version"].iloc[0])
        extra = [
            ("scored_households", None, len(scored), f"households scored by {version}"),
            (
                "scored_month",
                None,
                _yyyymm(pd.to_datetime(scored["scored_month"]).max()),
                "yyyymm: the month whose needs profile was scored",
            ),
            (
                "scored_high_band",
                None,
                int((scored["band"] == "High").sum()),
                "households in the High band",
            ),
            (
                "scored_mean_score",
                None,
                float(scored["score"].mean()),
                "mean score of the scored households (expected 6-month approach rate)",
            ),
        ]
        rows = pd.concat([rows, pd.DataFrame(extra, columns=rows.columns)], ignore_index=True)
    version = str(holdout["model_version"].iloc[0]) if len(holdout) else "none"
    if needs is not None and len(holdout):
        config = config or risk.RiskConfig()
        cutoff = pd.to_datetime(holdout["month"]).min()
        d = risk.slices(needs, cutoff, config).describe()
        extra = [
            ("train_rows", None, d["train_rows"], "household-months trained on"),
            (
                "train_positive_rate",
                None,
                d["train_positive_rate"],
                "6-month approach rate in the training slice",
            ),
            (
                "calibration_rows",
                None,
                d["calibration_rows"],
                "household-months in the calibration slice",
            ),
            (
                "calibration_positive_rate",
                None,
                d["calibration_positive_rate"],
                "6-month approach rate in the calibration slice",
            ),
            ("train_first_month", None, _yyyymm(d["train_months"][0]), "yyyymm"),
            ("train_last_month", None, _yyyymm(d["train_months"][1]), "yyyymm"),
            ("calibration_first_month", None, _yyyymm(d["calibration_months"][0]), "yyyymm"),
            ("calibration_last_month", None, _yyyymm(d["calibration_months"][1]), "yyyymm"),
            ("holdout_first_month", None, _yyyymm(cutoff), "yyyymm"),
            ("holdout_last_month", None, _yyyymm(pd.to_datetime(holdout["month"]).max()), "yyyymm"),
        ]
        rows = pd.concat([rows, pd.DataFrame(extra, columns=rows.columns)], ignore_index=True)
    rows["model_version"] = version
    return conform(rows, "mart_risk_model_metrics")


def _yyyymm(ts) -> float:
    ts = pd.Timestamp(ts)
    return float(ts.year * 100 + ts.month)


def risk_fairness(
    holdout: pd.DataFrame, residents: pd.DataFrame, min_households: int = 10, min_outcomes: int = 10
) -> pa.Table:
    """mart_risk_fairness: group metrics of the held-out predictions (monitoring only)."""
    groups = fairness.household_groups(residents)
    table = fairness.fairness_table(holdout, groups, min_households, min_outcomes)
    table["model_version"] = str(holdout["model_version"].iloc[0]) if len(holdout) else "none"
    return conform(table, "mart_risk_fairness")


def needs_window(as_of_date: str | None, months: int = 36) -> tuple[pd.Timestamp, pd.Timestamp]:
    """(first, last) month of the needs window ending the month before ``as_of_date``."""
    last = pd.Timestamp(as_of_date).to_period("M").to_timestamp() - pd.DateOffset(months=1)
    return last - pd.DateOffset(months=months - 1), last


def ta_series(
    placements: pd.DataFrame, as_of_date: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(borough, wards) monthly series from rows of (month, ward_code, placements).

    Months without a row are zero; with ``as_of_date`` the series spans the whole needs window
    (so that empty months at either end count), else the months seen.
    """
    p = placements.rename(columns={"ward_code": "area_code"}).copy()
    p["month"] = pd.to_datetime(p["month"])
    p["area_code"] = p["area_code"].fillna("unknown")
    window = needs_window(as_of_date) if as_of_date else None
    wards = forecast.complete_series(p, window=window)
    borough = wards.groupby("month", as_index=False)["placements"].sum()
    return borough, wards


def ta_forecast(placements: pd.DataFrame, as_of_date: str | None = None, config=None) -> pa.Table:
    """mart_ta_forecast: borough and ward forecasts 12 months ahead with intervals."""
    borough, wards = ta_series(placements, as_of_date)
    return conform(forecast.forecast(borough, wards, config), "mart_ta_forecast")


def ta_forecast_metrics(
    placements: pd.DataFrame, as_of_date: str | None = None, config=None
) -> pa.Table:
    """mart_ta_forecast_metrics: rolling-origin backtest, model against seasonal naive."""
    borough, _ = ta_series(placements, as_of_date)
    _, summary = forecast.backtest(borough, config)
    return conform(summary, "mart_ta_forecast_metrics")
