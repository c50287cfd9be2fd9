"""What the homelessness risk model may see, what it may not, and the label it learns.

The model reads ``mart_household_needs`` (one row per household per month, see
docs/marts.md). Its features are the needs-profile columns listed in :data:`FEATURES`,
plus a few derived from the household's *earlier* rows only (:func:`add_derived_features`).

Never features (:data:`EXCLUDED`): protected characteristics under the Equality Act 2010 and
their obvious proxies. The mart carries none of the characteristics themselves; it does carry
``ward_code`` / ``lsoa_code`` (place is a strong proxy for ethnicity and for deprivation, and a
model that learns place would send help by postcode rather than by need) and ``over_65s``
(age). ``tests/prediction/test_features.py`` asserts from the fitted model's own feature list
that none of them is used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

KEY = "household_key"
MONTH = "month"
OUTCOME = "approached"
OBJECTION = "predictive_objection"

# Horizon of the label: an approach in months m+1 .. m+HORIZON.
HORIZON = 6

NUMERIC = [
    "household_size",
    "adults",
    "children",
    "ct_arrears",
    "ct_arrears_change_3m",
    "ct_arrears_months_rising",
    "rent_arrears",
    "rent_arrears_change_3m",
    "rent_arrears_months_rising",
    "open_debts",
    "money_hub_contacts_3m",
]
BOOLEAN = [
    "on_benefits",
    "benefit_reduced_3m",
    "notice_6m",
    # the notice's kind: a warrant is days from eviction, a NOSP the first step
    "nosp_6m",
    "ntq_6m",
    "possession_order_12m",
    "eviction_warrant_3m",
    "in_temporary_accommodation",
    "on_housing_register",
    # renting privately (the council tax account's occupier type): tenure 'other' holds owner
    # occupiers and private tenants, whose risks differ most
    "private_tenant",
    # liable for council tax in the borough this month: a household whose accounts have all
    # closed has most often moved away (and can no longer approach this council)
    "council_tax_account_open",
    "prior_approach_12m",
    # what the council sees of a private landlord ending a tenancy (the Hub contact's topic)
    # and of a household falling to one adult (a single person discount on an existing
    # account; a Hub contact about a relationship breakdown): changes in circumstances, never
    # the resident's marital status (a discount follows a bereavement or a grown-up child
    # leaving as well, and couples who separate need not be married)
    "money_hub_landlord_notice_3m",
    "money_hub_relationship_breakdown_3m",
    "single_person_discount_6m",
]
CATEGORICAL = {"tenure": ["council", "temporary", "other"]}
# Derived from the household's own rows up to and including month m (never later).
DERIVED = [
    "total_arrears",
    "total_arrears_change_3m",
    "arrears_months_12m",
    "arrears_max_12m",
    "months_since_approach",
    "approach_on_record",
    "new_child_12m",
]
# months_since_approach when no approach is on record in the window so far
NO_APPROACH = 36.0

# The service datasets (governance/purposes.yml names) each feature derives from. The
# homelessness_prevention purpose may use every one of them (tests/prediction checks this
# against the purpose register); "identity" is the linked household itself (the key maps).
FEATURE_DATASETS: dict[str, list[str]] = {
    "household_size": ["identity"],
    "adults": ["identity"],
    "children": ["identity"],
    "tenure": ["housing.tenancies", "housing.temporary_accommodation"],
    "ct_arrears": ["revenues_benefits.council_tax_arrears"],
    "ct_arrears_change_3m": ["revenues_benefits.council_tax_arrears"],
    "ct_arrears_months_rising": ["revenues_benefits.council_tax_arrears"],
    "rent_arrears": ["housing.rent_arrears"],
    "rent_arrears_change_3m": ["housing.rent_arrears"],
    "rent_arrears_months_rising": ["housing.rent_arrears"],
    "open_debts": ["revenues_benefits.debts"],
    "money_hub_contacts_3m": ["housing.money_hub_contacts"],
    "on_benefits": ["revenues_benefits.benefit_claims"],
    "benefit_reduced_3m": ["revenues_benefits.benefit_claims"],
    "notice_6m": ["housing.tenancy_notices"],
    "nosp_6m": ["housing.tenancy_notices"],
    "ntq_6m": ["housing.tenancy_notices"],
    "possession_order_12m": ["housing.tenancy_notices"],
    "eviction_warrant_3m": ["housing.tenancy_notices"],
    "money_hub_landlord_notice_3m": ["housing.money_hub_contacts"],
    "money_hub_relationship_breakdown_3m": ["housing.money_hub_contacts"],
    "single_person_discount_6m": ["revenues_benefits.council_tax_accounts"],
    "private_tenant": ["revenues_benefits.council_tax_accounts"],
    "council_tax_account_open": ["revenues_benefits.council_tax_accounts"],
    "in_temporary_accommodation": ["housing.temporary_accommodation"],
    "on_housing_register": ["homelessness.register_applications"],
    "prior_approach_12m": ["homelessness.approaches"],
    "total_arrears": ["revenues_benefits.council_tax_arrears", "housing.rent_arrears"],
    "total_arrears_change_3m": ["revenues_benefits.council_tax_arrears", "housing.rent_arrears"],
    "arrears_months_12m": ["revenues_benefits.council_tax_arrears", "housing.rent_arrears"],
    "arrears_max_12m": ["revenues_benefits.council_tax_arrears", "housing.rent_arrears"],
    "months_since_approach": ["homelessness.approaches"],
    "approach_on_record": ["homelessness.approaches"],
    "new_child_12m": ["identity"],
}

# The mart columns the model reads (inputs), and the model's features (in order).
INPUT_COLUMNS = [KEY, MONTH, *NUMERIC, *BOOLEAN, *CATEGORICAL, OUTCOME, OBJECTION]
FEATURES = [*NUMERIC, *BOOLEAN, *CATEGORICAL, *DERIVED]

# Never features, with the reason recorded in the model card.
PROTECTED = {
    "ethnicity": "protected characteristic (race)",
    "ethnic_group": "protected characteristic (race)",
    "nationality": "protected characteristic (race)",
    "sex": "protected characteristic",
    "gender": "protected characteristic (sex / gender reassignment)",
    "disability": "protected characteristic",
    "disabled": "protected characteristic",
    "sen_provision": "proxy for disability (special educational needs)",
    "religion": "protected characteristic",
    "sexual_orientation": "protected characteristic",
    "marital_status": "protected characteristic (marriage and civil partnership)",
    "pregnancy": "protected characteristic (pregnancy and maternity)",
    "date_of_birth": "age (protected characteristic) and a direct identifier",
    "dob": "age (protected characteristic) and a direct identifier",
    "age": "protected characteristic",
    "age_band": "protected characteristic",
}
PROXIES = {
    "over_65s": "age expressed as a count of older residents (age is protected)",
    "ward_code": "place: a proxy for ethnicity and deprivation; help goes by need, not postcode",
    "lsoa_code": "place: a proxy for ethnicity and deprivation; help goes by need, not postcode",
    "postcode": "place (proxy) and a direct identifier",
    "uprn": "place (proxy) and a direct identifier",
}
# Needs-profile columns from services the homelessness_prevention purpose may not use
# ("we do not use every dataset for every use case": governance/purposes.yml).
NOT_PERMITTED = {
    "early_help_open": "childrens_social_care.early_help_episodes",
    "cin_open": "childrens_social_care.cin_episodes",
    "mash_contacts_3m": "childrens_social_care.mash_contacts",
    "youth_offending_12m": "childrens_social_care.youth_offending",
    "adult_social_care_open": "adults_social_care.involvements",
    "pupils_low_attendance": "education.attendance",
    "exclusions_12m": "education.exclusions",
}
NOT_FEATURES = {
    KEY: "pseudonymous identifier",
    MONTH: "time index: the split is by month, the model is not told the date",
    OUTCOME: "the outcome (the label is built from it)",
    OBJECTION: "governance flag: objectors are removed before training and scoring",
}
EXCLUDED = {
    **PROTECTED,
    **PROXIES,
    **{
        c: f"{d}: not a dataset the homelessness_prevention purpose may use"
        for c, d in NOT_PERMITTED.items()
    },
}

# Reference values: what "no recorded need" looks like for each feature (used by the
# explanations as the occlusion reference).
REFERENCE: dict[str, float] = {
    **{c: 0.0 for c in NUMERIC},
    **{c: 0.0 for c in BOOLEAN},
    **{c: 0.0 for c in DERIVED},
    "household_size": 2.0,
    "adults": 2.0,
    "children": 0.0,
    "tenure": float(CATEGORICAL["tenure"].index("other")),
    # the usual household holds an account: only one without differs from the reference
    "council_tax_account_open": 1.0,
    "months_since_approach": NO_APPROACH,
}


def month_index(months: pd.Series) -> np.ndarray:
    """Months as integers (year * 12 + month - 1), so that m + 1 is the next month."""
    m = pd.to_datetime(months)
    return (m.dt.year * 12 + m.dt.month - 1).to_numpy(dtype=np.int64)


def index_to_month(idx: int | np.ndarray) -> pd.Timestamp | pd.DatetimeIndex:
    """The inverse of :func:`month_index` (first day of the month)."""
    arr = np.atleast_1d(np.asarray(idx, dtype=np.int64))
    uniq, inv = np.unique(arr, return_inverse=True)
    firsts = pd.to_datetime({"year": uniq // 12, "month": uniq % 12 + 1, "day": np.ones_like(uniq)})
    out = pd.DatetimeIndex(firsts.to_numpy()[inv.reshape(-1)])
    return out[0] if np.ndim(idx) == 0 else out


class Grid:
    """Dense household x month arrays for a household-month frame (rows may have gaps).

    Rolling windows over a household's history become cumulative sums along the month axis,
    which keeps derived features exact and strictly backward-looking.
    """

    def __init__(self, frame: pd.DataFrame):
        key = frame[KEY]
        if isinstance(key.dtype, pd.CategoricalDtype):
            codes = key.cat.codes.to_numpy()
            used = np.unique(codes)
            self.h = np.searchsorted(used, codes)
            self.households = key.cat.categories[used]
        else:
            self.h, self.households = pd.factorize(key, sort=True)
        midx = month_index(frame[MONTH])
        self.first = int(midx.min()) if len(midx) else 0
        self.t = midx - self.first
        self.n_months = int(self.t.max()) + 1 if len(midx) else 0
        self.shape = (len(self.households), self.n_months)
        self.present = self.dense(np.ones(len(frame), dtype=bool), False)

    def dense(self, values, fill=0.0) -> np.ndarray:
        values = np.asarray(values)
        out = np.full(self.shape, fill, dtype=values.dtype)
        out[self.h, self.t] = values
        return out

    def rows(self, dense: np.ndarray) -> np.ndarray:
        return dense[self.h, self.t]


def _window_sum(dense: np.ndarray, width: int) -> np.ndarray:
    """Sum over months t-width+1 .. t (inclusive), along axis 1."""
    cs = np.cumsum(dense, axis=1, dtype=np.float64)
    out = cs.copy()
    out[:, width:] -= cs[:, :-width]
    return out


def _window_max(dense: np.ndarray, width: int) -> np.ndarray:
    out = dense.copy()
    for k in range(1, width):
        out[:, k:] = np.maximum(out[:, k:], dense[:, :-k])
    return out


def derived_features(frame: pd.DataFrame, grid: Grid | None = None) -> dict[str, np.ndarray]:
    """The :data:`DERIVED` columns, from each household's rows up to and including month m."""
    grid = grid or Grid(frame)
    ct = frame["ct_arrears"].fillna(0).to_numpy(dtype=np.float64)
    rent = frame["rent_arrears"].fillna(0).to_numpy(dtype=np.float64)
    total = ct + rent
    change = frame["ct_arrears_change_3m"].fillna(0).to_numpy(dtype=np.float64) + frame[
        "rent_arrears_change_3m"
    ].fillna(0).to_numpy(dtype=np.float64)
    approached = frame[OUTCOME].fillna(False).to_numpy(dtype=bool)
    prior_12m = frame["prior_approach_12m"].fillna(False).to_numpy(dtype=bool)
    children = frame["children"].fillna(0).to_numpy(dtype=np.float32)
    # fewest children from t-12 to t (absent months ignored): more now is a birth in the last
    # 12 months
    fewest_12m = -_window_max(grid.dense(-children, -np.inf), 13)
    return {
        "total_arrears": total,
        "total_arrears_change_3m": change,
        "arrears_months_12m": grid.rows(
            _window_sum(grid.dense((total > 0).astype(np.float32)), 12)
        ),
        "arrears_max_12m": grid.rows(_window_max(grid.dense(total.astype(np.float32)), 12)),
        "months_since_approach": grid.rows(_months_since(grid.dense(approached))),
        # Any approach on record so far: in the window, or in the 12 months before any earlier
        # row (prior_approach_12m). An earlier approach keeps raising the risk after it drops
        # out of the 12-month flag, so the flag alone forgets it.
        "approach_on_record": grid.rows(
            np.maximum.accumulate(grid.dense(approached | prior_12m), axis=1)
        ),
        # A child born into the household in the last 12 months (the mart's composition is
        # month by month: a birth counts from its month on).
        "new_child_12m": (children > grid.rows(fewest_12m)).astype(np.float32),
    }


