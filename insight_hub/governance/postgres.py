"""Server mode: publish the serving DuckDB into PostgreSQL and enforce the roles there.

In one transaction: create the serving schemas, replace each published table (types mapped from
DuckDB, rows streamed with COPY), then apply the roles SQL (roles.postgres_sql: group roles, demo
users, REVOKE from PUBLIC, column-level grants, row-level security policies), load scope
assignments and set the demo users' passwords. Readers see the old publication or the new one,
never a mix. The connection comes from a DSN (env INSIGHT_HUB_PG_DSN or --dsn), so it can point at
any PostgreSQL server the publisher may create roles on.

Passwords: taken from env INSIGHT_HUB_PG_PASSWORD_<ROLE> (e.g. ..._HOUSING_OFFICER) when set,
else kept from the passwords file of an earlier publish, else generated at run time and written,
mode 0600, to that git-ignored file. They never appear in the generated SQL or the repo.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psycopg
from psycopg import sql

from insight_hub.governance.roles import Roles, postgres_sql, qualified, quote_ident, resolve
from insight_hub.governance.serving import open_serving, serving_tables, sql_string

PASSWORD_ENV_PREFIX = "INSIGHT_HUB_PG_PASSWORD_"
DEFAULT_PASSWORDS_FILE = Path("secrets/postgres-demo-users.env")
MARKER = "insight-hub published"

_SCALAR = {
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(39,0)",
    "UTINYINT": "smallint",
    "USMALLINT": "integer",
    "UINTEGER": "bigint",
    "UBIGINT": "numeric(20,0)",
    "UHUGEINT": "numeric(39,0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "VARCHAR": "text",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP_S": "timestamp",
    "TIMESTAMP_MS": "timestamp",
    "TIMESTAMP_NS": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
    "INTERVAL": "interval",
    "UUID": "uuid",
    "BLOB": "bytea",
    "JSON": "jsonb",
}
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")


# A DuckDB list as a PostgreSQL array literal: {"a","b",NULL}; elements quoted and escaped.
_ARRAY = (
    "'{{' || array_to_string(list_transform({c}, lambda x: CASE WHEN x IS NULL THEN 'NULL' "
    "ELSE '\"' || replace(replace(CAST(x AS VARCHAR), '\\', '\\\\'), '\"', '\\\"') "
    "|| '\"' END), ',') || '}}'"
)
_JSON = "CAST(to_json({c}) AS VARCHAR)"


def map_type(duck_type: str) -> tuple[str, str]:
    """(PostgreSQL type, the DuckDB expression that writes the column as PostgreSQL reads it
    in CSV) for a DuckDB type.

    Lists of scalars become arrays; structs, maps, unions and nested lists become jsonb; blobs
    bytea (hex); anything unknown (enums, bit strings ...) becomes text.
    """
    t = duck_type.strip().upper()
    if t == "BLOB":
        return "bytea", "'\\x' || hex({c})"
    if t in _SCALAR:
        return _SCALAR[t], "{c}"
    m = _DECIMAL.match(t)
    if m:
        return f"numeric({m.group(1)},{m.group(2)})", "{c}"
    if t.endswith("[]") and not t[:-2].endswith("]"):
        inner = t[:-2]
        if inner in _SCALAR and inner not in ("JSON", "BLOB"):
            return _SCALAR[inner] + "[]", _ARRAY
        if _DECIMAL.match(inner):
            return map_type(inner)[0] + "[]", _ARRAY
        if inner.startswith(("ENUM", "VARCHAR")):
            return "text[]", _ARRAY
        return "jsonb", _JSON
    if t.startswith(("STRUCT", "MAP", "UNION")) or t.endswith("]"):
        return "jsonb", _JSON
    return "text", "CAST({c} AS VARCHAR)"


@dataclass
class PublishReport:
    tables: dict[str, int] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    demo_users: list[str] = field(default_factory=list)
    passwords_file: Path | None = None
    warnings: list[str] = field(default_factory=list)


def read_passwords(path: Path | None) -> dict[str, str]:
    """login -> password from a passwords file written by an earlier publish."""
    if path is None or not Path(path).is_file():
        return {}
    out = {}
    for line in Path(path).read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            login, _, pw = line.partition("=")
            out[login.strip()] = pw.strip()
    return out


def demo_passwords(
    roles: Roles, given: dict[str, str] | None = None, previous: dict[str, str] | None = None
) -> tuple[dict, dict]:
    """login -> password for every demo user: given, else env, else the previous publish's,
    else generated. Returns (all passwords, the generated ones)."""
    given, previous = given or {}, previous or {}
    out, generated = {}, {}
    for role in roles.roles.values():
        if not role.demo_user:
            continue
        login = role.demo_login
        env = os.environ.get(PASSWORD_ENV_PREFIX + role.name.upper())
        if login in given:
            out[login] = given[login]
        elif env:
            out[login] = env
        elif previous.get(login):
            out[login] = previous[login]
        else:
            out[login] = generated[login] = secrets.token_urlsafe(18)
    return out, generated


def write_passwords(path: Path, passwords: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("# insight-hub PostgreSQL demo users (generated at publish; never commit)\n")
        for login, pw in sorted(passwords.items()):
            fh.write(f"{login}={pw}\n")
    os.chmod(path, 0o600)


def copy_table(
    duck: duckdb.DuckDBPyConnection,
    cur: psycopg.Cursor,
    table: str,
    columns: list[tuple[str, str]],
    workdir: Path,
) -> int:
    """Create `table` in PostgreSQL from the DuckDB table and stream its rows with COPY
    (DuckDB writes them as CSV, in the form PostgreSQL reads; nothing passes through Python rows).
    """
    schema, _, name = table.partition(".")
    mapped = [(c, *map_type(t)) for c, t in columns]
    defs = ", ".join(f"{quote_ident(c)} {pg}" for c, pg, _ in mapped)
    cur.execute(f"DROP TABLE IF EXISTS {qualified(table)} CASCADE")
    cur.execute(f"CREATE TABLE {qualified(table)} ({defs})")
    cur.execute(
        sql.SQL("COMMENT ON TABLE {} IS {}").format(
            sql.Identifier(schema, name), sql.Literal(MARKER)
        )
    )
    select = ", ".join(
        f"{expr.format(c=quote_ident(c))} AS {quote_ident(c)}" for c, _, expr in mapped
    )
    csv_path = workdir / f"{schema}.{name}.csv"
    n = duck.execute(
        f"COPY (SELECT {select} FROM {qualified(table)}) TO {sql_string(str(csv_path))} "
        "(FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', NULLSTR '')"
    ).fetchone()[0]
    col_list = ", ".join(quote_ident(c) for c, _, _ in mapped)
    with (
        cur.copy(f"COPY {qualified(table)} ({col_list}) FROM STDIN (FORMAT csv)") as copy,
        csv_path.open("rb") as fh,
    ):
        while chunk := fh.read(1 << 20):
            copy.write(chunk)
    csv_path.unlink()
    return int(n)


def publish(
    serving: str | Path,
    dsn: str,
    roles: Roles,
    scope_rows: list[tuple[str, str, str]] | None = None,
    passwords: dict[str, str] | None = None,
    passwords_file: Path | None = DEFAULT_PASSWORDS_FILE,
    progress=None,
) -> PublishReport:
    """Publish every table of the serving schemas and enforce the roles, in one transaction."""
    report = PublishReport()
    with open_serving(serving) as duck:
        tables = serving_tables(duck, roles.serving_schemas)
        resolution = resolve(roles, tables)
        report.warnings += resolution.warnings
        statements = postgres_sql(roles, resolution)
        previous = read_passwords(passwords_file)
        all_pw, generated = demo_passwords(roles, passwords, previous)
        with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
            for schema in roles.serving_schemas:
                cur.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}")
            with tempfile.TemporaryDirectory(prefix="insight-hub-publish-") as workdir:
                for table, columns in sorted(tables.items()):
                    if progress:
                        progress(f"copying {table}")
                    report.tables[table] = copy_table(duck, cur, table, columns, Path(workdir))
            # Tables this tool published before that the serving file no longer holds.
            cur.execute(
                "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND n.nspname = ANY(%s) "
                "AND obj_description(c.oid, 'pg_class') = %s",
                (list(roles.serving_schemas), MARKER),
            )
            for schema, name in cur.fetchall():
                if f"{schema}.{name}" not in tables:
                    cur.execute(
                        sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(schema, name))
                    )
                    report.dropped.append(f"{schema}.{name}")
            if progress:
                progress("applying roles, grants and row-level security")
            for stmt in statements:
                if not stmt.startswith("--"):
                    cur.execute(stmt)
            gov = quote_ident(roles.governance_schema)
            cur.execute(f"DELETE FROM {gov}.role_scope WHERE origin = 'file'")
            if scope_rows:
                cur.executemany(
                    f"INSERT INTO {gov}.role_scope (grantee, scope, value, origin) "
                    "VALUES (%s, %s, %s, 'file') ON CONFLICT DO NOTHING",
                    scope_rows,
                )
            for login, pw in all_pw.items():
                cur.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(login), sql.Literal(pw)
                    )
                )
            for table in tables:
                cur.execute(f"ANALYZE {qualified(table)}")
            conn.commit()
    report.roles = list(roles.roles)
    report.demo_users = sorted(all_pw)
    if passwords_file is not None and (generated or previous):
        # keep the file in step with the server: generated passwords, and those kept from it
        kept = {k: v for k, v in all_pw.items() if k in generated or previous.get(k) == v}
        write_passwords(Path(passwords_file), kept)
        report.passwords_file = Path(passwords_file)
    return report
