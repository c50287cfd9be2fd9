"""`insight-hub gate`: check the built marts and publish them only if every check passes."""

from __future__ import annotations

import json
import os
import sys

import click

from insight_hub.gate.run import (
    DEFAULT_REPORTS,
    DEFAULT_SERVING,
    DEFAULT_SUITES,
    DEFAULT_WAREHOUSE,
)


def default_warehouse() -> str:
    return os.environ.get("INSIGHT_HUB_WAREHOUSE", DEFAULT_WAREHOUSE)


def echo_failures(result, prefix: str = "insight-hub") -> None:
    """One clear line per failure on stderr, then where the report is."""
    for failure in result.failures:
        click.echo(f"{prefix} {failure.line()}", err=True)
    where = result.reports.get("html") or result.reports.get("markdown")
    tail = f"; report: {where}" if where else ""
    click.echo(
        f"{prefix}: gate failed with {len(result.failures)} failure(s); "
        f"serving left untouched{tail}",
        err=True,
    )


@click.command()
@click.option(
    "--warehouse",
    default=None,
    help=f"Build warehouse (default $INSIGHT_HUB_WAREHOUSE or {DEFAULT_WAREHOUSE}).",
)
@click.option(
    "--serving",
    default=DEFAULT_SERVING,
    show_default=True,
    help="Published DuckDB file, replaced atomically when the gate passes.",
)
@click.option(
    "--suites",
    default=DEFAULT_SUITES,
    show_default=True,
    help="Folder of suite declarations (*.yml).",
)
@click.option(
    "--reports",
    default=DEFAULT_REPORTS,
    show_default=True,
    help="Where summary.md, summary.html and Data Docs go.",
)
@click.option(
    "--config",
    "config_path",
    default=None,
    help="Gate settings (default: gate.yml beside the suites folder).",
)
@click.option("--no-publish", is_flag=True, help="Check only; never touch serving.")
@click.option("--no-docs", is_flag=True, help="Skip GX Data Docs (the summary is still written).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def gate(warehouse, serving, suites, reports, config_path, no_publish, no_docs, as_json):
    """Validate every published mart (GX suites, privacy, disclosure control) and publish.

    Exits 1 with one line per failure when anything fails; serving is then left untouched.
    """
    from insight_hub.gate.run import gate_and_publish

    result = gate_and_publish(
        warehouse or default_warehouse(),
        serving,
        suites,
        reports_dir=reports,
        config_path=config_path,
        publish=not no_publish,
        data_docs=not no_docs,
        progress=not as_json and sys.stderr.isatty(),
    )
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
    else:
        for mart in result.marts:
            rows = "-" if mart.rows is None else f"{mart.rows:,}"
            checks = f"{sum(o.success for o in mart.outcomes)}/{len(mart.outcomes)}"
            click.echo(f"{mart.status:9} {mart.table:55} rows {rows:>10}  checks {checks}")
        if result.passed:
            verb = "published to " + serving if result.published else "not published"
            report = result.reports.get("html", "-")
            click.echo(f"gate passed ({result.seconds:.1f} s): {verb}; report {report}")
    if not result.passed:
        echo_failures(result)
        sys.exit(1)
