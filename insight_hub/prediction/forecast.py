"""Temporary accommodation demand: placements starting per month, 12 months ahead.

Model (borough): the mean of three simple forecasts, each fitted on the whole observed
history (36 months at most: placements that ended longer ago are expired by retention):

- a Poisson GLM, log link, linear trend plus one pair of Fourier terms for the time of year
  (scikit-learn ``PoissonRegressor``, lightly L2-penalised);
- the same GLM without the trend (seasonality around a flat level);
- the level: the mean of the last 12 months.

With two or three years of small monthly counts, a trend or a seasonal shape estimated from
the data is noisy; averaging it with the flatter forecasts keeps most of the signal when there
is one and loses little when there is none (a forecast combination: the backtest picks nothing,
so it stays an honest estimate). Prediction intervals come from a negative binomial at the
combined mean whose dispersion is estimated from the trend GLM's in-sample Pearson residuals
(Poisson when not over-dispersed); their coverage is measured in the backtest.

Wards: top-down. Each ward's forecast is the borough forecast times the ward's share of
placements over the last 12 months (shrunk towards its whole-history share), with intervals
from the same negative binomial at the ward's mean. Ward series are small counts on which a
model of their own would mostly fit noise.

Backtest: rolling origin. For every origin from ``min_train`` months onwards, fit on the
months up to the origin, forecast 1..12 months ahead, and score against what happened, for the
model and for the seasonal-naive baseline (the same month last year). MASE scales each
origin's absolute errors by the in-sample mean absolute seasonal (lag-12) difference.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.linear_model import PoissonRegressor

SEASON = 12
HORIZON = 12
MODEL_NAME = "glm_level_combination"
BASELINE_NAME = "seasonal_naive"
FORECAST_VERSION = "ta-1.1"


@dataclass(frozen=True)
class ForecastConfig:
    horizon: int = HORIZON
    harmonics: int = 1
    alpha: float = 1e-2
    min_train: int = 18
    share_months: int = 12
    share_shrink: float = 0.5  # weight on the recent share (vs the whole-history share)
    levels: tuple[float, ...] = (0.8, 0.95)


def _design(
    t: np.ndarray, month_of_year: np.ndarray, harmonics: int, trend: bool = True
) -> np.ndarray:
    cols = [t / SEASON] if trend else []
    for k in range(1, harmonics + 1):
        ang = 2 * np.pi * k * month_of_year / SEASON
        cols += [np.sin(ang), np.cos(ang)]
    return np.column_stack(cols)


@dataclass
class GLMFit:
    """The combination: trend GLM, flat seasonal GLM, last-12-month level."""

    trend: PoissonRegressor
    flat: PoissonRegressor
    level: float
    dispersion: float
    n: int
    harmonics: int

    def mean(self, t: np.ndarray, moy: np.ndarray, harmonics: int | None = None) -> np.ndarray:
        h = self.harmonics if harmonics is None else harmonics
        a = self.trend.predict(_design(t, moy, h, trend=True))
        b = self.flat.predict(_design(t, moy, h, trend=False))
        return (a + b + self.level) / 3.0


def _poisson(X: np.ndarray, y: np.ndarray, alpha: float) -> PoissonRegressor:
    model = PoissonRegressor(alpha=alpha, solver="newton-cholesky", max_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(X, y)
    return model


def fit_glm(y: np.ndarray, t: np.ndarray, moy: np.ndarray, config: ForecastConfig) -> GLMFit:
    X = _design(t, moy, config.harmonics, trend=True)
    trend = _poisson(X, y, config.alpha)
    flat = _poisson(_design(t, moy, config.harmonics, trend=False), y, config.alpha)
    mu = np.maximum(trend.predict(X), 1e-9)
    dof = max(len(y) - X.shape[1] - 1, 1)
    dispersion = float(max(np.sum((y - mu) ** 2 / mu) / dof, 1.0))
    level = float(np.mean(y[-SEASON:]))
    return GLMFit(trend, flat, level, dispersion, len(y), config.harmonics)


def interval(mu: np.ndarray, dispersion: float, level: float) -> tuple[np.ndarray, np.ndarray]:
    """Central ``level`` interval of a negative binomial with mean mu, variance mu*dispersion."""
    mu = np.maximum(np.asarray(mu, dtype=float), 1e-9)
    lo_q, hi_q = (1 - level) / 2, 1 - (1 - level) / 2
    if dispersion <= 1.0 + 1e-9:
        return stats.poisson.ppf(lo_q, mu), stats.poisson.ppf(hi_q, mu)
    n = mu / (dispersion - 1.0)
    p = 1.0 / dispersion
    return stats.nbinom.ppf(lo_q, n, p), stats.nbinom.ppf(hi_q, n, p)


def _month_index(months: pd.Series) -> np.ndarray:
    m = pd.to_datetime(months)
    return (m.dt.year * 12 + m.dt.month - 1).to_numpy()


def complete_series(series: pd.DataFrame, area_col: str = "area_code", window=None) -> pd.DataFrame:
    """Fill missing (area, month) pairs with zero placements, over ``window`` (first, last
    month) or between the first and last month seen."""
    lo, hi = window or (series["month"].min(), series["month"].max())
    series = series.loc[(series["month"] >= lo) & (series["month"] <= hi)]
    months = pd.date_range(lo, hi, freq="MS")
    areas = sorted(series[area_col].dropna().unique())
    full = pd.MultiIndex.from_product([areas, months], names=[area_col, "month"])
    s = series.groupby([area_col, "month"])["placements"].sum()
    return s.reindex(full, fill_value=0).reset_index()


def forecast_borough(
    history: pd.DataFrame, config: ForecastConfig | None = None
) -> tuple[pd.DataFrame, GLMFit]:
    """``history``: month, placements (borough totals, complete months)."""
    config = config or ForecastConfig()
    h = history.sort_values("month").reset_index(drop=True)
    idx = _month_index(h["month"])
    t = idx - idx[0]
    moy = idx % SEASON
    fit = fit_glm(h["placements"].to_numpy(dtype=float), t, moy, config)
    fut_idx = idx[-1] + np.arange(1, config.horizon + 1)
    mu = fit.mean(fut_idx - idx[0], fut_idx % SEASON, config.harmonics)
    out = pd.DataFrame(
        {
            "month": pd.to_datetime({"year": fut_idx // 12, "month": fut_idx % 12 + 1, "day": 1}),
            "horizon": np.arange(1, config.horizon + 1),
            "forecast": mu,
        }
    )
    for level in config.levels:
        lo, hi = interval(mu, fit.dispersion, level)
        out[f"lower_{int(level * 100)}"] = lo
        out[f"upper_{int(level * 100)}"] = hi
    return out, fit


def ward_shares(wards: pd.DataFrame, config: ForecastConfig) -> pd.Series:
    """Each ward's share of placements: recent share shrunk towards the whole-history share."""
    last = wards["month"].max()
    recent_from = last - pd.DateOffset(months=config.share_months - 1)
    total = wards.groupby("area_code")["placements"].sum()
    recent = wards.loc[wards["month"] >= recent_from].groupby("area_code")["placements"].sum()
    recent = recent.reindex(total.index, fill_value=0)
    s_all = total / max(total.sum(), 1)
    s_recent = recent / max(recent.sum(), 1) if recent.sum() > 0 else s_all
    share = config.share_shrink * s_recent + (1 - config.share_shrink) * s_all
    return share / share.sum() if share.sum() > 0 else share


