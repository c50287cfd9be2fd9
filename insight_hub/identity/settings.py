"""The person-linkage settings, read from person_settings.yml (settings as data).

The YAML names each comparison level by kind (missing, exact, jaro_winkler, ... custom SQL);
this module turns it into Splink 5 comparison creators and a SettingsCreator. Nothing here
is trained: `insight-hub linkage train` (insight_hub.identity.train) estimates the
parameters and writes linkage/person_model.json, which the build loads.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SETTINGS_FILE = Path(__file__).with_name("person_settings.yml")
DEFAULT_MODEL_PATH = Path("linkage/person_model.json")


@cache
def load_spec(path: str | None = None) -> dict[str, Any]:
    """The settings file as a dict (cached; read-only by convention)."""
    return yaml.safe_load(Path(path or SETTINGS_FILE).read_text())


def thresholds(spec: dict[str, Any] | None = None) -> dict[str, float]:
    spec = spec or load_spec()
    return {k: float(v) for k, v in spec["thresholds"].items()}


def build_thresholds(meta: dict[str, Any] | None = None) -> dict[str, float]:
    """The thresholds a build uses: person_settings.yml's, unless the dbt vars
    identity_match_threshold / identity_review_threshold override them (the Python models
    receive the vars through their config meta)."""
    result = thresholds()
    meta = meta or {}
    for key, meta_key in (("match", "match_threshold"), ("review_lower", "review_threshold")):
        value = meta.get(meta_key)
        if value not in (None, "", "None"):
            result[key] = float(value)
    return result


def _level(level: dict[str, Any]):
    import splink.comparison_level_library as cll

    kind = level["kind"]
    col = level.get("column")
    if kind == "missing":
        creator = cll.NullLevel(col)
    elif kind == "exact":
        creator = cll.ExactMatchLevel(col)
    elif kind == "jaro_winkler":
        creator = cll.JaroWinklerLevel(col, level["threshold"])
    elif kind == "levenshtein":
        creator = cll.LevenshteinLevel(col, level["threshold"])
    elif kind == "damerau_levenshtein":
        creator = cll.DamerauLevenshteinLevel(col, level["threshold"])
    elif kind == "custom":
        creator = cll.CustomLevel(level["sql"], base_dialect_str="duckdb")
    elif kind == "else":
        creator = cll.ElseLevel()
    else:
        raise ValueError(f"unknown comparison level kind {kind!r}")
    options: dict[str, Any] = {}
    if level.get("tf"):
        options["tf_adjustment_column"] = col
    if level.get("tf_column"):
        options["tf_adjustment_column"] = level["tf_column"]
        options["disable_tf_exact_match_detection"] = True
    if level.get("label"):
        options["label_for_charts"] = level["label"]
    if level.get("is_null_level"):
        options["is_null_level"] = True
    if options:
        creator.configure(**options)
    return creator


def comparisons(spec: dict[str, Any] | None = None) -> list:
    import splink.comparison_library as cl

    spec = spec or load_spec()
    return [
        cl.CustomComparison(
            comparison_levels=[_level(lv) for lv in comp["levels"]],
            output_column_name=comp["output_column_name"],
            comparison_description=comp.get("comparison_description"),
        )
        for comp in spec["comparisons"]
    ]


def rules(rule_columns: list[list[str]]) -> list:
    """Blocking rules from lists of columns that must agree (splink.block_on)."""
    from splink import block_on

    return [block_on(*cols) for cols in rule_columns]


def settings_creator(spec: dict[str, Any] | None = None):
    """The untrained Splink SettingsCreator."""
    from splink import SettingsCreator

    spec = spec or load_spec()
    return SettingsCreator(
        link_type=spec["link_type"],
        unique_id_column_name=spec["unique_id_column_name"],
        comparisons=comparisons(spec),
        blocking_rules_to_generate_predictions=rules(
            spec["blocking_rules_to_generate_predictions"]
        ),
        additional_columns_to_retain=list(spec.get("additional_columns_to_retain", [])),
        retain_matching_columns=bool(spec.get("retain_matching_columns", True)),
        retain_intermediate_calculation_columns=bool(
            spec.get("retain_intermediate_calculation_columns", True)
        ),
        em_convergence=float(spec.get("em_convergence", 0.0001)),
        max_iterations=int(spec.get("max_iterations", 25)),
    )
