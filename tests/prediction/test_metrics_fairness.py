"""Metrics and fairness monitoring on small known inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.prediction import fairness, metrics


def test_ece_is_zero_when_calibrated_and_large_when_not():
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.3, 200_000)
    y = rng.random(len(p)) < p
    assert metrics.ece(y, p) < 0.005
    assert metrics.ece(y, np.clip(p * 2, 0, 1)) > 0.1


def _holdout(n_households=400, months=2, seed=1):
    rng = np.random.default_rng(seed)
    rows = []
    for m in pd.date_range("2025-10-01", periods=months, freq="MS"):
        score = rng.random(n_households)
        rows.append(
            pd.DataFrame(
                {
                    "household_key": [f"h{i}" for i in range(n_households)],
                    "month": m,
                    "score": score,
                    "label": rng.random(n_households) < score * 0.5,
                    "baseline_score": rng.random(n_households),
                }
            )
        )
    hold = pd.concat(rows, ignore_index=True)
    hold["rank_in_month"] = hold.groupby("month")["score"].rank(ascending=False, method="first")
    hold["selected"] = hold["rank_in_month"] <= 40
    return hold


def test_capacity_metrics():
    hold = _holdout()
    cap = metrics.capacity_metrics(hold, 40)
    assert 0 < cap["precision_at_capacity"] <= 1
    assert 0 < cap["recall_at_capacity"] < 1
    assert cap["lift_at_capacity"] > 1  # higher scores carry higher rates by construction


def test_fairness_groups_ratios_and_suppression():
    hold = _holdout()
    people = pd.DataFrame(
        {
            "household_key": [f"h{i}" for i in range(400)] + ["h0"],
            "person_key": [f"p{i}" for i in range(400)] + ["child0"],
            "age_band": ["35-49"] * 400 + ["5-10"],
            "sex": ["F"] * 200 + ["M"] * 200 + ["M"],
            "ethnicity_group": ["White"] * 300 + ["Asian"] * 95 + ["Black"] * 5 + [None],
            "disability": [True] * 50 + [None] * 350 + [None],
        }
    )
    groups = fairness.household_groups(people)
    table = fairness.fairness_table(hold, groups)
    overall = table.loc[table["characteristic"] == "all"].iloc[0]
    assert overall["selection_rate_ratio"] == 1.0
    eth = table.loc[table["characteristic"] == "ethnicity (reference person)"].set_index(
        "group_name"
    )
    assert eth.loc["Black", "suppressed"]  # 5 households
    assert pd.isna(eth.loc["Black", "selection_rate"]) and pd.isna(eth.loc["Black", "households"])
    assert not eth.loc["White", "suppressed"]
    assert eth.loc["White", "households"] == 300
    dis = table.loc[table["characteristic"] == "disability (any member)"].set_index("group_name")
    assert set(dis.index) == {"Disabled member", "Not known"}
    # the child is never the reference person: h0's sex is the adult's
    sex = groups.loc[groups["characteristic"] == "sex (reference person)"].set_index(
        "household_key"
    )
    assert sex.loc["h0", "group_name"] == "F"
    assert list(table.columns) == fairness.COLUMNS
