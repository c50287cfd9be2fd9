"""The staged borough: every raw row accounted for, rejections with their reasons, keys."""

from __future__ import annotations

import csv
import hashlib
import hmac
import re

import pytest

from .conftest import ROOT, TEST_KEY, connect

pytestmark = pytest.mark.slow

MATCH_COLUMNS = [
    "record_id",
    "record_key",
    "person_source_id",
    "forename",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address_line",
    "uprn",
    "nhs_number",
    "ni_number",
    "upn",
    "phone",
    "email",
]


def staging_extracts() -> list[dict]:
    """The extract list of macros/staging/extracts.sql."""
    text = (ROOT / "macros/staging/extracts.sql").read_text()
    pattern = r"\{'service': '(\w+)', 'source_file': '(\w+)', 'person': (\w+), 'person_id': (\w+)\}"
    return [
        {"service": s, "source_file": f, "person": p == "true", "person_id": i == "true"}
        for s, f, p, i in re.findall(pattern, text)
    ]


def test_every_raw_row_is_staged_rejected_or_expired(staged):
    with connect(staged) as con:
        rows = con.execute(
            "select extract_id, raw_rows, staged_rows, rejected_rows, expired_rows "
            "from audit.rec_extract_counts order by extract_id"
        ).fetchall()
    assert len(rows) == len(staging_extracts()) == 22
    for extract, raw, stg, rej, exp in rows:
        assert raw == stg + rej + exp, extract
    assert sum(r[2] for r in rows) > 0.5 * sum(r[1] for r in rows)  # most rows are staged
    assert sum(r[4] for r in rows) > 0  # retention expires the old records


def test_raw_rows_counted_from_the_files(project, staged):
    with connect(staged) as con:
        counts = dict(
            con.execute("select extract_id, raw_rows from audit.rec_extract_counts").fetchall()
        )
    for extract, n in counts.items():
        with open(project.borough / "raw" / f"{extract}.csv", newline="", encoding="utf-8") as f:
            assert sum(1 for _ in csv.reader(f)) - 1 == n, extract


def test_every_malformed_row_is_rejected_with_its_reason(project, staged):
    """The generator's error model records the rows it broke (truth/malformed.csv)."""
    with open(project.truth / "malformed.csv", newline="", encoding="utf-8") as f:
        malformed = list(csv.DictReader(f))
    assert malformed
    with connect(staged) as con:
        rejected = {
            (s, f, n): reason
            for s, f, n, reason in con.execute(
                "select service, source_file, raw_row_number, rejection_reason "
                "from audit.rec_rejected_rows"
            ).fetchall()
        }
        # injected values that are in fact valid codes (attendance code Q: DfE, 2024)
        valid_codes = {
            c for (c,) in con.execute("select code from reference.dfe_attendance_codes").fetchall()
        }
    missed = []
    for m in malformed:
        key = (m["service"], m["source_file"], int(m["row_number"]))
        expected = (
            "unparseable date: " if m["kind"] == "unparseable_date" else "unknown code: "
        ) + m["column"]
        if key not in rejected:
            if m["kind"] == "unknown_code" and m["value"] in valid_codes:
                continue
            missed.append((key, expected))
        elif rejected[key] != expected:
            # one reason per row: an earlier rule may have caught the row first
            assert rejected[key].split(":")[0] in {
                "missing key",
                "missing value",
                "unparseable date",
                "implausible date",
                "unknown code",
                "duplicate key",
            }
    assert not missed, missed


def test_person_models_carry_the_match_columns(staged):
    with connect(staged) as con:
        for e in staging_extracts():
            cols = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    f"where table_schema = 'staging' "
                    f"and table_name = 'stg_{e['service']}__{e['source_file']}' "
                    "order by ordinal_position"
                ).fetchall()
            ]
            assert cols, e
            if e["person"]:
                assert cols[: len(MATCH_COLUMNS)] == MATCH_COLUMNS, e
            else:
                assert cols[:2] == ["record_id", "record_key"], e


def test_record_keys_are_the_keyed_hash_of_the_record_id(staged):
    with connect(staged) as con:
        for e in staging_extracts():
            name = f"stg_{e['service']}__{e['source_file']}"
            sample = con.execute(
                f"select record_id, record_key from staging.{name} using sample 20 rows"
            ).fetchall()
            for record_id, key in sample:
                msg = f"{e['service']}/{e['source_file']}/{record_id}".encode()
                assert key == hmac.new(TEST_KEY.encode(), msg, hashlib.sha256).hexdigest(), name


def test_person_record_ids_are_the_truths_record_ids(project, staged):
    """Identity evaluation joins truth/records.csv on record_id: staging keeps them as issued."""
    with open(project.truth / "records.csv", newline="", encoding="utf-8") as f:
        truth = {(r["service"], r["source_file"], r["source_record_id"]) for r in csv.DictReader(f)}
    with connect(staged) as con:
        for e in staging_extracts():
            if not e["person"]:
                continue
            ids = con.execute(
                f"select record_id from staging.stg_{e['service']}__{e['source_file']}"
            ).fetchall()
            missing = [i for (i,) in ids if (e["service"], e["source_file"], i) not in truth]
            assert not missing, (e, missing[:5])


@pytest.mark.parametrize(
    "fact, parent",
    [
        ("revenues_benefits__council_tax_arrears", "revenues_benefits__council_tax_accounts"),
        ("housing__rent_arrears", "housing__tenancies"),
        ("housing__tenancy_notices", "housing__tenancies"),
        ("education__attendance", "education__school_census"),
        ("education__exclusions", "education__school_census"),
    ],
)
def test_facts_carry_their_parent_records_key(staged, fact, parent):
    with connect(staged) as con:
        total, found = con.execute(
            f"select count(*), count(p.record_key) from staging.stg_{fact} f "
            f"left join staging.stg_{parent} p on f.parent_record_key = p.record_key"
        ).fetchone()
    assert total > 0
    assert found / total > 0.97, (fact, total, found)


def test_objections_resolve_to_the_cited_record(staged):
    with connect(staged) as con:
        rows = con.execute(
            "select cited_id_kind, cited_record_status, cited_record_key "
            "from staging.stg_governance__objections"
        ).fetchall()
        keys = set()
        for e in staging_extracts():
            if e["person"]:
                keys |= {
                    k
                    for (k,) in con.execute(
                        f"select record_key from staging.stg_{e['service']}__{e['source_file']}"
                    ).fetchall()
                }
    assert rows
    for kind, status, key in rows:
        assert kind in ("record_id", "person_source_id")
        assert (key in keys) == (status == "staged")


def test_audit_schema_holds_no_identifiers(staged):
    with connect(staged) as con:
        cols = {
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_schema = 'audit'"
            ).fetchall()
        }
    assert cols.isdisjoint(MATCH_COLUMNS + ["cited_id"]), cols
