"""`insight-hub build`: the whole pipeline in order (dbt build, then the gate, then publish)."""

from __future__ import annotations

import os
import sys

import click


def run_dbt(args: list[str]) -> bool:
    """Run one dbt command in-process; True when it succeeded."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(args)
    return bool(result.success)


def run_gate(publish: bool = True) -> bool:
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
        return False
    where = DEFAULT_SERVING if result.published else "nothing (--no-publish)"
    click.echo(
        f"insight-hub build: gate passed ({len(result.gated_tables)} tables); "
        f"published {where}; report {result.reports.get('html', '-')}"
    )
    return True


@click.command()
@click.option("--select", "select", default=None, help="dbt selection (default: everything).")
@click.option("--no-publish", is_flag=True, help="Run the gate but leave serving untouched.")
def build(select: str | None, no_publish: bool):
    """Run dbt build over the warehouse, then the gate, then publish serving atomically."""
    os.makedirs("warehouse", exist_ok=True)
    args = ["build"] + (["--select", select] if select else [])
    if not run_dbt(args):
        click.echo("insight-hub build: dbt build failed (see logs/dbt.log).", err=True)
        sys.exit(1)
    if not run_gate(publish=not no_publish):
        sys.exit(1)
