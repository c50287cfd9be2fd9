"""Roles: the declaration, its compilation to PostgreSQL SQL, and the per-role DuckDB files."""

from __future__ import annotations

import duckdb
import pytest
import yaml
from govfixtures import FIXTURES, HOUSEHOLDS, INVOLVEMENTS, REPO, RESIDENTS

from insight_hub.governance import DeclarationError
from insight_hub.governance.duckdb_roles import write_role_files
from insight_hub.governance.roles import (
    compile_predicate,
    describe,
    parse_predicate,
    parse_roles,
    postgres_script,
    postgres_sql,
    resolve,
)
from insight_hub.governance.serving import serving_tables


def tables_of(path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return serving_tables(con, ["marts", "shared"])


def fixture_raw() -> dict:
    return yaml.safe_load((FIXTURES / "roles.yml").read_text())


# -- the declaration --------------------------------------------------------------------------
def test_real_roles_declaration_loads(real_roles):
    assert set(real_roles.roles) == {
        "housing_officer",
        "homelessness_prevention",
        "early_help_worker",
        "education_welfare",
        "adult_social_worker",
        "insight_analyst",
        "fairness_monitoring",
        "partner_police",
        "partner_nhs",
    }
    analyst = real_roles.grants_for("marts.dim_resident_protected")
    assert set(analyst) == {"insight_analyst", "fairness_monitoring"}
    assert analyst["insight_analyst"].columns.mode == "none"  # the exact name beats marts.*
    for name in ("partner_police", "partner_nhs"):
        role = real_roles.roles[name]
        assert role.partner
        assert all(g.table.startswith("shared.") for g in role.tables)


def test_partner_role_cannot_be_granted_record_level_marts(register):
    raw = fixture_raw()
    raw["roles"]["partner_police"]["tables"]["marts.dim_resident"] = {"columns": "all"}
    with pytest.raises(DeclarationError, match="partner role may only read the shared schema"):
        parse_roles(raw, register=register)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda r: r["roles"]["housing_officer"].update(purposes=["gossip"]), "purpose 'gossip'"),
        (
            lambda r: r["roles"]["housing_officer"]["tables"]["marts.dim_household"].pop("columns"),
            "columns` is required",
        ),
        (
            lambda r: r["roles"]["housing_officer"]["tables"]["marts.dim_household"].update(
                rows={"column": "ward_code", "in_scope": "postcode_area"}
            ),
            "scope 'postcode_area'",
        ),
        (
            lambda r: r["roles"]["housing_officer"]["tables"].update(
                {"staging.stg_housing__tenancies": {"columns": "all"}}
            ),
            "not a serving schema",
        ),
        (
            lambda r: r["roles"]["housing_officer"]["tables"]["marts.dim_household"].update(
                rows={"column": "ward_code", "like": "W%"}
            ),
            "one of equals",
        ),
    ],
)
def test_declaration_errors(register, mutate, message):
    raw = fixture_raw()
    mutate(raw)
    with pytest.raises(DeclarationError, match=message):
        parse_roles(raw, register=register)


# -- predicates -------------------------------------------------------------------------------
def test_predicates_compile_for_both_dialects():
    pred = parse_predicate(
        {
            "all": [
                {"column": "services_known", "contains": "housing"},
                {"column": "ward_code", "in_scope": "ward"},
                {"any": [{"column": "band", "equals": "high"}, {"column": "n", "in": [1, 2]}]},
            ]
        },
        "t",
    )
    types = {"services_known": "VARCHAR[]", "ward_code": "VARCHAR"}
    pg = compile_predicate(pred, "postgres", types, lambda s: f"SELECT scope_values('{s}')")
    assert pg == (
        "('housing' = ANY(\"services_known\") AND "
        "CAST(\"ward_code\" AS TEXT) IN (SELECT scope_values('ward')) AND "
        '("band" = \'high\' OR "n" IN (1, 2)))'
    )
    duck = compile_predicate(pred, "duckdb", types, lambda s: f"SELECT v FROM s WHERE k = '{s}'")
    assert duck.startswith("(list_contains(\"services_known\", 'housing') AND ")
    assert describe(pred) == (
        "services_known contains 'housing' and ward_code in the user's ward scope and "
        "(band = 'high' or n in (1, 2))"
    )


