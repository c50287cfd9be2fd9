"""Atomic publishing: the gated marts become warehouse/serving.duckdb in one rename.

The gated tables are copied from the build warehouse into a fresh DuckDB file next to the
serving file (``serving.duckdb.tmp-<pid>``, ATTACH + CREATE TABLE AS), which is checkpointed,
closed and fsynced, then ``os.replace``-d over ``serving.duckdb``. A rename is atomic on POSIX:
a reader opening the path sees the old file or the new one, never half of one, and readers
that already hold the old file open keep reading it until they reconnect. A failed gate never
calls this, so serving stays byte-identical.

The serving file also gets ``meta.publication``: one row per published table with its row
count and the publication time (what a BI tool shows as "last refreshed").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from insight_hub.gate.checkpoint import connect_read_only, quote_table

META_SCHEMA = "meta"


@dataclass
class PublishResult:
    serving_path: str
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    bytes: int = 0
    published_at: str = ""


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def publish(
    warehouse_path: str | Path,
    serving_path: str | Path,
    tables: Iterable[str],
    *,
    note: str = "",
) -> PublishResult:
    """Copy ``tables`` (schema.table) from the warehouse into a new serving file, atomically."""
    t0 = time.perf_counter()
    serving = Path(serving_path)
    serving.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving.with_name(f"{serving.name}.tmp-{os.getpid()}")
    _remove(tmp)
    tables = sorted(set(tables))
    published_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = PublishResult(str(serving), published_at=published_at.isoformat())
    con = connect_read_only(warehouse_path)
    try:
        con.execute(f"ATTACH {_sql_string(str(tmp))} AS publish_target (READ_WRITE)")
        try:
            for schema in sorted({t.split(".")[0] for t in tables} | {META_SCHEMA}):
                con.execute(f'CREATE SCHEMA IF NOT EXISTS publish_target."{schema}"')
            for table in tables:
                con.execute(
                    f"CREATE TABLE publish_target.{quote_table(table)} AS "
                    f"SELECT * FROM {quote_table(table)}"
                )
                count = con.execute(
                    f"SELECT count(*) FROM publish_target.{quote_table(table)}"
                ).fetchone()[0]
                result.tables[table] = int(count)
            con.execute(
                f"CREATE TABLE publish_target.{META_SCHEMA}.publication ("
                "table_schema VARCHAR, table_name VARCHAR, row_count BIGINT, "
                "published_at TIMESTAMP, note VARCHAR)"
            )
            rows = [
                (t.split(".")[0], t.split(".")[1], n, published_at.replace(tzinfo=None), note)
                for t, n in result.tables.items()
            ]
            if rows:
                con.executemany(
                    f"INSERT INTO publish_target.{META_SCHEMA}.publication VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
            con.execute("CHECKPOINT publish_target")
        finally:
            con.execute("DETACH publish_target")
    except BaseException:
        con.close()
        _remove(tmp)
        raise
    con.close()
    try:
        _fsync(tmp)
        os.replace(tmp, serving)
        _fsync(serving.parent)
    except BaseException:
        _remove(tmp)
        raise
    result.bytes = serving.stat().st_size
    result.seconds = time.perf_counter() - t0
    return result
