"""The processing log: which extracts each build processed, for which purposes.

One row per build per extract, appended to `audit.processing_log` in the warehouse (a table
dbt does not manage, so it survives rebuilds): the file's SHA-256 and size, the
reconciliation counts (raw, staged, rejected, expired), the purposes and marts whose lineage
reaches the extract, and whether the gate passed. A DPO can answer "what did you process, and
why" per build from it.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from insight_hub.governance.purpose_check import check
from insight_hub.governance.purposes import Register

TABLE = "audit.processing_log"

DDL = f"""
create schema if not exists audit;
create table if not exists {TABLE} (
    build_id varchar not null,
    built_at timestamp not null,
    as_of_date date,
    service varchar not null,
    source_file varchar not null,
    file_sha256 varchar,
    file_bytes bigint,
    raw_rows bigint,
    staged_rows bigint,
    rejected_rows bigint,
    expired_rows bigint,
    purposes varchar[],
    marts varchar[],
    gate_passed boolean
)
"""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def purposes_by_dataset(manifest: dict, register: Register) -> dict[str, tuple[set, set]]:
    """dataset ("service.extract") -> (purposes, marts) whose lineage reaches it."""
    reached: dict[str, tuple[set, set]] = {}
    for mart in check(manifest, register).marts:
        for dataset in mart.datasets:
            purposes, marts = reached.setdefault(dataset, (set(), set()))
            purposes.update(mart.purposes)
            marts.add(mart.mart)
    return reached


def record_build(
    warehouse: str | Path,
    raw_path: str | Path,
    manifest: dict,
    register: Register,
    gate_passed: bool | None,
) -> str:
    """Append this build's rows to the processing log; returns the build id."""
    build_id = uuid.uuid4().hex
    built_at = datetime.now(UTC).replace(tzinfo=None)
    reached = purposes_by_dataset(manifest, register)
    with duckdb.connect(str(warehouse)) as con:
        counts = con.execute(
            "select service, source_file, raw_rows, staged_rows, rejected_rows, expired_rows,"
            " as_of_date from audit.rec_extract_counts order by service, source_file"
        ).fetchall()
        rows = []
        for service, source_file, raw, staged, rejected, expired, as_of in counts:
            path = Path(raw_path) / service / f"{source_file}.csv"
            exists = path.is_file()
            purposes, marts = reached.get(f"{service}.{source_file}", (set(), set()))
            rows.append(
                (
                    build_id,
                    built_at,
                    as_of,
                    service,
                    source_file,
                    file_sha256(path) if exists else None,
                    path.stat().st_size if exists else None,
                    raw,
                    staged,
                    rejected,
                    expired,
                    sorted(purposes),
                    sorted(marts),
                    gate_passed,
                )
            )
        con.execute(DDL)
        con.executemany(f"insert into {TABLE} values ({', '.join(['?'] * 14)})", rows)
    return build_id
