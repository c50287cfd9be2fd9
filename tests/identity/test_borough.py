"""The identity layer on a small built borough: stable keys, the registry, objections,
linkage quality. Builds come from the session fixture in conftest.py (slow: runs dbt)."""

from __future__ import annotations

from collections import defaultdict

import duckdb
import pytest

from insight_hub.identity.evaluate import evaluate

pytestmark = pytest.mark.slow


def _persons(record_keys: dict[str, str]) -> dict[str, set[str]]:
    persons: dict[str, set[str]] = defaultdict(set)
    for record, person in record_keys.items():
        persons[person].add(record)
    return persons


def test_same_data_gives_same_keys(identity_builds):
    full, again = identity_builds.builds["full"], identity_builds.builds["again"]
    assert full.record_keys, "the build keyed no records"
    assert again.record_keys == full.record_keys
    assert again.successors == full.successors


def test_five_percent_more_records_keep_persons_on_their_keys(identity_builds):
    subset, full = identity_builds.builds["subset"], identity_builds.builds["full"]
    added = len(full.record_keys) - len(subset.record_keys)
    assert set(subset.record_keys) <= set(full.record_keys)
    assert 0.03 <= added / len(subset.record_keys) <= 0.08, "the fixture should add ~5%"
    persons = _persons(subset.record_keys)
    kept = sum(
        all(full.record_keys[r] == person for r in records) for person, records in persons.items()
    )
    assert kept / len(persons) >= 0.995, f"{kept} of {len(persons)} persons kept their key"


def test_keys_are_pseudonymous(identity_builds):
    full = identity_builds.builds["full"]
    keys = set(full.record_keys.values())
    assert all(len(k) == 64 and all(c in "0123456789abcdef" for c in k) for k in keys)
    assert not keys & set(full.record_keys), "a person_key must not be a record_key"


def test_forced_merge_retires_keys_to_their_successors(identity_builds):
    before, merged = identity_builds.builds["again"], identity_builds.builds["merged"]
    new = [s for s in merged.successors if s not in before.successors]
    assert new, "lowering the match threshold should merge persons and retire keys"
    held_now = set(merged.registry.values())
    before_persons = _persons(before.registry)
    for retired, successor, reason in new:
        assert retired not in held_now, "a retired key must no longer be held"
        assert successor in held_now
        moved_to = [merged.registry[r] for r in before_persons[retired]]
        if reason == "merged":
            assert set(moved_to) == {successor}
        else:
            assert max(set(moved_to), key=moved_to.count) == successor
    # a merged person keeps the key most of its records held before
    for person, records in _persons(merged.record_keys).items():
        previous = [before.record_keys[r] for r in records if r in before.record_keys]
        if previous:
            counts = {k: previous.count(k) for k in set(previous)}
            assert counts.get(person, 0) == max(counts.values())


def test_objection_excludes_the_whole_linked_person(identity_builds):
    con = duckdb.connect(str(identity_builds.warehouse), read_only=True)
    try:
        # the rule itself: every objection's cited record maps to a flagged person
        missing = con.execute(
            """
            select count(*)
            from staging.stg_governance__objections o
            join identity.idn_person_key_registry r on r.record_key = o.cited_record_key
            left join identity.idn_person_objections p
              on p.person_key = r.person_key and p.processing = o.processing
            where p.person_key is null
            """
        ).fetchall()[0][0]
    finally:
        con.close()
    assert missing == 0
    # against the truth: the true objectors' records are flagged, modulo linkage error
    result = evaluate(identity_builds.warehouse, identity_builds.truth)
    objections = result["objections"]
    assert objections["objector_records"] > 0
    split_allowance = 1 - result["model"]["bcubed_recall"]
    assert objections["objector_record_coverage"] >= 1 - max(0.05, 3 * split_allowance), objections


def test_linkage_quality_on_the_small_borough(identity_builds):
    result = evaluate(identity_builds.warehouse, identity_builds.truth)
    model, baseline = result["model"], result["baseline"]
    assert result["coverage"]["labelled_records"] == result["coverage"]["identity_records"]
    assert model["pairwise_f1"] >= 0.97, model
    assert model["pairwise_f1"] > baseline["pairwise_f1"], (model, baseline)
