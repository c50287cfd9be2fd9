"""Broken extracts, and the pseudonymisation key: clear errors, rejections, no leaks."""

from __future__ import annotations

import csv
import hashlib
import hmac
from pathlib import Path

import pytest

from .conftest import OTHER_KEY, SELECT_STAGING, TEST_KEY, connect

pytestmark = pytest.mark.slow


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write_rows(
    path: Path, header: list[str], rows: list[list[str]], *, bom=False, crlf=False
) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n" if crlf else "\n").writerows(
            [header, *rows]
        )


def staged_row(con, model: str, where: str = "true") -> int:
    """The raw row number of a staged row of a base model (a row no rule has caught)."""
    return con.execute(
        f"select min(raw_row_number) from staging.base_{model} "
        f"where staging_status = 'staged' and {where}"
    ).fetchone()[0]


def test_missing_file_empty_file_and_missing_column_stop_with_a_clear_error(project, staged):
    raw = project.raw
    try:
        (raw / "education/exclusions.csv").unlink()
        (raw / "housing/rent_arrears.csv").write_bytes(b"")
        header, rows = read_rows(raw / "adults_social_care/involvements.csv")
        drop = header.index("DateOfBirth")
        write_rows(
            raw / "adults_social_care/involvements.csv",
            header[:drop] + header[drop + 1 :],
            [r[:drop] + r[drop + 1 :] for r in rows],
        )
        run = project.dbt(
            "run",
            "--select",
            "base_education__exclusions",
            "base_housing__rent_arrears",
            "base_adults_social_care__involvements",
        )
    finally:
        project.restore_raw()
    assert not run.success
    text = run.text
    assert f"{raw}/education/exclusions.csv" in text and "file not found" in text, text
    assert f"{raw}/housing/rent_arrears.csv" in text and "empty (0 bytes)" in text, text
    assert (
        f"{raw}/adults_social_care/involvements.csv" in text
        and "missing column DateOfBirth" in text
    ), text


