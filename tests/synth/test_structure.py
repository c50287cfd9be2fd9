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


def test_single_person_discount_follows_a_fall_to_one_adult(noisy):
    """A discount put on an account after it opened follows an adult leaving (separation,
    death, a grown-up child moving out) by SPD_LAG_DAYS, the household then holding one adult;
    most separations that leave one adult on an open account lead to one (SPD_TAKE_UP)."""
    from insight_hub.synth.dates import month_start
    from insight_hub.synth.services import revenues_benefits as rb

    ctx = noisy.ctx
    ex = next(e for e in noisy.extracts if e.file == "council_tax_accounts")
    spd_start = pd.Series(
        pd.to_datetime(ex.columns["SPDStart"], format="%d/%m/%Y", errors="coerce")
    )
    opened = pd.Series(
        pd.to_datetime(ex.columns["AccountStart"], format="%d/%m/%Y", errors="coerce")
    )
    held = np.asarray(ex.columns["SPD"]) == "Y"
    assert (spd_start.notna().to_numpy() == held).mean() > 0.99  # malformed rows aside
    changed = np.flatnonzero((spd_start > opened).to_numpy())
    assert len(changed) > 20
    mp, mh, _, me = ctx.world.member
    adult_left = (me != NULL) & ((me - ctx.world.people.dob[mp]) >= 18 * 365.25)
    left = pd.DataFrame({"hid": mh[adult_left], "day": me[adult_left]})
    epoch = pd.Timestamp("1970-01-01")
    award = (spd_start[changed] - epoch).dt.days.to_numpy()
    j = pd.DataFrame({"i": changed, "hid": ex.hid[changed], "award": award}).merge(left, on="hid")
    lag = j.award - j.day
    ok = j[(lag >= rb.SPD_LAG_DAYS[0]) & (lag <= rb.SPD_LAG_DAYS[1])]
    assert set(ok.i) == set(changed)
    size, kids = ctx.lookup.size_at(ok.hid.to_numpy(), ok.award.to_numpy())
    assert ((size - kids) == 1).mean() > 0.9
    # take-up after separations that leave one adult and an account open for the lag
    seps = ctx.world.separations
    when = month_start(seps[:, 1]) + 40
    size, kids = ctx.lookup.size_at(seps[:, 0], when)
    alone = seps[((size - kids) == 1) & (when + 120 < AS_OF)]
    awarded = set(ex.hid[changed].tolist())
    take_up = np.mean([h in awarded for h in alone[:, 0].tolist()])
    assert 0.4 < take_up < 0.9, take_up


def test_hub_topics_name_a_landlords_notice_or_a_breakdown(noisy):
    """Most Hub contacts made after a landlord's notice say so in their topic; the topic never
    names one that was not made for it."""
    oc = noisy.ctx.outcomes
    ex = next(e for e in noisy.extracts if e.file == "money_hub_contacts")
    topic = pd.Series(ex.columns["Topic"])
    assert 0.02 < (topic == "Landlord notice").mean() < 0.4
    assert (topic == "Relationship breakdown").sum() > 0
    n_landlord = int((oc.hub_contacts[:, 2] == 1).sum())
    assert 0.6 * n_landlord < (topic == "Landlord notice").sum() <= 1.05 * n_landlord
