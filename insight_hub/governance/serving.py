"""Reading the published serving DuckDB (warehouse/serving.duckdb): which tables, which columns,
and scope assignments from a CSV file."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from insight_hub.governance import DeclarationError


def sql_string(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def serving_tables(
    con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] | list[str], catalog: str | None = None
) -> dict[str, list[tuple[str, str]]]:
    """`schema.table` -> [(column, DuckDB type)] for the tables and views in `schemas`."""
    if not schemas:
        return {}
    cat = catalog or con.execute("SELECT current_database()").fetchone()[0]
    placeholders = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        f"WHERE table_catalog = ? AND table_schema IN ({placeholders}) "
        "ORDER BY table_schema, table_name, ordinal_position",
        [cat, *schemas],
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, dtype in rows:
        out.setdefault(f"{schema}.{table}", []).append((column, dtype))
    return out


def open_serving(path: str | Path) -> duckdb.DuckDBPyConnection:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"No serving database at {path}: run `insight-hub build` (the gate publishes it) "
            "or pass --from."
        )
    return duckdb.connect(str(path), read_only=True)


def load_scope_file(path: str | Path | None) -> list[tuple[str, str, str]]:
    """Scope assignments from a CSV with columns grantee, scope, value (e.g. team -> wards,
    worker -> caseload person_keys), as kept by the services."""
    if path is None:
        return []
    path = Path(path)
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"grantee", "scope", "value"} - set(reader.fieldnames or [])
        if missing:
            raise DeclarationError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        return [(r["grantee"].strip(), r["scope"].strip(), r["value"].strip()) for r in reader]
