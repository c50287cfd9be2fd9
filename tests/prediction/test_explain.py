"""Reasons: the factors that raise a score most, phrased from the household's own values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.prediction import explain
from insight_hub.prediction import features as F


def _row(**values) -> pd.DataFrame:
    base = {c: F.REFERENCE[c] for c in F.FEATURES}
    base.update(values)
    return pd.DataFrame([base], columns=F.FEATURES).astype("float32")


def test_phrases_use_the_household_values():
    X = _row(ct_arrears=640, ct_arrears_months_rising=3, ct_arrears_change_3m=300, notice_6m=1)

    def predict(frame):  # an additive toy model: arrears and notices raise the score
        return (0.01 + 0.0001 * frame["ct_arrears"] + 0.2 * frame["notice_6m"]).to_numpy()

    c = explain.contributions(predict, X)
    words = explain.reasons(c, X).iloc[0]
    assert words.startswith("notice seeking possession")
    assert "council tax arrears rising for 3 months (now £640)" in words


def test_no_factor_present_gives_the_no_factor_phrase():
    X = _row()
    c = explain.contributions(lambda f: np.full(len(f), 0.01), X)
    assert (c.to_numpy() == 0).all()
    assert explain.reasons(c, X).iloc[0] == explain.NO_FACTORS


def test_every_feature_belongs_to_exactly_one_factor_with_a_phrase():
    grouped = [f for cols in explain.FACTORS.values() for f in cols]
    assert sorted(grouped) == sorted(F.FEATURES)
    assert set(explain.PHRASES) == set(explain.FACTORS)


def test_reasons_on_a_fitted_model(needs, fast_config):
    from insight_hub.prediction import pipeline

    scored, _ = pipeline.score_with_reasons(needs, 50, fast_config)
    top = scored.head(20)
    assert (top["reasons"] != explain.NO_FACTORS).all()
    assert top["reasons"].str.len().gt(10).all()


def test_an_approach_known_only_from_an_earlier_flag_is_phrased_as_over_a_year_ago():
    X = _row(approach_on_record=1)

    def predict(frame):
        return (0.01 + 0.05 * frame["approach_on_record"]).to_numpy()

    words = explain.reasons(explain.contributions(predict, X), X).iloc[0]
    assert words == "approached the council as homeless more than a year ago"
    X = _row(approach_on_record=1, prior_approach_12m=1)
    words = explain.reasons(explain.contributions(predict, X), X).iloc[0]
    assert words == "approached the council as homeless in the last 12 months"


def test_a_notice_is_named_by_its_most_serious_kind():
    """A warrant outranks a possession order, which outranks an NTQ or a NOSP; a notice of no
    recorded kind keeps the general phrase; resetting the notice factor resets every kind."""

    def predict(frame):
        return (0.01 + 0.2 * frame["notice_6m"] + 0.3 * frame["eviction_warrant_3m"]).to_numpy()

    X = _row(notice_6m=1, nosp_6m=1, possession_order_12m=1)
    words = explain.reasons(explain.contributions(predict, X), X).iloc[0]
    assert words == "possession order made in the last 12 months"
    X = _row(notice_6m=1, nosp_6m=1, eviction_warrant_3m=1)
    c = explain.contributions(predict, X)
    assert np.isclose(c["notice"].iloc[0], 0.5)
    assert explain.reasons(c, X).iloc[0] == "eviction warrant issued in the last 3 months"
    X = _row(notice_6m=1)
    assert (
        explain.reasons(explain.contributions(predict, X), X)
        .iloc[0]
        .startswith("notice seeking possession")
    )


def test_having_a_council_tax_account_is_the_reference_not_a_reason():
    """Every usual household holds an account: only one without differs from the reference,
    and its (negative) contribution never becomes a reason."""
    assert F.REFERENCE["council_tax_account_open"] == 1.0

    def predict(frame):
        return (0.001 + 0.01 * frame["council_tax_account_open"]).to_numpy()

    X = pd.concat([_row(), _row(council_tax_account_open=0)], ignore_index=True)
    c = explain.contributions(predict, X)
    assert (c["council_tax_account"].to_numpy() <= 0).all()
    assert (explain.reasons(c, X) == explain.NO_FACTORS).all()
