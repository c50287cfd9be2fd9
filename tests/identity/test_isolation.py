"""The identity layer's boundary: what the rest of the warehouse may read from it, and that
no model reads the ground truth."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(os.environ.get("IDN_TEST_PROJECT_DIR", Path(__file__).resolve().parents[2]))


# The identity layer's outputs for the rest of the warehouse (docs/layers.md).
PUBLISHED = {
    "idn_record_keys",
    "idn_person_objections",
    "idn_family_relationships",
    "idn_person_key_successors",
}
# Layers allowed to read identity internals: identity itself. Staging reads nothing of it.
IDENTITY_PATHS = ("models/identity/", "python_models/identity/")
STAGING_PATHS = ("models/staging/",)
# Column names that are (or carry) direct identifiers, in any layer's spelling.
DIRECT_IDENTIFIER_COLUMNS = re.compile(
    r"(^|_)(forename|surname|name|date_of_birth|dob|postcode|address|address_line|uprn|"
    r"nhs_number|ni_number|nino|upn|phone|email|record_id|person_source_id|system_person_id)"
    r"($|_)"
)


@pytest.fixture(scope="module")
def manifest(identity_builds) -> dict:
    return json.loads((identity_builds.target / "manifest.json").read_text())


def _identity_models(manifest: dict) -> dict[str, dict]:
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
        and node["original_file_path"].startswith(IDENTITY_PATHS)
    }


@pytest.mark.slow
def test_only_published_identity_outputs_are_read_outside_identity(manifest):
    identity = _identity_models(manifest)
    assert {n["name"] for n in identity.values()} >= PUBLISHED
    offenders = []
    for node in manifest["nodes"].values():
        path = node.get("original_file_path", "")
        if node["resource_type"] != "model" or path.startswith(IDENTITY_PATHS + STAGING_PATHS):
            continue
        for parent in node["depends_on"]["nodes"]:
            if parent in identity and identity[parent]["name"] not in PUBLISHED:
                offenders.append(f"{node['name']} reads {identity[parent]['name']}")
    assert not offenders, offenders


@pytest.mark.slow
def test_staging_reads_nothing_from_identity(manifest):
    identity = _identity_models(manifest)
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["original_file_path"].startswith(
            STAGING_PATHS
        ):
            assert not set(node["depends_on"]["nodes"]) & set(identity), node["name"]


@pytest.mark.slow
def test_published_outputs_hold_no_direct_identifiers(manifest, identity_builds):
    identity = {n["name"]: n for n in _identity_models(manifest).values()}
    con = duckdb.connect(str(identity_builds.warehouse), read_only=True)
    try:
        for name in sorted(PUBLISHED):
            columns = [row[0] for row in con.execute(f"describe identity.{name}").fetchall()]
            flagged = [c for c in columns if DIRECT_IDENTIFIER_COLUMNS.search(c)]
            assert not flagged, f"{name} holds identifier columns {flagged}"
            documented = identity[name]["columns"]
            assert set(columns) == set(documented), f"{name}: columns and YAML differ"
            for column in documented.values():
                pii = column.get("config", {}).get("meta", {}).get("pii") or column.get(
                    "meta", {}
                ).get("pii")
                assert pii == "none", f"{name}.{column['name']} is classified {pii}"
    finally:
        con.close()


@pytest.mark.slow
def test_published_outputs_are_protected_and_internals_private(manifest):
    for node in _identity_models(manifest).values():
        expected = "protected" if node["name"] in PUBLISHED else "private"
        assert node["access"] == expected, node["name"]
        assert node["group"] == "identity", node["name"]


def _model_files() -> list[Path]:
    files = []
    for folder in ("models", "python_models"):
        files += [p for p in (PROJECT_DIR / folder).rglob("*") if p.suffix in (".sql", ".py")]
    return files


def test_no_model_source_reads_the_truth():
    offenders = [
        str(p.relative_to(PROJECT_DIR))
        for p in _model_files()
        if "truth" in p.read_text(encoding="utf-8").lower()
    ]
    assert not offenders, offenders


@pytest.mark.slow
def test_no_compiled_model_reads_the_truth(identity_builds):
    compiled = list((identity_builds.target / "compiled").rglob("*.sql"))
    compiled += list((identity_builds.target / "run").rglob("*.py"))
    assert compiled, "the fixture build compiled nothing"
    offenders = [str(p) for p in compiled if "truth" in p.read_text(encoding="utf-8").lower()]
    assert not offenders, offenders
