"""Staging's metadata: every column documented and classified, and the lists in step."""

from __future__ import annotations

import csv
import re

import pytest

from .conftest import ROOT, connect
from .test_staging_build import staging_extracts

pytestmark = pytest.mark.slow

PII = {"direct", "quasi", "none"}
MY_SEEDS = {
    "council_tax_bands",
    "dfe_attendance_codes",
    "dfe_exclusion_reasons",
    "ethnicity_ons18",
    "ethnicity_dfe_codes",
    "retention_schedule",
}


def my_nodes(manifest: dict) -> list[dict]:
    nodes = [
        n
        for n in manifest["nodes"].values()
        if (
            n["resource_type"] == "model"
            and re.match(r"models/(staging|audit)/", n["original_file_path"])
        )
        or (n["resource_type"] == "seed" and n["name"] in MY_SEEDS)
    ]
    services = {e["service"] for e in staging_extracts()}
    nodes += [s for s in manifest["sources"].values() if s["source_name"] in services]
    return nodes


def test_every_source_and_staged_column_is_documented_and_classified(project, staged):
    nodes = my_nodes(project.manifest())
    assert len(nodes) > 60
    problems = []
    for node in nodes:
        if not node["columns"]:
            problems.append(f"{node['unique_id']}: no columns declared")
        for col in node["columns"].values():
            meta = col.get("meta") or col.get("config", {}).get("meta") or {}
            if meta.get("pii") not in PII:
                problems.append(f"{node['unique_id']}.{col['name']}: pii classification missing")
            if not meta.get("category"):
                problems.append(f"{node['unique_id']}.{col['name']}: category missing")
            if not (col.get("description") or "").strip():
                problems.append(f"{node['unique_id']}.{col['name']}: not documented")
    assert not problems, "\n".join(problems)


def test_declared_columns_are_the_warehouse_columns(project, staged):
    manifest = project.manifest()
    with connect(staged) as con:
        for node in my_nodes(manifest):
            if node["resource_type"] != "model":
                continue
            actual = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns "
                    f"where table_schema = '{node['schema']}' and table_name = '{node['alias']}' "
                    "order by ordinal_position"
                ).fetchall()
            ]
            assert actual == list(node["columns"]), node["name"]


def test_declared_source_columns_are_the_extract_headers(project, staged):
    for source in project.manifest()["sources"].values():
        path = project.borough / "raw" / source["source_name"] / f"{source['name']}.csv"
        if not path.exists():
            continue
        with open(path, newline="", encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert list(source["columns"]) == header, source["unique_id"]


def test_extract_list_is_the_declared_sources(project, staged):
    declared = {
        (s["source_name"], s["name"])
        for s in project.manifest()["sources"].values()
        if s["original_file_path"].startswith("models/staging/")
    }
    assert {(e["service"], e["source_file"]) for e in staging_extracts()} == declared


def test_retention_schedule_names_each_models_close_date(project, staged):
    with open(ROOT / "seeds/retention_schedule.csv", newline="", encoding="utf-8") as f:
        schedule = {
            (r["service"], r["source_file"]): r["close_date_column"] for r in csv.DictReader(f)
        }
    for e in staging_extracts():
        sql = (
            ROOT / f"models/staging/{e['service']}/base/base_{e['service']}__{e['source_file']}.sql"
        ).read_text()
        specs = [line for line in sql.splitlines() if "'close_date': true" in line]
        found = re.search(r"'raw': '(\w+)'", specs[0]) if specs else None
        raw = found.group(1) if found else ""
        close_from = schedule[(e["service"], e["source_file"])]
        # an expression close date (e.g. status_date when housed) names the column it starts from
        assert close_from == raw or (not raw and (close_from == "" or close_from in sql)), e
