"""Nothing in the marts schema looks like a direct identifier.

Scans every table in schema ``marts`` of a built borough, column by column, for:
- names: any word of a text value equal to a forename or surname (length >= 4) held in the
  identity layer's records table, one word being enough. Two vocabularies are not names: the
  values a column's accepted_values test declares (the ethnic group "White"), and the words of
  the services' documented code lists (docs/extracts.md: "Carer support", which a typo'd
  surname "CARER" would otherwise flag);
- NI numbers, NHS numbers (modulus 11), UPNs (check letter), full postcodes, phone numbers,
  emails, date strings (the gate's patterns, insight_hub.gate.patterns);
- dates of birth: a column named like one, or a date column equal to the date of birth the
  identity layer holds for the same person (tables with person_key);
- column names that say what they hold (name, postcode, address, nhs, nino, upn, phone ...).
Findings print the pattern, table, column, row count and value shapes, never the values.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from insight_hub.gate.patterns import DOB_COLUMN, scan_column, scan_names

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]

IDENTIFIER_COLUMN = re.compile(
    r"(^|_)(forename|surname|first_name|last_name|full_name|address|address_line|"
    r"postcode|post_code|uprn|nhs|nhs_number|nino|ni_number|upn|phone|mobile|email|"
    r"record_id|source_record_id|account_ref|tenancy_ref|case_ref)(_|$)",
    re.IGNORECASE,
)
# Columns whose values are ONS/DfE codes (E05..., E01...) or categories, never free text.
RECORDS_TABLES = ("idn_match_records", "idn_records", "idn_match_record")


def _records_table(con) -> str:
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'identity'"
        ).fetchall()
    }
    for name in RECORDS_TABLES:
        if name in tables:
            return f"identity.{name}"
    pytest.fail(f"no records table in the identity schema (looked for {RECORDS_TABLES})")


def extract_code_words() -> set[str]:
    """Words of the code values docs/extracts.md documents in backticks (formats excluded)."""
    text = (ROOT / "docs" / "extracts.md").read_text()
    words: set[str] = set()
    for span in re.findall(r"`([^`]+)`", text):
        if re.search(r"\d", span) or re.search(r"forename|surname", span, re.IGNORECASE):
            continue  # formats and examples (`Flat 3, 12 Acacia Avenue`, `SURNAME, Forenames`)
        words.update(re.findall(r"[A-Z][A-Z'\-]+", span.upper()))
    return words


@pytest.fixture(scope="module")
def identity_names(con) -> frozenset[str]:
    table = _records_table(con)
    rows = con.execute(
        f"""
        select distinct upper(trim(w)) from (
            select unnest(string_split(forename, ' ')) as w from {table}
            union all
            select unnest(string_split(surname, ' ')) as w from {table}
        ) where length(trim(w)) >= 4
        """
    ).fetchall()
    names = frozenset(r[0] for r in rows) - extract_code_words()
    assert len(names) > 100, "too few names in the identity layer to make this test meaningful"
    return names


@pytest.fixture(scope="module")
def vocabulary(borough) -> dict[tuple[str, str], set[str]]:
    """(model, column) -> the values its accepted_values test allows."""
    vocab: dict[tuple[str, str], set[str]] = {}
    for node in borough.manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        meta = node.get("test_metadata") or {}
        if meta.get("name") != "accepted_values":
            continue
        kwargs = meta.get("kwargs", {})
        values = kwargs.get("values") or (kwargs.get("arguments") or {}).get("values") or []
        column = kwargs.get("column_name") or node.get("column_name")
        for parent in node["depends_on"]["nodes"]:
            model = parent.split(".")[-1]
            vocab.setdefault((model, column), set()).update(str(v).upper() for v in values)
    return vocab


def _columns(con, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_name = ? order by ordinal_position",
        [table],
    ).fetchall()


def test_marts_exist(mart_tables):
    for expected in (
        "dim_resident",
        "dim_household",
        "fct_service_involvement",
        "fct_resident_timeline",
        "mart_household_needs",
    ):
        assert expected in mart_tables


def test_no_identifier_column_names(con, mart_tables):
    bad = []
    for table in mart_tables:
        for column, _ in _columns(con, table):
            if IDENTIFIER_COLUMN.search(column) or DOB_COLUMN.search(column):
                bad.append(f"marts.{table}.{column}")
    assert not bad, f"columns named like direct identifiers: {bad}"


def test_no_identifier_values(con, mart_tables, identity_names, vocabulary):
    findings = []
    for table in mart_tables:
        for column, data_type in _columns(con, table):
            if data_type.upper() not in ("VARCHAR", "TEXT", "STRING"):
                continue
            # Distinct values with their row counts: low-cardinality columns stay cheap.
            df = con.execute(
                f'select "{column}" as v, count(*) as n from marts."{table}" '
                f'where "{column}" is not null group by 1'
            ).df()
            if df.empty:
                continue
            allowed = vocabulary.get((table, column), set())
            values = df["v"].astype(str)
            values = values[~values.str.upper().isin(allowed)].rename(column)
            scan = scan_column(values, column=column)
            names = scan_names(values, identity_names, min_tokens=1)
            for f in (scan, names):
                for pattern, rows in f.counts.items():
                    findings.append(
                        f"{pattern} in marts.{table}.{column}: {rows} distinct values, "
                        f"e.g. {f.shapes.get(pattern)}"
                    )
    assert not findings, "direct identifiers in the marts:\n" + "\n".join(findings)


def test_no_dates_of_birth(con, mart_tables):
    """No date column of a person-level mart equals the person's date of birth."""
    records = _records_table(con)
    dobs = con.execute(
        f"""
        select distinct k.person_key, r.date_of_birth
        from {records} as r
        join identity.idn_record_keys as k using (record_key)
        where r.date_of_birth is not null
        """
    ).df()
    assert len(dobs) > 0
    con.register("__person_dobs", dobs)
    try:
        findings = []
        for table in mart_tables:
            cols = dict(_columns(con, table))
            if "person_key" not in cols:
                continue
            for column, data_type in cols.items():
                if data_type.upper() not in ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"):
                    continue
                n = con.execute(
                    f'select count(*) from marts."{table}" as t join __person_dobs as d '
                    f'on t.person_key = d.person_key and cast(t."{column}" as date) = '
                    "cast(d.date_of_birth as date)"
                ).fetchone()[0]
                if n:
                    findings.append(f"marts.{table}.{column}: {n} rows equal the person's DOB")
    finally:
        con.unregister("__person_dobs")
    assert not findings, "dates of birth in the marts:\n" + "\n".join(findings)


def test_scanner_catches_identifiers(identity_names):
    """The scan is not vacuous: planted identifiers of every kind are found."""
    name = sorted(identity_names)[0]
    planted = pd.Series(
        [
            "AB123456C",
            "943 476 5919",
            "IH1 6FD",
            "someone@example.org",
            "07700 900123",
            f"Visited by {name.title()}",
        ],
        name="detail",
    )
    found = set(scan_column(planted, column="detail").counts) | set(
        scan_names(planted, identity_names, min_tokens=1).counts
    )
    assert {"ni_number", "nhs_number", "postcode", "email", "phone", "identity_name"} <= found
