"""The person-key registry: stable pseudonymous keys across rebuilds, merges and splits.

Linkage re-clusters every record on every build; the registry decides which person_key each
new cluster carries, so that a person keeps their key while their records stay together.

Policy (docs/identity.md, "Stable keys"):

1. Each cluster votes for the keys its already-keyed records held after the previous build.
   Keys are handed out greedily, strongest claim first: the (cluster, key) pair holding the
   most of that key's records wins; ties go to the oldest key (earliest first_seen of its
   records), then to the smaller key, then to the cluster with the earliest record. A
   cluster takes at most one key and a key goes to at most one cluster, so
   - an unchanged person keeps their key;
   - a merge keeps the key held by most of the merged records (ties: the oldest key);
   - a split keeps the key on the part holding most of the key's records.
2. A cluster left without a key gets a new one: HMAC("person_key/" + seed) where the seed is
   its earliest record (first_seen, then record_key), with "/<build number>" appended after
   the first build so that a key once issued is never issued again.
3. A key that no current cluster took while some of its records are still present is
   retired; its successor is the key now held by most of those records. Registry rows of
   records that are absent this build (e.g. expired by retention) but still point at a
   retired key are re-pointed to the successor, so a retired key never comes back.

The registry has one row per record_key ever keyed: record_key, person_key, first_seen,
last_seen, first_build, last_build, previous_person_key, key_changed_build, key_changed_at.
Retirements are read from it by idn_person_key_successors.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime

import duckdb
import pyarrow as pa

KeyHasher = Callable[[Sequence[str]], list[str]]

REGISTRY_SCHEMA = pa.schema(
    [
        ("record_key", pa.string()),
        ("person_key", pa.string()),
        ("first_seen", pa.timestamp("us")),
        ("last_seen", pa.timestamp("us")),
        ("first_build", pa.int64()),
        ("last_build", pa.int64()),
        ("previous_person_key", pa.string()),
        ("key_changed_build", pa.int64()),
        ("key_changed_at", pa.timestamp("us")),
    ]
)

PERSON_KEY_DOMAIN = "person_key/"


def hmac_hasher(key: bytes) -> KeyHasher:
    """A KeyHasher that HMACs each value with the pseudonymisation key."""
    from insight_hub.pseudonymise import keyed_hash

    return lambda values: [keyed_hash(key, v) for v in values]


def sql_hasher(con: duckdb.DuckDBPyConnection, function: str = "pseudonymise") -> KeyHasher:
    """A KeyHasher calling the connection's keyed-hash SQL function (insight_hub.dbt_plugin),
    so person keys come from the same key and code as every other pseudonym."""

    def hasher(values: Sequence[str]) -> list[str]:
        if not values:
            return []
        con.register("__idn_hash_in", pa.table({"v": pa.array(list(values), pa.string())}))
        try:
            hashed = dict(con.sql(f"select v, {function}(v) from __idn_hash_in").fetchall())
        finally:
            con.unregister("__idn_hash_in")
        return [hashed[v] for v in values]

    return hasher


def empty_registry() -> pa.Table:
    return REGISTRY_SCHEMA.empty_table()


def assign_person_keys(
    con: duckdb.DuckDBPyConnection,
    clusters: str,
    prior_registry: str | None,
    now: datetime,
    hasher: KeyHasher,
) -> pa.Table:
    """The registry rows to upsert (on record_key) after this build's clustering.

    ``clusters`` names a relation with (record_key, cluster_id); ``prior_registry`` names the
    registry as it stood (None on the first build). Returns rows for every clustered record
    plus the absent records re-pointed from a retired key; other prior rows are unchanged.
    """
    prior_sql = (
        f"select * from {prior_registry}"
        if prior_registry
        else "select * from __idn_empty_registry"
    )
    if not prior_registry:
        con.register("__idn_empty_registry", empty_registry())
    try:
        return _assign(con, clusters, prior_sql, now, hasher)
    finally:
        if not prior_registry:
            con.unregister("__idn_empty_registry")


def _assign(con, clusters: str, prior_sql: str, now: datetime, hasher: KeyHasher) -> pa.Table:
    build_no = con.execute(
        f"select coalesce(max(last_build) + 1, 0) from ({prior_sql})"
    ).fetchall()[0][0]
    con.execute(
        f"""
        create or replace temp table __idn_cur as
        select c.record_key, c.cluster_id::varchar as cluster_id,
               p.person_key as prior_key, p.first_seen, p.first_build,
               p.previous_person_key, p.key_changed_build, p.key_changed_at
        from {clusters} c
        left join ({prior_sql}) p using (record_key)
        """
    )
    con.execute(
        f"""
        create or replace temp table __idn_key_age as
        select person_key, min(first_seen) as key_first_seen
        from ({prior_sql}) group by person_key
        """
    )
    # Each cluster's earliest record: the tie-break between clusters and the seed of new keys.
    con.execute(
        """
        create or replace temp table __idn_cluster_seed as
        select cluster_id,
               arg_min(record_key, (coalesce(first_seen, 'infinity'::timestamp), record_key))
                   as seed_record_key,
               min(coalesce(first_seen, 'infinity'::timestamp)) as cluster_first_seen
        from __idn_cur group by cluster_id
        """
    )
    claims = con.execute(
        """
        select c.cluster_id, c.prior_key, count(*) as n
        from __idn_cur c
        where c.prior_key is not null
        group by all
        """
    ).fetchall()
    key_age = dict(con.execute("select person_key, key_first_seen from __idn_key_age").fetchall())
    seeds = {
        cid: (seed, first)
        for cid, seed, first in con.execute(
            "select cluster_id, seed_record_key, cluster_first_seen from __idn_cluster_seed"
        ).fetchall()
    }

    # 1. Greedy assignment, strongest claim first.
    def order(claim):
        cid, key, n = claim
        seed, cluster_first = seeds[cid]
        return (-n, key_age.get(key) or datetime.max, key, cluster_first, seed)

    assigned_cluster: dict[str, str] = {}
    taken_keys: set[str] = set()
    for cid, key, _n in sorted(claims, key=order):
        if cid in assigned_cluster or key in taken_keys:
            continue
        assigned_cluster[cid] = key
        taken_keys.add(key)

    # 2. New keys for clusters that inherited none.
    new_clusters = sorted(cid for cid in seeds if cid not in assigned_cluster)
    suffix = "" if build_no == 0 else f"/{build_no}"
    new_keys = hasher([PERSON_KEY_DOMAIN + seeds[cid][0] + suffix for cid in new_clusters])
    assigned_cluster.update(zip(new_clusters, new_keys, strict=True))

    con.register(
        "__idn_assignment",
        pa.table(
            {
                "cluster_id": pa.array(list(assigned_cluster.keys()), pa.string()),
                "person_key": pa.array(list(assigned_cluster.values()), pa.string()),
            }
        ),
    )
    params = {"now": now, "build_no": build_no}
    try:
        current = con.sql(
            """
            select c.record_key, a.person_key,
                   coalesce(c.first_seen, $now::timestamp) as first_seen,
                   $now::timestamp as last_seen,
                   coalesce(c.first_build, $build_no) as first_build,
                   $build_no::bigint as last_build,
                   case when c.prior_key is distinct from a.person_key and c.prior_key is not null
                        then c.prior_key else c.previous_person_key end as previous_person_key,
                   case when c.prior_key is distinct from a.person_key and c.prior_key is not null
                        then $build_no::bigint else c.key_changed_build end as key_changed_build,
                   case when c.prior_key is distinct from a.person_key and c.prior_key is not null
                        then $now::timestamp else c.key_changed_at end as key_changed_at
            from __idn_cur c join __idn_assignment a using (cluster_id)
            """,
            params=params,
        ).to_arrow_table()
        con.register("__idn_current", current)
        # 3. Retired keys: held by present records before, taken by no cluster now.
        repointed = con.sql(
            f"""
            with moved as (
                select previous_person_key as retired_key, person_key, count(*) as n
                from __idn_current
                where key_changed_build = $build_no
                  and previous_person_key not in (select person_key from __idn_assignment)
                group by all
            ),
            successor as (
                select retired_key, arg_min(person_key, (-n, person_key)) as successor_key
                from moved group by retired_key
            )
            select p.record_key, s.successor_key as person_key, p.first_seen, p.last_seen,
                   p.first_build, p.last_build, p.person_key as previous_person_key,
                   $build_no::bigint as key_changed_build, $now::timestamp as key_changed_at
            from ({prior_sql}) p
            join successor s on p.person_key = s.retired_key
            where p.record_key not in (select record_key from __idn_current)
            """,
            params=params,
        ).to_arrow_table()
    finally:
        con.unregister("__idn_assignment")
        with contextlib.suppress(Exception):  # not registered when the first query failed
            con.unregister("__idn_current")
        for name in ("__idn_cur", "__idn_key_age", "__idn_cluster_seed"):
            con.execute(f"drop table if exists {name}")
    return pa.concat_tables([current.cast(REGISTRY_SCHEMA), repointed.cast(REGISTRY_SCHEMA)])


def retired_keys(registry: pa.Table | str, con: duckdb.DuckDBPyConnection) -> pa.Table:
    """retired_key, successor_key, retired_at, reason for the latest build of a registry.

    The same derivation as the idn_person_key_successors model (kept here for tests)."""
    if isinstance(registry, pa.Table):
        con.register("__idn_reg", registry)
        rel = "__idn_reg"
    else:
        rel = registry
    try:
        return con.sql(successors_sql(rel)).to_arrow_table()
    finally:
        if isinstance(registry, pa.Table):
            con.unregister("__idn_reg")


def successors_sql(registry: str) -> str:
    """SQL selecting this build's retirements from a registry relation."""
    return f"""
        with reg as (select * from {registry}),
        latest as (select max(last_build) as build_no from reg),
        moved as (
            select previous_person_key as retired_key, person_key,
                   max(key_changed_at) as retired_at, count(*) as n
            from reg
            where key_changed_build = (select build_no from latest)
              and previous_person_key not in (select person_key from reg)
            group by all
        )
        select retired_key,
               arg_min(person_key, (-n, person_key)) as successor_key,
               max(retired_at) as retired_at,
               case when count(*) = 1 then 'merged' else 'split_up' end as reason
        from moved
        group by retired_key
    """
