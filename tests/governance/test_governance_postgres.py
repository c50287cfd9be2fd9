"""The real thing: a private PostgreSQL cluster, the fixture serving warehouse published into it
with the fixture roles, then a login as each role proving what it can and cannot read."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from govfixtures import FIXTURES, HOUSEHOLDS, INVOLVEMENTS, RESIDENTS, build_serving
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict

from insight_hub.governance.postgres import map_type, publish
from insight_hub.governance.roles import load_roles

pytestmark = pytest.mark.postgres

PASSWORDS = {
    "housing_officer_demo": "ho-pass-1",
    "adult_social_worker_demo": "asw-pass-1",
    "insight_analyst_demo": "ia-pass-1",
    "partner_police_demo": "pp-pass-1",
    "early_help_worker_demo": "eh-pass-1",
}
WARDS = sorted({h[1] for h in HOUSEHOLDS})[:2]  # the housing officers' demo scope


@pytest.fixture(scope="module")
def published(pg_cluster, register, tmp_path_factory):
    roles = load_roles(FIXTURES / "roles.yml", register)
    serving = build_serving(tmp_path_factory.mktemp("pg_serving") / "serving.duckdb")
    # a per-user scope row: this adult social worker also holds p6's case (server mode only)
    scopes = [("adult_social_worker_demo", "caseload", "p6")]
    report = publish(serving, pg_cluster["dsn"], roles, scopes, PASSWORDS, passwords_file=None)
    return {"report": report, "serving": serving, "roles": roles, **pg_cluster}


def connect(published, user: str) -> psycopg.Connection:
    info = conninfo_to_dict(published["dsn"])
    info.update(user=user, password=PASSWORDS.get(user, "nope"))
    return psycopg.connect(**info, autocommit=True)


def rows(published, user: str, sql: str) -> list[tuple]:
    with connect(published, user) as conn:
        return conn.execute(sql).fetchall()


def denied(published, user: str, sql: str) -> str:
    with connect(published, user) as conn, pytest.raises(errors.InsufficientPrivilege) as exc:
        conn.execute(sql)
    return str(exc.value)


def test_publish_copies_every_serving_table(published):
    report = published["report"]
    assert report.tables == {
        "marts.dim_household": len(HOUSEHOLDS),
        "marts.dim_resident": len(RESIDENTS),
        "marts.fct_service_involvement": len(INVOLVEMENTS),
        "marts.mart_homelessness_risk": len(HOUSEHOLDS),
        "shared.homelessness_by_ward": 3,
    }
    assert report.passwords_file is None  # all passwords were given
    with psycopg.connect(published["dsn"]) as conn:
        types = dict(
            conn.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'marts' AND table_name = 'mart_homelessness_risk'"
            ).fetchall()
        )
        assert types["reasons"] == "ARRAY"
        assert types["amount"] == "numeric"
        assert types["detail"] == "jsonb"
        assert types["scored_at"] == "timestamp without time zone"
        row = conn.execute(
            "SELECT reasons, amount, detail FROM marts.mart_homelessness_risk "
            "WHERE household_key = 'h1'"
        ).fetchone()
        assert row[0] == ["rent arrears", "notice"] and float(row[1]) == 12.5
        assert row[2] == {"k": "a", "v": 1}
        odd = conn.execute(
            "SELECT tricky, odd_list, dates, nothing, empty, scored_tz, scored_at "
            "FROM marts.mart_homelessness_risk ORDER BY household_key"
        ).fetchall()
        assert odd[0][:5] == (
            'a,"b"\n c\\',
            ['x"y', None, "z,{w}"],
            [dt.date(2026, 1, 31)],
            None,
            "",
        )
        assert odd[0][5] == dt.datetime(2026, 10, 1, 5, 0, tzinfo=dt.UTC)
        assert odd[0][6] == dt.datetime(2026, 10, 1, 6, 0)
        assert odd[1][1] == []
        rls = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('marts', 'shared') "
            "AND c.relkind = 'r'"
        ).fetchall()
        assert len(rls) == 5 and all(r[1] and r[2] for r in rls)


def test_housing_officer_rows_filtered_by_service_and_ward(published):
    user = "housing_officer_demo"
    got = rows(published, user, "SELECT household_key FROM marts.dim_household ORDER BY 1")
    expected = sorted(h[0] for h in HOUSEHOLDS if "housing" in h[5] and h[1] in WARDS)
    assert [r[0] for r in got] == expected == ["h1", "h3"]
    got = rows(published, user, "SELECT person_key, ward_code FROM marts.dim_resident ORDER BY 1")
    assert [r[0] for r in got] == sorted(
        r[0] for r in RESIDENTS if r[6] and "housing" in r[6] and r[4] in WARDS
    )
    # involvements: housing or homelessness, of the households the officer can see
    got = rows(published, user, "SELECT person_key, service FROM marts.fct_service_involvement")
    assert sorted(got) == [("p1", "housing"), ("p2", "housing"), ("p4", "housing")]


def test_housing_officer_column_privileges(published):
    user = "housing_officer_demo"
    # sex is not granted on dim_resident; services_known is not granted on dim_household,
    # although the row policy filters on it
    assert "permission denied" in denied(published, user, "SELECT sex FROM marts.dim_resident")
    denied(published, user, "SELECT * FROM marts.dim_resident")
    denied(published, user, "SELECT services_known FROM marts.dim_household")
    denied(published, user, "SELECT status FROM marts.fct_service_involvement")
    assert rows(published, user, "SELECT count(tenure) FROM marts.dim_household") == [(2,)]


def test_housing_officer_cannot_read_ungranted_tables(published):
    user = "housing_officer_demo"
    msg = denied(published, user, "SELECT band FROM marts.mart_homelessness_risk")
    assert "mart_homelessness_risk" in msg
    denied(published, user, "SELECT * FROM shared.homelessness_by_ward")
    denied(published, user, "SELECT * FROM governance.role_scope")


def test_partner_reads_only_shared_aggregates(published):
    user = "partner_police_demo"
    got = rows(published, user, "SELECT ward_code, approaches FROM shared.homelessness_by_ward")
    assert len(got) == 3 and ("W2", None) in got  # the suppressed cell stays suppressed
    for table in (
        "marts.dim_resident",
        "marts.dim_household",
        "marts.fct_service_involvement",
        "marts.mart_homelessness_risk",
    ):
        msg = denied(published, user, f"SELECT count(*) FROM {table}")
        assert "permission denied" in msg


def test_comparison_filter(published):
    got = rows(published, "early_help_worker_demo", "SELECT household_key FROM marts.dim_household")
    assert sorted(r[0] for r in got) == ["h1", "h2", "h5"]  # households with children
    denied(published, "early_help_worker_demo", "SELECT tenure FROM marts.dim_household")


def test_caseload_scope_from_demo_sample_and_per_user_rows(published):
    user = "adult_social_worker_demo"
    got = rows(published, user, "SELECT person_key FROM marts.dim_resident ORDER BY 1")
    # p4: the role's demo caseload sample; p6: granted to this login (scope file)
    assert [r[0] for r in got] == ["p4", "p6"]
    got = rows(published, user, "SELECT person_key, service FROM marts.fct_service_involvement")
    assert got == [("p4", "adults_social_care")]  # p6 has no adult social care involvement
    denied(published, user, "SELECT services_known FROM marts.dim_resident")
    # the scope function answers only for the caller
    assert rows(published, user, "SELECT governance.scope_values('ward')") == []


def test_analyst_reads_everything(published):
    user = "insight_analyst_demo"
    assert rows(published, user, "SELECT count(*) FROM marts.dim_resident") == [(len(RESIDENTS),)]
    assert rows(published, user, "SELECT count(*) FROM shared.homelessness_by_ward") == [(3,)]
    assert len(rows(published, user, "SELECT * FROM marts.mart_homelessness_risk")) == 5


def test_public_gets_nothing(published):
    with psycopg.connect(published["dsn"], autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS stranger")
        conn.execute("CREATE ROLE stranger LOGIN PASSWORD 'stranger-pass'")
    info = conninfo_to_dict(published["dsn"])
    info.update(user="stranger", password="stranger-pass")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(**info)
    # a role of the declaration cannot log in without its password
    info.update(user="housing_officer_demo", password="wrong")
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(**info)
    info.update(user="housing_officer")  # the group role itself is NOLOGIN
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(**info)


def test_republish_is_idempotent_and_drops_stale_tables(published, register):
    import duckdb

    serving = published["serving"]
    with duckdb.connect(str(serving)) as con:
        con.execute("DROP TABLE marts.mart_homelessness_risk")
    report = publish(
        serving, published["dsn"], published["roles"], None, PASSWORDS, passwords_file=None
    )
    assert report.dropped == ["marts.mart_homelessness_risk"]
    assert "marts.mart_homelessness_risk" not in report.tables
    # the per-user scope row from the first publish came from a file: gone now
    got = rows(published, "adult_social_worker_demo", "SELECT person_key FROM marts.dim_resident")
    assert got == [("p4",)]
    assert rows(published, "housing_officer_demo", "SELECT count(*) FROM marts.dim_household") == [
        (2,)
    ]


def test_generated_passwords_go_to_a_private_file(published, tmp_path):
    pw_file = tmp_path / "secrets" / "pg.env"
    report = publish(
        published["serving"], published["dsn"], published["roles"], None, None, pw_file
    )
    assert report.passwords_file == pw_file
    assert oct(pw_file.stat().st_mode & 0o777) == "0o600"
    creds = dict(line.split("=", 1) for line in pw_file.read_text().splitlines() if "=" in line)
    assert set(creds) == set(PASSWORDS)
    info = conninfo_to_dict(published["dsn"])
    info.update(user="partner_police_demo", password=creds["partner_police_demo"])
    with psycopg.connect(**info) as conn:
        assert conn.execute("SELECT count(*) FROM shared.homelessness_by_ward").fetchone() == (3,)
    # a second publish keeps the same passwords (the demo users' logins keep working)
    publish(published["serving"], published["dsn"], published["roles"], None, None, pw_file)
    assert (
        pw_file.read_text()
        == "\n".join(
            ["# insight-hub PostgreSQL demo users (generated at publish; never commit)"]
            + [f"{k}={v}" for k, v in sorted(creds.items())]
        )
        + "\n"
    )
    with psycopg.connect(**info) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    # put the fixed passwords back for any later test
    publish(published["serving"], published["dsn"], published["roles"], None, PASSWORDS, None)


def test_publish_cli_postgres(published, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from insight_hub.cli import main

    monkeypatch.setenv("INSIGHT_HUB_PG_DSN", published["dsn"])
    for login, pw in PASSWORDS.items():
        monkeypatch.setenv("INSIGHT_HUB_PG_PASSWORD_" + login.removesuffix("_demo").upper(), pw)
    res = CliRunner().invoke(
        main,
        ["publish", "--target", "postgres", "--from", str(published["serving"]),
         "--roles", str(FIXTURES / "roles.yml"), "--passwords-file", str(tmp_path / "pw.env")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "marts.dim_resident" in res.stdout
    assert "***" in res.stdout and PASSWORDS["housing_officer_demo"] not in res.output
    assert not (tmp_path / "pw.env").exists()  # nothing generated: all came from the env
    res = CliRunner().invoke(
        main,
        ["publish", "--target", "postgres", "--from", str(published["serving"]),
         "--roles", str(FIXTURES / "roles.yml"),
         "--dsn", f"postgresql://postgres:wrong@127.0.0.1:{published['port']}/insight_hub"],
    )  # fmt: skip
    assert res.exit_code == 1
    assert "password authentication failed" in res.output and "wrong" not in res.output


def test_type_mapping():
    assert map_type("VARCHAR[]")[0] == "text[]"
    assert map_type("DATE[]")[0] == "date[]"
    assert map_type("DECIMAL(18,3)") == ("numeric(18,3)", "{c}")
    assert map_type("BLOB")[0] == "bytea"
    assert map_type("STRUCT(a INTEGER)")[0] == "jsonb"
    assert map_type("MAP(VARCHAR, INTEGER)")[0] == "jsonb"
    assert map_type("INTEGER[][]")[0] == "jsonb"
    assert map_type("ENUM('a', 'b')") == ("text", "CAST({c} AS VARCHAR)")
    assert map_type("TIMESTAMP WITH TIME ZONE")[0] == "timestamptz"
