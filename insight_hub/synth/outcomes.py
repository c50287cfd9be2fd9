"""Money, housing pressure and homelessness: the monthly generative model.

Each household carries a latent need (set from its area's deprivation, tenure and type, plus
noise). Month by month a persistent income shock moves its financial stress; stress drives
benefit claims (with occasional suspensions and award changes), council tax arrears, rent
arrears for council tenants and the notices that follow them (NOSP, notice to quit,
possession order, eviction warrant). Private tenancies end before many private renters' moves.
Homes and Money Hub contacts are drawn here as well (the hazard reads them): more with arrears
and in the months after a shock.

The homelessness approach hazard is a monthly logistic model of those observable pressures
(and the household's need, a birth or separation in the household, a prior approach or Hub
contact); arrears carry a minority of it (hazard_shares). It never reads sex, ethnicity or
disability. Its value is the truth `p_approach`; approaches in the extracts are Bernoulli
draws from it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from insight_hub.synth.dates import N_MONTHS, NULL, month_index
from insight_hub.synth.population import COUNCIL, OWNER, PRIVATE

# monthly council tax by band A..H (a London-like Band D of ~£1,800 a year)
CT_MONTHLY = np.array([100, 117, 133, 150, 183, 217, 250, 300], dtype=np.float32)
# a job loss or income crisis: monthly probability, size (in stress units), monthly decay
SHOCK = {"p": 0.006, "size": 2.2, "decay": 0.9}
# Homes and Money Hub contacts (from 2019-04): a base rate rising with need, more with
# arrears, and help-seeking after a shock (a monthly rate in its month and the 3 after it).
# Private tenants served notice by their landlord seek advice most often (0.12 a month: about
# 2 in 5 who stay in the borough; they must find a home, and councils urge them to come early,
# under the Homelessness Reduction Act's 56-day prevention duty); after a separation, a
# council notice or a benefit cut, 0.05 a month (about 1 in 5).
HUB = {
    "first_month": 15,
    "base": 0.0008,
    "arrears": 0.012,
    "after_landlord_notice": 0.12,
    "after_shock": 0.05,
}
# why a Hub contact was made (outcomes.hub_contacts[:, 2]): the contact's topic follows it
HUB_REASONS = ("general", "landlord notice", "separation")
# hazard coefficients (logit scale); see docs/synthetic_borough.md. Arrears carry a minority
# of the hazard: most approaches follow events a household's arrears do not show (a landlord
# ending a tenancy, a separation, a new baby, a benefit cut, help sought at the Hub).
HAZARD = {
    "intercept": -7.95,
    "ct_arrears_log": 0.1,  # x log1p(arrears / £100)
    "ct_rising": 0.45,  # arrears up > £100 over 3 months
    "rent_arrears_log": 0.25,  # x log1p(arrears / £200)
    "benefit_suspended_3m": 1.1,
    "award_reduced_3m": 0.9,
    "nosp_6m": 1.0,
    "ntq_6m": 1.4,
    "possession_12m": 1.5,
    "warrant_3m": 2.2,
    "private_tenancy_ending_3m": 2.8,
    "new_baby_6m": 1.0,
    "separation_6m": 2.0,
    "prior_approach": 1.3,
    "hub_contact_3m": 1.0,
    "need": 0.3,
    "private_renter": 0.3,
    "open_case_3m_multiplier": 0.15,
}
# the hazard's terms grouped for the documented shares (Outcomes.hazard_shares)
TERM_GROUPS = {
    "arrears": ("ct_arrears_log", "ct_rising", "rent_arrears_log"),
    "notices": ("nosp_6m", "ntq_6m", "possession_12m", "warrant_3m"),
    "benefit changes": ("benefit_suspended_3m", "award_reduced_3m"),
    "household change": ("private_tenancy_ending_3m", "new_baby_6m", "separation_6m"),
    "help sought before": ("prior_approach", "hub_contact_3m"),
    "need and tenure": ("need", "private_renter"),
}


@dataclass
class Outcomes:
    prop_hm: np.ndarray  # (H, months) property index, -1 when not in the borough
    ct_arrears: np.ndarray  # (H, months) float32 pounds
    rent_arrears: np.ndarray  # (H, months)
    on_claim: np.ndarray  # (H, months) bool
    p_approach: np.ndarray  # (H, months) float32
    approached: np.ndarray  # (H, months) bool
    benefit_events: (
        np.ndarray
    )  # (hid, month, kind) kind: 0 suspended 1 reduced 2 increase 3 decrease
    notices: (
        np.ndarray
    )  # (hid, month, kind) kind: 0 NOSP 1 NTQ 2 Possession Order 3 Eviction Warrant
    ast_end: np.ndarray  # (hid, month) private tenancy ended by the landlord
    drivers: dict  # per approach: arrays of the drivers at the approach month (for reasons)
    hub_contacts: np.ndarray  # (hid, month, reason) Homes and Money Hub contacts (HUB_REASONS)
    hazard_shares: (
        dict  # term group -> share of the hazard (logit above the intercept) at approaches
    )


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _shares(sums: dict) -> dict:
    total = sum(sums.values())
    return {g: (v / total if total else 0.0) for g, v in sums.items()}


def property_by_month(world) -> np.ndarray:
    """(months, H) property index of each household each month (-1: not in the borough).

    A household counts at a property in a month if it lived there on the 1st.
    """
    hid, prop, start, end = world.address
    H = world.households.n
    out = np.full((N_MONTHS, H), -1, dtype=np.int32)
    lo = month_index(start - 1) + 1
    hi = np.where(end == NULL, N_MONTHS - 1, month_index(np.where(end == NULL, 0, end) - 1))
    lo = np.clip(lo, 0, N_MONTHS)
    hi = np.clip(hi, -1, N_MONTHS - 1)
    n = np.maximum(hi - lo + 1, 0)
    rows = np.repeat(hid, n)
    cols = np.repeat(lo, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    out[cols, rows] = np.repeat(prop, n)
    return out


def _recent(last: np.ndarray, m: int, within: int) -> np.ndarray:
    return last >= m - within


def simulate_outcomes(rng: np.random.Generator, world) -> Outcomes:
    hh = world.households
    props = world.props
    H = hh.n
    M = N_MONTHS
    prop_mh = property_by_month(world)
    need = hh.need.astype(np.float32)
    # month-major arrays (one contiguous row per month); exposed transposed as (H, months)
    ct = np.zeros((M, H), np.float32)
    rent = np.zeros((M, H), np.float32)
    claim = np.zeros((M, H), bool)
    p_mh = np.zeros((M, H), np.float32)
    appr = np.zeros((M, H), bool)
    # events from the demographic history
    births = np.zeros((M, H), bool)
    if len(world.births):
        births[world.births[:, 1], world.births[:, 0]] = True
    seps = np.zeros((M, H), bool)
    if len(world.separations):
        seps[world.separations[:, 1], world.separations[:, 0]] = True
    # landlords end private tenancies ahead of many private renters' moves
    mv = world.moves
    from_private = props.tenure[np.maximum(mv[:, 3], 0)] == PRIVATE
    pick = from_private & (rng.random(len(mv)) < 0.45)
    ast_m = mv[pick, 1] - rng.integers(1, 4, int(pick.sum()))
    ast_ok = ast_m >= 0
    ast = np.column_stack([mv[pick, 0][ast_ok], ast_m[ast_ok]])
    ast_mh = np.zeros((M, H), bool)
    ast_mh[ast[:, 1], ast[:, 0]] = True
    e = rng.normal(0, 0.6, H).astype(np.float32)
    shock = np.zeros(H, np.float32)
    on_claim = np.zeros(H, bool)
    susp_left = np.zeros(H, np.int16)
    never = -999
    last = {
        k: np.full(H, never, np.int32)
        for k in (
            "susp",
            "reduced",
            "nosp",
            "ntq",
            "po",
            "warrant",
            "ast",
            "birth",
            "sep",
            "appr",
            "hub",
        )
    }
    ever_appr = np.zeros(H, bool)
    prev_prop = np.full(H, -1, np.int32)
    ben_ev, not_ev, hub_ev = [], [], []
    term_sums = dict.fromkeys(TERM_GROUPS, 0.0)
    drivers = {k: [] for k in ("hid", "month", "ast", "rent", "sep", "ct", "owner", "notice")}
    hz = {k: np.float32(v) for k, v in HAZARD.items()}
    ct_charge = CT_MONTHLY
    zero = np.zeros(H, np.float32)
    for m in range(M):
        pr = prop_mh[m]
        act = pr >= 0
        prc = np.maximum(pr, 0)
        ten = np.where(act, props.tenure[prc], -1)
        band = props.band[prc]
        moved = act & (pr != prev_prop)
        prev_prop = pr
        u = rng.random((8, H), dtype=np.float32)
        # a new address: the old account closes (its arrears become a debt), fresh start
        ct_prev = ct[m - 1] if m else zero
        ct_prev = np.where(moved, 0, ct_prev)
        is_ten = ten == COUNCIL
        rent_prev = rent[m - 1] if m else zero
        rent_prev = np.where(moved | ~is_ten, 0, rent_prev)
        e = np.float32(0.93) * e + rng.standard_normal(H, dtype=np.float32) * np.float32(0.22)
        shock = shock * np.float32(SHOCK["decay"]) + (u[0] < SHOCK["p"]) * np.float32(SHOCK["size"])
        s = need + e + shock
        # benefit claims with hysteresis
        enter = act & ~on_claim & ((s > 1.35) & (ten != OWNER) | (s > 1.8))
        leave = on_claim & ((s < 0.75) | ~act)
        on_claim = (on_claim | enter) & ~leave
        claim[m] = on_claim
        u1 = u[1]
        susp = on_claim & (susp_left == 0) & (u1 < 0.005 * np.exp(0.6 * s))
        rest = on_claim & ~susp
        reduced = rest & (u1 > 0.97)
        incr = rest & (u1 > 0.955) & (u1 <= 0.97)
        decr = rest & (u1 > 0.94) & (u1 <= 0.955)
        susp_left = np.where(
            susp, 1 + (u[2] * 3).astype(np.int16), np.maximum(susp_left - 1, 0)
        ).astype(np.int16)
        for kind, mask in enumerate((susp, reduced, incr, decr)):
            idx = np.flatnonzero(mask)
            if len(idx):
                ben_ev.append(np.column_stack([idx, np.full(len(idx), m), np.full(len(idx), kind)]))
        last["susp"][susp] = m
        last["reduced"][reduced] = m
        suspended = susp_left > 0
        helped = on_claim & ~suspended
        # council tax arrears
        charge = ct_charge[band] * np.where(helped, np.float32(0.3), np.float32(1.0))
        f = _sigmoid(np.float32(2.5) * (s - np.float32(2.1))) + np.float32(0.4) * suspended
        miss = u[3] < f
        amount = np.where(miss, charge * (np.float32(0.5) + u[4]), 0)
        pay = np.where(
            ~miss & (ct_prev > 0), np.maximum(np.float32(40), np.float32(0.15) * ct_prev), 0
        )
        ct_now = np.where(act, np.maximum(ct_prev + amount - pay, 0), 0)
        ct_now = np.round(ct_now, 2)
        ct[m] = ct_now
        # rent arrears (council tenants)
        rent_m = np.float32(480) + np.float32(45) * band
        g = _sigmoid(np.float32(2.5) * (s - np.float32(2.0))) + np.float32(0.5) * suspended
        miss_r = u[5] < g
        add_r = np.where(
            miss_r,
            rent_m * np.where(helped, np.float32(0.2), np.float32(1.0)) * (np.float32(0.4) + u[6])
            + np.float32(0.5) * rent_m * suspended,
            0,
        )
        pay_r = np.where(
            ~miss_r & (rent_prev > 0), np.maximum(np.float32(80), np.float32(0.15) * rent_prev), 0
        )
        rent_now = np.where(is_ten, np.maximum(rent_prev + add_r - pay_r, 0), 0)
        rent_now = np.round(rent_now, 2)
        rent[m] = rent_now
        # notices
        u7 = u[7]
        nosp = is_ten & (rent_now > 1200) & (last["nosp"] < m - 12) & (u7 < 0.08)
        ntq = is_ten & (rent_now > 800) & (last["ntq"] < m - 24) & (u7 > 0.995)
        po = (
            is_ten
            & (rent_now > 2000)
            & (last["nosp"] <= m - 3)
            & (last["nosp"] > m - 24)
            & (last["po"] < m - 12)
            & (u7 > 0.25)
            & (u7 < 0.37)
        )
        wr = (
            is_ten
            & (rent_now > 2500)
            & (last["po"] <= m - 3)
            & (last["po"] > m - 24)
            & (last["warrant"] < m - 12)
            & (u7 > 0.4)
            & (u7 < 0.5)
        )
        for kind, mask in enumerate((nosp, ntq, po, wr)):
            idx = np.flatnonzero(mask)
            if len(idx):
                not_ev.append(np.column_stack([idx, np.full(len(idx), m), np.full(len(idx), kind)]))
        last["nosp"][nosp] = m
        last["ntq"][ntq] = m
        last["po"][po] = m
        last["warrant"][wr] = m
        last["ast"][ast_mh[m]] = m
        last["birth"][births[m]] = m
        last["sep"][seps[m]] = m
        # Homes and Money Hub contacts: drawn here because the hazard reads them
        u_hub = rng.random(H, dtype=np.float32)
        if m >= HUB["first_month"]:
            pressure = np.log1p(ct_now / np.float32(200)) + np.log1p(rent_now / np.float32(300))
            landlord = _recent(last["ast"], m, 3)
            separated = _recent(last["sep"], m, 3)
            shocked = (
                separated
                | _recent(np.maximum(last["nosp"], last["ntq"]), m, 3)
                | _recent(np.maximum(last["susp"], last["reduced"]), m, 3)
            )
            p_landlord = np.float32(HUB["after_landlord_notice"]) * landlord
            p_shock = np.float32(HUB["after_shock"]) * (shocked & ~landlord)
            p_hub = (
                np.float32(HUB["base"]) * np.exp(np.float32(0.5) * need)
                + np.float32(HUB["arrears"]) * _sigmoid(pressure - np.float32(2.5))
                + p_landlord
                + p_shock
            )
            hub = act & (u_hub < p_hub)
            # the reason: the part of the probability the draw fell in (a landlord's notice
            # first, then a separation's share of the other shocks, then everything else)
            sep_share = np.where(separated, p_shock, 0)
            reason = np.where(
                u_hub < p_landlord, 1, np.where(u_hub < p_landlord + sep_share, 2, 0)
            )[hub]
            hub_ev.append(
                np.column_stack([np.flatnonzero(hub), np.full(int(hub.sum()), m), reason])
            )
            last["hub"][hub] = m
        # the homelessness hazard, term by term (grouped for the documented shares)
        ct3 = ct[m - 3] if m >= 3 else zero
        terms = {
            "ct_arrears_log": np.log1p(ct_now / np.float32(100)),
            "ct_rising": (ct_now - ct3) > 100,
            "rent_arrears_log": np.log1p(rent_now / np.float32(200)),
            "benefit_suspended_3m": _recent(last["susp"], m, 3),
            "award_reduced_3m": _recent(last["reduced"], m, 3),
            "nosp_6m": _recent(last["nosp"], m, 6),
            "ntq_6m": _recent(last["ntq"], m, 6),
            "possession_12m": _recent(last["po"], m, 12),
            "warrant_3m": _recent(last["warrant"], m, 3),
            "private_tenancy_ending_3m": _recent(last["ast"], m, 3),
            "new_baby_6m": _recent(last["birth"], m, 6),
            "separation_6m": _recent(last["sep"], m, 6),
            "prior_approach": ever_appr,
            "hub_contact_3m": _recent(last["hub"], m, 3),
            "need": need,
            "private_renter": ten == PRIVATE,
        }
        x = np.full(H, hz["intercept"], np.float32)
        contrib = {}
        for k, v in terms.items():
            c = hz[k] * v
            x += c
            contrib[k] = c
        p = _sigmoid(x) * np.where(
            _recent(last["appr"], m, 3), hz["open_case_3m_multiplier"], np.float32(1)
        )
        p = np.where(act, p, 0).astype(np.float32)
        p_mh[m] = p
        a = rng.random(H, dtype=np.float32) < p
        appr[m] = a
        idx = np.flatnonzero(a)
        for g, ks in TERM_GROUPS.items():
            term_sums[g] += float(sum(contrib[k][idx].sum(dtype=np.float64) for k in ks))
        drivers["hid"].append(idx)
        drivers["month"].append(np.full(len(idx), m))
        drivers["ast"].append(_recent(last["ast"], m, 3)[idx])
        drivers["rent"].append(rent_now[idx])
        drivers["sep"].append(_recent(last["sep"], m, 6)[idx])
        drivers["ct"].append(ct_now[idx])
        drivers["owner"].append((ten == OWNER)[idx])
        drivers["notice"].append(_recent(np.maximum(last["po"], last["warrant"]), m, 12)[idx])
        last["appr"][a] = m
        ever_appr |= a
    empty3 = np.empty((0, 3), np.int64)
    return Outcomes(
        prop_hm=prop_mh.T,
        ct_arrears=ct.T,
        rent_arrears=rent.T,
        on_claim=claim.T,
        p_approach=p_mh.T,
        approached=appr.T,
        benefit_events=np.concatenate(ben_ev) if ben_ev else empty3,
        notices=np.concatenate(not_ev) if not_ev else empty3,
        ast_end=ast,
        hub_contacts=np.concatenate(hub_ev) if hub_ev else np.empty((0, 3), np.int64),
        hazard_shares=_shares(term_sums),
        drivers={k: np.concatenate(v) for k, v in drivers.items()},
    )
