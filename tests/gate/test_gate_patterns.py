"""Direct-identifier patterns, check digits, and masking."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from insight_hub.gate import patterns


def test_nhs_number_modulus_11():
    assert patterns.nhs_number_is_valid("9434765919")
    assert not patterns.nhs_number_is_valid("9434765918")  # wrong check digit
    assert not patterns.nhs_number_is_valid("123456789")


def test_upn_check_letter():
    body = "801200101003"
    letter = patterns.upn_check_letter(body)
    assert patterns.upn_is_valid(letter + body)
    wrong = "A" if letter != "A" else "B"
    assert not patterns.upn_is_valid(wrong + body)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AB123456C", ["ni_number"]),
        ("QQ 12 34 56 C", ["ni_number"]),
        ("943 476 5919", ["nhs_number"]),
        ("9434765919", ["nhs_number"]),
        ("SW1A 1AA", ["postcode"]),
        ("ls6 2ab", ["postcode"]),
        ("jo.bloggs@example.org", ["email"]),
        ("07700 900123", ["phone"]),
        ("+44 20 7946 0958", ["phone"]),
        ("1987-03-12", ["date_string"]),
        ("12/03/1987", ["date_string"]),
        ("E05099001", []),  # a ward code
        ("E01001234", []),  # an LSOA code
        ("9434765918", []),  # ten digits that are not an NHS number
        ("LS6", []),  # an outward code alone is not a full postcode
        ("council", []),
        ("a3f" + "0" * 61, []),  # a pseudonymous key (64 hex characters)
    ],
)
def test_identify(value, expected):
    assert patterns.identify(value) == expected


def test_valid_upn_is_found_in_text():
    body = "801200101003"
    upn = patterns.upn_check_letter(body) + body
    assert "upn" in patterns.identify(f"pupil {upn} moved")


def test_integer_nhs_numbers_are_found():
    found = patterns.scan_column(pd.Series([9434765919, 12, 1234567890], name="n"))
    assert found.counts == {"nhs_number_integer": 1}


def test_date_of_birth_columns():
    dob = pd.Series(pd.to_datetime(["2001-01-01", "1999-05-05"]), name="date_of_birth")
    assert patterns.scan_column(dob).counts == {"date_of_birth_column": 2}
    month = pd.Series(pd.to_datetime(["2026-01-01"]), name="month")
    assert patterns.scan_column(month).counts == {}
    objects = pd.Series([dt.date(2000, 1, 1)], name="dob", dtype=object)
    assert patterns.scan_column(objects).counts == {"date_of_birth_column": 1}


def test_scan_ignores_declared_patterns_and_keys():
    s = pd.Series(["2026-01-01", "2026-02-01", None], name="period")
    assert patterns.scan_column(s).counts == {"date_string": 2}
    assert patterns.scan_column(s, ignore=["date_string"]).counts == {}
    keys = pd.Series(["0123456789" + "a" * 54, "f" * 64], name="person_key")
    assert patterns.scan_column(keys).counts == {}


def test_scan_names_needs_a_full_name_by_default():
    names = frozenset({"GEORGE", "WILSON", "WHITE"})
    s = pd.Series(["George Wilson", "White", "council", None], name="c")
    assert patterns.scan_names(s, names).counts == {"identity_name": 1}
    assert patterns.scan_names(s, names, min_tokens=1).counts == {"identity_name": 2}


def test_mask_never_returns_the_value():
    for value in ["AB123456C", "943 476 5919", "SW1A 1AA", "jo@example.org"]:
        masked = patterns.mask(value)
        assert value not in masked and masked.startswith("<")
    assert patterns.mask("GEORGE WILSON", {"WILSON"}) == "<identity_name: AAAAAA AAAAAA>"
    assert patterns.mask("council") == "council"
    assert patterns.shape("AB12 3CD") == "AA99 9AA"
