"""Fixtures for the governance tests: the real declarations, a small fixture serving warehouse
shaped like the planned marts, synthetic and dbt-parsed manifests, and a private PostgreSQL
cluster on loopback (scripts/postgres.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from govfixtures import FIXTURES, POSTGRES_SH, REPO, build_serving, free_port, make_manifest

from insight_hub.governance.purposes import load_register
from insight_hub.governance.roles import load_roles


@pytest.fixture
def serving_db(tmp_path) -> Path:
    return build_serving(tmp_path / "serving.duckdb")


@pytest.fixture(scope="session")
def register():
    return load_register(REPO / "governance" / "purposes.yml")


@pytest.fixture(scope="session")
def fixture_roles(register):
    return load_roles(FIXTURES / "roles.yml", register)


@pytest.fixture(scope="session")
def real_roles(register):
    return load_roles(REPO / "governance" / "roles.yml", register)


@pytest.fixture
def manifest_factory():
    return make_manifest


@pytest.fixture(scope="session")
def dbt_manifest(tmp_path_factory) -> dict:
    """The fixture dbt project, parsed by dbt (dbt-duckdb) in a subprocess."""
    import json

    work = tmp_path_factory.mktemp("dbt_fixture")
    project = work / "project"
    shutil.copytree(FIXTURES / "dbt_project", project)
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    proc = subprocess.run(
        [str(dbt), "parse", "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--quiet"],
        capture_output=True, text=True, env=env, timeout=180,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((work / "target" / "manifest.json").read_text())


# -- PostgreSQL --------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_cluster():
    """A private PostgreSQL cluster on 127.0.0.1 at a free port, stopped and removed at the end.

    Lives under a fresh /tmp directory rather than pytest's tmp_path: run as root, the server
    runs as the `postgres` user, who cannot enter pytest's private (0700) temporary root.
    """
    install = subprocess.run([str(POSTGRES_SH), "install"], capture_output=True, text=True)
    if install.returncode != 0:
        pytest.skip(
            "PostgreSQL server binaries are missing and could not be installed "
            f"(scripts/postgres.sh install: {install.stderr.strip()})"
        )
    base = Path(tempfile.mkdtemp(prefix="insight-hub-pg-"))
    env = {**os.environ, "INSIGHT_HUB_PG_EPHEMERAL": "1"}
    try:
        proc = subprocess.run(
            [str(POSTGRES_SH), "start", str(base), str(free_port())],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        dsn = proc.stdout.strip().splitlines()[-1]
        yield {"dsn": dsn, "dir": base, "port": int((base / "port").read_text())}
    finally:
        subprocess.run([str(POSTGRES_SH), "stop", str(base)], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)
