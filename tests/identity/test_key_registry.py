"""The person-key registry policy (insight_hub.identity.keys) on hand-made clusterings."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa
import pytest

from insight_hub.identity.keys import assign_person_keys, retired_keys


def fake_hasher(values):
    return [f"K[{v}]" for v in values]


class Registry:
    """Drives assign_person_keys build after build, like the incremental dbt model."""

    def __init__(self):
        self.con = duckdb.connect()
        self.builds = 0

    def build(self, clusters: dict[str, str]):
        self.con.register(
            "clusters",
            pa.table({"record_key": list(clusters), "cluster_id": list(clusters.values())}),
        )
        prior = "registry" if self.builds else None
        now = datetime(2026, 1, 1 + self.builds)
        rows = assign_person_keys(self.con, "clusters", prior, now, fake_hasher)
        self.con.register("upsert", rows)
        if self.builds == 0:
            self.con.execute("create table registry as select * from upsert")
        else:
            self.con.execute(
                "delete from registry where record_key in (select record_key from upsert);"
                "insert into registry select * from upsert"
            )
        self.con.unregister("upsert")
        self.con.unregister("clusters")
        self.builds += 1
        return self.keys()

    def keys(self) -> dict[str, str]:
        return dict(self.con.execute("select record_key, person_key from registry").fetchall())

    def successors(self) -> list[tuple]:
        table = retired_keys("registry", self.con)
        return sorted(
            zip(
                table["retired_key"].to_pylist(),
                table["successor_key"].to_pylist(),
                table["reason"].to_pylist(),
                strict=True,
            )
        )


@pytest.fixture
def registry():
    return Registry()


def test_first_build_keys_derive_from_earliest_record(registry):
    keys = registry.build({"r1": "c1", "r2": "c1", "r3": "c3"})
    assert keys == {"r1": "K[person_key/r1]", "r2": "K[person_key/r1]", "r3": "K[person_key/r3]"}


def test_same_clusters_same_keys(registry):
    clusters = {"r1": "c1", "r2": "c1", "r3": "c3", "r4": "c3", "r5": "c5"}
    first = registry.build(clusters)
    # cluster ids may differ between builds; only membership matters
    second = registry.build({k: "x" + v for k, v in clusters.items()})
    assert first == second
    assert registry.successors() == []


def test_forced_merge_retires_the_minority_key(registry):
    registry.build({"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"})
    keys = registry.build({"a": "m", "b": "m", "c": "m", "d": "m", "e": "m", "f": "m"})
    # the merged person keeps the key most of its records held (a's cluster: 3 > 2)
    assert set(keys.values()) == {"K[person_key/a]"}
    assert registry.successors() == [("K[person_key/d]", "K[person_key/a]", "merged")]


def test_merge_tie_goes_to_the_oldest_key(registry):
    registry.build({"a": "1", "b": "1"})
    registry.build({"a": "1", "b": "1", "z": "2", "y": "2"})  # z/y keyed one build later
    keys = registry.build({"a": "m", "b": "m", "y": "m", "z": "m"})
    assert set(keys.values()) == {"K[person_key/a]"}
    assert registry.successors() == [("K[person_key/y/1]", "K[person_key/a]", "merged")]


def test_split_keeps_key_on_largest_part_and_never_reissues_a_key(registry):
    registry.build({"a": "1", "b": "1", "c": "1"})
    keys = registry.build({"a": "p", "b": "q", "c": "q"})
    assert keys["b"] == keys["c"] == "K[person_key/a]"
    # the split-off part gets a new key from its earliest record, marked with the build
    assert keys["a"] == "K[person_key/a/1]"
    assert registry.successors() == []


def test_absent_records_follow_a_retired_key(registry):
    registry.build({"a": "1", "b": "1", "c": "2", "d": "2", "e": "2"})
    # b is absent this build (e.g. expired); a merges into c's person
    keys = registry.build({"a": "m", "c": "m", "d": "m", "e": "m"})
    assert keys["a"] == keys["c"] == "K[person_key/c]"
    assert keys["b"] == "K[person_key/c]"  # re-pointed: the retired key never comes back
    assert registry.successors() == [("K[person_key/a]", "K[person_key/c]", "merged")]
