"""The column names and types of the prediction marts, enforced in Python.

dbt does not enforce model contracts on Python models, so each Python model returns
:func:`conform` (frame, spec): exactly these columns, in this order, as an Arrow table with
these types, or an error. The YAML beside the models (models/marts/prediction/) declares the
same columns and ``data_type``s; ``tests/prediction/test_schemas.py`` checks that the two
agree.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

ARROW = {
    "varchar": pa.string(),
    "date": pa.date32(),
    "double": pa.float64(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "boolean": pa.bool_(),
}

SCHEMAS: dict[str, dict[str, str]] = {
    "mart_homelessness_risk": {
        "household_key": "varchar",
        "scored_month": "date",
        "score": "double",
        "risk_rank": "integer",
        "band": "varchar",
        "reasons": "varchar",
        "model_version": "varchar",
    },
    "mart_risk_holdout": {
        "household_key": "varchar",
        "month": "date",
        "score": "double",
        "label": "boolean",
        "baseline_score": "double",
        "rank_in_month": "integer",
        "selected": "boolean",
        "model_version": "varchar",
    },
    "mart_risk_model_metrics": {
        "model_version": "varchar",
        "metric": "varchar",
        "decile": "integer",
        "value": "double",
        "description": "varchar",
    },
    "mart_risk_fairness": {
        "model_version": "varchar",
        "characteristic": "varchar",
        "group_name": "varchar",
        "households": "integer",
        "household_months": "integer",
        "outcomes": "integer",
        "selection_rate": "double",
        "tpr": "double",
        "fpr": "double",
        "mean_score": "double",
        "observed_rate": "double",
        "selection_rate_ratio": "double",
        "tpr_ratio": "double",
        "fpr_ratio": "double",
        "calibration_ratio": "double",
        "suppressed": "boolean",
    },
    "mart_ta_forecast": {
        "area_type": "varchar",
        "area_code": "varchar",
        "month": "date",
        "horizon": "integer",
        "forecast": "double",
        "lower_80": "double",
        "upper_80": "double",
        "lower_95": "double",
        "upper_95": "double",
        "origin_month": "date",
        "model": "varchar",
        "model_version": "varchar",
    },
    "mart_ta_forecast_metrics": {
        "model": "varchar",
        "metric": "varchar",
        "value": "double",
        "description": "varchar",
    },
}


def conform(frame: pd.DataFrame, model: str) -> pa.Table:
    """Exactly the declared columns and types, or a ValueError naming what is wrong."""
    spec = SCHEMAS[model]
    missing = [c for c in spec if c not in frame.columns]
    if missing:
        raise ValueError(f"{model}: missing columns {missing}")
    arrays = []
    for col, kind in spec.items():
        s = frame[col]
        if kind == "date":
            s = pd.to_datetime(s).dt.date
        elif kind in ("integer", "bigint"):
            s = pd.to_numeric(s).round().astype("Int64")
        elif kind == "double":
            s = pd.to_numeric(s).astype("float64")
        elif kind == "boolean":
            s = s.astype("boolean")
        else:
            s = s.astype("string")
        arrays.append(pa.array(s, type=ARROW[kind], from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=pa.schema([(c, ARROW[k]) for c, k in spec.items()]))
