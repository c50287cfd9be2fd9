"""A small fixture warehouse shaped like the marts the partner aggregates read.

Just the tables (and the columns) that models/marts/shared reads, filled from a seeded random
generator so that the aggregates have what disclosure control must handle: zero cells, many
counts in 1..9, lines (a ward, a service, a quarter) with a single small cell, a ward whose
residents are all of one kind, residents without a ward or a sex, involvements outside the
twelve-month window or of services partners may not see, and an incomplete academic year.

    marts.dim_resident              person_key, household_key, ward_code, sex, age_band
    marts.dim_household             household_key, ward_code
    marts.fct_service_involvement   episode_key, person_key, household_key, service,
                                    involvement_type, start_date, end_date, status
    marts.mart_household_needs      household_key, month, ward_code, approached,
                                    in_temporary_accommodation, early_help_open,
                                    mash_contacts_3m, adult_social_care_open, ...
    intermediate.int_attendance__termly  person_key, household_key, term, sessions_possible,
                                    sessions_absent, attendance_rate, low_attendance
    intermediate.int_service_episodes__partner_reporting  record_key, person_key,
                                    involvement_type, start_date, end_date (fct's partner rows)
    reference.wards                 ward_code, ward_name, borough_name
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

AS_OF = dt.date(2026, 10, 1)  # dbt_project.yml var as_of_date
FIRST_MONTH = dt.date(2023, 10, 1)  # the 36-month needs window ends 2026-09
MONTHS = pd.date_range(FIRST_MONTH, "2026-09-01", freq="MS").date
# Ward sizes (residents): large, medium, small and tiny wards, so that cells of every size occur.
WARDS = {
    "E05099001": 700,
    "E05099002": 450,
    "E05099003": 300,
    "E05099004": 160,
    "E05099005": 90,
    "E05099006": 40,
}
EMPTY_WARD = "E05099007"  # in the seed, no residents: a line of zeros
TERMS = [
    ("2023 Summer", 0.5),  # 2022/23 has no Autumn or Spring returns: an incomplete year
    ("2023 Autumn", 1.0),
    ("2024 Spring", 1.0),
    ("2024 Summer", 1.0),
    ("2024 Autumn", 1.0),
    ("2025 Spring", 1.0),
    ("2025 Summer", 1.0),
]


def _key(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()


def _date(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=int(rng.integers(0, (end - start).days)))


def build(path: str | Path, seed: int = 11) -> Path:
    """Write the fixture warehouse to ``path`` (replacing it) and return the path."""
    rng = np.random.default_rng(seed)
    path = Path(path)
    path.unlink(missing_ok=True)

    residents, households = [], []
    for ward, size in [*WARDS.items(), (None, 6)]:
        n_households = max(1, size // 2)
        keys = [_key("household", ward, i) for i in range(n_households)]
        households += [{"household_key": k, "ward_code": ward} for k in keys]
        for i in range(size):
            residents.append(
                {
                    "person_key": _key("person", ward, i),
                    "household_key": keys[int(rng.integers(0, n_households))],
                    "ward_code": ward,
                    "sex": rng.choice(["F", "M", None], p=[0.49, 0.47, 0.04]),
                    "age_band": rng.choice(["5-10", "11-15", "25-34", "50-64"]),
                }
            )
    dim_resident = pd.DataFrame(residents)
    dim_household = pd.DataFrame(households)
    hh_ward = dict(zip(dim_household.household_key, dim_household.ward_code, strict=True))

    # Involvements: partner services at ward-dependent rates, plus a non-partner service and
    # involvements that ended before the twelve-month window (neither may be counted).
    rates = {
        "homelessness_approach": ("homelessness", 0.06),
        "temporary_accommodation": ("housing", 0.02),
        "early_help": ("childrens_social_care", 0.09),
        "mash_contact": ("childrens_social_care", 0.07),
        "adult_social_care": ("adults_social_care", 0.14),
        "council_tax_account": ("revenues_benefits", 0.5),
    }
    window_start = dt.date(AS_OF.year - 1, AS_OF.month, AS_OF.day)
    episodes = []
    for r in residents:
        for kind, (service, rate) in rates.items():
            if kind == "temporary_accommodation" and r["ward_code"] == "E05099001":
                continue  # a large ward with no one in temporary accommodation: zeros
            if rng.random() >= rate:
                continue
            recent = rng.random() < 0.75
            if recent:
                start = _date(rng, dt.date(2024, 1, 1), AS_OF)
                end = None if rng.random() < 0.4 else _date(rng, max(start, window_start), AS_OF)
            else:
                start = _date(rng, dt.date(2021, 1, 1), dt.date(2024, 6, 1))
                end = _date(rng, start, window_start - dt.timedelta(days=1))
                end = max(end, start)
            if kind in ("homelessness_approach", "mash_contact"):
                end = start
            episodes.append(
                {
                    "episode_key": _key("episode", r["person_key"], kind),
                    "person_key": r["person_key"],
                    "household_key": r["household_key"],
                    "service": service,
                    "involvement_type": kind,
                    "start_date": start,
                    "end_date": end,
                    "status": "open" if end is None else "closed",
                }
            )
    fct = pd.DataFrame(episodes)

    # The needs profile: every household in every month, needs as short spells.
    needs = []
    for hh, ward in hh_ward.items():
        small_ward = ward in ("E05099005", "E05099006", None)
        p = {
            "approached": 0.004,
            "in_temporary_accommodation": 0.008 if ward != "E05099001" else 0.0,
            "early_help_open": 0.03,
            "mash": 0.01,
            "adult_social_care_open": 0.05 if not small_ward else 0.15,
        }
        spells = {k: np.zeros(len(MONTHS), dtype=bool) for k in p}
        for k, rate in p.items():
            for m in np.flatnonzero(rng.random(len(MONTHS)) < rate / 2):
                length = 1 if k in ("approached", "mash") else int(rng.integers(1, 7))
                spells[k][m : m + length] = True
        for i, month in enumerate(MONTHS):
            needs.append(
                {
                    "household_key": hh,
                    "month": month,
                    "ward_code": ward,
                    "tenure": "temporary" if spells["in_temporary_accommodation"][i] else "other",
                    "approached": bool(spells["approached"][i]),
                    "in_temporary_accommodation": bool(spells["in_temporary_accommodation"][i]),
                    "early_help_open": bool(spells["early_help_open"][i]),
                    "mash_contacts_3m": int(spells["mash"][max(0, i - 2) : i + 1].sum()),
                    "adult_social_care_open": bool(spells["adult_social_care_open"][i]),
                    "predictive_objection": False,
                }
            )
    mart_needs = pd.DataFrame(needs)

    # Attendance: school-age residents, a term each; some pupils persistently absent.
    pupils = dim_resident[dim_resident.age_band.isin(["5-10", "11-15"])]
    returns = []
    for r in pupils.itertuples():
        frailty = rng.beta(1.2, 14)  # the share of sessions a pupil tends to miss
        for term, share in TERMS:
            if rng.random() < 0.05:
                continue  # no return this term
            possible = int(round(126 * share))
            absent = int(rng.binomial(possible, min(0.9, frailty)))
            returns.append(
                {
                    "person_key": r.person_key,
                    "household_key": r.household_key,
                    "term": term,
                    "sessions_possible": possible,
                    "sessions_absent": absent,
                    "attendance_rate": 1 - absent / possible,
                    "low_attendance": 1 - absent / possible < 0.9,
                }
            )
    attendance = pd.DataFrame(returns)

    wards = pd.DataFrame(
        {
            "ward_code": [*WARDS, EMPTY_WARD],
            "ward_name": [f"Ward {i}" for i in range(1, len(WARDS) + 2)],
            "borough_name": "Fixture",
        }
    )

    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts; create schema intermediate; create schema reference")
        for schema, name, frame in [
            ("marts", "dim_resident", dim_resident),
            ("marts", "dim_household", dim_household),
            ("marts", "fct_service_involvement", fct),
            ("marts", "mart_household_needs", mart_needs),
            ("intermediate", "int_attendance__termly", attendance),
            ("reference", "wards", wards),
        ]:
            con.register("frame", frame)
            con.execute(f"create table {schema}.{name} as select * from frame")
            con.unregister("frame")
        con.execute(
            "alter table marts.fct_service_involvement alter start_date type date;"
            "alter table marts.fct_service_involvement alter end_date type date;"
            "alter table marts.mart_household_needs alter month type date;"
            "alter table marts.mart_household_needs alter mash_contacts_3m type integer;"
            "alter table intermediate.int_attendance__termly alter sessions_possible type integer;"
            "alter table intermediate.int_attendance__termly alter sessions_absent type integer;"
        )
        # the partner_reporting episodes: the fixture involvements of the five partner services
        # (the real model reads only those five extracts)
        con.execute(
            "create table intermediate.int_service_episodes__partner_reporting as"
            " select episode_key as record_key, person_key, involvement_type, start_date,"
            " end_date from marts.fct_service_involvement where involvement_type in"
            " ('homelessness_approach', 'temporary_accommodation', 'early_help',"
            " 'mash_contact', 'adult_social_care')"
        )
        con.execute("checkpoint")
    finally:
        con.close()
    return path