def forecast(
    borough: pd.DataFrame, wards: pd.DataFrame | None, config: ForecastConfig | None = None
) -> pd.DataFrame:
    """Borough and ward forecasts: area_type, area_code, month, horizon, forecast, intervals."""
    config = config or ForecastConfig()
    fc, fit = forecast_borough(borough, config)
    parts = [fc.assign(area_type="borough", area_code="borough")]
    if wards is not None and len(wards):
        shares = ward_shares(wards, config)
        for code, share in shares.items():
            w = fc[["month", "horizon"]].copy()
            w["forecast"] = fc["forecast"].to_numpy() * share
            for level in config.levels:
                lo, hi = interval(w["forecast"].to_numpy(), fit.dispersion, level)
                w[f"lower_{int(level * 100)}"] = lo
                w[f"upper_{int(level * 100)}"] = hi
            parts.append(w.assign(area_type="ward", area_code=code))
    out = pd.concat(parts, ignore_index=True)
    out["origin_month"] = pd.Timestamp(borough["month"].max())
    out["model"] = MODEL_NAME
    out["model_version"] = FORECAST_VERSION
    return out


def seasonal_naive(y_train: np.ndarray, horizon: int) -> np.ndarray:
    """The same month last year (repeating the last observed year beyond 12 months)."""
    last_year = y_train[-SEASON:]
    return np.array([last_year[(h - 1) % SEASON] for h in range(1, horizon + 1)], dtype=float)


