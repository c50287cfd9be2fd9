"""Train the person-linkage model, unsupervised (no ground truth is read).

1. The prior, probability_two_random_records_match, from deterministic rules (NHS, NI, UPN,
   exact forename+surname+date of birth) with an assumed recall.
2. u probabilities (how often non-matching pairs agree) from random pairs (max_pairs).
3. m probabilities (how often matching pairs agree) by expectation maximisation on a few
   blocking rules, each session capped at em_max_pairs blocked pairs.

The result is Splink's model JSON, written for review (linkage/person_model.json); the build
loads it and never retrains.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import duckdb

from insight_hub.identity.linkage import prepare_input, quiet_splink
from insight_hub.identity.settings import load_spec, rules, settings_creator


def train_model(
    con: duckdb.DuckDBPyConnection,
    records: str,
    spec: dict[str, Any] | None = None,
    progress=print,
) -> dict[str, Any]:
    """Estimate the model's parameters on ``records``; return the Splink model dict."""
    from splink import DuckDBAPI, Linker

    quiet_splink()
    spec = spec or load_spec()
    training = spec["training"]
    table = prepare_input(con, records, "__idn_training_input")
    db_api = DuckDBAPI(connection=con)
    linker = Linker(db_api.register(table), settings_creator(spec))
    try:
        t0 = time.perf_counter()
        linker.training.estimate_probability_two_random_records_match(
            rules(training["deterministic_rules"]),
            recall=float(training["deterministic_recall"]),
        )
        progress(f"prior estimated ({time.perf_counter() - t0:.1f} s)")
        linker.training.estimate_u_using_random_sampling(
            max_pairs=float(training["u_max_pairs"]),
            seed=int(training["u_seed"]),
            num_chunks=int(training.get("u_num_chunks", 10)),
        )
        progress(f"u probabilities estimated ({time.perf_counter() - t0:.1f} s)")
        for rule in rules(training["em_blocking_rules"]):
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=float(training["em_max_pairs"])
            )
            progress(f"m probabilities: EM session done ({time.perf_counter() - t0:.1f} s)")
        model = linker.misc.save_model_to_json()
    finally:
        db_api.delete_tables_created_by_splink_from_db()
        con.execute(f"drop table if exists {table}")
    return apply_m_floor(model, float(training.get("m_floor", 0.0)))


def apply_m_floor(model: dict[str, Any], floor: float) -> dict[str, Any]:
    """Raise every non-null level's m probability to at least ``floor`` and renormalise
    each comparison's m values to sum to one (docs/identity.md, "Training"). A level EM
    never observed among matches (no m estimate) gets the floor."""
    if floor <= 0:
        return model
    for comp in model["comparisons"]:
        levels = [lv for lv in comp["comparison_levels"] if not lv.get("is_null_level")]
        ms = [lv.get("m_probability") for lv in levels]
        raised = [floor if m is None else max(m, floor) for m in ms]
        total = sum(raised)
        for level, m in zip(levels, raised, strict=True):
            level["m_probability"] = m / total
    return model


def write_model(model: dict[str, Any], path: str | Path) -> Path:
    """Write the model JSON with stable formatting, so that reviews diff cleanly."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model, indent=2, sort_keys=False) + "\n")
    return path