def test_contains_on_delimited_text_and_quoting():
    pred = parse_predicate({"column": "services", "contains_any": ["it's", "b"]}, "t")
    pg = compile_predicate(pred, "postgres", {"services": "VARCHAR"}, None)
    assert 'regexp_split_to_array("services"' in pg and "'it''s'" in pg
    with duckdb.connect() as con:
        sql = compile_predicate(pred, "duckdb", {"services": "VARCHAR"}, None)
        rows = con.execute(
            f"SELECT services FROM (VALUES ('a, it''s'), ('c|d'), ('b;x')) t(services) WHERE {sql}"
        ).fetchall()
    assert sorted(r[0] for r in rows) == ["a, it's", "b;x"]


# -- resolution against the tables that exist -------------------------------------------------
def test_resolve_columns_and_warnings(serving_db, fixture_roles):
    res = resolve(fixture_roles, tables_of(serving_db))
    by = {(a.role, a.table): a for a in res.access}
    assert by[("housing_officer", "marts.dim_household")].columns == [
        "household_key",
        "ward_code",
        "size",
        "tenure",
    ]
    # deny-list: everything but status
    assert "status" not in by[("housing_officer", "marts.fct_service_involvement")].columns
    assert "person_key" in by[("housing_officer", "marts.fct_service_involvement")].columns
    # partner: the shared table only
    assert [t for (r, t) in by if r == "partner_police"] == ["shared.homelessness_by_ward"]
    # analyst: every published table (not the audit schema)
    assert {t for (r, t) in by if r == "insight_analyst"} == set(res.tables)
    assert "audit.not_published" not in res.tables


def test_resolve_rejects_a_row_filter_on_a_missing_column(serving_db, register):
    raw = fixture_raw()
    raw["roles"]["housing_officer"]["tables"]["marts.dim_household"]["rows"] = {
        "column": "borough",
        "equals": "x",
    }
    roles = parse_roles(raw, register=register)
    with pytest.raises(DeclarationError, match="borough"):
        resolve(roles, tables_of(serving_db))


def test_real_roles_on_fixture_marts(serving_db, real_roles, tmp_path):
    res = resolve(real_roles, tables_of(serving_db))
    # marts not in the fixture are warnings, never grants
    assert any("mart_household_needs" in w for w in res.warnings)
    assert {a.table for a in res.for_role("partner_police")} == {"shared.homelessness_by_ward"}
    # a table is created after the tables its visible_in filter reads
    order = [a.table for a in res.for_role("housing_officer")]
    assert order.index("marts.dim_household") < order.index("marts.dim_resident")

    report = write_role_files(serving_db, real_roles, tmp_path / "roles")
    housing = tmp_path / "roles" / "housing_officer.duckdb"
    # demo scope: the first three wards with a housing household (W1, W2, W3)
    households = [r[0] for r in query(housing, "SELECT household_key FROM marts.dim_household")]
    assert sorted(households) == ["h1", "h3", "h4"]
    # residents and involvements follow the households the officer can see
    people = query(housing, "SELECT person_key FROM marts.dim_resident ORDER BY 1")
    assert [r[0] for r in people] == ["p1", "p2", "p4", "p5", "p6"]
    services = query(housing, "SELECT DISTINCT service FROM marts.fct_service_involvement")
    assert {r[0] for r in services} == {"housing", "homelessness"}
    risk_cols = [r[0] for r in query(housing, "DESCRIBE marts.mart_homelessness_risk")]
    assert risk_cols == ["household_key", "band", "reasons"]
    assert {f.role for f in report.files} == set(real_roles.roles)
    police = tmp_path / "roles" / "partner_police.duckdb"
    assert read_file(police)[1] == {"shared.homelessness_by_ward"}