def add_derived_features(frame: pd.DataFrame, grid: Grid | None = None) -> pd.DataFrame:
    """A copy of ``frame`` with the :data:`DERIVED` columns appended."""
    return frame.assign(**derived_features(frame, grid))


def _months_since(events: np.ndarray, cap: float = NO_APPROACH) -> np.ndarray:
    """Months since the latest event at or before t (0 = this month), capped; cap = none."""
    n_h, n_t = events.shape
    last = np.full(n_h, -1e9)
    out = np.empty(events.shape, dtype=np.float64)
    for t in range(n_t):
        last = np.where(events[:, t], t, last)
        out[:, t] = np.minimum(t - last, cap)
    return out


def feature_matrix(frame: pd.DataFrame, grid: Grid | None = None) -> pd.DataFrame:
    """The model's inputs, in :data:`FEATURES` order, as float32 (tenure as category codes).

    Filled column by column into one preallocated array (no per-column frames to stack).
    """
    derived = derived_features(frame, grid)
    out = np.empty((len(frame), len(FEATURES)), dtype=np.float32)
    for j, c in enumerate(FEATURES):
        if c in derived:
            out[:, j] = derived.pop(c)
        elif c in CATEGORICAL:
            levels = CATEGORICAL[c]
            codes = pd.Categorical(frame[c].fillna("other"), categories=levels).codes
            out[:, j] = np.where(codes < 0, levels.index("other"), codes)
        elif c in BOOLEAN:
            out[:, j] = frame[c].fillna(False).to_numpy(dtype=np.float32)
        else:
            out[:, j] = frame[c].fillna(0).to_numpy(dtype=np.float32)
    return pd.DataFrame(out, columns=FEATURES, index=frame.index, copy=False)


