"""The household evaluation on a tiny hand-made warehouse and truth with known answers:
people who have died or moved away are left out of the pairs (and counted when placed with
residents); the last household the truth names is reported beside it."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from insight_hub.identity.evaluate import evaluate

# person_key -> (true person, household_key); one record per person_key
PLACED = {
    "k1": ("P1", "hA"),
    "k2": ("P2", "hA"),
    "k3": ("P3", "hB"),  # lives with P1 and P2 (H1): split from them
    "k4": ("P4", "hA"),  # died: placed with the residents of hA
    "k5": ("P5", "hC"),  # moved away, alone at the old address
    "k6": ("P6", None),  # H2, alone: not placed
}
PERSONS = [  # person_id, last household persons.csv names
    ("P1", "H1"),
    ("P2", "H1"),
    ("P3", "H1"),
    ("P4", "H1"),
    ("P5", "H1"),
    ("P6", "H2"),
]
RESIDENCE = [  # person_id, household_id, from_date, to_date ('' = lives there now)
    ("P1", "H1", "2010-01-01", ""),
    ("P2", "H1", "2010-01-01", ""),
    ("P3", "H1", "2012-01-01", ""),
    ("P4", "H1", "2010-01-01", "2020-05-01"),
    ("P5", "H1", "2010-01-01", "2024-01-01"),
    ("P6", "H0", "2001-01-01", "2015-01-01"),
    ("P6", "H2", "2015-01-01", ""),
]


def _write(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture()
def borough(tmp_path: Path) -> tuple[Path, Path]:
    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema identity")
    con.execute(
        "create table identity.idn_match_records (record_key varchar, service varchar, "
        "source_file varchar, record_id varchar, forename varchar, surname varchar, "
        "date_of_birth date)"
    )
    con.execute(
        "create table identity.idn_record_keys (record_key varchar, service varchar, "
        "source_file varchar, person_key varchar, household_key varchar)"
    )
    con.execute("create table identity.idn_person_objections (person_key varchar)")
    for key, (_person, household) in PLACED.items():
        con.execute(
            "insert into identity.idn_match_records values (?, 'svc', 'file', ?, 'A', 'B', null)",
            [f"r{key}", f"id{key}"],
        )
        con.execute(
            "insert into identity.idn_record_keys values (?, 'svc', 'file', ?, ?)",
            [f"r{key}", key, household],
        )
    con.close()
    truth = tmp_path / "truth"
    truth.mkdir()
    _write(
        truth / "records.csv",
        ["service", "source_file", "source_record_id", "person_id", "household_id"],
        [("svc", "file", f"id{k}", p, "") for k, (p, _h) in PLACED.items()],
    )
    _write(truth / "persons.csv", ["person_id", "household_id"], PERSONS)
    _write(
        truth / "residence.csv",
        ["person_id", "household_id", "uprn", "from_date", "to_date"],
        [(p, h, "1", f, t) for p, h, f, t in RESIDENCE],
    )
    return warehouse, truth


def test_households_count_residents_at_the_extract_date(borough):
    households = evaluate(*borough)["households"]
    # residents: P1, P2, P3 (H1) and P6 (H2); predicted hA = {k1, k2}, hB = {k3}, k6 alone
    assert households["persons"] == 4
    assert households["persons_placed"] == 3
    assert (households["predicted_pairs"], households["true_pairs"]) == (1, 3)
    assert households["true_positive_pairs"] == 1
    assert households["pairwise_precision"] == 1.0
    assert households["pairwise_recall"] == pytest.approx(1 / 3)
    # P4 (died) shares hA with residents; P5 (moved away) is alone at hC
    assert households["non_residents"] == 2
    assert households["non_residents_with_residents"] == 1


def test_households_against_the_last_household_known(borough):
    last = evaluate(*borough)["households"]["last_known"]
    # everyone: H1 = {k1..k5} (10 pairs), predicted hA = {k1, k2, k4} (3 pairs, all in H1)
    assert last["persons"] == 6
    assert (last["predicted_pairs"], last["true_pairs"]) == (3, 10)
    assert last["true_positive_pairs"] == 3
    assert last["pairwise_recall"] == pytest.approx(0.3)


def test_households_without_residence_fall_back_to_the_last_household(borough):
    warehouse, truth = borough
    (truth / "residence.csv").unlink()
    households = evaluate(warehouse, truth)["households"]
    assert households["persons"] == 6
    assert households["pairwise_recall"] == pytest.approx(0.3)
    assert "non_residents" not in households
