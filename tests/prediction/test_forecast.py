"""TA demand forecast: intervals, ward split, backtest against seasonal naive."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.prediction import forecast, pipeline


def _placements(seed=0, base=30.0, months=35):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2023-11-01", periods=months, freq="MS")
    mu = base * np.exp(0.01 * np.arange(months) + 0.2 * np.sin(2 * np.pi * idx.month / 12))
    rows = []
    for w, share in [("E05000001", 0.5), ("E05000002", 0.3), ("E05000003", 0.2)]:
        rows.append(
            pd.DataFrame({"ward_code": w, "month": idx, "placements": rng.poisson(mu * share)})
        )
    p = pd.concat(rows, ignore_index=True)
    return p.loc[p["placements"] > 0]  # the mart has no rows for months without placements


def test_forecast_shape_and_intervals():
    fc = pipeline.ta_forecast(_placements()).to_pandas()
    borough = fc.loc[fc["area_type"] == "borough"]
    assert len(borough) == 12 and borough["horizon"].tolist() == list(range(1, 13))
    assert (fc["lower_95"] <= fc["lower_80"]).all() and (fc["lower_80"] <= fc["forecast"]).all()
    assert (fc["forecast"] <= fc["upper_80"]).all() and (fc["upper_80"] <= fc["upper_95"]).all()
    wards = fc.loc[fc["area_type"] == "ward"]
    assert wards["area_code"].nunique() == 3
    total = wards.groupby("month")["forecast"].sum().to_numpy()
    np.testing.assert_allclose(total, borough["forecast"].to_numpy(), rtol=1e-9)


def test_backtest_beats_seasonal_naive_on_a_seasonal_poisson_series():
    wins = []
    for seed in range(5):
        borough, _ = pipeline.ta_series(_placements(seed))
        _, summary = forecast.backtest(borough)
        s = summary.set_index(["model", "metric"])["value"]
        wins.append(s[(forecast.MODEL_NAME, "mase")] < s[(forecast.BASELINE_NAME, "mase")])
    assert sum(wins) >= 4


def test_seasonal_naive_is_last_year():
    y = np.arange(24, dtype=float)
    np.testing.assert_array_equal(forecast.seasonal_naive(y, 3), [12, 13, 14])
