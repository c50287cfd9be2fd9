"""Shared test data and helpers for the governance tests (imported by conftest and tests)."""

from __future__ import annotations

import socket
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
POSTGRES_SH = REPO / "scripts" / "postgres.sh"

# -- the fixture serving warehouse -------------------------------------------------------------
SERVICES = [
    "revenues_benefits",
    "housing",
    "homelessness",
    "childrens_social_care",
    "adults_social_care",
    "education",
]
HOUSEHOLDS = [
    # household_key, ward, lsoa, size, tenure, services_known
    ("h1", "W1", "L11", 2, "council", ["housing", "education"]),
    ("h2", "W1", "L12", 1, "private", ["education"]),
    ("h3", "W2", "L21", 2, "council", ["housing", "adults_social_care"]),
    ("h4", "W3", "L31", 1, "council", ["housing", "homelessness"]),
    ("h5", "W4", "L41", 2, "owner", ["education"]),
]
RESIDENTS = [
    # person_key, household_key, age_band, sex, ward, lsoa, services_known
    ("p1", "h1", "25-34", "F", "W1", "L11", ["housing"]),
    ("p2", "h1", "5-15", "M", "W1", "L11", ["housing", "education"]),
    ("p3", "h2", "5-15", "F", "W1", "L12", ["education"]),
    ("p4", "h3", "65+", "F", "W2", "L21", ["housing", "adults_social_care"]),
    ("p5", "h3", "65+", "M", "W2", "L21", ["adults_social_care"]),
    ("p6", "h4", "35-44", "M", "W3", "L31", ["housing", "homelessness"]),
    ("p7", "h5", "5-15", "F", "W4", "L41", ["education"]),
    ("p8", "h5", "35-44", "M", "W4", "L41", None),
]
INVOLVEMENTS = [
    # person_key, service, involvement_type, start, end, status
    ("p1", "housing", "tenancy", "2020-01-01", None, "open"),
    ("p2", "housing", "tenancy", "2020-01-01", None, "open"),
    ("p2", "education", "census", "2024-09-01", None, "open"),
    ("p3", "education", "census", "2024-09-01", None, "open"),
    ("p4", "housing", "tenancy", "2015-06-01", None, "open"),
    ("p4", "adults_social_care", "home care", "2025-02-01", None, "open"),
    ("p5", "adults_social_care", "reablement", "2025-03-01", "2025-05-01", "closed"),
    ("p6", "housing", "rent arrears", "2025-01-01", None, "open"),
    ("p6", "homelessness", "approach", "2025-07-01", None, "open"),
    ("p7", "education", "exclusion", "2025-01-10", "2025-01-12", "closed"),
]


