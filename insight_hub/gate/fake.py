"""A small fake warehouse shaped like the real marts, for the gate's tests and benchmark.

``build_fake_warehouse`` writes a DuckDB file with:

- ``identity.person_names``: forenames and surnames (what the name check reads);
- ``marts.dim_household``: household_key, ward_code, tenure, household_size;
- ``marts.dim_resident``: person_key, household_key, age_band, sex, ward_code, loaded_at;
- ``marts.mart_shared__approaches_by_ward_month``: a partner aggregate, counts of
  homelessness approaches by ward and month with margins (NULL = total), protected with
  :func:`insight_hub.gate.disclosure.protect`: ``approaches`` NULL and
  ``approaches_status = 'c'`` where suppressed.

The suites for it live in ``insight_hub/gate/fake_suites/``. ``break_mart`` then damages one
mart on purpose (a leaked NI number, an unsuppressed 3, a duplicated key, a cell recoverable
by subtraction) to prove the gate refuses to publish.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from insight_hub.gate.disclosure import DisclosureRule, primary_mask, protect
from insight_hub.gate.tables import add_totals

FAKE_SUITES = Path(__file__).with_name("fake_suites")
AGGREGATE = "marts.mart_shared__approaches_by_ward_month"
FORENAMES = ["OLIVER", "AMELIA", "GEORGE", "ISLA", "HARRY", "AVA", "NOAH", "MIA", "JACK", "IVY"]
SURNAMES = ["SMITH", "JONES", "TAYLOR", "BROWN", "WILLIAMS", "WILSON", "JOHNSON", "DAVIES"]
AGE_BANDS = ["0-17", "18-24", "25-34", "35-49", "50-64", "65+"]
TENURES = ["council", "temporary", "other"]


def _key(kind: str, i: int) -> str:
    return hashlib.sha256(f"{kind}/{i}".encode()).hexdigest()


def fake_frames(residents: int = 2000, wards: int = 6, months: int = 12, seed: int = 7):
    """The fake marts as DataFrames (record-level marts scale with ``residents``)."""
    rng = np.random.default_rng(seed)
    n_households = max(1, residents // 2)
    ward_codes = [f"E0500{1000 + w}" for w in range(wards)]
    hh_ward = rng.integers(0, wards, n_households)
    household = pd.DataFrame(
        {
            "household_key": [_key("household", i) for i in range(n_households)],
            "ward_code": [ward_codes[w] for w in hh_ward],
            "tenure": rng.choice(TENURES, n_households),
            "household_size": rng.integers(1, 6, n_households).astype("int32"),
        }
    )
    member_of = rng.integers(0, n_households, residents)
    resident = pd.DataFrame(
        {
            "person_key": [_key("person", i) for i in range(residents)],
            "household_key": household["household_key"].to_numpy()[member_of],
            # quasi-identifiers coarse enough for k = 5 at this size
            "age_band": rng.choice(AGE_BANDS, residents),
            "sex": rng.choice(["F", "M"], residents),
            "ward_code": household["ward_code"].to_numpy()[member_of],
            "loaded_at": pd.Timestamp(dt.datetime.now().replace(microsecond=0)),
        }
    )
    month_starts = pd.date_range("2025-10-01", periods=months, freq="MS").date
    cells = pd.DataFrame(
        [(w, m) for w in ward_codes for m in month_starts], columns=["ward_code", "month"]
    )
    # a mix of small and large counts, so that suppression has work to do
    cells["approaches"] = rng.choice([0, 2, 4, 7, 11, 15, 23, 40, 60], len(cells))
    aggregate = protect(cells, ["ward_code", "month"], ["approaches"], rule=DisclosureRule()).frame
    names = pd.DataFrame(
        {
            "forename": rng.choice(FORENAMES, 50),
            "surname": rng.choice(SURNAMES, 50),
        }
    )
    return {
        "identity.person_names": names,
        "marts.dim_household": household,
        "marts.dim_resident": resident,
        AGGREGATE: aggregate,
    }


def write_frames(path: str | Path, frames: dict[str, pd.DataFrame]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    try:
        for table, frame in frames.items():
            schema, name = table.split(".")
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            con.register("frame_view", frame)
            con.execute(f'CREATE OR REPLACE TABLE "{schema}"."{name}" AS SELECT * FROM frame_view')
            con.unregister("frame_view")
        if AGGREGATE in frames:
            schema, name = AGGREGATE.split(".")
            con.execute(f'ALTER TABLE "{schema}"."{name}" ALTER approaches TYPE BIGINT')
    finally:
        con.close()
    return path


def build_fake_warehouse(path: str | Path, **kwargs) -> Path:
    """Write the fake warehouse to ``path`` (a new DuckDB file)."""
    return write_frames(path, fake_frames(**kwargs))


def break_mart(path: str | Path, how: str) -> str:
    """Damage the fake warehouse on purpose; returns the table broken.

    ``how``: leaked_ni (an NI number in a text column), unsuppressed (a published 3),
    duplicate_key (a person_key twice), recoverable (a suppressed cell its row total gives
    away), leaked_name (a resident's name in a text column).
    """
    con = duckdb.connect(str(path))
    try:
        if how == "leaked_ni":
            con.execute(
                "UPDATE marts.dim_household SET tenure = 'QQ123456C' WHERE household_key = "
                "(SELECT min(household_key) FROM marts.dim_household)"
            )
            con.execute(
                "UPDATE marts.dim_household SET tenure = 'AB123456C' WHERE household_key = "
                "(SELECT max(household_key) FROM marts.dim_household)"
            )
            return "marts.dim_household"
        if how == "leaked_name":
            con.execute(
                "UPDATE marts.dim_household SET ward_code = 'GEORGE WILSON' WHERE household_key = "
                "(SELECT min(household_key) FROM marts.dim_household)"
            )
            return "marts.dim_household"
        if how == "duplicate_key":
            con.execute("INSERT INTO marts.dim_resident SELECT * FROM marts.dim_resident LIMIT 1")
            return "marts.dim_resident"
        if how == "unsuppressed":
            # publish a true small count in place of a suppressed one
            con.execute(
                f"UPDATE {AGGREGATE} SET approaches = 3, approaches_status = NULL WHERE rowid = "
                f"(SELECT min(rowid) FROM {AGGREGATE} WHERE approaches_status = 'c' "
                "AND ward_code IS NOT NULL AND month IS NOT NULL)"
            )
            return AGGREGATE
        if how == "recoverable":
            # Primary suppression only: a row with a single small cell gives it away by
            # subtraction from the published row total (the totals stay consistent).
            cells = con.execute(
                f"SELECT ward_code, month FROM {AGGREGATE} "
                "WHERE ward_code IS NOT NULL AND month IS NOT NULL ORDER BY ward_code, month"
            ).df()
            cells["approaches"] = [4 if i == 0 else 20 for i in range(len(cells))]
            full = add_totals(cells, ["ward_code", "month"], ["approaches"])
            small = primary_mask(full["approaches"].to_numpy(), 10)
            full["approaches"] = full["approaches"].astype("Int64").mask(small)
            full["approaches_status"] = pd.array(
                ["c" if s else None for s in small], dtype="string"
            )
            con.register("frame_view", full)
            con.execute(f"DELETE FROM {AGGREGATE}")
            con.execute(
                f"INSERT INTO {AGGREGATE} BY NAME SELECT ward_code, CAST(month AS DATE) AS month, "
                "approaches, approaches_status FROM frame_view"
            )
            con.unregister("frame_view")
            return AGGREGATE
        raise ValueError(f"unknown way to break a mart: {how}")
    finally:
        con.close()
