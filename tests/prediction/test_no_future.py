"""No future data: features for month m ignore later rows; a fit never sees its cut-off."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.prediction import features as F
from insight_hub.prediction import risk


def _perturb_after(frame: pd.DataFrame, month: pd.Timestamp, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    out = frame.copy()
    later = out["month"] > month
    n = int(later.sum())
    out.loc[later, "ct_arrears"] = rng.gamma(2, 500, n)
    out.loc[later, "rent_arrears"] = rng.gamma(2, 500, n)
    out.loc[later, "notice_6m"] = rng.random(n) < 0.5
    out.loc[later, "approached"] = rng.random(n) < 0.3
    out.loc[later, "prior_approach_12m"] = rng.random(n) < 0.3
    return out


def test_features_for_month_m_unchanged_when_later_data_removed_or_perturbed(needs):
    m = pd.Timestamp("2025-03-01")
    full = F.prepare(needs)
    X_full = F.feature_matrix(full)
    upto = full["month"] <= m
    cut = full.loc[upto].reset_index(drop=True)
    X_cut = F.feature_matrix(cut)
    pd.testing.assert_frame_equal(X_full.loc[upto].reset_index(drop=True), X_cut)
    pert = F.prepare(_perturb_after(needs, m))
    X_pert = F.feature_matrix(pert)
    pd.testing.assert_frame_equal(
        X_full.loc[upto].reset_index(drop=True),
        X_pert.loc[pert["month"] <= m].reset_index(drop=True),
    )


def test_training_label_window_never_reaches_past_the_cutoff(needs, fast_config):
    cutoff = pd.Timestamp("2025-10-01")
    s = risk.slices(needs, cutoff, fast_config)
    months = F.month_index(s.frame["month"])
    cut = F.month_index(pd.Series([cutoff]))[0]
    assert months.max() < cut  # the frame was cut before anything else
    used = s.train | s.calibration
    assert (months[used] + fast_config.horizon < cut).all()
    assert (months[s.train] < months[s.calibration].min()).all()  # calibration is later


def test_fit_is_unchanged_by_data_from_the_cutoff_on(needs, fast_config):
    cutoff = pd.Timestamp("2025-10-01")
    a = risk.fit(needs, cutoff, fast_config)
    b = risk.fit(
        _perturb_after(needs, cutoff - pd.DateOffset(months=1), seed=3), cutoff, fast_config
    )
    X = F.feature_matrix(F.prepare(needs))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


def test_label_is_the_next_six_months():
    frame = pd.DataFrame(
        {
            "household_key": ["a"] * 10,
            "month": pd.date_range("2024-01-01", periods=10, freq="MS"),
            "approached": [False] * 7 + [True] + [False] * 2,
        }
    )
    label, complete = F.next_months_label(frame, 6)
    # approach in month index 7: label true for months 1..6, false for 0 and 7+
    assert label.tolist() == [False, True, True, True, True, True, True, False, False, False]
    assert complete.tolist() == [True] * 4 + [False] * 6
