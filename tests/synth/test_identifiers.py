"""Identifier formats and check digits."""

from __future__ import annotations

import numpy as np

from insight_hub.synth import identifiers as ids

from .conftest import read


def test_nhs_check_digit():
    assert ids.nhs_valid(["9434765919", "943 476 5919", "4010232137"]).all()
    assert not ids.nhs_valid(["9434765918", "123", None]).any()
    made = ids.nhs_numbers(np.random.default_rng(0), 5000)
    assert ids.nhs_valid(made).all() and len(set(made)) == 5000
    assert not ids.nhs_valid(ids.corrupt_nhs(made[:500])).any()


def test_upn_check_letter():
    made = ids.upns(np.random.default_rng(0), 2000, 390, np.full(2000, 18))
    assert ids.upn_valid(made).all() and len(set(made)) == 2000
    assert all(len(u) == 13 and u[1:4] == "390" for u in made)
    assert not ids.upn_valid(ids.corrupt_upn(made[:500])).any()
    # worked example: body 801200001001 -> sum(d_i * i, i=2..13) mod 23
    body = np.array([[8, 0, 1, 2, 0, 0, 0, 0, 1, 0, 0, 1]])
    total = sum(d * w for d, w in zip(body[0], range(2, 14), strict=True))
    assert ids.upn_check_letter(body)[0] == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23]


def test_nino_pattern():
    made = ids.ninos(np.random.default_rng(0), 20000)
    assert ids.nino_valid(made).all() and len(set(made)) == 20000
    for n in made:
        assert not set(n[:2]) & set("DFIQUV") and n[1] != "O"
        assert n[:2] not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
        assert n[8] in "ABCD"
    assert not ids.nino_valid(ids.corrupt_nino(made[:400])).any()


def test_uprns():
    u = ids.uprns(np.random.default_rng(0), 10000)
    assert len(set(u)) == 10000 and ((u >= 10**11) & (u < 10**12)).all()


def test_identifiers_in_extracts_mostly_valid(borough):
    census = read(borough, "raw/education/school_census.csv")
    assert ids.upn_valid(census.UPN.unique()).mean() > 0.98
    asc = read(borough, "raw/adults_social_care/involvements.csv")
    assert ids.nhs_valid(asc.NHSNo.dropna()).mean() > 0.98
    ct = read(borough, "raw/revenues_benefits/council_tax_accounts.csv")
    assert ids.nino_valid(ct.NINO.dropna()).mean() > 0.98
    assert ct.UPRN.str.fullmatch(r"\d{12}").all()
