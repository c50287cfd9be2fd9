"""`insight-hub linkage ...`: train the person-linkage model (reviewed, not rebuilt per run)."""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import click

from insight_hub.identity.settings import DEFAULT_MODEL_PATH


def default_warehouse() -> str:
    return os.environ.get("INSIGHT_HUB_WAREHOUSE", "warehouse/insight_hub.duckdb")


def model_summary(model: dict) -> list[dict]:
    """One row per comparison level: label, m, u and match weight (log2 m/u)."""
    rows = []
    for comp in model["comparisons"]:
        for level in comp["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            rows.append(
                {
                    "comparison": comp["output_column_name"],
                    "level": level.get("label_for_charts") or level["sql_condition"],
                    "m": m,
                    "u": u,
                    "match_weight": weight,
                }
            )
    return rows


@click.group()
def linkage():
    """Person linkage: train the Splink model the build loads (linkage/person_model.json)."""


@linkage.command()
@click.option(
    "--warehouse",
    default=default_warehouse,
    show_default="$INSIGHT_HUB_WAREHOUSE or warehouse/insight_hub.duckdb",
    help="The built warehouse holding identity.idn_match_records.",
)
@click.option(
    "--out",
    default=str(DEFAULT_MODEL_PATH),
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Where to write the trained model JSON (review its diff before committing).",
)
@click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="First build idn_match_records and what it reads (dbt run), then train.",
)
def train(warehouse: str, out: str, build: bool):
    """Train the model unsupervised (random-sample u, capped EM for m, deterministic prior).

    Reads only the identity layer's match records, never the ground truth. Writes the model
    JSON and prints each comparison level's match weight for review.
    """
    import duckdb

    from insight_hub.identity.train import train_model, write_model

    if build:
        from insight_hub.pipeline import run_dbt

        os.makedirs(Path(warehouse).parent, exist_ok=True)
        click.echo("building identity.idn_match_records (dbt run --select +idn_match_records)")
        if not run_dbt(["run", "--select", "+idn_match_records", "--quiet"]):
            click.echo("insight-hub linkage train: dbt run failed (see logs/dbt.log).", err=True)
            sys.exit(1)
    if not Path(warehouse).is_file():
        click.echo(f"insight-hub linkage train: no warehouse at {warehouse}.", err=True)
        sys.exit(1)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        n = con.execute("select count(*) from wh.identity.idn_match_records").fetchall()[0][0]
        click.echo(f"training on {n:,} match records")
        model = train_model(con, "wh.identity.idn_match_records", progress=click.echo)
    except duckdb.Error as err:
        click.echo(f"insight-hub linkage train: {err}", err=True)
        sys.exit(1)
    finally:
        con.close()
    path = write_model(model, out)
    click.echo(f"wrote {path}")
    for row in model_summary(model):
        weight = "" if row["match_weight"] is None else f"{row['match_weight']:+7.2f}"
        click.echo(f"  {row['comparison']:<17} {weight:>8}  {row['level']}")
