"""Objectors are never scored nor trained on; the same seed gives the same scores."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.prediction import pipeline, risk


def test_no_objector_is_scored_or_held_out(needs, fast_config):
    objectors = set(needs.loc[needs["predictive_objection"], "household_key"])
    assert objectors
    scored, _ = pipeline.score_with_reasons(needs, 50, fast_config)
    assert not objectors & set(scored["household_key"])
    _, hold = risk.backtest(needs, fast_config, 50)
    assert not objectors & set(hold["household_key"])
    # everyone else in the last month is scored
    last = needs.loc[needs["month"] == needs["month"].max()]
    assert set(scored["household_key"]) == set(last["household_key"]) - objectors


def test_objectors_rows_do_not_influence_the_model(needs, fast_config):
    changed = needs.copy()
    obj = changed["predictive_objection"]
    changed.loc[obj, "approached"] = True
    changed.loc[obj, "rent_arrears"] = 99_999.0
    a = risk.fit(needs, pd.Timestamp("2026-10-01"), fast_config)
    b = risk.fit(changed, pd.Timestamp("2026-10-01"), fast_config)
    from insight_hub.prediction import features as F

    X = F.feature_matrix(F.prepare(needs))
    np.testing.assert_array_equal(a.predict(X), b.predict(X))


def test_same_seed_same_scores(needs, fast_config):
    one, _ = pipeline.score_with_reasons(needs, 50, fast_config)
    two, _ = pipeline.score_with_reasons(needs.sample(frac=1, random_state=5), 50, fast_config)
    pd.testing.assert_frame_equal(one, two)
    assert one["model_version"].nunique() == 1


def test_model_version_changes_with_the_specification():
    import dataclasses

    base = risk.RiskConfig()
    cut = pd.Timestamp("2026-10-01")
    assert risk.model_version(base, cut) == risk.model_version(risk.RiskConfig(), cut)
    assert risk.model_version(base, cut) != risk.model_version(
        dataclasses.replace(base, seed=1), cut
    )
