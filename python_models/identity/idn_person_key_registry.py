"""idn_person_key_registry: one row per record_key ever keyed, with its person_key.

Persisted across builds (incremental, never fully refreshed): it decides which person_key
each new cluster carries, by the policy in insight_hub/identity/keys.py and
docs/identity.md (majority of already-keyed records, oldest key on ties; splits keep the key
on the largest part; merged-away keys are retired, see idn_person_key_successors).
"""


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        unique_key="record_key",
        incremental_strategy="delete+insert",
        full_refresh=False,
        on_schema_change="fail",
    )
    from datetime import UTC, datetime

    from insight_hub.identity.keys import assign_person_keys, sql_hasher
    from insight_hub.identity.linkage import duckdb_connection

    clusters = dbt.ref("idn_person_clusters").sql_query()
    prior = str(dbt.this) if dbt.is_incremental else None
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    con = duckdb_connection(session)
    return assign_person_keys(con, f"({clusters})", prior, now, sql_hasher(con, "pseudonymise"))
