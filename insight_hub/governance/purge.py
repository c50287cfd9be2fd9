"""Retention purge: delete expired records from what the Hub stores, and audit it.

Staging already keeps expired records out of every model after it (counted as `expired` in
the reconciliation). What the Hub still *stores* of them is the landing zone (the services'
CSV files under data/raw) and the staging base tables that judged them. The purge deletes
those rows, then writes one audit entry per extract to `audit.purge_log`: what was purged,
how many rows, under which rule of the retention schedule.

After a purge the next build reconciles with expired = 0 and the same staged counts.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

LOG_TABLE = "audit.purge_log"
RETENTION_SEED = Path("seeds/retention_schedule.csv")

DDL = f"""
create schema if not exists audit;
create table if not exists {LOG_TABLE} (
    purged_at timestamp not null,
    as_of_date date,
    service varchar not null,
    source_file varchar not null,
    target varchar not null,
    rows_deleted bigint not null,
    rule varchar not null
)
"""


@dataclass
class PurgeEntry:
    service: str
    source_file: str
    target: str
    rows_deleted: int
    rule: str


def retention_rules(path: Path = RETENTION_SEED) -> dict[tuple[str, str], str]:
    """(service, source_file) -> the retention rule in words, from the schedule seed."""
    rules = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["retention_years"]:
                rules[(row["service"], row["source_file"])] = (
                    f"{row['retention_years']} years after {row['close_date_column']}: "
                    f"{row['basis']}"
                )
    return rules


def _reader(path: Path) -> str:
    # The same reader the sources use, so ordinality matches staging's raw_row_number.
    return (
        f"read_csv('{path}', header = true, all_varchar = true, delim = ',', "
        "quote = '\"', escape = '\"')"
    )


def purge(
    warehouse: str | Path,
    raw_path: str | Path,
    dry_run: bool = False,
    schedule: Path = RETENTION_SEED,
) -> list[PurgeEntry]:
    """Delete expired rows from the landing files and staging base tables; audit each."""
    rules = retention_rules(schedule)
    entries: list[PurgeEntry] = []
    with duckdb.connect(str(warehouse)) as con:
        expired = con.execute(
            "select service, source_file, expired_rows, as_of_date"
            " from audit.rec_extract_counts where expired_rows > 0 order by 1, 2"
        ).fetchall()
        as_of = expired[0][3] if expired else None
        for service, source_file, count, _ in expired:
            rule = rules.get((service, source_file), "retention schedule")
            base = f"staging.base_{service}__{source_file}"
            raw_file = Path(raw_path) / service / f"{source_file}.csv"
            entries.append(PurgeEntry(service, source_file, str(raw_file), count, rule))
            entries.append(PurgeEntry(service, source_file, base, count, rule))
            if dry_run:
                continue
            tmp = raw_file.with_suffix(f".csv.purge-{os.getpid()}")
            con.execute(
                f"copy (select * exclude (ordinality) from {_reader(raw_file)} with ordinality"
                f" where ordinality not in (select raw_row_number from {base}"
                " where staging_status = 'expired')"
                f") to '{tmp}' (format csv, header true)"
            )
            os.replace(tmp, raw_file)
            con.execute(f"delete from {base} where staging_status = 'expired'")
        if not dry_run and entries:
            con.execute(DDL)
            purged_at = datetime.now(UTC).replace(tzinfo=None)
            con.executemany(
                f"insert into {LOG_TABLE} values (?, ?, ?, ?, ?, ?, ?)",
                [
                    (purged_at, as_of, e.service, e.source_file, e.target, e.rows_deleted, e.rule)
                    for e in entries
                ],
            )
    return entries