def test_broken_values_bom_crlf_and_header_only_files(project, staged):
    raw = project.raw
    with connect(staged) as con:
        dob_row = staged_row(con, "revenues_benefits__council_tax_accounts")
        band_row = staged_row(
            con, "revenues_benefits__council_tax_accounts", f"raw_row_number > {dob_row}"
        )
        nhs_row = staged_row(con, "childrens_social_care__cin_episodes", "nhs_number is not null")
        upn_row = staged_row(con, "education__school_census", "upn is not null")
        nino_row = staged_row(con, "revenues_benefits__benefit_claims", "ni_number is not null")
        debts = sorted(
            con.execute(
                "select record_id, record_key from staging.stg_revenues_benefits__debts"
            ).fetchall()
        )
    try:
        path = raw / "revenues_benefits/council_tax_accounts.csv"
        header, rows = read_rows(path)
        rows[dob_row - 1][header.index("DOB")] = "31/02/1990"
        rows[band_row - 1][header.index("Band")] = "J"
        write_rows(path, header, rows)

        path = raw / "childrens_social_care/cin_episodes.csv"
        header, rows = read_rows(path)
        nhs = rows[nhs_row - 1][header.index("nhs_number")].replace(" ", "")
        rows[nhs_row - 1][header.index("nhs_number")] = nhs[:9] + str((int(nhs[9]) + 1) % 10)
        write_rows(path, header, rows)

        path = raw / "education/school_census.csv"
        header, rows = read_rows(path)
        upn = rows[upn_row - 1][header.index("UPN")]
        rows[upn_row - 1][header.index("UPN")] = ("B" if upn[0] == "A" else "A") + upn[1:]
        write_rows(path, header, rows)

        path = raw / "revenues_benefits/benefit_claims.csv"
        header, rows = read_rows(path)
        rows[nino_row - 1][header.index("claimant_nino")] = "QQ123456A"
        write_rows(path, header, rows)

        header, rows = read_rows(raw / "revenues_benefits/debts.csv")
        write_rows(raw / "revenues_benefits/debts.csv", header, rows, bom=True, crlf=True)
        header, _ = read_rows(raw / "housing/tenancy_notices.csv")
        write_rows(raw / "housing/tenancy_notices.csv", header, [])

        run = project.dbt("run", "--select", SELECT_STAGING)
        assert run.success, run.text[-3000:]
        with connect(project.warehouse) as con:
            counts = {
                e: (raw_n, s + r + x, s)
                for e, raw_n, s, r, x in con.execute(
                    "select extract_id, raw_rows, staged_rows, rejected_rows, expired_rows "
                    "from audit.rec_extract_counts"
                ).fetchall()
            }
            rejected = dict(
                ((e, n), reason)
                for e, n, reason in con.execute(
                    "select extract_id, raw_row_number, rejection_reason "
                    "from audit.rec_rejected_rows"
                ).fetchall()
            )
            cin = con.execute(
                "select nhs_number, nhs_number_valid, nhs_number_invalid_reason, staging_status "
                "from staging.base_childrens_social_care__cin_episodes "
                f"where raw_row_number = {nhs_row}"
            ).fetchone()
            census = con.execute(
                "select upn, upn_valid, upn_invalid_reason, person_source_id, staging_status "
                f"from staging.base_education__school_census where raw_row_number = {upn_row}"
            ).fetchone()
            claim = con.execute(
                "select ni_number, ni_number_valid, staging_status "
                "from staging.base_revenues_benefits__benefit_claims "
                f"where raw_row_number = {nino_row}"
            ).fetchone()
            debts_after = sorted(
                con.execute(
                    "select record_id, record_key from staging.stg_revenues_benefits__debts"
                ).fetchall()
            )
    finally:
        project.restore_raw()
    for extract, (raw_n, accounted, _) in counts.items():
        assert raw_n == accounted, extract
    assert rejected[("revenues_benefits/council_tax_accounts", dob_row)] == "unparseable date: DOB"
    assert rejected[("revenues_benefits/council_tax_accounts", band_row)] == "unknown code: Band"
    assert cin == (None, False, "check digit mismatch", "staged")
    assert (
        census[:3] == (None, False, "check letter mismatch") and census[3] and census[4] == "staged"
    )
    assert claim == (None, False, "staged")
    assert counts["housing/tenancy_notices"] == (0, 0, 0)  # header only: zero rows, no error
    assert debts_after == debts  # BOM and CRLF read as before


def test_without_a_key_the_build_stops_with_a_clear_message(project, staged):
    run = project.dbt("run", "--select", "base_governance__objections", key=None)
    assert not run.success
    assert "No pseudonymisation key: set INSIGHT_HUB_KEY" in run.text, run.text


def test_another_key_gives_other_pseudonyms(project, staged):
    model = "stg_housing__tenancy_notices"
    with connect(staged) as con:
        before = dict(con.execute(f"select record_id, record_key from staging.{model}").fetchall())
    run = project.dbt(
        "run", "--select", f"+{model}", "--exclude", "resource_type:seed", key=OTHER_KEY
    )
    assert run.success, run.text
    with connect(project.warehouse) as con:
        after = dict(con.execute(f"select record_id, record_key from staging.{model}").fetchall())
    assert before and after.keys() == before.keys()
    for record_id, key in after.items():
        assert key != before[record_id]
        msg = f"housing/tenancy_notices/{record_id}".encode()
        assert key == hmac.new(OTHER_KEY.encode(), msg, hashlib.sha256).hexdigest()
    project.dbt(
        "run", "--select", f"+{model}", "--exclude", "resource_type:seed"
    )  # the test key again


def test_the_key_never_leaves_the_process(project, staged):
    """Not in target/ (compiled SQL, manifest, run results), logs/, nor the warehouse."""
    needle = TEST_KEY.encode()
    files = [p for d in (project.target, project.logs) for p in d.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sql" for p in files)
    leaks = [str(p) for p in [*files, staged] if needle in p.read_bytes()]
    assert not leaks, leaks
    with connect(staged) as con:
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR'"
        ).fetchall()
        for schema, table, column in columns:
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" where contains("{column}", ?)',
                [TEST_KEY],
            ).fetchone()[0]
            assert hits == 0, (schema, table, column)