def categorical_mask() -> list[bool]:
    return [c in CATEGORICAL for c in FEATURES]


def next_months_label(
    frame: pd.DataFrame, horizon: int = HORIZON, grid: Grid | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(label, complete) per row: an approach in months m+1 .. m+horizon of this frame.

    ``complete`` is False where the window runs past the frame's last month: such rows are
    never trained or evaluated on. Months in which the household has no row count as "no
    approach recorded".
    """
    grid = grid or Grid(frame)
    appr = grid.dense(frame[OUTCOME].fillna(False).astype(bool).to_numpy(dtype=np.float64))
    # approaches in (t, t+horizon] = S(t+horizon) - S(t), padding past the end with the last sum
    cs = np.cumsum(appr, axis=1)
    pad = np.concatenate([cs, np.repeat(cs[:, -1:], horizon, axis=1)], axis=1)
    ahead = pad[:, horizon : horizon + grid.n_months] - cs
    label = grid.rows(ahead) > 0
    complete = grid.t + horizon <= grid.n_months - 1
    return label, complete


PREPARED = "insight_hub_prepared"


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the input columns, objectors removed, sorted by household and month.

    The household key becomes a categorical (compact; its categories sorted), the month the
    first day of its month. A frame this function returned is recognised and returned as is.
    """
    if frame.attrs.get(PREPARED):
        return frame
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"mart_household_needs lacks the columns the model reads: {missing}")
    keep = np.flatnonzero(~frame[OBJECTION].fillna(False).to_numpy(dtype=bool))
    codes, uniques = pd.factorize(frame[KEY].to_numpy()[keep], sort=True)
    midx = month_index(frame[MONTH].iloc[keep])
    perm = np.lexsort((midx, codes))
    order = keep[perm]
    # column by column with numpy takes: much cheaper than reindexing text columns
    cols = {
        KEY: pd.Categorical.from_codes(codes[perm], categories=pd.Index(uniques, dtype=str)),
        MONTH: index_to_month(midx[perm]),
    }
    for c in INPUT_COLUMNS:
        if c not in cols:
            values = frame[c].to_numpy()[order]
            # compact: the features are float32 anyway (pounds keep their pence)
            if values.dtype == np.float64:
                values = values.astype(np.float32)
            elif values.dtype == np.int64:
                values = values.astype(np.int32)
            cols[c] = values
    out = pd.DataFrame(cols, columns=INPUT_COLUMNS)
    out.attrs[PREPARED] = True
    return out


