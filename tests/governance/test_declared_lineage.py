"""Declared column lineage (meta: reads_columns / datasets) must be true to the code.

- The risk models read exactly insight_hub.prediction.features.INPUT_COLUMNS from
  mart_household_needs, and the datasets declared on those columns match FEATURE_DATASETS.
- Every column a SQL reader declares it reads appears in its SQL, and every column of the
  parent named in the SQL (as `alias.column`) is declared.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from insight_hub.prediction import features

ROOT = Path(__file__).resolve().parents[2]
NEEDS_YAML = ROOT / "models/marts/single_view/_single_view__models.yml"
PREDICTION_YAML = ROOT / "models/marts/prediction/_prediction__models.yml"
RISK_MODELS = ["mart_homelessness_risk", "mart_risk_holdout", "mart_risk_model_metrics"]


def _models(path: Path) -> dict[str, dict]:
    return {m["name"]: m for m in yaml.safe_load(path.read_text())["models"]}


def _meta(entry: dict) -> dict:
    return ((entry.get("config") or {}).get("meta")) or entry.get("meta") or {}


def _yaml_files():
    return sorted((ROOT / "models").rglob("*.yml"))


def _readers():
    out = []
    for path in _yaml_files():
        for m in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            rc = _meta(m).get("reads_columns")
            if rc:
                out.append((path, m["name"], rc))
    return out


@pytest.mark.parametrize("name", RISK_MODELS)
def test_risk_model_reads_exactly_its_inputs(name):
    rc = _meta(_models(PREDICTION_YAML)[name])["reads_columns"]
    assert set(rc["mart_household_needs"]) == set(features.INPUT_COLUMNS)
    base = [c for c in features.FEATURES if c not in features.DERIVED]
    assert set(base) <= set(rc["mart_household_needs"])


def test_feature_datasets_match_declared_column_lineage():
    needs = _models(NEEDS_YAML)["mart_household_needs"]
    declared = {c["name"]: _meta(c).get("datasets") for c in needs["columns"]}
    for col in features.INPUT_COLUMNS:
        assert declared.get(col), f"mart_household_needs.{col} declares no datasets"
        if col in features.FEATURE_DATASETS:
            assert set(declared[col]) == set(features.FEATURE_DATASETS[col]), col


def test_sql_readers_declare_the_columns_they_read():
    for path, name, rc in _readers():
        sql_path = path.parent / f"{name}.sql"
        if not sql_path.exists():
            continue
        sql = sql_path.read_text()
        for parent, cols in rc.items():
            for col in cols:
                assert re.search(rf"\b{re.escape(col)}\b", sql), f"{name}: {col} not in its SQL"
            # the CTE that selects the parent, and every `cte.column` read from it
            m = re.search(rf"(\w+)\s+as\s+\(\s*select \* from \{{\{{ ref\('{parent}'\) \}}\}}", sql)
            assert m, f"{name}: no import CTE for {parent}"
            used = set(re.findall(rf"\b{m.group(1)}\.(\w+)", sql))
            assert used <= set(cols), f"{name} reads {parent}.{sorted(used - set(cols))} undeclared"
