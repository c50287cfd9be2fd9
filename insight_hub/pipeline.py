"""`insight-hub build`: the whole pipeline, in order, stopping at the first failure.

1. dbt build                 staging, identity, intermediate, marts, prediction, shared, tests
2. purpose check             no mart reaches a dataset its purpose may not use
3. gate + publish            GX suites; serving.duckdb replaced atomically only if all pass
4. per-role files            warehouse/roles/<role>.duckdb: what each role may see
5. governance pack           site/governance/index.html
6. processing log            audit.processing_log: extracts, hashes, counts, purposes

A failure at any step leaves the published serving database as it was and exits non-zero
with one line per problem.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from insight_hub.governance import (
    DEFAULT_GATE_RESULT,
    DEFAULT_MANIFEST,
    DEFAULT_PURPOSES,
    DEFAULT_RETENTION,
    DEFAULT_ROLE_FILES,
    DEFAULT_ROLES,
)

GOVERNANCE_SITE = Path("site/governance")


def run_dbt(args: list[str]) -> bool:
    """Run one dbt command in-process; True when it succeeded."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(args)
    return bool(result.success)


def step(message: str) -> None:
    click.echo(f"insight-hub build: {message}", err=True)


def check_purposes(manifest: dict, register) -> bool:
    from insight_hub.governance.purpose_check import check

    result = check(manifest, register)
    for finding in result.findings:
        click.echo(f"insight-hub build: purpose check: {finding.line()}", err=True)
    return result.ok


def run_gate(publish: bool = True):
    """The gate after dbt build: validate the marts, publish serving only if all pass."""
    from insight_hub.gate.command import default_warehouse, echo_failures
    from insight_hub.gate.run import DEFAULT_SERVING, gate_and_publish

    result = gate_and_publish(
        default_warehouse(),
        DEFAULT_SERVING,
        "expectations/suites",
        reports_dir="reports/gate",
        publish=publish,
        progress=sys.stderr.isatty(),
    )
    if not result.passed:
        echo_failures(result, prefix="insight-hub build")
        return None
    where = DEFAULT_SERVING if result.published else "nothing (--no-publish)"
    step(
        f"gate passed ({len(result.gated_tables)} tables); published {where}; "
        f"report {result.reports.get('html', '-')}"
    )
    return result


@click.command()
@click.option("--select", "select", default=None, help="dbt selection (default: everything).")
@click.option("--no-publish", is_flag=True, help="Run the gate but leave serving untouched.")
def build(select: str | None, no_publish: bool):
    """Build the warehouse, check purposes, gate, publish, and write the governance pack."""
    from insight_hub.gate.command import default_warehouse
    from insight_hub.gate.run import DEFAULT_SERVING
    from insight_hub.governance.duckdb_roles import write_role_files
    from insight_hub.governance.processing_log import record_build
    from insight_hub.governance.purposes import load_register
    from insight_hub.governance.roles import load_roles
    from insight_hub.governance.site import build_site

    os.makedirs("warehouse", exist_ok=True)
    step("dbt build ...")
    if not run_dbt(["build"] + (["--select", select] if select else [])):
        step("dbt build failed (see logs/dbt.log); serving left untouched.")
        sys.exit(1)

    manifest = json.loads(Path(DEFAULT_MANIFEST).read_text())
    register = load_register(DEFAULT_PURPOSES)
    roles = load_roles(DEFAULT_ROLES, register)
    if not check_purposes(manifest, register):
        step("purpose check failed; serving left untouched.")
        sys.exit(1)

    gate = run_gate(publish=not no_publish)
    if gate is None:
        record_build(default_warehouse(), _raw_path(), manifest, register, gate_passed=False)
        sys.exit(1)

    if gate.published:
        files = write_role_files(DEFAULT_SERVING, roles, DEFAULT_ROLE_FILES)
        step(f"per-role serving files: {len(files.files)} in {DEFAULT_ROLE_FILES}/")
    # the log first, so that the pack shows this build's processing
    build_id = record_build(default_warehouse(), _raw_path(), manifest, register, True)
    step(f"processing log: build {build_id} recorded in audit.processing_log")
    index = build_site(
        manifest, register, roles, GOVERNANCE_SITE, DEFAULT_GATE_RESULT, DEFAULT_RETENTION
    )
    step(f"governance pack: {index}")


def _raw_path() -> str:
    """The landing zone dbt read (the raw_path var, as dbt_project.yml sets it)."""
    import yaml

    return yaml.safe_load(Path("dbt_project.yml").read_text())["vars"]["raw_path"]
