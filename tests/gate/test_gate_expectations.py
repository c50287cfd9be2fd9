"""The custom GX expectations, each on a passing and a failing DataFrame."""

from __future__ import annotations

import pandas as pd
import pytest

from insight_hub.gate.disclosure import protect

gx_exp = pytest.importorskip("insight_hub.gate.expectations")

KEY = "a" * 64


@pytest.fixture(scope="module")
def check():
    from insight_hub.gate.checkpoint import make_context

    ctx = make_context()
    batch_definition = (
        ctx.data_sources.get("warehouse")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
    )

    def run(df, expectation):
        batch = batch_definition.get_batch(batch_parameters={"dataframe": df})
        result = batch.validate(expectation)
        assert not result.exception_info.get("raised_exception"), result.exception_info
        return result

    return run


def test_direct_identifier_patterns(check):
    ok = pd.DataFrame({"notes": ["council", "E05099001", None]})
    bad = pd.DataFrame({"notes": ["council", "AB123456C", "943 476 5919"]})
    exp = gx_exp.ExpectColumnValuesToNotMatchDirectIdentifierPatterns(column="notes")
    assert check(ok, exp).success
    res = check(bad, exp)
    assert not res.success
    assert res.result["details"]["patterns"] == {"ni_number": 1, "nhs_number": 1}
    assert "AB123456C" not in str(res.result) and "9434765919" not in str(res.result)
    allowed = gx_exp.ExpectColumnValuesToNotMatchDirectIdentifierPatterns(
        column="notes", ignore_patterns=["ni_number", "nhs_number"]
    )
    assert check(bad, allowed).success


def test_date_of_birth_column(check):
    df = pd.DataFrame(
        {"dob": pd.to_datetime(["2001-02-03"]), "month": pd.to_datetime(["2026-01-01"])}
    )
    exp = gx_exp.ExpectColumnValuesToNotMatchDirectIdentifierPatterns
    assert not check(df, exp(column="dob")).success
    assert check(df, exp(column="month")).success


def test_identity_names(check):
    gx_exp.register_value_set(gx_exp.IDENTITY_NAMES, {"GEORGE", "WILSON", "SMITH"})
    exp = gx_exp.ExpectColumnValuesToNotContainIdentityNames(column="label")
    assert check(pd.DataFrame({"label": ["council", "Smith"]}), exp).success  # one word only
    res = check(pd.DataFrame({"label": ["council", "George Wilson"]}), exp)
    assert not res.success and "GEORGE" not in str(res.result).upper()
    strict = gx_exp.ExpectColumnValuesToNotContainIdentityNames(column="label", min_tokens=1)
    assert not check(pd.DataFrame({"label": ["Smith"]}), strict).success


def test_reference_set(check):
    gx_exp.register_value_set("marts.dim_household.household_key", {"h1", "h2"})
    exp = gx_exp.ExpectColumnValuesToBeInReferenceSet(
        column="household_key", reference="marts.dim_household.household_key"
    )
    assert check(pd.DataFrame({"household_key": ["h1", None, "h2"]}), exp).success
    res = check(pd.DataFrame({"household_key": ["h1", "h9"]}), exp)
    assert not res.success and res.result["details"]["missing_rows"] == 1


def test_counts_to_be_suppressed(check):
    published = protect(
        pd.DataFrame({"ward": ["A", "B", "C"], "n": [3, 20, 30]}), ["ward"], ["n"]
    ).frame
    exp = gx_exp.ExpectCountsToBeSuppressed(count_columns=["n"], threshold=10)
    assert check(published, exp).success
    raw = pd.DataFrame({"ward": ["A", "B"], "n": [3, 20]})
    res = check(raw, exp)
    assert not res.success and "values 3" in res.result["observed_value"]
    mismatch = published.copy()
    mismatch.loc[0, "n_status"] = pd.NA  # NULL count without its 'c'
    assert not check(mismatch, exp).success


def test_suppressed_cells_to_be_protected(check):
    frame = pd.DataFrame({"ward": ["A", "B", "C", None], "n": [3, 20, 30, 53]})
    published = protect(frame, ["ward"], ["n"], add_margins=False).frame
    exp = gx_exp.ExpectSuppressedCellsToBeProtected(dimensions=["ward"], count_columns=["n"])
    assert check(published, exp).success
    primary_only = published.copy()
    primary_only.loc[1, "n"] = 20  # un-suppress the complement: 3 = 53 - 20 - 30
    primary_only.loc[1, "n_status"] = pd.NA
    res = check(primary_only, exp)
    assert not res.success
    assert "recoverable exactly" in res.result["observed_value"]


def test_quasi_identifier_groups(check):
    df = pd.DataFrame({"age_band": ["18-24"] * 5 + ["75+"], "sex": ["F"] * 5 + ["M"]})
    exp = gx_exp.ExpectQuasiIdentifierGroupsToHaveMinSize(columns=["age_band", "sex"], min_size=5)
    res = check(df, exp)
    assert not res.success and res.result["details"]["small_groups"] == 1
    assert check(df.iloc[:5], exp).success


def test_custom_expectations_serialise_by_name():
    exp = gx_exp.ExpectSuppressedCellsToBeProtected(dimensions=["ward"], count_columns=["n"])
    config = exp.configuration.to_json_dict()
    assert config["type"] == "expect_suppressed_cells_to_be_protected"
    from great_expectations.expectations.registry import get_expectation_impl
    from great_expectations.util import camel_to_snake

    for name, cls in gx_exp.CUSTOM_EXPECTATIONS.items():
        assert get_expectation_impl(camel_to_snake(name)) is cls
