"""No protected characteristic, age or place is a feature; features come only from datasets
the homelessness_prevention purpose may use."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from insight_hub.prediction import features as F
from insight_hub.prediction import risk, synthetic

ROOT = Path(__file__).resolve().parents[2]
# Words that name a protected characteristic or an obvious proxy, matched against each part
# of a feature's name.
FORBIDDEN_WORDS = {
    "ethnicity",
    "ethnic",
    "race",
    "nationality",
    "sex",
    "gender",
    "disability",
    "disabled",
    "sen",
    "religion",
    "belief",
    "orientation",
    "marital",
    "pregnancy",
    "maternity",
    "dob",
    "birth",
    "age",
    "65s",
    "ward",
    "lsoa",
    "postcode",
    "uprn",
    "address",
}


def _words(name: str) -> set[str]:
    return set(name.lower().split("_"))


def test_declared_features_exclude_protected_and_proxies():
    assert not set(F.FEATURES) & set(F.EXCLUDED)
    for name in F.FEATURES:
        assert not _words(name) & FORBIDDEN_WORDS, name
    # the named proxies are declared as excluded
    for proxy in (
        "ward_code",
        "lsoa_code",
        "over_65s",
        "date_of_birth",
        "ethnicity",
        "sex",
        "disability",
    ):
        assert proxy in F.EXCLUDED


def test_fitted_model_feature_list_has_no_protected_or_proxy(needs, fast_config):
    fitted = risk.fit(needs, needs["month"].max(), fast_config)
    used = fitted.feature_names()
    assert used == F.FEATURES
    assert not set(used) & set(F.EXCLUDED)
    for name in used:
        assert not _words(name) & FORBIDDEN_WORDS, name


def test_model_never_reads_excluded_columns(needs):
    assert not set(F.INPUT_COLUMNS) & set(F.EXCLUDED)
    prepared = F.prepare(needs)
    assert not set(prepared.columns) & set(F.EXCLUDED)


def test_every_feature_uses_only_datasets_the_purpose_permits():
    path = ROOT / "governance" / "purposes.yml"
    if not path.is_file():
        pytest.skip("no purpose register")
    register = yaml.safe_load(path.read_text())
    allowed = register["purposes"]["homelessness_prevention"]["datasets"]

    def permitted(dataset: str) -> bool:
        if dataset == "identity":  # the linked household itself (key maps)
            return True
        return any(dataset == a or dataset.startswith(a + ".") for a in allowed)

    assert set(F.FEATURE_DATASETS) == set(F.FEATURES)
    for feature, datasets in F.FEATURE_DATASETS.items():
        for d in datasets:
            assert permitted(d), f"{feature} uses {d}, not permitted for homelessness_prevention"
    for column, dataset in F.NOT_PERMITTED.items():
        assert not permitted(dataset), f"{column} is excluded but {dataset} is permitted"


def test_approach_on_record_remembers_an_approach_only_from_then_on():
    """The 12-month flag forgets an approach; approach_on_record keeps it, never earlier."""
    months = pd.date_range("2024-01-01", periods=8, freq="MS")
    flag = [False, False, True, True, False, False, False, False]
    approached = [False] * 6 + [True, False]
    frame = pd.DataFrame(
        {
            F.KEY: ["a"] * 8 + ["b"] * 8,
            F.MONTH: list(months) * 2,
            "prior_approach_12m": flag + [False] * 8,
            "children": 0,
            F.OUTCOME: [False] * 8 + approached,
            "ct_arrears": 0.0,
            "rent_arrears": 0.0,
            "ct_arrears_change_3m": 0.0,
            "rent_arrears_change_3m": 0.0,
        }
    )
    got = F.derived_features(frame)["approach_on_record"]
    assert got[:8].tolist() == [0, 0, 1, 1, 1, 1, 1, 1]
    assert got[8:].tolist() == [0, 0, 0, 0, 0, 0, 1, 1]


def test_new_child_12m_marks_a_birth_from_its_month_for_a_year():
    """A birth (children rises) counts from its month for 12 months, never before; a child
    turning 18 (children falls) is no birth."""
    months = pd.date_range("2024-01-01", periods=16, freq="MS")
    children = [1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1]
    frame = pd.DataFrame(
        {
            F.KEY: ["a"] * 16,
            F.MONTH: months,
            "children": children,
            "prior_approach_12m": False,
            F.OUTCOME: False,
            "ct_arrears": 0.0,
            "rent_arrears": 0.0,
            "ct_arrears_change_3m": 0.0,
            "rent_arrears_change_3m": 0.0,
        }
    )
    got = F.derived_features(frame)["new_child_12m"].tolist()
    assert got == [0, 0, 0] + [1] * 12 + [0]


def test_nosp_and_ntq_reach_the_trees_only():
    """The first notice stages are not linear terms beside notice_6m (they lowered the held-out
    AUC there); the later stages and the other new signals are in both models."""
    X = F.feature_matrix(F.prepare(synthetic.needs_frame(households=50, months=14, seed=3)))
    Z = F.linear_terms(X)
    assert {"nosp_6m", "ntq_6m"} == F.TREES_ONLY
    assert not F.TREES_ONLY & set(Z.columns)
    assert set(X.columns) >= F.TREES_ONLY
    for c in (
        "notice_6m",
        "possession_order_12m",
        "eviction_warrant_3m",
        "private_tenant",
        "council_tax_account_open",
        "money_hub_landlord_notice_3m",
        "single_person_discount_6m",
    ):
        assert c in Z.columns, c
