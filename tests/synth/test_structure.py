"""Household and age structure of the borough (targets in docs/synthetic_borough.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import AS_OF, NULL, WINDOW_START

from .conftest import read


def _snapshot(world, when):
    pid, hid, start, end = world.member
    on = (start <= when) & ((end == NULL) | (end > when))
    age = (when - world.people.dob[pid[on]]) / 365.25
    return pid[on], hid[on], age


def test_household_size_and_ages(history):
    world, _ = history
    for when in (WINDOW_START, AS_OF - 1):
        pids, hids, age = _snapshot(world, when)
        size = len(pids) / len(np.unique(hids))
        assert 2.4 <= size <= 2.7, size
        assert 0.21 <= (age < 18).mean() <= 0.25
        assert 0.115 <= (age >= 65).mean() <= 0.16
        assert (age >= 0).all() and age.max() < 110


def test_household_size_distribution(history):
    world, _ = history
    _, hids, _ = _snapshot(world, AS_OF - 1)
    sizes = np.bincount(np.unique(hids, return_counts=True)[1])
    share = sizes / sizes.sum()
    assert 0.25 <= share[1] <= 0.36  # one-person households
    assert share[5:].sum() >= 0.06  # five or more


def test_ethnicity_shares(borough):
    persons = read(borough, "truth/persons.csv")
    share = persons.ethnicity.value_counts(normalize=True)
    assert 0.28 < share["White: English/Welsh/Scottish/Northern Irish/British"] < 0.45
    assert persons.ethnicity.nunique() >= 16
    assert 0.45 < (persons.sex == "F").mean() < 0.55
    assert 0.08 < (persons.disability == "Y").mean() < 0.25


def test_history_has_births_deaths_moves(history):
    world, _ = history
    assert len(world.births) > 0 and len(world.separations) > 0
    kinds = np.bincount(world.moves[:, 2], minlength=2)
    assert kinds[0] > 0 and kinds[1] > 0  # moves within and out of the borough
    assert (world.people.dod != NULL).sum() > 0
    # name changes on marriage, some during the analysis window
    changed = pd.notna(world.people.surname_married)
    assert changed.mean() > 0.05
    assert (
        (world.people.name_change >= WINDOW_START) & (world.people.name_change < AS_OF)
    ).sum() > 0


def test_names_are_diverse(borough):
    census = read(borough, "raw/education/school_census.csv")
    assert census.LegalSurname.nunique() > 150
    assert census.LegalSurname.str.contains("-").any()  # double-barrelled
    ct = read(borough, "raw/revenues_benefits/council_tax_accounts.csv")
    assert ct.LiableParty.str.contains("'").any() or ct.LiableParty.str.contains("-").any()
