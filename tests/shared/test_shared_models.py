"""The partner aggregates as dbt models: configuration, lineage, suites, columns, the rule.

- each shared_ model is a table in schema shared, public, group shared, purpose
  partner_reporting, with a suite in expectations/suites/shared whose disclosure block matches
  the model's, and an exposure that reads it;
- its true counts live in a private int_*__counted view in schema intermediate (enforced
  contract) that only that model reads, and that reads only marts, intermediate models and
  seeds (never staging, identity or sources);
- the built tables have exactly the documented columns and types (dbt does not enforce
  contracts on Python models);
- the model's rule follows its config (vars disclosure_threshold, disclosure_rounding): with
  NHS England's practice (threshold 8, rounding to 5) the output passes the audit too.
"""

from __future__ import annotations

import importlib.util
import re

import numpy as np
import pytest
from shared_support import MODELS, SHARED_TABLES

from insight_hub.gate.audit import audit_published

IDS = [t.name for t in SHARED_TABLES]
TYPES = {"varchar": "VARCHAR", "bigint": "BIGINT", "date": "DATE"}


def _node(manifest: dict, name: str) -> dict:
    (node,) = [
        n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["name"] == name
    ]
    return node


def test_every_shared_model_has_a_suite(built):
    models = {
        n["name"]
        for n in built.manifest["nodes"].values()
        if n["resource_type"] == "model" and n["schema"] == "shared"
    }
    assert models == {t.name for t in SHARED_TABLES}
    assert {p.stem for p in MODELS.glob("shared_*.py")} == models


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_shared_model_configuration(spec, built):
    manifest = built.manifest
    node = _node(manifest, spec.name)
    cfg = node["config"]
    assert node["schema"] == "shared" and cfg["materialized"] == "table"
    assert node["access"] == "public" and node["group"] == "shared"
    assert cfg["meta"]["purpose"] == "partner_reporting"
    assert re.search(r"\bone row per\b", node["description"], re.I)
    declared = cfg["meta"]["disclosure"]
    assert declared["dimensions"] == spec.dimensions
    assert declared["counts"] == [spec.count]
    assert declared.get("total") == spec.total
    # the suite is the floor: the model's default rule must meet it
    assert int(cfg["disclosure_threshold"]) >= spec.threshold
    assert str(cfg["disclosure_rounding"]).lower() in ("none", str(spec.rounding).lower())
    assert spec.suite["kind"] == "aggregate"
    assert spec.suite["columns"] == [*spec.dimensions, spec.count, spec.status]
    assert list(node["columns"]) == spec.suite["columns"]
    for column in node["columns"].values():
        meta = column.get("meta") or column.get("config", {}).get("meta") or {}
        assert column["data_type"] and column["description"], column["name"]
        assert meta.get("pii") in ("none", "quasi") and meta.get("category"), column["name"]
    exposures = [
        e for e in manifest["exposures"].values() if node["unique_id"] in e["depends_on"]["nodes"]
    ]
    assert exposures, f"no exposure reads {spec.name}"
    assert all(
        (e.get("config", {}).get("meta") or e.get("meta") or {}).get("purpose")
        == "partner_reporting"
        for e in exposures
    )


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_true_counts_stay_private(spec, built):
    manifest = built.manifest
    node = _node(manifest, spec.counted)
    cfg = node["config"]
    assert node["schema"] == "intermediate", "raw small counts must never sit in schema shared"
    assert node["access"] == "private" and node["group"] == "shared"
    assert cfg["contract"]["enforced"]
    readers = [c for c in manifest["child_map"][node["unique_id"]] if not c.startswith("test.")]
    assert readers == [_node(manifest, spec.name)["unique_id"]], "only its table reads it"
    assert _node(manifest, spec.name)["depends_on"]["nodes"] == [node["unique_id"]]
    for parent in node["depends_on"]["nodes"]:
        p = manifest["nodes"].get(parent) or manifest["sources"].get(parent) or {}
        kind, schema = p.get("resource_type"), p.get("schema")
        assert kind == "seed" or (kind == "model" and schema in ("marts", "intermediate")), (
            f"{spec.counted} reads {parent} ({kind}, schema {schema})"
        )
    for parent, columns in cfg["meta"]["reads_columns"].items():
        assert any(p.endswith("." + parent) for p in node["depends_on"]["nodes"]), parent
        assert columns


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_built_columns_match_the_documentation(spec, built, con):
    node = _node(built.manifest, spec.name)
    rows = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'shared' and table_name = ? order by ordinal_position",
        [spec.name],
    ).fetchall()
    documented = [(c["name"], TYPES[c["data_type"]]) for c in node["columns"].values()]
    assert rows == documented


def _load_model(name: str):
    spec = importlib.util.spec_from_file_location(f"shared_model_{name}", MODELS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _FakeDbt:
    """What a dbt-duckdb Python model sees: ref() as a DuckDB relation, config.get()."""

    def __init__(self, con, config: dict):
        self._con = con
        self.config = config

    def ref(self, name: str):
        return self._con.table(f"intermediate.{name}")


@pytest.mark.parametrize("spec", SHARED_TABLES, ids=IDS)
def test_the_rule_follows_the_config(spec, con):
    module = _load_model(spec.name)
    rule = module.disclosure_rule("10", "None")
    assert (rule.threshold, rule.rounding) == (10, None)
    assert module.disclosure_rule(None, None).threshold == 10
    # NHS England's small-number practice: suppress 1-7, round the rest to a multiple of 5
    nhs = module.model(
        _FakeDbt(con, {"disclosure_threshold": "8", "disclosure_rounding": "5"}), None
    ).to_pandas()
    shown = nhs[spec.count].dropna().to_numpy()
    assert not ((shown >= 1) & (shown <= 7)).any()
    assert (np.mod(shown, 5) == 0).all()
    audit = audit_published(
        nhs,
        spec.dimensions,
        spec.count,
        total=spec.total,
        threshold=8,
        rounding=5,
        status_column=spec.status,
    )
    assert audit.passed, [i.describe() for i in audit.failures[:5]]
