"""The linkage settings (as data) and the reviewed model agree with each other and the docs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from insight_hub.identity.linkage import LINKAGE_COLUMNS, prediction_columns
from insight_hub.identity.nicknames import canonical_map
from insight_hub.identity.settings import DEFAULT_MODEL_PATH, load_spec, settings_creator

PROJECT_DIR = Path(os.environ.get("IDN_TEST_PROJECT_DIR", Path(__file__).resolve().parents[2]))

MODEL = json.loads((PROJECT_DIR / DEFAULT_MODEL_PATH).read_text())


def test_settings_build_a_splink_settings_creator():
    creator = settings_creator()
    settings = creator.create_settings_dict("duckdb")
    assert settings["link_type"] == "dedupe_only"
    assert settings["unique_id_column_name"] == "record_key"


def test_reviewed_model_matches_the_settings():
    spec = load_spec()
    assert [c["output_column_name"] for c in MODEL["comparisons"]] == [
        c["output_column_name"] for c in spec["comparisons"]
    ]
    for comp, spec_comp in zip(MODEL["comparisons"], spec["comparisons"], strict=True):
        assert len(comp["comparison_levels"]) == len(spec_comp["levels"]), comp[
            "output_column_name"
        ]
        for level in comp["comparison_levels"]:
            if not level.get("is_null_level"):
                assert level.get("m_probability"), (comp["output_column_name"], level)
                assert level.get("u_probability"), (comp["output_column_name"], level)
    assert len(MODEL["blocking_rules_to_generate_predictions"]) == len(
        spec["blocking_rules_to_generate_predictions"]
    )
    assert 0 < MODEL["probability_two_random_records_match"] < 0.01


def test_thresholds_make_a_review_band():
    t = load_spec()["thresholds"]
    assert 0 < t["review_lower"] < t["match"] < 1


def test_prediction_yaml_documents_every_prediction_column():
    properties = yaml.safe_load(
        (PROJECT_DIR / "python_models/identity/_identity__python_models.yml").read_text()
    )
    model = next(m for m in properties["models"] if m["name"] == "idn_pairwise_predictions")
    documented = [c["name"] for c in model["columns"]]
    expected = prediction_columns(MODEL)
    expected.insert(5, "decision")
    assert documented == expected


def test_linkage_columns_are_documented_match_record_columns():
    properties = yaml.safe_load((PROJECT_DIR / "models/identity/_identity__models.yml").read_text())
    model = next(m for m in properties["models"] if m["name"] == "idn_match_records")
    assert set(LINKAGE_COLUMNS) <= {c["name"] for c in model["columns"]}


def test_nicknames_share_a_canonical():
    names = canonical_map()
    assert names["BOB"] == names["ROBERT"] == names["ROB"]
    assert names["BILL"] == names["WILLIAM"]
    assert names["MUHAMMAD"] == names["MOHAMMED"]
    assert all(name.isupper() or not name.isalpha() for name in names)


def test_model_path_is_repo_relative():
    assert not Path(DEFAULT_MODEL_PATH).is_absolute()