def cut(frame: pd.DataFrame, before: int) -> pd.DataFrame:
    """The rows of a prepared frame whose month index is before ``before`` (still prepared)."""
    m = month_index(frame[MONTH])
    if (m < before).all():
        return frame
    out = frame.loc[m < before].reset_index(drop=True)
    out.attrs[PREPARED] = True
    return out


# Features whose rise can only raise the risk (monotone constraints of the boosted trees):
# more arrears, more months rising, a notice (of any kind), a benefit cut, an earlier
# approach, advice sought about a landlord's notice or a relationship breakdown, a household
# newly down to one adult.
MONOTONE_INCREASING = {
    "ct_arrears",
    "ct_arrears_months_rising",
    "rent_arrears",
    "rent_arrears_months_rising",
    "notice_6m",
    "nosp_6m",
    "ntq_6m",
    "possession_order_12m",
    "eviction_warrant_3m",
    "money_hub_landlord_notice_3m",
    "money_hub_relationship_breakdown_3m",
    "single_person_discount_6m",
    "benefit_reduced_3m",
    "prior_approach_12m",
    "approach_on_record",
    "new_child_12m",
    "total_arrears",
    "arrears_max_12m",
    "arrears_months_12m",
}


# In the boosted trees only, not in the logistic regression: a NOSP or NTQ is the first
# stage of notice_6m, which the logistic regression has; as separate linear terms beside it
# they lowered the held-out AUC (expected AUC / best 0.903 -> 0.900 and average precision
# 0.203 -> 0.176 on the demo borough). The later stages (possession order, warrant) stay in both.
TREES_ONLY = {"nosp_6m", "ntq_6m"}


