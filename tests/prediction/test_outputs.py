"""The prediction marts' shapes: the YAML, the Python schemas and the frames agree."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import yaml

from insight_hub.prediction import pipeline
from insight_hub.prediction.schemas import SCHEMAS, conform

ROOT = Path(__file__).resolve().parents[2]
YAML = ROOT / "models" / "marts" / "prediction" / "_prediction__models.yml"
PY_MODELS = ROOT / "python_models" / "prediction"


def _models() -> dict[str, dict]:
    return {m["name"]: m for m in yaml.safe_load(YAML.read_text())["models"]}


def test_yaml_declares_exactly_the_python_schemas():
    models = _models()
    for name, spec in SCHEMAS.items():
        assert name in models, f"{name} has no YAML"
        cols = [(c["name"], c["data_type"]) for c in models[name]["columns"]]
        assert cols == list(spec.items()), name


def test_every_model_and_column_is_documented_and_classified():
    for name, m in _models().items():
        assert "one row per" in m["description"].lower(), f"{name}: grain not stated"
        assert m["config"]["meta"].get("purpose"), f"{name}: no purpose"
        for c in m["columns"]:
            assert c.get("description"), f"{name}.{c['name']}: no description"
            meta = c["config"]["meta"]
            assert meta["pii"] in ("none", "quasi"), f"{name}.{c['name']}"
            assert meta.get("category"), f"{name}.{c['name']}: no category"


def test_every_python_model_has_yaml_and_conforms():
    models = _models()
    for path in PY_MODELS.glob("*.py"):
        assert path.stem in models, path
        assert path.stem in SCHEMAS, path
        text = path.read_text()
        assert "pipeline." in text  # the logic lives in insight_hub.prediction


def test_models_never_read_raw_or_truth():
    pattern = re.compile(r"data/(raw|truth)|read_csv|truth|records\.csv")
    for path in list(PY_MODELS.glob("*.py")) + list(YAML.parent.glob("*.sql")):
        assert not pattern.search(path.read_text()), path


def test_outputs_have_the_declared_arrow_schema(needs, fast_config):
    hold = pipeline.risk_holdout(needs, 50, fast_config)
    risk_t = pipeline.homelessness_risk(needs, 50, fast_config)
    metrics_t = pipeline.model_metrics(hold.to_pandas(), needs, 50, fast_config)
    for name, table in [
        ("mart_risk_holdout", hold),
        ("mart_homelessness_risk", risk_t),
        ("mart_risk_model_metrics", metrics_t),
    ]:
        assert isinstance(table, pa.Table)
        assert table.column_names == list(SCHEMAS[name]), name
    df = risk_t.to_pandas()
    assert df["household_key"].is_unique
    assert (df["band"] == "High").sum() == 50
    assert set(df["band"]) <= {"High", "Medium", "Low"}
    assert df["score"].between(0, 1).all()
    m = metrics_t.to_pandas()
    assert {
        "roc_auc",
        "average_precision",
        "brier_score",
        "ece",
        "precision_at_capacity",
        "recall_at_capacity",
        "train_rows",
    } <= set(m["metric"])
    assert m.loc[m["metric"] == "decile_mean_score", "decile"].tolist() == list(range(1, 11))


def test_conform_rejects_a_missing_column():
    import pandas as pd
    import pytest

    with pytest.raises(ValueError, match="missing"):
        conform(pd.DataFrame({"model": ["x"]}), "mart_ta_forecast_metrics")


def test_scores_are_published_only_for_the_evaluated_specification(needs, fast_config):
    import dataclasses

    import pytest

    hold = pipeline.risk_holdout(needs, 50, fast_config).to_pandas()
    versions = sorted(set(hold["model_version"]))
    table = pipeline.homelessness_risk(needs, 50, fast_config, evaluated_versions=versions)
    assert table.num_rows > 0
    other = dataclasses.replace(fast_config, seed=fast_config.seed + 1)
    with pytest.raises(ValueError, match="was not evaluated"):
        pipeline.homelessness_risk(needs, 50, other, evaluated_versions=versions)
