"""`insight-hub publish`: serve the published warehouse with the roles enforced.

--target postgres      copy the serving DuckDB into PostgreSQL (DSN from --dsn or
                       INSIGHT_HUB_PG_DSN) and apply roles, grants and row-level security
--target duckdb-roles  write one DuckDB file per role (warehouse/roles/<role>.duckdb)
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from insight_hub.governance import (
    DEFAULT_ROLE_FILES,
    PG_DSN_ENV,
    DeclarationError,
)
from insight_hub.governance.options import (
    json_option,
    path_option,
    purposes_option,
    roles_option,
    serving_option,
)


def _fail(message: str):
    click.echo(f"insight-hub publish: {message}", err=True)
    sys.exit(1)


def _redact(dsn: str) -> str:
    """The DSN without its password, for messages."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    try:
        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - a DSN psycopg cannot parse is reported by connect
        return "<dsn>"
    if "password" in parts:
        parts["password"] = "***"
    return make_conninfo(**parts)


@click.command()
@click.option(
    "--target",
    type=click.Choice(["postgres", "duckdb-roles"]),
    required=True,
    help="Where to serve: a PostgreSQL server, or per-role DuckDB files.",
)
@serving_option("The serving DuckDB the gate published.")
@click.option("--dsn", default=None, help=f"PostgreSQL DSN (default: ${PG_DSN_ENV}).")
@path_option(
    "--out", default=DEFAULT_ROLE_FILES, help="Folder for the per-role DuckDB files.", folder=True
)
@roles_option
@purposes_option
@click.option(
    "--scopes",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="CSV of scope assignments (grantee,scope,value), e.g. team wards, caseloads.",
)
@path_option(
    "--passwords-file",
    default=Path("secrets/postgres-demo-users.env"),
    help="Where generated demo-user passwords are written (mode 0600, git-ignored).",
)
@json_option
def publish(target, serving, dsn, out, roles, purposes, scopes, passwords_file, as_json):
    """Publish the serving warehouse with each role seeing only what its job needs."""
    from insight_hub.governance.purposes import load_register
    from insight_hub.governance.roles import load_roles
    from insight_hub.governance.serving import load_scope_file

    try:
        register = load_register(purposes)
        decl = load_roles(roles, register)
        scope_rows = load_scope_file(scopes)
    except DeclarationError as exc:
        _fail(str(exc))
    if not serving.is_file():
        _fail(f"no serving database at {serving}: run `insight-hub build` first or pass --from")

    def progress(msg: str) -> None:
        if not as_json:
            click.echo(f"  {msg}", err=True)

    if target == "duckdb-roles":
        from insight_hub.governance.duckdb_roles import write_role_files

        try:
            report = write_role_files(serving, decl, out, scope_rows)
        except DeclarationError as exc:
            _fail(str(exc))
        if as_json:
            click.echo(
                json.dumps(
                    {
                        "target": target,
                        "files": {
                            f.role: {"path": str(f.path), "tables": f.tables, "scopes": f.scopes}
                            for f in report.files
                        },
                        "warnings": report.warnings,
                    },
                    indent=2,
                )
            )
            return
        for w in report.warnings:
            click.echo(f"warning: {w}", err=True)
        click.echo(f"{'role':<26} {'tables':>6} {'rows':>10}  file")
        for f in report.files:
            click.echo(f"{f.role:<26} {len(f.tables):>6} {sum(f.tables.values()):>10}  {f.path}")
        return

    dsn = dsn or os.environ.get(PG_DSN_ENV)
    if not dsn:
        _fail(f"no PostgreSQL DSN: pass --dsn or set {PG_DSN_ENV}")
    import psycopg

    from insight_hub.governance.postgres import publish as pg_publish

    try:
        report = pg_publish(
            serving, dsn, decl, scope_rows, passwords_file=passwords_file, progress=progress
        )
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(f"PostgreSQL at {_redact(dsn)}: {first}")
    except DeclarationError as exc:
        _fail(str(exc))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "target": target,
                    "dsn": _redact(dsn),
                    "tables": report.tables,
                    "dropped": report.dropped,
                    "roles": report.roles,
                    "demo_users": report.demo_users,
                    "passwords_file": str(report.passwords_file) if report.passwords_file else None,
                    "warnings": report.warnings,
                },
                indent=2,
            )
        )
        return
    for w in report.warnings:
        click.echo(f"warning: {w}", err=True)
    click.echo(f"Published to {_redact(dsn)}")
    click.echo(f"{'table':<40} {'rows':>10}")
    for table, n in report.tables.items():
        click.echo(f"{table:<40} {n:>10}")
    click.echo(f"roles: {', '.join(report.roles)}")
    click.echo(f"demo users: {', '.join(report.demo_users)}")
    if report.passwords_file:
        click.echo(f"demo passwords: {report.passwords_file} (mode 0600; never commit)")