def test_visible_in_needs_the_referenced_column(serving_db, register):
    raw = fixture_raw()
    grant = raw["roles"]["housing_officer"]["tables"]["marts.dim_household"]
    grant["columns"] = {"allow": ["ward_code", "size"]}  # household_key no longer visible
    roles = parse_roles(raw, register=register)
    with pytest.raises(DeclarationError, match="needs marts.dim_household.household_key"):
        resolve(roles, tables_of(serving_db))


# -- PostgreSQL SQL ---------------------------------------------------------------------------
def test_postgres_sql(serving_db, fixture_roles):
    res = resolve(fixture_roles, tables_of(serving_db))
    stmts = postgres_sql(fixture_roles, res)
    text = "\n".join(stmts)
    assert 'CREATE ROLE "housing_officer" NOLOGIN' in text
    assert 'CREATE ROLE "housing_officer_demo" LOGIN' in text
    assert 'ALTER ROLE "housing_officer" NOLOGIN NOSUPERUSER' in text and "NOBYPASSRLS" in text
    assert 'GRANT "housing_officer" TO "housing_officer_demo"' in text
    assert "REVOKE ALL ON DATABASE %I FROM PUBLIC" in text
    assert 'REVOKE ALL ON SCHEMA "marts" FROM PUBLIC' in text
    assert (
        'GRANT SELECT ("household_key", "ward_code", "size", "tenure") '
        'ON "marts"."dim_household" TO "housing_officer"' in stmts
    )
    for table in res.tables:
        schema, _, name = table.partition(".")
        assert f'ALTER TABLE "{schema}"."{name}" ENABLE ROW LEVEL SECURITY' in stmts
        assert f'ALTER TABLE "{schema}"."{name}" FORCE ROW LEVEL SECURITY' in stmts
        assert f'REVOKE ALL ON "{schema}"."{name}" FROM PUBLIC' in stmts
    policy = next(
        s for s in stmts if s.startswith('CREATE POLICY "housing_officer_read" ON "marts"."dim_h')
    )
    assert 'FOR SELECT TO "housing_officer" USING ((\'housing\' = ANY("services_known")' in policy
    assert "\"governance\".scope_values('ward')" in policy
    assert 'CREATE POLICY "partner_police_read" ON "shared"."homelessness_by_ward"' in text
    assert not any('"partner_police"' in s and '"marts"' in s for s in stmts if "GRANT" in s)
    assert "PASSWORD" not in text.upper()
    script = postgres_script(fixture_roles, res)
    assert script.splitlines()[1] == "BEGIN;" and script.rstrip().endswith("COMMIT;")


# -- per-role DuckDB files --------------------------------------------------------------------
def read_file(path):
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {
            f"{s}.{t}"
            for s, t in con.execute(
                "SELECT schema_name, table_name FROM duckdb_tables() "
                "WHERE schema_name <> 'governance'"
            ).fetchall()
        }
        return con, tables


