"""What the dbt manifest says about the marts: lineage, contracts, documentation, access.

- every single-view mart reads only intermediate models or other marts (its direct parents),
  and no model in schema marts reads staging, identity, sources or raw files directly;
- every single-view mart is a table with an enforced contract, access public (the
  protected-characteristics mart: private), a group, a purpose, and a description that states
  its grain; every column has a data_type, a description and meta {pii, category} with pii
  none or quasi;
- mart_household_needs has exactly the columns and types of the contract in docs/marts.md.
Parses the project (``dbt parse``) into a temporary target: no warehouse needed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SINGLE_VIEW = "models/marts/single_view/"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("marts_parse")
    env = {**os.environ, "DO_NOT_TRACK": "1", "DBT_SEND_ANONYMOUS_USAGE_STATS": "False"}
    env.setdefault("INSIGHT_HUB_KEY", "insight-hub-marts-test-key-" + "5a" * 24)
    result = subprocess.run(
        [str(BIN / "dbt"), "parse", "--target-path", str(target), "--log-path", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads((target / "manifest.json").read_text())


def _models(manifest: dict) -> dict[str, dict]:
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def _single_view(manifest: dict) -> dict[str, dict]:
    return {
        k: v
        for k, v in _models(manifest).items()
        if v["original_file_path"].startswith(SINGLE_VIEW)
    }


def test_single_view_marts_exist(manifest):
    names = {v["name"] for v in _single_view(manifest).values()}
    assert {
        "dim_resident",
        "dim_resident_protected",
        "dim_household",
        "fct_service_involvement",
        "fct_resident_timeline",
        "mart_household_needs",
    } <= names


def test_marts_read_only_intermediate_and_marts(manifest):
    nodes = {**manifest["nodes"], **manifest["sources"]}
    bad = []
    for node in _models(manifest).values():
        if node["schema"] != "marts":
            continue
        strict = node["original_file_path"].startswith(SINGLE_VIEW)
        for parent in node["depends_on"]["nodes"]:
            p = nodes.get(parent, {})
            kind, schema = p.get("resource_type"), p.get("schema")
            if kind == "model" and schema in ("intermediate", "marts"):
                continue
            if not strict and kind == "seed":
                continue  # reference data (ward names ...) for shared or prediction marts
            bad.append(f"{node['name']} <- {parent} ({kind}, schema {schema})")
    assert not bad, "marts reading past the intermediate layer:\n" + "\n".join(bad)


def test_intermediate_reads_no_raw_files(manifest):
    for node in _models(manifest).values():
        if node["schema"] == "intermediate":
            assert not [p for p in node["depends_on"]["nodes"] if p.startswith("source.")], node[
                "name"
            ]


def test_single_view_configuration(manifest):
    problems = []
    for node in _single_view(manifest).values():
        cfg, name = node["config"], node["name"]
        if cfg["materialized"] != "table":
            problems.append(f"{name}: materialized {cfg['materialized']}")
        if not cfg["contract"]["enforced"]:
            problems.append(f"{name}: contract not enforced")
        expected_access = (
            ("private", "protected") if name == "dim_resident_protected" else ("public",)
        )
        if node["access"] not in expected_access:
            problems.append(f"{name}: access {node['access']}")
        if not node.get("group"):
            problems.append(f"{name}: no group")
        if not cfg.get("meta", {}).get("purpose"):
            problems.append(f"{name}: no purpose in meta")
        if not re.search(r"\bone row per\b", node["description"], re.I):
            problems.append(f"{name}: description does not state the grain")
        sql_columns = node["columns"]
        if not sql_columns:
            problems.append(f"{name}: no columns documented")
        for col in sql_columns.values():
            meta = col.get("meta") or col.get("config", {}).get("meta") or {}
            where = f"{name}.{col['name']}"
            if not col.get("data_type"):
                problems.append(f"{where}: no data_type")
            if not col.get("description"):
                problems.append(f"{where}: no description")
            if meta.get("pii") not in ("none", "quasi"):
                problems.append(f"{where}: meta.pii is {meta.get('pii')!r}")
            if not meta.get("category"):
                problems.append(f"{where}: no meta.category")
    assert not problems, "\n".join(problems)


def test_single_view_primary_keys_tested(manifest):
    tested: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        meta = node.get("test_metadata") or {}
        for parent in node["depends_on"]["nodes"]:
            tested.setdefault(parent.split(".")[-1], set()).add(meta.get("name", "singular"))
    for node in _single_view(manifest).values():
        kinds = tested.get(node["name"], set())
        assert {"not_null"} <= kinds, node["name"]
        assert {"unique"} & kinds or {"unique_combination"} & kinds, node["name"]


def _contract_from_docs() -> list[tuple[str, str]]:
    """(column, type) in order from the mart_household_needs table in docs/marts.md.

    A row naming several columns with an empty type ("as above") takes the types of the same
    number of columns just before it.
    """
    text = (ROOT / "docs" / "marts.md").read_text()
    section = text.split("## `mart_household_needs`", 1)[1]
    columns: list[tuple[str, str]] = []
    in_table = False
    for line in section.splitlines():
        if not line.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("column", "") or set(cells[0]) <= set("-: "):
            continue
        names = [n.strip(" `") for n in cells[0].split(",")]
        same_as_above = [t for _, t in columns[-len(names) :]]
        types = [cells[1]] * len(names) if cells[1] else same_as_above
        columns.extend(zip(names, types, strict=True))
    return columns


def test_needs_contract_matches_docs(manifest):
    documented = _contract_from_docs()
    assert len(documented) >= 30
    node = next(v for v in _single_view(manifest).values() if v["name"] == "mart_household_needs")
    declared = [(c["name"], c["data_type"]) for c in node["columns"].values()]
    assert [c for c, _ in declared] == [c for c, _ in documented]
    for (name, dtype), (_, doc_type) in zip(declared, documented, strict=True):
        assert dtype == doc_type, f"{name}: contract {dtype}, docs/marts.md {doc_type}"
