"""Fairness monitoring: how the held-out predictions fall on groups by protected characteristic.

Protected characteristics are read here, after scoring, and only here: they are never model
features. Each household is given one group per characteristic (see
:func:`household_groups`); for each group, over the held-out household-months:

- selection rate: share of household-months within the team's capacity (top N in the month);
- TPR: share of those with an approach in the next 6 months that were selected;
- FPR: share of those without one that were selected;
- calibration: mean predicted probability against the observed rate;
- ratios of each to the whole population (1.0 = parity; the "four-fifths" rule of thumb flags
  a selection-rate ratio below 0.8).

Small numbers are suppressed: a group with fewer than ``min_households`` households, or fewer
than ``min_outcomes`` outcomes (approaches) or non-outcomes, gets counts banded and no rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = [
    "characteristic",
    "group_name",
    "households",
    "household_months",
    "outcomes",
    "selection_rate",
    "tpr",
    "fpr",
    "mean_score",
    "observed_rate",
    "selection_rate_ratio",
    "tpr_ratio",
    "fpr_ratio",
    "calibration_ratio",
    "suppressed",
]


def _rates(g: pd.DataFrame) -> dict[str, float]:
    y = g["label"].astype(bool).to_numpy()
    s = g["selected"].astype(bool).to_numpy()
    pos, neg = y.sum(), (~y).sum()
    return {
        "households": g["household_key"].nunique(),
        "household_months": len(g),
        "outcomes": int(pos),
        "non_outcomes": int(neg),
        "selection_rate": s.mean() if len(g) else np.nan,
        "tpr": (s & y).sum() / pos if pos else np.nan,
        "fpr": (s & ~y).sum() / neg if neg else np.nan,
        "mean_score": g["score"].mean(),
        "observed_rate": y.mean() if len(g) else np.nan,
    }


def fairness_table(
    holdout: pd.DataFrame,
    groups: pd.DataFrame,
    min_households: int = 10,
    min_outcomes: int = 10,
) -> pd.DataFrame:
    """Per characteristic and group. ``holdout``: household_key, month, score, label, selected;
    ``groups``: household_key, characteristic, group_name (one group per household and
    characteristic; households without a record fall in "Not known")."""
    overall = _rates(holdout)
    rows = [{"characteristic": "all", "group_name": "all households", **overall}]
    keys = holdout[["household_key"]].drop_duplicates()
    for characteristic, gmap in groups.groupby("characteristic", sort=True):
        gmap = gmap.drop_duplicates("household_key")[["household_key", "group_name"]]
        mapped = keys.merge(gmap, on="household_key", how="left").fillna(
            {"group_name": "Not known"}
        )
        joined = holdout.merge(mapped, on="household_key", how="left")
        for name, g in joined.groupby("group_name", sort=True):
            rows.append({"characteristic": characteristic, "group_name": name, **_rates(g)})
    out = pd.DataFrame(rows)
    for col, ratio in [
        ("selection_rate", "selection_rate_ratio"),
        ("tpr", "tpr_ratio"),
        ("fpr", "fpr_ratio"),
    ]:
        out[ratio] = out[col] / overall[col] if overall[col] else np.nan
    out["calibration_ratio"] = out["mean_score"] / out["observed_rate"].where(
        out["observed_rate"] > 0
    )
    small = (
        (out["households"] < min_households)
        | (out["outcomes"] < min_outcomes)
        | (out["non_outcomes"] < min_outcomes)
    )
    out["suppressed"] = small
    rate_cols = [c for c in COLUMNS if c not in ("characteristic", "group_name", "suppressed")]
    count_cols = ["households", "household_months", "outcomes"]
    out[rate_cols] = out[rate_cols].astype(float)
    out.loc[small, [c for c in rate_cols if c not in count_cols]] = np.nan
    out.loc[small, count_cols] = np.nan  # the counts themselves are small numbers
    return out[COLUMNS]


def household_groups(
    residents: pd.DataFrame,
    reference: str = "eldest_adult",
) -> pd.DataFrame:
    """One group per household and characteristic from person-level protected data.

    ``residents``: household_key, person_key, and any of ethnicity_group, sex, disability
    (bool), age_band / date_of_birth / age. Household-level groups:

    - ethnicity (of the household reference person: the eldest adult, else the eldest member),
      sex of the reference person, age band of the reference person;
    - disability: "Disabled member" if any member is recorded disabled, "No disabled member"
      if some member has a recorded No, otherwise "Not known".
    """
    df = residents.copy()
    age = _age(df)
    df["_age"] = age
    df["_adult"] = age >= 18
    order = df.sort_values(
        ["household_key", "_adult", "_age", "person_key"],
        ascending=[True, False, False, True],
        na_position="last",
        kind="stable",
    )
    ref = order.drop_duplicates("household_key")
    out = []
    for col, name in [("ethnicity_group", "ethnicity"), ("sex", "sex")]:
        if col in df.columns:
            out.append(
                pd.DataFrame(
                    {
                        "household_key": ref["household_key"],
                        "characteristic": f"{name} (reference person)",
                        "group_name": ref[col].fillna("Not known").astype(str),
                    }
                )
            )
    if age.notna().any():
        band = pd.cut(
            ref["_age"],
            [-1, 24, 34, 49, 64, 200],
            labels=["under 25", "25-34", "35-49", "50-64", "65 and over"],
        )
        out.append(
            pd.DataFrame(
                {
                    "household_key": ref["household_key"],
                    "characteristic": "age band (reference person)",
                    "group_name": band.astype(str).replace("nan", "Not known"),
                }
            )
        )
    if "disability" in df.columns:
        d = df["disability"].map(_as_bool)
        flags = pd.DataFrame(
            {
                "household_key": df["household_key"],
                "yes": d.map(lambda v: v is True),
                "no": d.map(lambda v: v is False),
            }
        )
        agg = flags.groupby("household_key")[["yes", "no"]].any()
        group = np.where(
            agg["yes"], "Disabled member", np.where(agg["no"], "No disabled member", "Not known")
        )
        out.append(
            pd.DataFrame(
                {
                    "household_key": agg.index,
                    "characteristic": "disability (any member)",
                    "group_name": group,
                }
            )
        )
    if not out:
        return pd.DataFrame(columns=["household_key", "characteristic", "group_name"])
    return pd.concat(out, ignore_index=True)


def _as_bool(v):
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    if isinstance(v, bool | np.bool_):
        return bool(v)
    s = str(v).strip().lower()
    if s in ("y", "yes", "true", "1", "t"):
        return True
    if s in ("n", "no", "false", "0", "f"):
        return False
    return None


def _age(df: pd.DataFrame, as_of: str = "2026-10-01") -> pd.Series:
    if "age" in df.columns:
        return pd.to_numeric(df["age"], errors="coerce")
    if "date_of_birth" in df.columns:
        dob = pd.to_datetime(df["date_of_birth"], errors="coerce")
        return (pd.Timestamp(as_of) - dob).dt.days / 365.25
    if "age_band" in df.columns:
        lower = df["age_band"].astype("string").str.extract(r"(\d+)")[0]
        return pd.to_numeric(lower, errors="coerce")
    return pd.Series(np.nan, index=df.index)
