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


@click.command()
@click.option("--select", "select", default=None, help="dbt selection (default: everything).")
def build(select: str | None):
    """Run dbt build over the warehouse."""
    os.makedirs("warehouse", exist_ok=True)
    args = ["build"] + (["--select", select] if select else [])
    if not run_dbt(args):
        click.echo("insight-hub build: dbt build failed (see logs/dbt.log).", err=True)
        sys.exit(1)
