"""idn_person_clusters: one row per match record, with the cluster (person) it joins.

Connected components of the pairs at or above the match threshold (docs/identity.md);
cluster_id is the smallest record_key of the cluster. Keys are decided downstream by the
registry (idn_person_key_registry): a cluster_id is not a stable key.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from insight_hub.identity.linkage import cluster_records, duckdb_connection
    from insight_hub.identity.settings import build_thresholds

    # dbt hands a Python model only the config it reads by literal name (meta_get)
    meta = {"match_threshold": dbt.config.meta_get("match_threshold")}
    threshold = build_thresholds(meta)["match"]
    nodes = dbt.ref("idn_match_records").sql_query()
    edges = dbt.ref("idn_pairwise_predictions").sql_query()
    return cluster_records(duckdb_connection(session), f"({nodes})", f"({edges})", threshold)
