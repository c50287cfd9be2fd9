"""`insight-hub evaluate linkage`: the built warehouse's persons against the ground truth.

Joins the identity layer's records (identity.idn_match_records, identity.idn_record_keys) to
data/truth/records.csv on (service, source_file, record_id = source_record_id) and reports,
for the linkage model and for a deterministic baseline computed in the same run (records
agreeing exactly on standardised forename, surname and date of birth are one person; a record
missing any of the three stands alone):

- pairwise precision, recall, F1 (pairs counted from cluster sizes, never enumerated);
- B-cubed precision, recall, F1;
- the right to object: the share of true objectors' records whose person_key is flagged in
  identity.idn_person_objections;
- households: pairwise and B-cubed precision/recall of household_key against the household
  each person lives in at the extract date (see `household_metrics`).

This reads the truth; it is an evaluation tool, never part of the build.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
import duckdb

from insight_hub.identity.metrics import ClusterMetrics, cluster_metrics

METRIC_ROWS = [
    ("pairwise_precision", "pairwise precision"),
    ("pairwise_recall", "pairwise recall"),
    ("pairwise_f1", "pairwise F1"),
    ("bcubed_precision", "B-cubed precision"),
    ("bcubed_recall", "B-cubed recall"),
    ("bcubed_f1", "B-cubed F1"),
    ("predicted_pairs", "predicted pairs"),
    ("true_positive_pairs", "true-positive pairs"),
    ("true_pairs", "true pairs"),
]


def open_evaluation(warehouse: str | Path, truth_dir: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the warehouse attached read-only as `wh` and the
    labelled records in temp table `labelled`."""
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{Path(warehouse)}' as wh (read_only)")
    truth = Path(truth_dir) / "records.csv"
    # one truth row per source record (a duplicated raw row is listed twice); read once, used
    # by `labelled` and by objection_coverage
    con.execute(
        f"""
        create temp table record_truth as
        select service, source_file, source_record_id, min(person_id) as person_id
        from read_csv('{truth}', all_varchar = true)
        group by service, source_file, source_record_id
        """
    )
    con.execute(
        """
        create temp table labelled as
        select r.record_key, r.service, r.source_file, r.record_id,
               r.forename, r.surname, r.date_of_birth,
               k.person_key, t.person_id::varchar as true_person_id
        from wh.identity.idn_match_records r
        join wh.identity.idn_record_keys k using (record_key)
        join record_truth t
          on t.service = r.service
         and t.source_file = r.source_file
         and t.source_record_id = r.record_id
        """
    )
    return con


