"""`insight-hub governance ...`: the purpose check, the declarations, the roles SQL, the pack."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from insight_hub.governance import (
    DEFAULT_GATE_RESULT,
    DEFAULT_RETENTION,
    DeclarationError,
)
from insight_hub.governance.options import (
    json_option,
    manifest_option,
    parse_option,
    path_option,
    purposes_option,
    roles_option,
    serving_option,
)


def fail(message: str, code: int = 1):
    click.echo(f"insight-hub governance: {message}", err=True)
    sys.exit(code)


def _parse_dbt() -> None:
    from insight_hub.pipeline import run_dbt

    click.echo("Running dbt parse ...", err=True)
    if not run_dbt(["parse", "--quiet"]):
        fail("dbt parse failed (see logs/dbt.log).")


def _load(purposes: Path, roles: Path | None, manifest: Path | None):
    from insight_hub.governance.lineage import ManifestError, load_manifest
    from insight_hub.governance.purposes import load_register
    from insight_hub.governance.roles import load_roles

    try:
        register = load_register(purposes)
        decl = load_roles(roles, register) if roles is not None and roles.is_file() else None
        man = load_manifest(manifest) if manifest is not None else None
    except (DeclarationError, ManifestError) as exc:
        fail(str(exc))
    return register, decl, man


@click.group()
def governance():
    """Governance: the purpose check on dbt lineage, roles, and the governance pack."""


@governance.command("check-purposes")
@manifest_option
@purposes_option
@roles_option
@click.option("--no-roles", is_flag=True, help="Skip the roles-versus-purposes check.")
@parse_option
@json_option
def check_purposes(manifest, purposes, roles, no_roles, parse, as_json):
    """Fail when a mart lacks a purpose or reaches a dataset its purpose may not use.

    Walks each mart's upstream lineage in the dbt manifest back to the services' extracts and
    compares what it reaches with the purpose register; names the path for every violation.
    """
    from insight_hub.governance.purpose_check import check

    if parse:
        _parse_dbt()
    register, decl, man = _load(purposes, None if no_roles else roles, manifest)
    result = check(man, register, decl)
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        width = max([len(m.mart) for m in result.marts] + [4])
        per_mart: dict[str, int] = {}
        for f in result.findings:
            per_mart[f.mart] = per_mart.get(f.mart, 0) + 1
        click.echo(f"{'mart':<{width}}  {'purpose':<36}  {'datasets':>8}  {'findings':>8}")
        for m in result.marts:
            purposes_text = ", ".join(m.purposes) or "(none)"
            click.echo(
                f"{m.mart:<{width}}  {purposes_text:<36}  {len(m.datasets):>8}  "
                f"{per_mart.get(m.mart, 0):>8}"
            )
        for w in result.warnings:
            click.echo(f"warning: {w}", err=True)
        for f in result.findings:
            click.echo(f"FAIL {f.line()}", err=True)
        if result.ok:
            click.echo(f"purpose check passed: {len(result.marts)} mart(s)")
    if not result.ok:
        if not as_json:
            click.echo(
                f"insight-hub governance: purpose check failed: {len(result.findings)} "
                f"finding(s) in {len({f.mart for f in result.findings})} mart(s)",
                err=True,
            )
        sys.exit(1)


@governance.command("validate")
@purposes_option
@roles_option
@serving_option("Serving DuckDB to check the roles against (skipped when absent).")
def validate(purposes, roles, serving):
    """Validate purposes.yml and roles.yml (and the roles against the serving tables)."""
    from insight_hub.governance.roles import resolve
    from insight_hub.governance.serving import open_serving, serving_tables

    register, decl, _ = _load(purposes, roles, None)
    if decl is None:
        fail(f"No roles declaration at {roles}")
    click.echo(
        f"{purposes}: {len(register.purposes)} purposes, {len(register.all_datasets())} datasets"
    )
    click.echo(f"{roles}: {len(decl.roles)} roles")
    if serving.is_file():
        with open_serving(serving) as con:
            tables = serving_tables(con, decl.serving_schemas)
        try:
            res = resolve(decl, tables)
        except DeclarationError as exc:
            fail(str(exc))
        click.echo(f"{serving}: {len(res.tables)} tables, {len(res.access)} grants")
        for w in res.warnings:
            click.echo(f"warning: {w}", err=True)


@governance.command("roles-sql")
@roles_option
@purposes_option
@serving_option("Serving DuckDB whose tables the grants are for.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def roles_sql(roles, purposes, serving, out):
    """Print the PostgreSQL roles, grants and row-level security for review (no passwords)."""
    from insight_hub.governance.roles import postgres_script, resolve
    from insight_hub.governance.serving import open_serving, serving_tables

    _, decl, _ = _load(purposes, roles, None)
    if decl is None:
        fail(f"No roles declaration at {roles}")
    try:
        with open_serving(serving) as con:
            tables = serving_tables(con, decl.serving_schemas)
        script = postgres_script(decl, resolve(decl, tables))
    except (FileNotFoundError, DeclarationError) as exc:
        fail(str(exc))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(script)
        click.echo(f"Wrote {out}")
    else:
        click.echo(script, nl=False)


@governance.command("site")
@path_option(
    "--out", default=Path("site/governance"), help="Folder for the static site.", folder=True
)
@manifest_option
@purposes_option
@roles_option
@path_option(
    "--gate-result", default=DEFAULT_GATE_RESULT, help="The gate's last result (used when present)."
)
@path_option(
    "--retention", default=DEFAULT_RETENTION, help="Retention schedule CSV (used when present)."
)
@parse_option
def site(out, manifest, purposes, roles, gate_result, retention, parse):
    """Build the governance pack: a static HTML site for the DPO and auditors (works offline)."""
    from insight_hub.governance.site import build_site

    if parse:
        _parse_dbt()
    register, decl, man = _load(purposes, roles, manifest)
    index = build_site(
        man,
        register,
        decl,
        out,
        gate_result=gate_result if gate_result.is_file() else None,
        retention=retention if retention.is_file() else None,
    )
    click.echo(f"Governance pack written: {index}")


@governance.command("purge")
@path_option(
    "--warehouse",
    default=Path("warehouse/insight_hub.duckdb"),
    help="The build warehouse (not being built while this runs).",
)
@path_option("--raw-path", default=Path("data/raw"), help="The landing zone.", folder=True)
@click.option("--dry-run", is_flag=True, help="Say what would be purged; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the audit entries as JSON.")
def purge_command(warehouse, raw_path, dry_run, as_json):
    """Delete records expired by the retention schedule from the landing zone and staging.

    Writes one audit entry per extract and target to audit.purge_log (what, how many, under
    which rule). Run after a build: the build's reconciliation says which rows expired.
    """
    from insight_hub.governance.purge import purge

    if not warehouse.is_file():
        fail(f"no warehouse at {warehouse}: run `insight-hub build` first.")
    entries = purge(warehouse, raw_path, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps([e.__dict__ for e in entries], indent=2))
        return
    verb = "would delete" if dry_run else "deleted"
    for e in entries:
        click.echo(f"{verb} {e.rows_deleted:>7} rows from {e.target} ({e.rule})")
    if not entries:
        click.echo("nothing expired: nothing to purge.")