def query(path, sql):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_duckdb_role_files(serving_db, fixture_roles, tmp_path):
    out = tmp_path / "roles"
    scope_rows = [
        ("adult_social_worker", "caseload", "p5"),  # role-level: applied
        ("adult_social_worker_demo", "caseload", "p6"),  # user-level: server mode only
    ]
    report = write_role_files(serving_db, fixture_roles, out, scope_rows)
    files = {f.role: f for f in report.files}
    assert set(files) == set(fixture_roles.roles)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{r}.duckdb" for r in files)

    housing = out / "housing_officer.duckdb"
    _, tables = read_file(housing)
    assert tables == {
        "marts.dim_household",
        "marts.dim_resident",
        "marts.fct_service_involvement",
    }
    wards = sorted({h[1] for h in HOUSEHOLDS})[:2]  # demo scope: first two wards
    expected_households = sorted(h[0] for h in HOUSEHOLDS if "housing" in h[5] and h[1] in wards)
    assert [
        r[0] for r in query(housing, "SELECT household_key FROM marts.dim_household ORDER BY 1")
    ] == expected_households
    cols = [r[0] for r in query(housing, "DESCRIBE marts.dim_household")]
    assert cols == ["household_key", "ward_code", "size", "tenure"]
    expected_people = sorted(
        r[0] for r in RESIDENTS if r[6] and "housing" in r[6] and r[4] in wards
    )
    assert [
        r[0] for r in query(housing, "SELECT person_key FROM marts.dim_resident ORDER BY 1")
    ] == expected_people
    assert "sex" not in [r[0] for r in query(housing, "DESCRIBE marts.dim_resident")]
    people = {r[0]: r[1] for r in RESIDENTS}
    assert query(housing, "SELECT count(*) FROM marts.fct_service_involvement")[0][0] == sum(
        1
        for i in INVOLVEMENTS
        if i[1] in ("housing", "homelessness") and people[i[0]] in expected_households
    )
    assert "status" not in [r[0] for r in query(housing, "DESCRIBE marts.fct_service_involvement")]

    asw = out / "adult_social_worker.duckdb"
    # demo sample (first adults_social_care person: p4) + the role-level scope row (p5)
    assert [r[0] for r in query(asw, "SELECT person_key FROM marts.dim_resident ORDER BY 1")] == [
        "p4",
        "p5",
    ]
    assert files["adult_social_worker"].scopes == {"caseload": 2}

    police = out / "partner_police.duckdb"
    _, tables = read_file(police)
    assert tables == {"shared.homelessness_by_ward"}
    meta = query(police, "SELECT role, purposes FROM governance.role_file")
    assert meta == [("partner_police", "partner_reporting")]

    analyst = out / "insight_analyst.duckdb"
    assert query(analyst, "SELECT count(*) FROM marts.dim_resident")[0][0] == len(RESIDENTS)
    assert query(analyst, "SELECT reasons, detail FROM marts.mart_homelessness_risk LIMIT 1")[
        0
    ] == (
        ["rent arrears", "notice"],
        {"k": "a", "v": 1},
    )
    # no temporary files left behind
    assert not list(out.glob(".*"))


def test_duckdb_role_files_are_replaced_atomically(serving_db, fixture_roles, tmp_path):
    out = tmp_path / "roles"
    write_role_files(serving_db, fixture_roles, out, only=["partner_police"])
    first = (out / "partner_police.duckdb").stat().st_ino
    write_role_files(serving_db, fixture_roles, out, only=["partner_police"])
    assert (out / "partner_police.duckdb").stat().st_ino != first  # a new file moved into place
    assert [p.name for p in out.iterdir()] == ["partner_police.duckdb"]


def test_publish_cli_duckdb_roles(serving_db, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from insight_hub.cli import main

    monkeypatch.chdir(REPO)
    out = tmp_path / "roles"
    res = CliRunner().invoke(
        main,
        ["publish", "--target", "duckdb-roles", "--from", str(serving_db), "--out", str(out),
         "--roles", str(FIXTURES / "roles.yml")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "partner_police" in res.stdout
    assert (out / "partner_police.duckdb").is_file()


def test_cli_roles_sql_and_validate(serving_db, tmp_path):
    from click.testing import CliRunner

    from insight_hub.cli import main

    roles = str(FIXTURES / "roles.yml")
    purposes = str(REPO / "governance" / "purposes.yml")
    out = tmp_path / "roles.sql"
    res = CliRunner().invoke(
        main,
        ["governance", "roles-sql", "--from", str(serving_db), "--roles", roles,
         "--purposes", purposes, "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "CREATE POLICY" in out.read_text()
    res = CliRunner().invoke(
        main,
        ["governance", "validate", "--from", str(serving_db), "--roles", roles,
         "--purposes", purposes],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "5 tables" in res.stdout