def _scale(y_train: np.ndarray) -> float:
    d = np.abs(y_train[SEASON:] - y_train[:-SEASON])
    return float(d.mean()) if len(d) else float("nan")


def backtest(
    borough: pd.DataFrame, config: ForecastConfig | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin backtest on the borough series.

    Returns (errors, summary): one row per (origin, horizon) with both forecasts, and the
    summary metrics (MASE, MAE, interval coverage) for the model and the baseline.
    """
    config = config or ForecastConfig()
    h = borough.sort_values("month").reset_index(drop=True)
    y = h["placements"].to_numpy(dtype=float)
    idx = _month_index(h["month"])
    n = len(y)
    rows = []
    start = max(config.min_train, SEASON + 1)
    for origin in range(start, n):  # train on y[:origin], forecast y[origin:]
        y_tr = y[:origin]
        scale = _scale(y_tr)
        if not np.isfinite(scale) or scale == 0:
            continue
        steps = min(config.horizon, n - origin)
        t = idx[:origin] - idx[0]
        fit = fit_glm(y_tr, t, idx[:origin] % SEASON, config)
        fut = idx[origin : origin + steps]
        mu = fit.mean(fut - idx[0], fut % SEASON, config.harmonics)
        naive = seasonal_naive(y_tr, steps)
        lo80, hi80 = interval(mu, fit.dispersion, 0.8)
        lo95, hi95 = interval(mu, fit.dispersion, 0.95)
        actual = y[origin : origin + steps]
        for k in range(steps):
            rows.append(
                {
                    "origin_month": h["month"].iloc[origin - 1],
                    "month": h["month"].iloc[origin + k],
                    "horizon": k + 1,
                    "actual": actual[k],
                    "model": mu[k],
                    "naive": naive[k],
                    "scale": scale,
                    "in80": lo80[k] <= actual[k] <= hi80[k],
                    "in95": lo95[k] <= actual[k] <= hi95[k],
                }
            )
    err = pd.DataFrame(rows)
    if err.empty:
        raise ValueError(
            f"The TA series has {n} months: too short for a backtest (needs > {start})."
        )
    err["ase_model"] = (err["actual"] - err["model"]).abs() / err["scale"]
    err["ase_naive"] = (err["actual"] - err["naive"]).abs() / err["scale"]
    mase_model = float(err["ase_model"].mean())
    mase_naive = float(err["ase_naive"].mean())
    summary = [
        (MODEL_NAME, "mase", mase_model, "mean absolute scaled error, rolling origin, h=1..12"),
        (BASELINE_NAME, "mase", mase_naive, "mean absolute scaled error, rolling origin, h=1..12"),
        (MODEL_NAME, "mae", float((err["actual"] - err["model"]).abs().mean()), "placements"),
        (BASELINE_NAME, "mae", float((err["actual"] - err["naive"]).abs().mean()), "placements"),
        (
            MODEL_NAME,
            "mase_improvement",
            1 - mase_model / mase_naive,
            "1 - MASE(model) / MASE(seasonal naive): target at least 0.10",
        ),
        (MODEL_NAME, "coverage_80", float(err["in80"].mean()), "share of actuals in the 80% PI"),
        (MODEL_NAME, "coverage_95", float(err["in95"].mean()), "share of actuals in the 95% PI"),
        (MODEL_NAME, "backtest_origins", float(err["origin_month"].nunique()), "origins"),
        (MODEL_NAME, "backtest_points", float(len(err)), "(origin, horizon) pairs scored"),
        (MODEL_NAME, "history_months", float(n), "months in the observed series"),
        (MODEL_NAME, "mean_monthly_placements", float(y.mean()), "observed mean per month"),
    ]
    for hz, g in err.groupby("horizon"):
        summary.append(
            (
                MODEL_NAME,
                f"mase_h{int(hz):02d}",
                float(g["ase_model"].mean()),
                f"MASE at horizon {int(hz)}",
            )
        )
        summary.append(
            (
                BASELINE_NAME,
                f"mase_h{int(hz):02d}",
                float(g["ase_naive"].mean()),
                f"MASE at horizon {int(hz)}",
            )
        )
    out = pd.DataFrame(summary, columns=["model", "metric", "value", "description"])
    return err, out
