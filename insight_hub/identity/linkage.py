"""Run the trained person-linkage model (Splink, DuckDB backend) on a DuckDB connection.

Used by the dbt Python models in python_models/identity (on the build's own connection),
by `insight-hub bench linkage` and by the tests. Nothing here trains: the model is the
reviewed JSON file (linkage/person_model.json, written by `insight-hub linkage train`).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from insight_hub.identity.settings import DEFAULT_MODEL_PATH, load_spec

# The columns Splink reads (docs/identity.md): idn_match_records carries all of them.
LINKAGE_COLUMNS = [
    "record_key",
    "representative_key",
    "service",
    "source_file",
    "forename",
    "forename_first",
    "forename_canonical",
    "surname",
    "date_of_birth",
    "latest_possible_dob",
    "sex",
    "postcode",
    "postcode_sector",
    "postcode_district",
    "address_line",
    "uprn",
    "nhs_number",
    "ni_number",
    "upn",
    "system_person_id",
    "phone",
    "email",
]

_quiet = False


def quiet_splink() -> None:
    """Keep Splink's progress chatter out of dbt's log (warnings still show)."""
    global _quiet
    if not _quiet:
        logging.getLogger("splink").setLevel(logging.WARNING)
        _quiet = True


def duckdb_connection(session) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection inside a dbt-duckdb Python model's ``session`` (dbt wraps the
    cursor to translate errors); Splink needs the connection itself."""
    con = session
    while not isinstance(con, duckdb.DuckDBPyConnection) and hasattr(con, "_cursor"):
        con = con._cursor
    if not isinstance(con, duckdb.DuckDBPyConnection):
        raise TypeError(f"not a DuckDB connection: {type(session).__name__}")
    return con


def load_model(path: str | Path | None = None) -> dict[str, Any]:
    """The trained model (Splink settings JSON) as a dict; a clear error if it is missing."""
    path = Path(path or DEFAULT_MODEL_PATH)
    if not path.is_file():
        raise FileNotFoundError(
            f"No trained linkage model at {path}: run `insight-hub linkage train` "
            "(see docs/identity.md) or set the dbt var linkage_model_path."
        )
    return json.loads(path.read_text())


def _linker(con: duckdb.DuckDBPyConnection, table: str, model: dict[str, Any]):
    from splink import DuckDBAPI, Linker

    quiet_splink()
    db_api = DuckDBAPI(connection=con)
    sdf = db_api.register(table)
    return Linker(sdf, model, log_level=logging.WARNING), db_api


def _source_sql(source: str | duckdb.DuckDBPyRelation) -> str:
    if isinstance(source, duckdb.DuckDBPyRelation):
        # A relation from dbt.ref() is a plain `select * from <table>` on this connection:
        # re-run its SQL rather than crossing cursors with the relation object.
        return f"({source.sql_query()})"
    return source


def prepare_input(
    con: duckdb.DuckDBPyConnection, source: str | duckdb.DuckDBPyRelation, name: str
) -> str:
    """Temp table ``name``: the linkage columns of ``source``'s representative records
    (record_key = representative_key, see idn_match_records); return the name.

    Records identical on every match column share a representative, so Splink scores each
    distinct record once (a pupil's census return every term is one record to it)."""
    cols = ", ".join(LINKAGE_COLUMNS)
    con.execute(
        f"create or replace temp table {name} as select {cols} from {_source_sql(source)} "
        "where record_key = representative_key"
    )
    return name


def prediction_columns(model: dict[str, Any]) -> list[str]:
    """Which columns of Splink's predictions we keep: ids, scores, the blocking rule that
    proposed the pair (match_key), and each comparison's level (gamma_*), match weight
    (mw_* = log2 of its Bayes factor) and term-frequency adjustment (mw_tf_adj_*)."""
    cols = ["record_key_l", "record_key_r", "match_weight", "match_probability", "match_key"]
    for comp in model["comparisons"]:
        name = comp["output_column_name"]
        cols += [f"gamma_{name}", f"mw_{name}"]
        if any(level.get("tf_adjustment_column") for level in comp["comparison_levels"]):
            cols.append(f"mw_tf_adj_{name}")
    return cols