def build_serving(path: Path) -> Path:
    """A serving DuckDB like the one the gate publishes: marts and shared aggregates."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts; CREATE SCHEMA shared; CREATE SCHEMA audit")
        con.execute(
            "CREATE TABLE marts.dim_household (household_key VARCHAR, ward_code VARCHAR, "
            "lsoa_code VARCHAR, size INTEGER, tenure VARCHAR, services_known VARCHAR[])"
        )
        con.executemany("INSERT INTO marts.dim_household VALUES (?, ?, ?, ?, ?, ?)", HOUSEHOLDS)
        con.execute(
            "CREATE TABLE marts.dim_resident (person_key VARCHAR, household_key VARCHAR, "
            "age_band VARCHAR, sex VARCHAR, ward_code VARCHAR, lsoa_code VARCHAR, "
            "services_known VARCHAR[])"
        )
        con.executemany("INSERT INTO marts.dim_resident VALUES (?, ?, ?, ?, ?, ?, ?)", RESIDENTS)
        con.execute(
            "CREATE TABLE marts.fct_service_involvement (person_key VARCHAR, service VARCHAR, "
            "involvement_type VARCHAR, start_date DATE, end_date DATE, status VARCHAR)"
        )
        con.executemany(
            "INSERT INTO marts.fct_service_involvement VALUES (?, ?, ?, ?, ?, ?)", INVOLVEMENTS
        )
        # the real marts' shapes as well: a boolean per service, children, household_key
        for svc in SERVICES:
            con.execute(
                f"ALTER TABLE marts.dim_household ADD COLUMN involved_with_{svc} BOOLEAN; "
                f"UPDATE marts.dim_household SET involved_with_{svc} = "
                f"list_contains(services_known, '{svc}'); "
                f"ALTER TABLE marts.dim_resident ADD COLUMN known_to_{svc} BOOLEAN; "
                f"UPDATE marts.dim_resident SET known_to_{svc} = "
                f"coalesce(list_contains(services_known, '{svc}'), false)"
            )
        con.execute(
            "ALTER TABLE marts.dim_household ADD COLUMN children INTEGER; "
            "UPDATE marts.dim_household h SET children = (SELECT count(*) FROM marts.dim_resident "
            "r WHERE r.household_key = h.household_key AND r.age_band = '5-15'); "
            "ALTER TABLE marts.fct_service_involvement ADD COLUMN household_key VARCHAR; "
            "UPDATE marts.fct_service_involvement f SET household_key = (SELECT household_key "
            "FROM marts.dim_resident r WHERE r.person_key = f.person_key)"
        )
        con.execute(
            "CREATE TABLE marts.mart_homelessness_risk AS SELECT household_key, "
            "0.1 * row_number() OVER (ORDER BY household_key) AS score, "
            "CASE WHEN household_key IN ('h3', 'h4') THEN 'high' ELSE 'low' END AS band, "
            "['rent arrears', 'notice'] AS reasons, 'v1' AS model_version, "
            "TIMESTAMP '2026-10-01 06:00:00' AS scored_at, CAST(12.5 AS DECIMAL(10,2)) AS amount, "
            "{'k': 'a', 'v': 1} AS detail, "
            "E'a,\"b\"\\n c\\\\' AS tricky, "
            "CASE WHEN household_key = 'h1' THEN ['x\"y', NULL, 'z,{w}'] ELSE [] END AS odd_list, "
            "[DATE '2026-01-31'] AS dates, CAST(NULL AS VARCHAR) AS nothing, '' AS empty, "
            "TIMESTAMPTZ '2026-10-01 06:00:00+01' AS scored_tz FROM marts.dim_household"
        )
        con.execute(
            "CREATE TABLE shared.homelessness_by_ward AS SELECT * FROM (VALUES "
            "('W1', '2026-09', 12, false), ('W2', '2026-09', NULL, true), "
            "('W3', '2026-09', 15, false)) t(ward_code, month, approaches, suppressed)"
        )
        con.execute("CREATE TABLE audit.not_published AS SELECT 1 AS x")
    return path


# -- manifests ---------------------------------------------------------------------------------
def make_manifest(models: dict, sources: list[str], seeds: list[str] = ()) -> dict:
    """A minimal dbt manifest. models: name -> {"parents": [names], "purpose": ..., "schema": ...,
    "meta": {...}}; a parent "service.extract" is a source, a name in seeds a seed."""
    nodes: dict = {}
    src: dict = {}
    for dataset in sources:
        service, extract = dataset.split(".")
        src[f"source.p.{service}.{extract}"] = {
            "resource_type": "source",
            "name": extract,
            "source_name": service,
            "schema": service,
            "columns": {},
        }
    for seed in seeds:
        nodes[f"seed.p.{seed}"] = {"resource_type": "seed", "name": seed, "schema": "reference"}

    def uid(name: str) -> str:
        if name in sources:
            return "source.p." + name
        if name in seeds:
            return "seed.p." + name
        return "model.p." + name

    for name, spec in models.items():
        meta = dict(spec.get("meta") or {})
        if "purpose" in spec:
            meta["purpose"] = spec["purpose"]
        schema = spec.get("schema") or (
            "marts" if name.startswith(("dim_", "fct_", "mart_")) else "intermediate"
        )
        nodes[uid(name)] = {
            "resource_type": "model",
            "name": name,
            "schema": schema,
            "config": {"meta": meta, "materialized": "table"},
            "meta": meta,
            "depends_on": {"nodes": [uid(p) for p in spec.get("parents", [])], "macros": []},
            "columns": spec.get("columns", {}),
            "original_file_path": f"models/{schema}/{name}.sql",
        }
    return {"nodes": nodes, "sources": src}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
