"""Each score's top contributing factors, in plain words.

Method (occlusion against a "no recorded need" reference): for each factor (a group of related
features, e.g. council tax arrears with its 3-month change and its months rising) that is not
at its reference value for a household, the factor is reset to the reference and the household
re-scored with the calibrated model; the drop in the score is that factor's contribution. The
factors with the largest positive contributions are phrased through :data:`PHRASES`, which
reads the household's own values ("council tax arrears rising for 3 months").

Occlusion is model-agnostic, exact for the model that produced the score, and only costs one
prediction per (household, factor that is present), so it runs on every scored household.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from insight_hub.prediction import features as F

# factor -> the features it resets together
FACTORS: dict[str, list[str]] = {
    "ct_arrears": ["ct_arrears", "ct_arrears_change_3m", "ct_arrears_months_rising"],
    "rent_arrears": ["rent_arrears", "rent_arrears_change_3m", "rent_arrears_months_rising"],
    "arrears_history": [
        "total_arrears",
        "total_arrears_change_3m",
        "arrears_months_12m",
        "arrears_max_12m",
    ],
    "notice": ["notice_6m", "nosp_6m", "ntq_6m", "possession_order_12m", "eviction_warrant_3m"],
    "benefit_reduced": ["benefit_reduced_3m"],
    "on_benefits": ["on_benefits"],
    "debts": ["open_debts"],
    "temporary_accommodation": ["in_temporary_accommodation", "tenure"],
    "money_hub": ["money_hub_contacts_3m"],
    "landlord_notice": ["money_hub_landlord_notice_3m"],
    "relationship_breakdown": ["money_hub_relationship_breakdown_3m"],
    "single_person_discount": ["single_person_discount_6m"],
    "register": ["on_housing_register"],
    "private_tenant": ["private_tenant"],
    "council_tax_account": ["council_tax_account_open"],
    "prior_approach": ["prior_approach_12m", "months_since_approach", "approach_on_record"],
    "household": ["household_size", "adults", "children", "new_child_12m"],
}


def _plural(n: float, word: str, plural: str | None = None) -> str:
    n = int(round(n))
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _arrears(kind: str, col: str) -> Callable[[dict], str]:
    def phrase(r: dict) -> str:
        rising = r[f"{col}_months_rising"]
        change = r[f"{col}_change_3m"]
        if rising >= 2:
            return f"{kind} arrears rising for {_plural(rising, 'month')} (now £{r[col]:,.0f})"
        if change > 0:
            return f"{kind} arrears up £{change:,.0f} in the last 3 months (now £{r[col]:,.0f})"
        return f"{kind} arrears of £{r[col]:,.0f}"

    return phrase


def _history(r: dict) -> str:
    if r["arrears_months_12m"] >= 2:
        return f"in arrears in {_plural(r['arrears_months_12m'], 'month')} of the last 12"
    return f"arrears of up to £{r['arrears_max_12m']:,.0f} in the last 12 months"


def _approach(r: dict) -> str:
    n = r["months_since_approach"]
    if n >= F.NO_APPROACH:
        # the approach is known only from the flags: within 12 months, or earlier than that
        if r["prior_approach_12m"]:
            return "approached the council as homeless in the last 12 months"
        return "approached the council as homeless more than a year ago"
    if n == 0:
        return "approached the council as homeless this month"
    return f"approached the council as homeless {_plural(n, 'month')} ago"


# the notice kinds, most serious first
NOTICE_KINDS = ("eviction_warrant_3m", "possession_order_12m", "ntq_6m", "nosp_6m")
NOTICE_PHRASES = {
    "eviction_warrant_3m": "eviction warrant issued in the last 3 months",
    "possession_order_12m": "possession order made in the last 12 months",
    "ntq_6m": "notice to quit served in the last 6 months",
    "nosp_6m": "notice of seeking possession served in the last 6 months",
}


def _notice(r: dict) -> str:
    """The most serious notice on record (a notice of any kind without one: notice_6m)."""
    for kind in NOTICE_KINDS:
        if r.get(kind, 0) > 0:
            return NOTICE_PHRASES[kind]
    return "notice seeking possession (or later notice) served in the last 6 months"


def _household(r: dict) -> str:
    if r.get("new_child_12m", 0) > 0:
        return (
            f"a child born in the last 12 months (household of "
            f"{_plural(r['household_size'], 'person', 'people')})"
        )
    if r["children"] > 0:
        return (
            f"household of {_plural(r['household_size'], 'person', 'people')} "
            f"with {_plural(r['children'], 'child', 'children')}"
        )
    return f"household of {_plural(r['household_size'], 'person', 'people')}"


PHRASES: dict[str, Callable[[dict], str]] = {
    "ct_arrears": _arrears("council tax", "ct_arrears"),
    "rent_arrears": _arrears("rent", "rent_arrears"),
    "arrears_history": _history,
    "notice": _notice,
    "benefit_reduced": lambda r: (
        "housing benefit / council tax support reduced or suspended in the last 3 months"
    ),
    "on_benefits": lambda r: "receiving housing benefit / council tax support",
    "debts": lambda r: f"{_plural(r['open_debts'], 'open council debt')}",
    "temporary_accommodation": lambda r: "currently in temporary accommodation",
    "money_hub": lambda r: (
        f"{_plural(r['money_hub_contacts_3m'], 'Homes and Money Hub contact')} in the last 3 months"
    ),
    "landlord_notice": lambda r: (
        "asked the Homes and Money Hub about a landlord's notice in the last 3 months"
    ),
    "relationship_breakdown": lambda r: (
        "asked the Homes and Money Hub for help after a relationship breakdown in the last 3 months"
    ),
    "single_person_discount": lambda r: (
        "council tax single person discount newly awarded in the last 6 months "
        "(the household is down to one adult)"
    ),
    "register": lambda r: "on the housing register",
    "private_tenant": lambda r: "renting privately (council tax record)",
    "council_tax_account": lambda r: "no council tax account open this month",
    "prior_approach": _approach,
    "household": _household,
}

NO_FACTORS = "no recorded risk factors"


def vocabulary() -> frozenset[str]:
    """Every word (upper case) the reasons can contain: the phrases rendered over sample values
    (the values change only numbers and plurals). The gate leaves these words out of its
    identity-name check, so that "Homes and Money Hub" is not mistaken for a resident's name;
    a name can reach `reasons` only through a phrase, and no phrase takes one."""
    words = set(re.findall(r"[A-Za-z]+", NO_FACTORS.upper()))
    for value in (0, 1, 2, 5, F.NO_APPROACH):
        for flag in (0, 1):
            row = {c: float(value) for c in [*F.FEATURES, *F.REFERENCE]}
            row.update(prior_approach_12m=flag, new_child_12m=flag, children=value)
            for phrase in PHRASES.values():
                words |= set(re.findall(r"[A-Za-z]+", phrase(row).upper()))
    # each notice kind alone (the phrase names the most serious one present)
    for kind in NOTICE_KINDS:
        row = {c: float(c == kind) for c in NOTICE_KINDS}
        words |= set(re.findall(r"[A-Za-z]+", _notice(row).upper()))
    return frozenset(words)


def contributions(
    predict: Callable[[pd.DataFrame], np.ndarray], X: pd.DataFrame, base: np.ndarray | None = None
) -> pd.DataFrame:
    """Score drop when each factor is reset to the reference (0 where the factor is absent)."""
    base = predict(X) if base is None else base
    out = pd.DataFrame(0.0, index=X.index, columns=list(FACTORS))
    for factor, cols in FACTORS.items():
        ref = np.array([F.REFERENCE[c] for c in cols], dtype=np.float32)
        present = (X[cols].to_numpy() != ref).any(axis=1)
        if not present.any():
            continue
        Xo = X.loc[present].copy()
        for c, v in zip(cols, ref, strict=True):
            Xo[c] = v
        out.loc[present, factor] = base[present] - predict(Xo)
    return out


def reasons(
    contrib: pd.DataFrame,
    X: pd.DataFrame,
    top: int = 3,
    min_contribution: float = 0.001,
) -> pd.Series:
    """The top ``top`` factors (positive contribution above ``min_contribution``) in words."""
    values = contrib.to_numpy()
    order = np.argsort(-values, axis=1, kind="stable")[:, :top]
    names = np.array(contrib.columns)
    out = np.full(len(contrib), NO_FACTORS, dtype=object)
    need = np.flatnonzero((values >= min_contribution).any(axis=1))
    rows = X.iloc[need].to_dict("records")
    for i, row in zip(need, rows, strict=True):
        words = [PHRASES[names[j]](row) for j in order[i] if values[i, j] >= min_contribution]
        out[i] = "; ".join(words)
    return pd.Series(out, index=contrib.index, dtype="string")
