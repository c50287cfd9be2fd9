"""The embedded serving mode: one DuckDB file per role (warehouse/roles/<role>.duckdb) holding
only the tables, columns and rows that role may see, made from the same declaration as the
PostgreSQL grants and policies. Each file is built beside its final name and moved into place
(atomic on one filesystem), so a reader never sees a half-written file. Access to each file is
then a matter of file permissions (one group per role) or of handing the file to that team.

Row scopes: a role file applies the scope values granted to the role itself (from --scopes
files, then the role's demo_scope sample); per-user scopes need the server mode.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from insight_hub.governance.roles import (
    Roles,
    compile_predicate,
    describe,
    qualified,
    quote_ident,
    quote_literal,
    resolve,
)
from insight_hub.governance.serving import serving_tables, sql_string

SCOPE_TABLE = "temp.main._role_scope"


@dataclass
class RoleFile:
    role: str
    path: Path
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows written
    scopes: dict[str, int] = field(default_factory=dict)  # scope -> values applied


@dataclass
class RoleFilesReport:
    files: list[RoleFile]
    warnings: list[str]


def write_role_files(
    serving: str | Path,
    roles: Roles,
    out_dir: str | Path,
    scope_rows: list[tuple[str, str, str]] | None = None,
    only: list[str] | None = None,
) -> RoleFilesReport:
    serving = Path(serving).resolve()
    if not serving.is_file():
        raise FileNotFoundError(f"No serving database at {serving}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(serving), read_only=True) as con:
        tables = serving_tables(con, roles.serving_schemas)
    resolution = resolve(roles, tables)
    files: list[RoleFile] = []
    for role in roles.roles.values():
        if only and role.name not in only:
            continue
        files.append(_write_one(serving, roles, role, resolution, out_dir, scope_rows or []))
    return RoleFilesReport(files, resolution.warnings)


def _write_one(serving, roles, role, resolution, out_dir, scope_rows) -> RoleFile:
    final = out_dir / f"{role.name}.duckdb"
    tmp = out_dir / f".{role.name}.duckdb.tmp"
    for stale in (tmp, Path(str(tmp) + ".wal")):
        stale.unlink(missing_ok=True)
    result = RoleFile(role.name, final)
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"ATTACH {sql_string(str(serving))} AS src (READ_ONLY)")
        con.execute("CREATE TEMP TABLE _role_scope (scope VARCHAR, value VARCHAR)")
        for grantee, scope, value in scope_rows:
            if grantee == role.name:
                con.execute("INSERT INTO _role_scope VALUES (?, ?)", [scope, value])
        for scope, sample in role.demo_scope.items():
            if sample.table not in resolution.tables:
                continue
            types = dict(resolution.tables[sample.table])
            where = compile_predicate(sample.where, "duckdb", types, _scope_sql)
            col = quote_ident(sample.column)
            con.execute(
                f"INSERT INTO _role_scope SELECT {quote_literal(scope)}, v FROM "
                f"(SELECT DISTINCT CAST({col} AS VARCHAR) AS v FROM src.{qualified(sample.table)} "
                f"WHERE {where} AND {col} IS NOT NULL ORDER BY 1 LIMIT {int(sample.limit)})"
            )
        for scope, n in con.execute(
            "SELECT scope, count(DISTINCT value) FROM _role_scope GROUP BY 1 ORDER BY 1"
        ).fetchall():
            result.scopes[scope] = n

        access_rows = []
        for a in resolution.for_role(role.name):
            schema = a.table.partition(".")[0]
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}")
            cols = ", ".join(quote_ident(c) for c in a.columns)
            where = compile_predicate(a.rows, "duckdb", a.types, _scope_sql)
            con.execute(
                f"CREATE TABLE {qualified(a.table)} AS SELECT {cols} "
                f"FROM src.{qualified(a.table)} WHERE {where}"
            )
            n = con.execute(f"SELECT count(*) FROM {qualified(a.table)}").fetchone()[0]
            result.tables[a.table] = n
            access_rows.append((a.table, json.dumps(a.columns), describe(a.rows), n))

        # What this file is, for whoever opens it.
        con.execute("CREATE SCHEMA IF NOT EXISTS governance")
        con.execute(
            "CREATE TABLE governance.role_file AS SELECT ? AS role, ? AS description, "
            "? AS purposes, ? AS source, ? AS generated_at",
            [
                role.name,
                role.description,
                ", ".join(role.purposes),
                str(serving),
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            ],
        )
        con.execute(
            "CREATE TABLE governance.role_access (table_name VARCHAR, columns VARCHAR, "
            "row_filter VARCHAR, row_count BIGINT)"
        )
        if access_rows:
            con.executemany("INSERT INTO governance.role_access VALUES (?, ?, ?, ?)", access_rows)
        con.execute("DETACH src")
        con.execute("CHECKPOINT")
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    os.chmod(tmp, 0o640)
    os.replace(tmp, final)
    Path(str(final) + ".wal").unlink(missing_ok=True)
    return result


def _scope_sql(scope: str) -> str:
    return f"SELECT value FROM {SCOPE_TABLE} WHERE scope = {quote_literal(scope)}"
