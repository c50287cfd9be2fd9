"""Atomic publishing: serving.duckdb is replaced in one rename while BI clients keep reading."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from insight_hub.gate.publish import publish


def make_warehouse(path: Path, version: int, rows: int = 2000) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create schema if not exists staging")
    con.execute(
        f"create or replace table marts.facts as "
        f"select i as id, {version} as version, 'ward' || (i % 20) as ward from range({rows}) t(i)"
    )
    con.execute("create or replace table staging.secret as select 'AB123456C' as ni")
    con.close()
    return path


def test_publish_copies_only_the_gated_tables(tmp_path):
    warehouse = make_warehouse(tmp_path / "build.duckdb", 1)
    serving = tmp_path / "warehouse" / "serving.duckdb"
    result = publish(warehouse, serving, ["marts.facts"], note="test")
    assert result.tables == {"marts.facts": 2000}
    con = duckdb.connect(str(serving), read_only=True)
    try:
        schemas = {
            r[0]
            for r in con.execute(
                "select distinct table_schema from information_schema.tables"
            ).fetchall()
        }
        assert schemas == {"marts", "meta"}
        assert con.execute("select note from meta.publication").fetchone() == ("test",)
    finally:
        con.close()
    assert [p.name for p in serving.parent.iterdir()] == ["serving.duckdb"]


def test_a_failed_publish_leaves_serving_byte_identical(tmp_path):
    warehouse = make_warehouse(tmp_path / "build.duckdb", 1)
    serving = tmp_path / "serving.duckdb"
    publish(warehouse, serving, ["marts.facts"])
    before = hashlib.sha256(serving.read_bytes()).hexdigest()
    with pytest.raises(duckdb.Error):
        publish(warehouse, serving, ["marts.facts", "marts.does_not_exist"])
    assert hashlib.sha256(serving.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build.duckdb", "serving.duckdb"]


READER = textwrap.dedent(
    """
    import json, sys, time
    import duckdb

    import pathlib

    path, mode, control = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    if mode == "sqlalchemy":  # a BI tool through SQLAlchemy and duckdb-engine
        import sqlalchemy
        from sqlalchemy.pool import NullPool

        engine = sqlalchemy.create_engine(
            f"duckdb:///{path}", connect_args={"read_only": True}, poolclass=NullPool
        )

        def query():
            with engine.connect() as c:
                row = c.execute(sqlalchemy.text("select count(*), max(version) from marts.facts"))
                return tuple(row.one())
    elif mode == "held":  # a BI session that stays connected throughout
        held = duckdb.connect(path, read_only=True)

        def query():
            return held.execute("select count(*), max(version) from marts.facts").fetchone()
    else:  # a client that connects afresh for every query

        def query():
            con = duckdb.connect(path, read_only=True)
            try:
                return con.execute("select count(*), max(version) from marts.facts").fetchone()
            finally:
                con.close()

    answers, versions, errors = 0, set(), []
    end = time.time() + 60  # bounded, whatever happens
    while time.time() < end and not (control / "stop").exists():
        try:
            n, v = query()
            assert n == 2000, n
            versions.add(int(v))
            answers += 1
            (control / f"ready-{mode}").touch()
        except Exception as exc:
            errors.append(repr(exc))
    print(json.dumps({"answers": answers, "versions": sorted(versions), "errors": errors[:5],
                      "n_errors": len(errors)}))
    """
)


def test_bi_clients_keep_reading_while_serving_is_replaced(tmp_path):
    serving = tmp_path / "serving.duckdb"
    builds = [make_warehouse(tmp_path / f"build{v}.duckdb", v) for v in range(1, 4)]
    publish(builds[0], serving, ["marts.facts"])
    script = tmp_path / "reader.py"
    script.write_text(READER)
    modes = ("fresh", "held", "sqlalchemy")
    control = tmp_path / "control"
    control.mkdir()
    readers = {
        mode: subprocess.Popen(
            [sys.executable, str(script), str(serving), mode, str(control)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for mode in modes
    }
    reports = {}
    try:
        deadline = time.time() + 60
        while not all((control / f"ready-{m}").exists() for m in modes):
            assert time.time() < deadline, "readers did not start"
            assert all(p.poll() is None for p in readers.values()), "a reader died"
            time.sleep(0.05)
        publishes = 0
        for publishes in range(1, 7):  # builds 2, 3, 1, 2, 3, 1 while the readers query
            publish(builds[publishes % 3], serving, ["marts.facts"])
            time.sleep(0.25)
        (control / "stop").touch()
        for mode, proc in readers.items():
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err[-2000:]
            reports[mode] = json.loads(out.strip().splitlines()[-1])
    finally:
        (control / "stop").touch()
        for proc in readers.values():
            if proc.poll() is None:
                proc.kill()
    assert publishes >= 3
    for mode, report in reports.items():
        assert report["n_errors"] == 0, (mode, report["errors"])
        assert report["answers"] > 5, (mode, report)
    # clients that reconnect see the new builds; the held session keeps its snapshot
    assert len(reports["fresh"]["versions"]) >= 2
    assert len(reports["sqlalchemy"]["versions"]) >= 2
    assert reports["held"]["versions"] == [1]
