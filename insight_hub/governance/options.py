"""The command-line options the governance commands share (`insight-hub governance ...` and
`insight-hub publish`): one definition each, so defaults and help cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import click

from insight_hub.governance import (
    DEFAULT_MANIFEST,
    DEFAULT_PURPOSES,
    DEFAULT_ROLES,
    DEFAULT_SERVING,
)


def path_option(*decls: str, default: Path | None, help: str, folder: bool = False, **kw):
    """A file (or, with folder=True, a folder) path option with its default shown."""
    return click.option(
        *decls,
        type=click.Path(dir_okay=folder, file_okay=not folder, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
        **kw,
    )


manifest_option = path_option("--manifest", default=DEFAULT_MANIFEST, help="dbt manifest to read.")
purposes_option = path_option("--purposes", default=DEFAULT_PURPOSES, help="The purpose register.")
roles_option = path_option("--roles", default=DEFAULT_ROLES, help="The roles declaration.")
parse_option = click.option(
    "--parse", is_flag=True, help="Run `dbt parse` first to refresh the manifest."
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def serving_option(help: str):
    """`--from`: the serving DuckDB the gate published."""
    return path_option("--from", "serving", default=DEFAULT_SERVING, help=help)
