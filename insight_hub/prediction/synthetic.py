"""A synthetic frame shaped like ``mart_household_needs``, for fast tests and for timing.

Not the synthetic borough (``insight_hub.synth``): this is a small stand-alone generator with
a known risk process, so that the prediction code can be tested in seconds without building
the warehouse, and benchmarked at a given size when no warehouse of that size exists.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def needs_frame(
    households: int = 3000,
    months: int = 36,
    start: str = "2023-10-01",
    seed: int = 7,
    objector_share: float = 0.01,
    wards: int = 20,
) -> pd.DataFrame:
    """One row per household per month with every contract column, plus ``p_true``."""
    rng = np.random.default_rng(seed)
    n = households
    keys = np.array([f"{i:064x}" for i in rng.permutation(n * 7)[:n]])
    adults = rng.choice([1, 2, 3], size=n, p=[0.4, 0.5, 0.1])
    children = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.55, 0.18, 0.17, 0.07, 0.03])
    over_65s = np.minimum(adults, rng.binomial(adults, 0.2))
    ward_i = rng.integers(0, wards, size=n)
    ward = np.array([f"E0500{i:04d}" for i in range(wards)])[ward_i]
    lsoa = np.array([f"E0100{i:04d}" for i in range(wards * 5)])[ward_i * 5 + rng.integers(0, 5, n)]
    council = rng.random(n) < 0.3
    z = rng.normal(size=n)  # latent vulnerability (unobserved)
    objection = rng.random(n) < objector_share
    start_m = pd.Timestamp(start)
    month_list = pd.date_range(start_m, periods=months, freq="MS")

    ct = np.where(rng.random(n) < 0.1 + 0.05 * (z > 1), rng.gamma(2, 150, n), 0.0)
    rent = np.where(council & (rng.random(n) < 0.15), rng.gamma(2, 200, n), 0.0)
    hist_ct = [ct.copy()] * 3
    hist_rent = [rent.copy()] * 3
    rising_ct = np.zeros(n, int)
    rising_rent = np.zeros(n, int)
    notice_age = np.full(n, 99)
    reduced_age = np.full(n, 99)
    approach_age = np.full(n, 99)
    yo_age = np.full(n, 99)
    ta_left = np.zeros(n, int)
    on_ben = rng.random(n) < 0.25 + 0.15 * (z > 0)
    debts = rng.poisson(0.1 + 0.1 * (z > 1), n)
    register = rng.random(n) < 0.05
    eh = np.zeros(n, bool)
    cin = np.zeros(n, bool)
    asc = rng.random(n) < 0.03 + 0.02 * (over_65s > 0)
    mh_hist = [np.zeros(n, int)] * 3
    mash_hist = [np.zeros(n, int)] * 3
    excl_hist = [np.zeros(n, int)] * 12
    # the notice kinds, a private landlord's notice and a household falling to one adult, from
    # their own stream (the columns above stay as they were)
    rng2 = np.random.default_rng([seed, 2])
    notice_kind = np.zeros(n, int)  # 0 NOSP, 1 NTQ, 2 possession order, 3 eviction warrant
    private = ~council & (rng2.random(n) < 0.35)
    landlord_age = np.full(n, 99)
    hub_landlord_age = np.full(n, 99)
    split_age = np.full(n, 99)
    hub_split_age = np.full(n, 99)
    discount_age = np.full(n, 99)
    frames = []
    for t, month in enumerate(month_list):
        stress = 0.6 * z + rng.normal(scale=0.6, size=n)
        ct_up = rng.random(n) < _sigmoid(-2.4 + stress)
        ct = np.where(ct_up, ct + rng.gamma(2, 60, n), np.maximum(ct - rng.gamma(2, 40, n), 0))
        rent_up = council & (rng.random(n) < _sigmoid(-2.2 + stress))
        rent = np.where(
            rent_up, rent + rng.gamma(2, 90, n), np.maximum(rent - rng.gamma(2, 60, n), 0)
        )
        rising_ct = np.where(ct > hist_ct[-1], rising_ct + 1, 0)
        rising_rent = np.where(rent > hist_rent[-1], rising_rent + 1, 0)
        served = council & (rent > 800) & (rng.random(n) < 0.08)
        notice_age = np.where(served, 0, notice_age + 1)
        notice_kind = np.where(served, rng2.choice(4, n, p=[0.6, 0.1, 0.2, 0.1]), notice_kind)
        landlord = private & (rng2.random(n) < 0.01)
        landlord_age = np.where(landlord, 0, landlord_age + 1)
        hub_ll = (landlord_age < 3) & (rng2.random(n) < 0.12)
        hub_landlord_age = np.where(hub_ll, 0, hub_landlord_age + 1)
        split = (adults >= 2) & (rng2.random(n) < 0.0015)
        split_age = np.where(split, 0, split_age + 1)
        hub_split = (split_age < 3) & (rng2.random(n) < 0.05)
        hub_split_age = np.where(hub_split, 0, hub_split_age + 1)
        discount = (split_age == 1) & (rng2.random(n) < 0.7)
        discount_age = np.where(discount, 0, discount_age + 1)
        reduced = on_ben & (rng.random(n) < 0.02 + 0.02 * (z > 1))
        reduced_age = np.where(reduced, 0, reduced_age + 1)
        on_ben = on_ben ^ (rng.random(n) < 0.01)
        debts = np.maximum(
            debts + (rng.random(n) < 0.01 * (1 + (z > 1))) - (rng.random(n) < 0.05), 0
        )
        mh = rng.poisson(0.01 + 0.04 * ((ct + rent) > 500), n)
        mh_hist = [*mh_hist[1:], mh]
        has_kids = children > 0
        eh = np.where(has_kids & (rng.random(n) < 0.005 * (1 + (z > 1))), True, eh)
        eh = eh & (rng.random(n) > 0.08)
        cin = np.where(has_kids & (rng.random(n) < 0.002 * (1 + 2 * (z > 1.5))), True, cin)
        cin = cin & (rng.random(n) > 0.05)
        mash = rng.poisson(0.005 * has_kids * (1 + 3 * (z > 1.5)))
        mash_hist = [*mash_hist[1:], mash]
        yo = has_kids & (rng.random(n) < 0.001 * (1 + 3 * (z > 1.5)))
        yo_age = np.where(yo, 0, yo_age + 1)
        low_att = rng.binomial(children, 0.05 + 0.1 * (z > 1)) * (t % 4 == 0) + 0
        excl = rng.poisson(0.003 * children * (1 + 2 * (z > 1)))
        excl_hist = [*excl_hist[1:], excl]
        logit = (
            -6.3
            + 0.5 * z
            + 0.0009 * np.minimum(rent, 3000)
            + 0.0006 * np.minimum(ct, 2000)
            + 0.25 * np.minimum(rising_ct + rising_rent, 6)
            + 1.6 * (notice_age < 6)
            + 0.8 * (notice_age < 3) * (notice_kind == 3)
            + 0.3 * private
            + 2.0 * (landlord_age < 3)
            + 1.5 * (split_age < 6)
            + 0.7 * (reduced_age < 3)
            + 0.4 * (sum(mh_hist) > 0)
            + 0.5 * cin
            + 0.3 * eh
            + 0.9 * (approach_age < 12)
            + 0.2 * children
        )
        p = _sigmoid(logit)
        approached = (rng.random(n) < p) & (ta_left == 0)
        ta_start = approached & (rng.random(n) < 0.3)
        ta_left = np.where(ta_start, rng.integers(2, 12, n), np.maximum(ta_left - 1, 0))
        in_ta = ta_left > 0
        frames.append(
            pd.DataFrame(
                {
                    "household_key": keys,
                    "month": month,
                    "ward_code": ward,
                    "lsoa_code": lsoa,
                    "household_size": adults + children,
                    "adults": adults,
                    "children": children,
                    "over_65s": over_65s,
                    "tenure": np.where(in_ta, "temporary", np.where(council, "council", "other")),
                    "ct_arrears": ct.round(2),
                    "ct_arrears_change_3m": (ct - hist_ct[-3]).round(2),
                    "ct_arrears_months_rising": rising_ct,
                    "rent_arrears": rent.round(2),
                    "rent_arrears_change_3m": (rent - hist_rent[-3]).round(2),
                    "rent_arrears_months_rising": rising_rent,
                    "on_benefits": on_ben,
                    "benefit_reduced_3m": reduced_age < 3,
                    "open_debts": debts,
                    "notice_6m": notice_age < 6,
                    "nosp_6m": (notice_age < 6) & (notice_kind == 0),
                    "ntq_6m": (notice_age < 6) & (notice_kind == 1),
                    "possession_order_12m": (notice_age < 12) & (notice_kind == 2),
                    "eviction_warrant_3m": (notice_age < 3) & (notice_kind == 3),
                    "single_person_discount_6m": discount_age < 6,
                    "in_temporary_accommodation": in_ta,
                    "money_hub_contacts_3m": sum(mh_hist)
                    + (hub_landlord_age < 3)
                    + (hub_split_age < 3),
                    "money_hub_landlord_notice_3m": hub_landlord_age < 3,
                    "money_hub_relationship_breakdown_3m": hub_split_age < 3,
                    "on_housing_register": register | (approach_age < 12),
                    "private_tenant": private,
                    "council_tax_account_open": np.ones(n, bool),
                    "early_help_open": eh,
                    "cin_open": cin,
                    "mash_contacts_3m": sum(mash_hist),
                    "youth_offending_12m": yo_age < 12,
                    "adult_social_care_open": asc,
                    "pupils_low_attendance": low_att,
                    "exclusions_12m": sum(excl_hist),
                    "prior_approach_12m": approach_age < 12,
                    "approached": approached,
                    "predictive_objection": objection,
                    "p_true": p,
                }
            )
        )
        approach_age = np.where(approached, 0, approach_age + 1)
        hist_ct = [*hist_ct[1:], ct]
        hist_rent = [*hist_rent[1:], rent]
    return pd.concat(frames, ignore_index=True)
