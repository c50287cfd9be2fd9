"""education: school census returns (census, attendance by DfE code, exclusions)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth import identifiers
from insight_hub.synth.dates import NULL, day, month_index, to_ymd
from insight_hub.synth.errors import blank
from insight_hub.synth.population import OWNER
from insight_hub.synth.services.common import Context, Extract, dates, dfe_ethnicity
from insight_hub.synth.writer import take

SERVICE = "education"
LA_CODE = 390  # a fictional LA number in the London range's format
# census day of each term in the window, and the term's label
TERMS = [
    ("2023 Autumn", "2023-10-05", "2023-09-04", "2023-12-20"),
    ("2024 Spring", "2024-01-18", "2024-01-04", "2024-03-28"),
    ("2024 Summer", "2024-05-16", "2024-04-15", "2024-07-23"),
    ("2024 Autumn", "2024-10-03", "2024-09-03", "2024-12-20"),
    ("2025 Spring", "2025-01-16", "2025-01-06", "2025-04-04"),
    ("2025 Summer", "2025-05-15", "2025-04-22", "2025-07-22"),
    ("2025 Autumn", "2025-10-02", "2025-09-03", "2025-12-19"),
    ("2026 Spring", "2026-01-15", "2026-01-05", "2026-03-27"),
    ("2026 Summer", "2026-05-21", "2026-04-13", "2026-07-22"),
]
POSSIBLE = {"Autumn": 142, "Spring": 118, "Summer": 124}
ABSENCE_CODES = np.array(["I", "M", "R", "S", "T", "C", "E", "G", "N", "O", "U"], dtype=object)
ABSENCE_P = np.array([0.5, 0.06, 0.02, 0.0, 0.005, 0.08, 0.0, 0.06, 0.03, 0.14, 0.105])
# DfE suspension and exclusion reason codes in use since 2020 (seeds/dfe_exclusion_reasons.csv)
REASONS = np.array(
    ["PD", "VA", "PP", "VP", "PA", "WP", "DA", "DM", "BU", "RA", "MT", "TH", "SM", "LG", "DS"],
    dtype=object,
)
REASON_P = np.array(
    [0.38, 0.13, 0.11, 0.1, 0.05, 0.04, 0.04, 0.04, 0.03, 0.02, 0.03, 0.02, 0.02, 0.01, 0.01]
)


def _pupils_by_term(ctx: Context) -> pd.DataFrame:
    pid, hid, start, end = ctx.world.member
    people = ctx.world.people
    end = np.where(end == NULL, np.iinfo(np.int32).max, end)
    dob = people.dob[pid]
    y, m, d = to_ymd(dob)
    # academic cohort: age on 31 August before the school year
    rows = []
    for ti, (_label, census, _s, _e) in enumerate(TERMS):
        cd = day(census)
        cy = int(census[:4]) - (0 if int(census[5:7]) >= 9 else 1)
        age_aug = cy - y - ((m > 8) | ((m == 8) & (d > 31)))
        on = (start <= cd) & (cd < end) & (age_aug >= 4) & (age_aug <= 15)
        idx = np.flatnonzero(on)
        rows.append(
            pd.DataFrame({"pid": pid[idx], "hid": hid[idx], "term": ti, "year": age_aug[idx] - 4})
        )
    t = pd.concat(rows, ignore_index=True)
    # about 7% of children are at independent or out-of-borough schools
    state = np.random.default_rng([ctx.seed, 7]).random(people.n) < 0.93
    return t[state[t.pid.to_numpy()]].reset_index(drop=True)


def build(ctx: Context) -> list[Extract]:
    rng = ctx.rng("education")
    w = ctx.world
    people = w.people
    o = ctx.outcomes
    t = _pupils_by_term(ctx)
    pupils = np.unique(t.pid.to_numpy())
    first_term = t.groupby("pid").term.min().reindex(pupils).to_numpy()
    first_year = np.array([int(TERMS[i][1][2:4]) for i in first_term])
    entry = np.maximum(first_year - t.groupby("pid").year.min().reindex(pupils).to_numpy(), 10)
    upn_main = identifiers.upns(rng, len(pupils), LA_CODE, entry)
    upn_alt = identifiers.upns(rng, len(pupils), LA_CODE, (entry + 50) % 100)
    bad = rng.random(len(pupils)) < ctx.rates.invalid_identifier
    upn_main[bad] = identifiers.corrupt_upn(upn_main[bad])
    pos = np.searchsorted(pupils, t.pid.to_numpy())
    # a second UPN for some pupils, from a later term on (re-registered at a new school)
    dup = rng.random(len(pupils)) < ctx.rates.duplicate_person
    last_term = t.groupby("pid").term.max().reindex(pupils).to_numpy()
    switch = first_term + 1 + (rng.random(len(pupils)) * (last_term - first_term)).astype(int)
    use_alt = dup[pos] & (t.term.to_numpy() >= switch[pos])
    only_one = dup & (last_term == first_term)
    extra = np.flatnonzero(only_one[pos])
    order = np.concatenate([np.arange(len(t)), extra])
    alt = np.concatenate([use_alt, np.ones(len(extra), bool)])
    t = t.iloc[order].reset_index(drop=True)
    pos = pos[order]
    upn = np.where(alt, upn_alt[pos], upn_main[pos])
    t["upn"] = upn
    t = (
        t.assign(o=np.arange(len(t)))
        .sort_values(["term", "upn"], kind="stable")
        .reset_index(drop=True)
    )
    upn = t.upn.to_numpy()
    pos = np.searchsorted(pupils, t.pid.to_numpy())
    n = len(t)
    census_day = np.array([day(TERMS[i][1]) for i in t.term.to_numpy()], dtype=np.int32)
    v = ctx.view.render(rng, t.pid.to_numpy(), census_day)
    dis = people.disability[t.pid.to_numpy()]
    sen_u = np.random.default_rng([ctx.seed, 11]).random(len(pupils))[pos]
    sen = np.where(
        dis,
        np.where(sen_u < 0.25, "E", np.where(sen_u < 0.65, "K", "N")),
        np.where(sen_u < 0.02, "E", np.where(sen_u < 0.13, "K", "N")),
    ).astype(object)
    m = month_index(census_day)
    hid = t.hid.to_numpy()
    prop = o.prop_hm[hid, m]
    fsm = o.on_claim[hid, m] & (w.props.tenure[np.maximum(prop, 0)] != OWNER)
    eth = dfe_ethnicity(ctx.view.ref, v["eth"]).copy()
    u = rng.random(n)
    eth[u < 0.03] = "REFU"
    eth[(u >= 0.03) & (u < 0.04)] = "NOBT"
    year = t.year.to_numpy()
    urn = np.where(
        year <= 6,
        ctx.schools["primary"][t.pid.to_numpy() % len(ctx.schools["primary"])],
        ctx.schools["secondary"][t.pid.to_numpy() % len(ctx.schools["secondary"])],
    ).astype(object)
    labels = np.array([x[0] for x in TERMS], dtype=object)
    term_label = labels[t.term.to_numpy()]
    census = Extract(
        SERVICE,
        "school_census",
        {
            "UPN": upn,
            "LegalSurname": v["surname"],
            "Forename": v["forename"],
            "DOB": dates(v["dob"], "iso"),
            "Sex": np.where(v["sex"] == 0, "M", "F").astype(object),
            "Ethnicity": eth,
            "SENProvision": sen,
            "FSMEligible": np.where(fsm, "true", "false").astype(object),
            "Postcode": blank(rng, w.props.postcode[v["prop"]], ctx.rates.field_missing),
            "URN": urn,
            "CensusTerm": term_label,
        },
        record_id=np.array(
            [f"{a}|{b}" for a, b in zip(upn, term_label, strict=True)], dtype=object
        ),
        pid=t.pid.to_numpy(),
        hid=v["hid"],
        person_id=upn,
        dates={"DOB": "iso"},
        codes={"SENProvision": "S", "Sex": "U"},
    )
    # exclusions (secondary pupils)
    need = w.households.need[hid] + 0.4 * people.frailty[t.pid.to_numpy()]
    male = people.sex[t.pid.to_numpy()] == 0
    p_ex = np.where(year >= 7, 0.012 * np.exp(0.8 * need) * np.where(male, 1.6, 0.6), 0.001)
    ex = np.flatnonzero(rng.random(n) < np.minimum(p_ex, 0.5))
    k = len(ex)
    perm = rng.random(k) < 0.03
    tstart = np.array([day(TERMS[i][2]) for i in t.term.to_numpy()[ex]])
    tend = np.array([day(TERMS[i][3]) for i in t.term.to_numpy()[ex]])
    ex_day = tstart + (rng.random(k) * (tend - tstart - 5)).astype(np.int32)
    sessions = np.where(perm, rng.integers(10, 60, k), rng.integers(1, 11, k))
    exclusions = Extract(
        SERVICE,
        "exclusions",
        {
            "UPN": upn[ex],
            "URN": urn[ex],
            "StartDate": dates(ex_day, "iso"),
            "Category": np.where(perm, "PERM", "SUSP").astype(object),
            "Reason": REASONS[rng.choice(len(REASONS), k, p=REASON_P / REASON_P.sum())],
            "Sessions": sessions.astype(np.int64),
        },
        dates={"StartDate": "iso"},
        codes={"Category": "FIX", "Reason": "XX"},
    )
    excluded = np.zeros(n, np.int64)
    np.add.at(excluded, ex, np.where(perm, 0, sessions))
    # attendance by DfE absence code
    season = np.array([x[0].split()[1] for x in TERMS])[t.term.to_numpy()]
    possible = np.array([POSSIBLE[s] for s in season]) - rng.integers(0, 5, n)
    mu = np.clip(0.05 * np.exp(0.35 * need), 0.005, 0.6)
    rate = rng.beta(2.0, 2.0 * (1 - mu) / mu)
    absent = rng.binomial(possible, np.clip(rate, 0, 0.95))
    counts = np.zeros((n, len(ABSENCE_CODES)), np.int64)
    p = ABSENCE_P / ABSENCE_P.sum()
    counts[:] = _multinomial(rng, absent, p)
    counts[:, 6] = np.minimum(excluded, possible)  # E: excluded
    study = (year == 11) & (season == "Summer")
    counts[study, 3] = rng.integers(10, 30, int(study.sum()))  # S: study leave
    rr, cc = np.nonzero(counts > 0)
    attendance = Extract(
        SERVICE,
        "attendance",
        {
            "UPN": take(upn, rr),
            "Term": take(term_label, rr),
            "SessionsPossible": possible[rr].astype(np.int64),
            "AbsenceCode": ABSENCE_CODES[cc],
            "Sessions": counts[rr, cc],
        },
        codes={"AbsenceCode": "ZZ"},
    )
    return [census, attendance, exclusions]


def _multinomial(rng, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Row-wise multinomial draws for many totals (sequential binomials, vectorised)."""
    out = np.zeros((len(n), len(p)), np.int64)
    left = n.astype(np.int64).copy()
    rest = 1.0
    for j, pj in enumerate(p):
        if j == len(p) - 1:
            out[:, j] = left
            break
        q = 0.0 if rest <= 0 else min(1.0, pj / rest)
        out[:, j] = rng.binomial(left, q)
        left -= out[:, j]
        rest -= pj
    return out