def coverage(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return dict(
        zip(
            ["identity_records", "labelled_records", "true_persons"],
            con.execute(
                """
                select (select count(*) from wh.identity.idn_record_keys),
                       (select count(*) from labelled),
                       (select count(distinct true_person_id) from labelled)
                """
            ).fetchall()[0],
            strict=True,
        )
    )


def model_metrics(con: duckdb.DuckDBPyConnection) -> ClusterMetrics:
    con.execute(
        "create or replace temp view model_labels as "
        "select person_key as predicted, true_person_id as truth from labelled"
    )
    return cluster_metrics(con, "model_labels")


def baseline_metrics(con: duckdb.DuckDBPyConnection) -> ClusterMetrics:
    """Deterministic baseline: exact standardised forename + surname + date of birth."""
    con.execute(
        """
        create or replace temp view baseline_labels as
        select case when forename is not null and surname is not null
                         and date_of_birth is not null
                    then 'fsd|' || forename || '|' || surname || '|' || date_of_birth::varchar
                    else 'rec|' || record_key end as predicted,
               true_person_id as truth
        from labelled
        """
    )
    return cluster_metrics(con, "baseline_labels")


def objection_coverage(con: duckdb.DuckDBPyConnection, truth_dir: str | Path) -> dict:
    """Share of the true objectors' staged records whose person is flagged as objecting.

    Through the key registry, not idn_record_keys: a person who objected to all analytics
    is left out of idn_record_keys, so counting there would see only their missed records."""
    objectors = Path(truth_dir) / "objectors.csv"
    if not objectors.is_file():
        return {}
    row = con.execute(
        f"""
        with objecting as (
            select distinct person_id::varchar as person_id
            from read_csv('{objectors}', all_varchar = true)
        ),
        objector_records as (
            select reg.person_key, t.person_id as true_person_id
            from wh.identity.idn_match_records r
            join wh.identity.idn_person_key_registry reg using (record_key)
            join record_truth t
              on t.service = r.service
             and t.source_file = r.source_file
             and t.source_record_id = r.record_id
            join objecting o on o.person_id = t.person_id
            where r.record_status = 'staged'
        ),
        flagged as (select distinct person_key from wh.identity.idn_person_objections)
        select count(*) as records,
               count(*) filter (where l.person_key in (select person_key from flagged))
                   as flagged_records,
               count(distinct l.true_person_id) as persons,
               count(distinct l.true_person_id) filter (
                   where l.person_key not in (select person_key from flagged)
               ) as persons_with_unflagged_records
        from objector_records l
        """
    ).fetchall()[0]
    records, flagged, persons, unflagged = row
    return {
        "objector_records": records,
        "objector_records_flagged": flagged,
        "objector_record_coverage": (flagged / records) if records else 1.0,
        "objector_persons": persons,
        "objector_persons_with_unflagged_records": unflagged,
    }


def _household_labels(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> None:
    """Temp table `person_households`: one row per person_key with the true person most of
    its records belong to, its household_key, and that person's true households: the one
    they live in at the extract date (residence.csv, the period with no end; NULL when they
    have died or moved away) and the last one persons.csv names."""
    residence = truth_dir / "residence.csv"
    resident = (
        f"""
        select person_id, min(household_id) as household_id
        from read_csv('{residence}', all_varchar = true)
        where to_date is null
        group by person_id
        """
        if residence.is_file()
        else "select null::varchar as person_id, null::varchar as household_id where false"
    )
    con.execute(
        f"""
        create or replace temp table person_households as
        with majority as (
            select person_key, true_person_id,
                   row_number() over (
                       partition by person_key order by count(*) desc, true_person_id
                   ) as rank_in_key
            from labelled group by person_key, true_person_id
        ),
        households as (
            select distinct person_key, household_key from wh.identity.idn_record_keys
        ),
        resident as ({resident})
        select m.person_key, h.household_key, t.household_id as last_household_id,
               r.household_id as current_household_id
        from majority m
        join households h using (person_key)
        join read_csv('{truth_dir / "persons.csv"}', all_varchar = true) t
          on t.person_id = m.true_person_id
        left join resident r on r.person_id = m.true_person_id
        where m.rank_in_key = 1
        """
    )


def _household_cluster_metrics(con: duckdb.DuckDBPyConnection, truth_column: str) -> dict:
    con.execute(
        f"""
        create or replace temp view household_labels as
        select coalesce(household_key, 'unplaced|' || person_key) as predicted,
               {truth_column} as truth,
               household_key is not null as placed
        from person_households
        where {truth_column} is not null
        """
    )
    metrics = cluster_metrics(con, "household_labels").as_dict()
    placed, total = con.execute(
        "select count(*) filter (where placed), count(*) from household_labels"
    ).fetchall()[0]
    metrics["persons_placed"] = placed
    metrics["persons"] = total
    return metrics


def household_metrics(con: duckdb.DuckDBPyConnection, truth_dir: str | Path) -> dict:
    """Households at the extract date, person by person: each person_key stands for the true
    person most of its records belong to; its household_key (NULL: a household of its own)
    against the household that person lives in at the extract date (residence.csv). People
    who have died or moved away since the services last saw them live in no household: they
    are left out of the pairs, and counted where they share a household_key with a resident
    (`non_residents_with_residents`, each such person a wrong placement). The figures against
    the last household persons.csv names for everyone (the dead and departed included) are
    under `last_known`."""
    truth_dir = Path(truth_dir)
    if not (truth_dir / "persons.csv").is_file():
        return {}
    _household_labels(con, truth_dir)
    last_known = _household_cluster_metrics(con, "last_household_id")
    if not (truth_dir / "residence.csv").is_file():
        return {**last_known, "last_known": last_known}
    metrics = _household_cluster_metrics(con, "current_household_id")
    non_residents, with_residents = con.execute(
        """
        select count(*),
               count(*) filter (
                   where household_key in (
                       select household_key from person_households
                       where current_household_id is not null and household_key is not null
                   )
               )
        from person_households
        where current_household_id is null
        """
    ).fetchall()[0]
    metrics["non_residents"] = non_residents
    metrics["non_residents_with_residents"] = with_residents
    metrics["last_known"] = last_known
    return metrics


def evaluate(warehouse: str | Path, truth_dir: str | Path) -> dict:
    con = open_evaluation(warehouse, truth_dir)
    try:
        model = model_metrics(con)
        baseline = baseline_metrics(con)
        result = {
            "coverage": coverage(con),
            "model": model.as_dict(),
            "baseline": baseline.as_dict(),
            "f1_gain_over_baseline": model.pairwise_f1 - baseline.pairwise_f1,
            "objections": objection_coverage(con, truth_dir),
            "households": household_metrics(con, truth_dir),
        }
    finally:
        con.close()
    return result


def format_table(result: dict) -> str:
    lines = [f"{'metric':<22}{'Splink model':>14}{'baseline':>14}"]
    for key, label in METRIC_ROWS:
        m, b = result["model"][key], result["baseline"][key]
        if isinstance(m, float):
            lines.append(f"{label:<22}{m:>14.4f}{b:>14.4f}")
        else:
            lines.append(f"{label:<22}{m:>14,}{b:>14,}")
    lines.append(f"{'F1 gain over baseline':<22}{result['f1_gain_over_baseline']:>14.4f}")
    cov = result["coverage"]
    lines.append(
        f"records: {cov['labelled_records']:,} labelled of {cov['identity_records']:,} "
        f"in identity; {cov['true_persons']:,} true persons"
    )
    obj = result.get("objections") or {}
    if obj:
        lines.append(
            f"objections: {obj['objector_records_flagged']:,} of {obj['objector_records']:,} "
            f"records of {obj['objector_persons']:,} true objectors flagged "
            f"({obj['objector_record_coverage']:.2%})"
        )
    hh = result.get("households") or {}
    if hh:
        lines.append(
            f"households (residents at the extract date): {hh['persons_placed']:,} of "
            f"{hh['persons']:,} persons placed; pairwise precision "
            f"{hh['pairwise_precision']:.4f}, recall {hh['pairwise_recall']:.4f}, "
            f"F1 {hh['pairwise_f1']:.4f}"
        )
        if "non_residents" in hh:
            lines.append(
                f"  no longer resident (died or moved away): {hh['non_residents']:,} persons, "
                f"{hh['non_residents_with_residents']:,} placed with residents"
            )
        last = hh["last_known"]
        lines.append(
            f"  against the last household known (everyone): pairwise precision "
            f"{last['pairwise_precision']:.4f}, recall {last['pairwise_recall']:.4f}, "
            f"F1 {last['pairwise_f1']:.4f}"
        )
    return "\n".join(lines)


@click.command("linkage")
@click.option(
    "--warehouse",
    default=lambda: os.environ.get("INSIGHT_HUB_WAREHOUSE", "warehouse/insight_hub.duckdb"),
    show_default="$INSIGHT_HUB_WAREHOUSE or warehouse/insight_hub.duckdb",
    help="The built warehouse (opened read-only).",
)
@click.option(
    "--truth",
    "truth_dir",
    default="data/truth",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The synthetic borough's ground truth folder.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate_linkage(warehouse: str, truth_dir: str, as_json: bool):
    """Pairwise and B-cubed precision/recall of the persons, beside a deterministic baseline."""
    if not Path(warehouse).is_file():
        click.echo(f"insight-hub evaluate linkage: no warehouse at {warehouse}.", err=True)
        sys.exit(1)
    if not (Path(truth_dir) / "records.csv").is_file():
        click.echo(f"insight-hub evaluate linkage: no {truth_dir}/records.csv.", err=True)
        sys.exit(1)
    try:
        result = evaluate(warehouse, truth_dir)
    except duckdb.Error as err:
        click.echo(f"insight-hub evaluate linkage: {err}", err=True)
        sys.exit(1)
    click.echo(json.dumps(result, indent=2) if as_json else format_table(result))
