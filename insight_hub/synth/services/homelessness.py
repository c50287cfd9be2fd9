"""homelessness: an H-CLIC-style casework system (register, approaches, SPOA)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import AS_OF, NULL, SIM_START, month_start
from insight_hub.synth.errors import blank
from insight_hub.synth.services.common import (
    Context,
    Extract,
    address_number_form,
    corrupt_ids,
    dates,
    duplicate_rows,
    member_spells,
    ons_ethnicity,
    phone_layouts,
    spell_events,
    unique_ids,
)

SERVICE = "homelessness"
DUTIES = np.array(["Prevention", "Relief", "Main", "No duty"], dtype=object)


def cases(ctx: Context) -> pd.DataFrame:
    """Every approach the hazard model realised, with its duty, outcome and any TA."""
    if "cases" in ctx.cache:
        return ctx.cache["cases"]
    rng = ctx.rng("cases")
    o = ctx.outcomes
    d = o.drivers
    n = len(d["hid"])
    when = (month_start(d["month"]) + rng.integers(0, 28, n)).astype(np.int32)
    c = pd.DataFrame({k: v for k, v in d.items()})
    c["when"] = when
    c = c[c.when < AS_OF].reset_index(drop=True)
    c["pid"] = ctx.lookup.lead_adult(c.hid.to_numpy(), c.when.to_numpy())
    c = c[c.pid >= 0].sort_values(["when", "hid"], kind="stable").reset_index(drop=True)
    n = len(c)
    size, kids = ctx.lookup.size_at(c.hid.to_numpy(), c.when.to_numpy())
    c["size"] = np.maximum(size, 1)
    c["kids"] = kids
    age = (c.when.to_numpy() - ctx.world.people.dob[c.pid.to_numpy()]) / 365.25
    u = rng.random(n)
    other = np.array(
        ["Family no longer willing", "Domestic abuse", "Other", "Relationship breakdown"],
        dtype=object,
    )
    rnd = other[rng.choice(4, n, p=[0.35, 0.15, 0.35, 0.15])]
    rnd = np.where((age < 25) & (u < 0.6), "Family no longer willing", rnd)
    c["reason"] = np.select(
        [
            c.ast.to_numpy(),
            c.notice.to_numpy() | (c.rent.to_numpy() > 500),
            c.sep.to_numpy() & (u < 0.65),
            c.sep.to_numpy(),
            c.owner.to_numpy() & (u < 0.5),
        ],
        [
            "End of AST",
            "Rent arrears",
            "Relationship breakdown",
            "Domestic abuse",
            "Mortgage arrears",
        ],
        default=rnd,
    ).astype(object)
    # a young adult asked to leave by their family approaches in their own name
    fam = np.flatnonzero(c.reason.to_numpy() == "Family no longer willing")
    if len(fam):
        mem = ctx.lookup.members_at(c.hid.to_numpy()[fam], c.when.to_numpy()[fam])
        dob = ctx.world.people.dob[mem.pid.to_numpy()]
        age_m = (mem.when.to_numpy() - dob) / 365.25
        lead = c.pid.to_numpy()[fam][mem.q.to_numpy()]
        young = mem[(age_m >= 18) & (age_m < 26) & (mem.pid.to_numpy() != lead)]
        young = young.drop_duplicates("q")
        pid = c.pid.to_numpy().copy()
        moved_on = fam[young.q.to_numpy()]
        pid[moved_on] = young.pid.to_numpy()
        c["pid"] = pid
        c.loc[moved_on, "size"] = 1
        c.loc[moved_on, "kids"] = 0
    duty = rng.choice(4, n, p=[0.55, 0.28, 0.09, 0.08])
    c["duty"] = DUTIES[duty]
    ds = np.minimum(c.when.to_numpy() + rng.integers(0, 15, n), AS_OF - 1)
    de = ds + np.select(
        [duty == 0, duty == 1, duty == 2],
        [rng.integers(56, 150, n), rng.integers(56, 71, n), rng.integers(120, 900, n)],
        0,
    )
    ongoing = (de >= AS_OF) & (duty != 3)
    c["duty_start"] = np.where(duty == 3, NULL, ds).astype(np.int32)
    c["duty_end"] = np.where((duty == 3) | ongoing, NULL, de).astype(np.int32)
    out_p = {
        0: (
            ["Secured accommodation", "Contact lost", "Withdrew", "Homeless"],
            [0.6, 0.12, 0.1, 0.18],
        ),
        1: (
            ["Secured accommodation", "Homeless", "Contact lost", "Withdrew"],
            [0.45, 0.3, 0.15, 0.1],
        ),
        2: (["Secured accommodation", "Withdrew", "Contact lost"], [0.85, 0.05, 0.1]),
        3: (["Withdrew", "Contact lost", "Homeless"], [0.4, 0.3, 0.3]),
    }
    outcome = np.empty(n, dtype=object)
    for k, (labels, p) in out_p.items():
        sel = np.flatnonzero(duty == k)
        outcome[sel] = np.array(labels, dtype=object)[rng.choice(len(labels), len(sel), p=p)]
    outcome[ongoing] = "Ongoing"
    c["outcome"] = outcome
    p_ta = np.where(np.isin(duty, (1, 2)), np.where(c["kids"].to_numpy() > 0, 0.7, 0.4), 0.03)
    c["ta"] = rng.random(n) < p_ta
    c["ta_start"] = (ds + rng.integers(0, 31, n)).astype(np.int32)
    c.loc[c.ta_start >= AS_OF, "ta"] = False
    prop = o.prop_hm[c.hid.to_numpy(), c.month.to_numpy()]
    c["prop"] = np.where(prop >= 0, prop, ctx.lookup.prop_at(c.hid.to_numpy(), c.when.to_numpy()))
    ctx.cache["cases"] = c
    return c


def approaches(ctx: Context) -> Extract:
    rng = ctx.rng("approaches")
    c = cases(ctx)
    rows = duplicate_rows(rng, len(c), ctx.rates.duplicate_record)
    r = c.iloc[rows].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    sex = np.where(v["sex"] == 0, "M", "F").astype(object)
    sex[rng.random(n) < 0.005] = "X"
    sex = blank(rng, sex, 0.06)
    eth = blank(rng, ons_ethnicity(ctx.view.ref, v["eth"]), 0.12)
    phone = phone_layouts(rng, ctx.world.households.phone[r.hid.to_numpy()])
    refs = unique_ids(rng, n, 6, "HC")
    cols = {
        "case_ref": refs,
        "forename": v["forename"],
        "surname": v["surname"],
        "dob": blank(rng, dates(v["dob"], "uk"), ctx.rates.field_missing),
        "sex": sex,
        "ethnicity": eth,
        "phone": blank(rng, phone, 0.3),
        "postcode": blank(
            rng, ctx.world.props.postcode[r.prop.to_numpy()], ctx.rates.field_missing
        ),
        "approach_date": dates(r.when.to_numpy(), "uk"),
        "reason": r.reason.to_numpy(),
        "duty": r.duty.to_numpy(),
        "duty_start": dates(r.duty_start.to_numpy(), "uk"),
        "duty_end": dates(r.duty_end.to_numpy(), "uk"),
        "outcome": r.outcome.to_numpy(),
    }
    return Extract(
        SERVICE,
        "approaches",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        dates={"approach_date": "uk", "dob": "uk"},
        codes={"duty": "Interim", "reason": "Eviction by parents (s21)"},
    )


def register(ctx: Context) -> Extract:
    rng = ctx.rng("register")
    c = cases(ctx)
    w = ctx.world
    from_cases = c[c.duty.isin(["Relief", "Main"]) & (rng.random(len(c)) < 0.7)]
    a1 = pd.DataFrame(
        {
            "hid": from_cases.hid.to_numpy(),
            "when": from_cases.when.to_numpy() + rng.integers(0, 60, len(from_cases)),
            "band": np.where(from_cases.duty.to_numpy() == "Main", "A", "B"),
        }
    )
    hid, prop, start, end = w.address
    end2 = np.where(end == NULL, AS_OF, end)
    need = w.households.need[hid]
    si, when = spell_events(rng, np.maximum(start, SIM_START), end2, 0.0007 * np.exp(0.6 * need))
    a2 = pd.DataFrame(
        {
            "hid": hid[si],
            "when": when,
            "band": np.array(["B", "C", "D"], dtype=object)[
                rng.choice(3, len(si), p=[0.2, 0.45, 0.35])
            ],
        }
    )
    a = pd.concat([a1, a2], ignore_index=True)
    a = a[a.when < AS_OF]
    a["pid"] = ctx.lookup.lead_adult(a.hid.to_numpy(), a.when.to_numpy())
    a = a[a.pid >= 0].sort_values(["when", "pid"], kind="stable").reset_index(drop=True)
    n = len(a)
    size, kids = ctx.lookup.size_at(a.hid.to_numpy(), a.when.to_numpy())
    band = a.band.to_numpy().astype(object)
    band[(band == "A") & (kids > 0) & (rng.random(n) < 0.1)] = "Emergency"
    status = np.array(["Active", "Suspended", "Housed", "Cancelled"], dtype=object)[
        rng.choice(4, n, p=[0.45, 0.1, 0.2, 0.25])
    ]
    sdate = a.when.to_numpy() + (
        rng.random(n) * np.maximum(AS_OF - a.when.to_numpy() - 1, 1)
    ).astype(np.int32)
    sdate = np.where(status == "Active", a.when.to_numpy(), sdate)
    rows = duplicate_rows(rng, n, ctx.rates.duplicate_record)
    r = a.iloc[rows].reset_index(drop=True)
    m = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    nino = np.where(
        v["age"] >= 16, corrupt_ids(rng, v["nino"], ctx.rates.invalid_identifier, "nino"), None
    )
    props = w.props
    refs = unique_ids(rng, m, 6, "HR")
    cols = {
        "app_no": refs,
        "forename": v["forename"],
        "surname": v["surname"],
        "dob": dates(v["dob"], "uk"),
        "ni_number": blank(rng, nino, 0.35),
        "address": address_number_form(props, v["prop"]) + ", London",
        "postcode": blank(rng, props.postcode[v["prop"]], ctx.rates.field_missing),
        "band": band[rows],
        "household_members": np.maximum(size, 1)[rows].astype(np.int64),
        "application_date": dates(r.when.to_numpy(), "uk"),
        "status_date": dates(sdate[rows], "uk"),
        "status": status[rows],
    }
    return Extract(
        SERVICE,
        "register_applications",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        dates={"application_date": "uk", "dob": "uk"},
        codes={"band": "Z", "status": "Pending"},
    )


def spoa(ctx: Context) -> Extract:
    rng = ctx.rng("spoa")
    pid, hid, lo, hi = member_spells(ctx, 18, 200, since=SIM_START)
    need = ctx.world.households.need[hid] + 0.5 * ctx.world.people.frailty[pid]
    si, when = spell_events(rng, lo, hi, 0.00012 * np.exp(1.1 * need))
    d = (
        pd.DataFrame({"pid": pid[si], "when": when})
        .sort_values(["when", "pid"], kind="stable")
        .reset_index(drop=True)
    )
    rows = duplicate_rows(rng, len(d), ctx.rates.duplicate_record)
    r = d.iloc[rows].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    referrer = np.array(
        ["Probation", "Hospital", "Police", "Self", "Voluntary sector"], dtype=object
    )
    needs = np.array(
        ["Housing", "Mental health", "Substance misuse", "Domestic abuse"], dtype=object
    )
    refs = unique_ids(rng, n, 6, "SP")
    cols = {
        "referral_id": refs,
        "full_name": (v["forename"] + " " + v["surname"]).astype(object),
        "dob": blank(rng, dates(v["dob"], "uk"), 0.3),
        "postcode": blank(rng, ctx.world.props.postcode[v["prop"]], 0.1),
        "referral_date": dates(r.when.to_numpy(), "uk"),
        "referrer": referrer[rng.choice(5, n, p=[0.15, 0.2, 0.15, 0.3, 0.2])],
        "need": needs[rng.choice(4, n, p=[0.45, 0.25, 0.18, 0.12])],
    }
    return Extract(
        SERVICE,
        "spoa_referrals",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        dates={"referral_date": "uk"},
        codes={"referrer": "GP", "need": "Other"},
    )


def build(ctx: Context) -> list[Extract]:
    return [register(ctx), approaches(ctx), spoa(ctx)]