def predict_pairs(
    con: duckdb.DuckDBPyConnection,
    records: str | duckdb.DuckDBPyRelation,
    model: dict[str, Any] | str | Path | None = None,
    threshold: float | None = None,
    match_threshold: float | None = None,
) -> pa.Table:
    """Score every blocked pair of records at or above ``threshold`` (match probability).

    Returns an Arrow table (record_key_l, record_key_r, match_weight, match_probability,
    match_key, decision, gamma_*, mw_*, mw_tf_adj_*) and leaves no Splink tables behind on ``con``.
    decision is 'link' at or above ``match_threshold``, else 'review'.
    """
    if not isinstance(model, dict):
        model = load_model(model)
    spec_thresholds = load_spec()["thresholds"]
    if threshold is None:
        threshold = spec_thresholds["review_lower"]
    if match_threshold is None:
        match_threshold = spec_thresholds["match"]
    table = prepare_input(con, records, "__idn_linkage_input")
    linker, db_api = _linker(con, table, model)
    try:
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        cols = prediction_columns(model)
        decision = (
            f"case when match_probability >= {float(match_threshold)!r} "
            "then 'link' else 'review' end as decision"
        )
        select = ", ".join(cols[:5] + [decision] + cols[5:])
        result = con.sql(f"select {select} from {predictions.physical_name}").to_arrow_table()
    finally:
        db_api.delete_tables_created_by_splink_from_db()
        con.execute(f"drop table if exists {table}")
    return result


def cluster_records(
    con: duckdb.DuckDBPyConnection,
    nodes: str,
    edges: str,
    threshold: float | None = None,
) -> pa.Table:
    """Connected components of the pairs at or above ``threshold``: (record_key, cluster_id).

    ``nodes`` names the match records (record_key, representative_key); ``edges`` one with
    record_key_l, record_key_r and match_probability between representatives (as
    predict_pairs scores them). Components are found over the representatives and every
    record joins its representative's; singletons included; cluster_id is the smallest
    record_key of the cluster (deterministic).
    """
    from splink import DuckDBAPI
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    quiet_splink()
    if threshold is None:
        threshold = load_spec()["thresholds"]["match"]
    con.execute(
        "create or replace temp table __idn_rep_map as "
        f"select record_key, representative_key as rep_key from {_source_sql(nodes)}"
    )
    con.execute(
        "create or replace temp table __idn_nodes as "
        "select distinct rep_key as record_key from __idn_rep_map"
    )
    con.execute(
        "create or replace temp table __idn_edges as "
        f"select record_key_l, record_key_r, match_probability from {edges} "
        f"where match_probability >= {float(threshold)!r}"
    )
    db_api = DuckDBAPI(connection=con)
    try:
        clusters = cluster_pairwise_predictions_at_threshold(
            db_api.register("__idn_nodes"),
            db_api.register("__idn_edges"),
            db_api=db_api,
            node_id_column_name="record_key",
            threshold_match_probability=None,
        )
        result = con.sql(
            f"""
            with rep_clusters as (
                select record_key as rep_key, cluster_id from {clusters.physical_name}
            ),
            records as (
                select m.record_key, c.cluster_id
                from __idn_rep_map m join rep_clusters c using (rep_key)
            )
            select record_key, min(record_key) over (partition by cluster_id) as cluster_id
            from records
            order by record_key
            """
        ).to_arrow_table()
    finally:
        db_api.delete_tables_created_by_splink_from_db()
        for table in ("__idn_rep_map", "__idn_nodes", "__idn_edges"):
            con.execute(f"drop table if exists {table}")
    return result