def monotonic_constraints() -> list[int]:
    return [1 if c in MONOTONE_INCREASING else 0 for c in FEATURES]


def linear_terms(X: pd.DataFrame) -> pd.DataFrame:
    """The additive model's inputs, derived only from :data:`FEATURES` (same columns, shaped):
    arrears on a log scale (a pound matters more at £100 than at £3,000), rises above £100 in
    three months, counts capped, tenure and time since an approach as indicators."""
    Z = pd.DataFrame(index=X.index)
    Z["log_ct_arrears"] = np.log1p(X["ct_arrears"].clip(lower=0) / 100)
    Z["log_rent_arrears"] = np.log1p(X["rent_arrears"].clip(lower=0) / 200)
    Z["log_arrears_max_12m"] = np.log1p(X["arrears_max_12m"].clip(lower=0) / 100)
    Z["ct_up_100_3m"] = (X["ct_arrears_change_3m"] > 100).astype(float)
    Z["rent_up_100_3m"] = (X["rent_arrears_change_3m"] > 100).astype(float)
    Z["ct_months_rising"] = X["ct_arrears_months_rising"].clip(upper=6)
    Z["rent_months_rising"] = X["rent_arrears_months_rising"].clip(upper=6)
    Z["arrears_months_12m"] = X["arrears_months_12m"]
    for c in BOOLEAN:
        if c not in TREES_ONLY:
            Z[c] = X[c]
    Z["tenure_council"] = (X["tenure"] == CATEGORICAL["tenure"].index("council")).astype(float)
    Z["tenure_temporary"] = (X["tenure"] == CATEGORICAL["tenure"].index("temporary")).astype(float)
    Z["open_debts"] = X["open_debts"].clip(upper=3)
    Z["money_hub_contacts_3m"] = X["money_hub_contacts_3m"].clip(upper=3)
    msa = X["months_since_approach"]
    Z["approach_0_3m"] = (msa <= 3).astype(float)
    Z["approach_4_12m"] = ((msa > 3) & (msa <= 12)).astype(float)
    Z["approach_13m_plus"] = ((msa > 12) & (msa < NO_APPROACH)).astype(float)
    Z["approach_on_record"] = X["approach_on_record"]
    Z["new_child_12m"] = X["new_child_12m"]
    Z["children"] = X["children"].clip(upper=4)
    Z["adults"] = X["adults"].clip(upper=4)
    Z["household_size"] = X["household_size"].clip(upper=8)
    return Z.astype(np.float64)
