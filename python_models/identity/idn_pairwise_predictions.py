"""idn_pairwise_predictions: one row per scored pair of match records at or above the
clerical-review threshold (match probability >= review_lower, docs/identity.md).

Splink (DuckDB backend) runs on the build's own connection with the reviewed, trained model
(var linkage_model_path, default linkage/person_model.json); nothing is trained here. Each
row keeps every comparison's level (gamma_*), match weight (mw_*) and term-frequency
adjustment (mw_tf_adj_*), so a reviewer can see why two records were, or were not, linked.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from insight_hub.identity.linkage import duckdb_connection, predict_pairs
    from insight_hub.identity.settings import build_thresholds

    # dbt hands a Python model only the config it reads by literal name (meta_get)
    model_path = dbt.config.meta_get("linkage_model_path")
    thresholds = build_thresholds(
        {
            "match_threshold": dbt.config.meta_get("match_threshold"),
            "review_threshold": dbt.config.meta_get("review_threshold"),
        }
    )
    return predict_pairs(
        duckdb_connection(session),
        dbt.ref("idn_match_records"),
        model=model_path or None,
        threshold=thresholds["review_lower"],
        match_threshold=thresholds["match"],
    )
