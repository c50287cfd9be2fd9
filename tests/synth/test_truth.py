"""The ground truth is complete and consistent with the extracts."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import AS_OF, fmt

from .conftest import SMALL, read

# person-bearing files and the column holding their record id
RECORD_ID = {
    "council_tax_accounts": "AccountRef",
    "benefit_claims": "claim_id",
    "free_school_meals": "fsm_ref",
    "debts": "debt_ref",
    "tenancies": "TenancyRef",
    "temporary_accommodation": "PlacementRef",
    "money_hub_contacts": "ContactID",
    "register_applications": "app_no",
    "approaches": "case_ref",
    "spoa_referrals": "referral_id",
    "early_help_episodes": "episode_id",
    "mash_contacts": "contact_id",
    "youth_offending": "yos_id",
    "cin_episodes": "cin_id",
    "involvements": "InvolvementID",
    "school_census": None,  # UPN|CensusTerm
}
SERVICE = {
    "council_tax_accounts": "revenues_benefits",
    "benefit_claims": "revenues_benefits",
    "free_school_meals": "revenues_benefits",
    "debts": "revenues_benefits",
    "tenancies": "housing",
    "temporary_accommodation": "housing",
    "money_hub_contacts": "housing",
    "register_applications": "homelessness",
    "approaches": "homelessness",
    "spoa_referrals": "homelessness",
    "early_help_episodes": "childrens_social_care",
    "mash_contacts": "childrens_social_care",
    "youth_offending": "childrens_social_care",
    "cin_episodes": "childrens_social_care",
    "involvements": "adults_social_care",
    "school_census": "education",
}


def _ids(borough, file) -> pd.Series:
    df = read(borough, f"raw/{SERVICE[file]}/{file}.csv")
    if file == "school_census":
        return df.UPN + "|" + df.CensusTerm
    return df[RECORD_ID[file]]


def test_every_record_has_exactly_one_truth_row(borough):
    rec = read(borough, "truth/records.csv")
    assert set(rec.source_file) == set(RECORD_ID)
    for file in RECORD_ID:
        ids = _ids(borough, file)
        assert ids.notna().all() and ids.is_unique, file
        truth = rec[rec.source_file == file]
        assert truth.source_record_id.is_unique, file
        assert set(truth.source_record_id) == set(ids), file
        assert (truth.service == SERVICE[file]).all()


def test_truth_rows_refer_to_real_people_and_households(borough):
    rec = read(borough, "truth/records.csv")
    persons = read(borough, "truth/persons.csv")
    households = read(borough, "truth/households.csv")
    assert persons.person_id.is_unique and households.household_id.is_unique
    assert set(rec.person_id) <= set(persons.person_id)
    assert set(rec.household_id) <= set(households.household_id)
    assert set(persons.household_id) <= set(households.household_id)
    res = read(borough, "truth/residence.csv")
    assert set(res.person_id) == set(persons.person_id)
    assert (res.to_date.isna() | (res.from_date < res.to_date)).all()


def test_population_at_extract_date(borough):
    persons = read(borough, "truth/persons.csv")
    res = read(borough, "truth/residence.csv")
    current = res[res.to_date.isna()]
    assert current.person_id.is_unique
    assert abs(len(current) - SMALL) / SMALL < 0.03
    alive = persons[persons.person_id.isin(current.person_id)]
    assert alive.date_of_death.isna().all()
    assert persons.date_of_death.notna().sum() > 0


def test_homelessness_monthly(borough):
    hm = read(borough, "truth/homelessness_monthly.csv")
    months = sorted(hm.month.unique())
    assert len(months) == 36 and months[0] == "2023-10" and months[-1] == "2026-09"
    assert not hm.duplicated(["household_id", "month"]).any()
    p = hm.p_approach.astype(float)
    assert ((p > 0) & (p < 1)).all()
    assert set(hm.approached) <= {"0", "1"}
    appr = read(borough, "raw/homelessness/approaches.csv")
    in_window = appr.approach_date.str[-4:].astype(int) * 100 + appr.approach_date.str[3:5].astype(
        int
    )
    in_window = ((in_window >= 202310) & (in_window <= 202609)).sum()
    # the approaches in the window realise the model (duplicated case records aside)
    n = (hm.approached == "1").sum()
    assert n > 0
    assert 0.9 * n <= in_window <= 1.1 * n + 3


def test_approaches_are_the_realisation(borough):
    """Each household-month with approached=1 has an approach case on that household."""
    hm = read(borough, "truth/homelessness_monthly.csv")
    rec = read(borough, "truth/records.csv")
    appr = read(borough, "raw/homelessness/approaches.csv")
    a = appr.merge(
        rec[rec.source_file == "approaches"], left_on="case_ref", right_on="source_record_id"
    )
    a["month"] = a.approach_date.str[6:10] + "-" + a.approach_date.str[3:5]
    got = set(zip(a.household_id, a.month, strict=True))
    want = hm[hm.approached == "1"]
    hits = [(h, m) in got for h, m in zip(want.household_id, want.month, strict=True)]
    assert np.mean(hits) > 0.97  # a malformed approach_date may hide one


def test_objections(borough):
    obj = read(borough, "raw/governance/objections.csv")
    objectors = read(borough, "truth/objectors.csv")
    assert obj.objection_id.is_unique
    assert set(obj.objection_id) == set(objectors.objection_id)
    assert abs(len(obj) - SMALL * 0.005) <= 3
    assert (obj.received_date < fmt([AS_OF], "iso")[0]).all()
    rec = read(borough, "truth/records.csv")
    person_cols = {
        "early_help_episodes": "person_id",
        "mash_contacts": "person_id",
        "cin_episodes": "person_id",
        "involvements": "PersonID",
        "school_census": "UPN",
    }
    lookup = objectors.set_index("objection_id").person_id
    for _, o in obj.iterrows():
        df = read(borough, f"raw/{o.service}/{o.source_file}.csv")
        col = person_cols.get(o.source_file, RECORD_ID.get(o.source_file))
        rows = df[df[col] == o.source_record_id]
        assert len(rows) >= 1, o.to_dict()
        # the cited record belongs to the objector
        ids = _ids(borough, o.source_file)[rows.index]
        people = set(
            rec[(rec.source_file == o.source_file) & rec.source_record_id.isin(ids)].person_id
        )
        assert lookup[o.objection_id] in people
