"""Realised error rates match the configured rates (measured against the truth).

The `noisy` borough doubles every rate so that the measurement is precise on a small borough.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight_hub.synth import identifiers
from insight_hub.synth.config import ErrorRates
from insight_hub.synth.dates import day
from insight_hub.synth.services.education import TERMS
from insight_hub.synth.services.homelessness import cases

from .conftest import read

NAMED = {  # file -> (forename column, surname column, dob column, dob layout)
    "approaches": ("forename", "surname", "dob", "%d/%m/%Y"),
    "early_help_episodes": ("forename", "surname", "dob", "%Y-%m-%d"),
    "mash_contacts": ("forename", "surname", "dob", "%Y-%m-%d"),
    "school_census": ("Forename", "LegalSurname", "DOB", "%Y-%m-%d"),
    "register_applications": ("forename", "surname", "dob", "%d/%m/%Y"),
}


def _extract(built, file):
    return next(ex for ex in built.extracts if ex.file == file)


def _within(measured, expected, rel=0.3, abs_=0.004):
    return abs(measured - expected) <= max(rel * expected, abs_)


@pytest.fixture(scope="module")
def names(noisy):
    people = noisy.ctx.world.people
    rows = []
    for file, (fc, sc, dc, layout) in NAMED.items():
        ex = _extract(noisy, file)
        rows.append(
            pd.DataFrame(
                {
                    "file": file,
                    "pid": ex.pid,
                    "forename": ex.columns[fc],
                    "surname": ex.columns[sc],
                    "dob": pd.to_datetime(
                        pd.Series(ex.columns[dc]), format=layout, errors="coerce"
                    ),
                }
            )
        )
    df = pd.concat(rows, ignore_index=True)
    df["true_forename"] = people.forename[df.pid]
    df["true_middle"] = people.middle[df.pid]
    df["true_surname"] = people.surname_birth[df.pid]
    df["married"] = pd.notna(people.surname_married[df.pid])
    df["true_dob"] = pd.to_datetime(people.dob[df.pid].astype("datetime64[D]"))
    return df


def test_rates_are_doubled(noisy):
    assert noisy.config.errors == ErrorRates().scaled(2)


def _split_middle(names):
    """(forename without a keyed-in middle name, whether the middle name was keyed in)."""
    mid = names.true_middle.fillna("\x00")
    keyed = np.array(
        [f.endswith(" " + m) for f, m in zip(names.forename, mid, strict=True)], dtype=bool
    )
    base = np.where(
        keyed,
        [f[: -len(m) - 1] for f, m in zip(names.forename, mid, strict=True)],
        names.forename,
    )
    return base, keyed


def test_name_typos_and_nicknames(noisy, names):
    rates = noisy.config.errors
    variants = noisy.ctx.view.ref.variants
    forename, _ = _split_middle(names)
    same = forename == names.true_forename
    is_variant = np.array(
        [f in variants.get(t, ()) for f, t in zip(forename, names.true_forename, strict=True)]
    )
    typo = ~same & ~is_variant
    assert _within(typo.mean(), rates.name_typo * (1 - rates.nickname * 0.3), rel=0.35)
    has_variant = names.true_forename.isin(list(variants))
    assert _within(is_variant[has_variant].mean(), rates.nickname, rel=0.35)


def test_middle_name_in_forename(noisy, names):
    rates = noisy.config.errors
    _, keyed = _split_middle(names)
    has_middle = names.true_middle.notna().to_numpy()
    assert has_middle.sum() > 1000
    assert _within(keyed[has_middle].mean(), rates.middle_in_forename, rel=0.25)
    assert not keyed[~has_middle].any()


def test_hyphen_variants(noisy, names):
    """Double-barrelled surnames (never changed by marriage) held as one part or spaced."""
    rates = noisy.config.errors
    d = names[~names.married & names.true_surname.str.contains("-", regex=False)]
    d = d[~d.true_surname.str.startswith(("Al-", "El-"))]
    assert len(d) > 50
    parts = d.true_surname.str.split("-", n=1)
    variant = [s in (p[0], p[1], f"{p[0]} {p[1]}") for s, p in zip(d.surname, parts, strict=True)]
    assert _within(np.mean(variant), rates.hyphen_variant, rel=0.25)


def test_dob_errors(noisy, names):
    rates = noisy.config.errors
    d = names.dropna(subset=["dob"])
    t = d.true_dob
    eligible = (t.dt.day <= 12) & (t.dt.day != t.dt.month)
    swapped = (
        (d.dob.dt.year == t.dt.year) & (d.dob.dt.month == t.dt.day) & (d.dob.dt.day == t.dt.month)
    )
    assert _within(swapped[eligible].mean(), rates.dob_swap, rel=0.4)
    slip = (d.dob != t) & ~swapped
    assert _within(slip.mean(), rates.dob_typo * (1 - rates.dob_swap), rel=0.45, abs_=0.006)


def test_missing_fields(noisy):
    rates = noisy.config.errors
    census = _extract(noisy, "school_census")
    assert _within(pd.isna(census.columns["Postcode"]).mean(), rates.field_missing, rel=0.3)
    appr = _extract(noisy, "approaches")
    assert _within(pd.isna(appr.columns["dob"]).mean(), rates.field_missing, rel=0.5, abs_=0.02)


def test_stale_addresses(noisy):
    """Census rows of pupils who moved in the year before the census: previous postcode at rate."""
    rates = noisy.config.errors
    ctx = noisy.ctx
    census = _extract(noisy, "school_census")
    label_day = {t[0]: day(t[1]) for t in TERMS}
    when = np.array([label_day[t] for t in census.columns["CensusTerm"]], dtype=np.int32)
    prev, moved = ctx.lookup.previous_prop(census.pid, when)
    cur = ctx.lookup.person_prop_at(census.pid, when)
    pcs = ctx.world.props.postcode
    recent = (prev >= 0) & (when - moved < 365) & pd.notna(census.columns["Postcode"])
    recent &= pcs[np.maximum(prev, 0)] != pcs[cur]
    assert recent.sum() > 40
    stale = census.columns["Postcode"][recent] == pcs[prev[recent]]
    assert _within(stale.mean(), rates.stale_address, rel=0.25)


def test_duplicate_person_ids(noisy):
    rates = noisy.config.errors
    frames = []
    for file, col in (
        ("early_help_episodes", "person_id"),
        ("mash_contacts", "person_id"),
        ("cin_episodes", "person_id"),
        ("youth_offending", "person_id"),
        ("involvements", "PersonID"),
        ("school_census", "UPN"),
    ):
        ex = _extract(noisy, file)
        system = "education" if file == "school_census" else ex.service
        frames.append(pd.DataFrame({"system": system, "pid": ex.pid, "id": ex.columns[col]}))
    ids = pd.concat(frames).dropna()
    per_person = ids.groupby(["system", "pid"]).id.nunique()
    assert len(per_person) > 800
    assert _within((per_person > 1).mean(), rates.duplicate_person, rel=0.5, abs_=0.008)
    # a system's id never covers two people
    assert (ids.groupby(["system", "id"]).pid.nunique() == 1).all()


def test_duplicate_records(noisy):
    rates = noisy.config.errors
    appr = _extract(noisy, "approaches")
    base = len(cases(noisy.ctx))
    assert _within((appr.n - base) / base, rates.duplicate_record, rel=1.0, abs_=0.01)
    claims = _extract(noisy, "benefit_claims")
    dup = pd.DataFrame({"start": claims.columns["start_date"], "pid": claims.pid}).duplicated()
    assert _within(dup.mean(), rates.duplicate_record, rel=0.6, abs_=0.006)


def test_invalid_identifiers(noisy):
    rates = noisy.config.errors
    nhs = np.concatenate(
        [
            _extract(noisy, f).columns["nhs_number"]
            for f in ("early_help_episodes", "mash_contacts", "cin_episodes")
        ]
        + [_extract(noisy, "involvements").columns["NHSNo"]]
    )
    nhs = nhs[pd.notna(nhs)]
    assert _within(
        1 - identifiers.nhs_valid(nhs).mean(), rates.invalid_identifier, rel=0.5, abs_=0.006
    )
    nino = np.concatenate(
        [
            _extract(noisy, "council_tax_accounts").columns["NINO"],
            _extract(noisy, "benefit_claims").columns["claimant_nino"],
            _extract(noisy, "register_applications").columns["ni_number"],
        ]
    )
    nino = nino[pd.notna(nino)]
    assert _within(
        1 - identifiers.nino_valid(nino).mean(), rates.invalid_identifier, rel=0.5, abs_=0.006
    )
    upn = pd.unique(_extract(noisy, "school_census").columns["UPN"])
    assert _within(
        1 - identifiers.upn_valid(upn).mean(), rates.invalid_identifier, rel=0.6, abs_=0.008
    )


def test_malformed_rate(borough):
    mal = read(borough, "truth/malformed.csv")
    total = sum(
        p.read_bytes().count(b"\n") - 1
        for p in (borough / "raw").rglob("*.csv")
        if p.parent.name != "governance"
    )
    assert _within(len(mal) / total, ErrorRates().malformed_row, rel=0.35, abs_=0.0004)


def test_clean_borough_has_no_errors():
    from insight_hub.synth.config import SynthConfig
    from insight_hub.synth.generator import build

    clean = build(SynthConfig(residents=400, seed=3, errors=ErrorRates().scaled(0)))
    people = clean.ctx.world.people
    ex = _extract(clean, "early_help_episodes")
    assert (ex.columns["forename"] == people.forename[ex.pid]).all()
    assert identifiers.nhs_valid(ex.columns["nhs_number"][pd.notna(ex.columns["nhs_number"])]).all()
