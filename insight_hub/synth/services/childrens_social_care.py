"""childrens_social_care: a Liquidlogic-style children's system (ISO dates)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import AS_OF, NULL
from insight_hub.synth.errors import blank
from insight_hub.synth.services.common import (
    Context,
    Extract,
    SystemIds,
    clip_end,
    corrupt_ids,
    dates,
    dfe_ethnicity,
    member_spells,
    spell_events,
    unique_ids,
)

SERVICE = "childrens_social_care"


def _ids(ctx: Context) -> SystemIds:
    if "csc_ids" not in ctx.cache:
        ctx.cache["csc_ids"] = SystemIds(
            ctx.rng("csc_ids"), ctx.world.people.n, "LC", 7, ctx.rates.duplicate_person
        )
    return ctx.cache["csc_ids"]


def _events(ctx, name, rate, lo_age=0, hi_age=18, male_factor=1.0):
    rng = ctx.rng(name + "_events")
    pid, hid, lo, hi = member_spells(ctx, lo_age, hi_age)
    w = ctx.world
    need = w.households.need[hid] + 0.4 * w.people.frailty[pid]
    r = rate * np.exp(1.0 * need) * np.where(w.people.sex[pid] == 0, male_factor, 1.0 / male_factor)
    si, when = spell_events(rng, lo, hi, r)
    d = pd.DataFrame({"pid": pid[si], "when": when})
    return d.sort_values(["when", "pid"], kind="stable").reset_index(drop=True)


def _sex(rng, s):
    out = np.where(s == 0, "M", "F").astype(object)
    out[rng.random(len(out)) < 0.01] = "U"
    return out


def early_help(ctx: Context) -> Extract:
    rng = ctx.rng("early_help")
    d = _events(ctx, "early_help", 0.0010)
    order, person_ids = _ids(ctx).assign(d.pid.to_numpy())
    r = d.iloc[order].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    end = r.when.to_numpy() + rng.integers(60, 300, n)
    end = clip_end(end)
    teams = np.array(
        [
            "Family Support North",
            "Family Support South",
            "Family Support East",
            "Family Support West",
            "Targeted Youth Support",
        ],
        dtype=object,
    )
    reasons = np.array(
        [
            "Outcomes met",
            "Stepped up to social care",
            "Family declined",
            "Moved out of area",
            "Stepped down to universal services",
        ],
        dtype=object,
    )
    closure = np.where(
        end == NULL, None, reasons[rng.choice(5, n, p=[0.5, 0.15, 0.15, 0.08, 0.12])]
    )
    nhs = blank(rng, corrupt_ids(rng, v["nhs"], ctx.rates.invalid_identifier, "nhs"), 0.05)
    refs = unique_ids(rng, n, 6, "EH")
    eth = blank(rng, dfe_ethnicity(ctx.view.ref, v["eth"]), 0.08)
    cols = {
        "episode_id": refs,
        "person_id": person_ids,
        "forename": v["forename"],
        "surname": v["surname"],
        "dob": dates(v["dob"], "iso"),
        "sex": _sex(rng, v["sex"]),
        "ethnicity": eth,
        "nhs_number": nhs,
        "postcode": blank(rng, ctx.world.props.postcode[v["prop"]], ctx.rates.field_missing),
        "episode_start": dates(r.when.to_numpy(), "iso"),
        "episode_end": dates(end, "iso"),
        "team": teams[rng.integers(0, 5, n)],
        "closure_reason": closure.astype(object),
    }
    return Extract(
        SERVICE,
        "early_help_episodes",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        person_id=person_ids,
        dates={"episode_start": "iso", "dob": "iso"},
        codes={"sex": "Z"},
    )


def mash_and_cin(ctx: Context) -> list[Extract]:
    rng = ctx.rng("mash")
    d = _events(ctx, "mash", 0.0012)
    n0 = len(d)
    outcomes = np.array(["NFA", "Early help", "Social care", "Strategy"], dtype=object)
    d["outcome"] = outcomes[rng.choice(4, n0, p=[0.45, 0.25, 0.2, 0.1])]
    sources = np.array(["Police", "School", "Health", "Self", "Other LA"], dtype=object)
    d["source"] = sources[rng.choice(5, n0, p=[0.35, 0.25, 0.2, 0.1, 0.1])]
    order, person_ids = _ids(ctx).assign(d.pid.to_numpy())
    r = d.iloc[order].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    refs = unique_ids(rng, n, 7, "MC")
    mash = Extract(
        SERVICE,
        "mash_contacts",
        {
            "contact_id": refs,
            "person_id": person_ids,
            "forename": v["forename"],
            "surname": v["surname"],
            "dob": blank(rng, dates(v["dob"], "iso"), ctx.rates.field_missing),
            "nhs_number": blank(
                rng, corrupt_ids(rng, v["nhs"], ctx.rates.invalid_identifier, "nhs"), 0.15
            ),
            "contact_date": dates(r.when.to_numpy(), "iso"),
            "source": r.source.to_numpy(),
            "outcome": r.outcome.to_numpy(),
        },
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        person_id=person_ids,
        dates={"contact_date": "iso"},
        codes={"outcome": "Pending"},
    )
    # children in need: most contacts passed to social care open an episode
    rng = ctx.rng("cin")
    c = d[d.outcome.isin(["Social care", "Strategy"]) & (rng.random(n0) < 0.8)].copy()
    c["start"] = c.when + rng.integers(1, 21, len(c))
    c = c[c.start < AS_OF].sort_values(["start", "pid"], kind="stable").reset_index(drop=True)
    order, person_ids = _ids(ctx).assign(c.pid.to_numpy())
    r = c.iloc[order].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.start.to_numpy())
    end = clip_end(r.start.to_numpy() + rng.integers(60, 540, n))
    needs = np.array([f"N{i}" for i in range(1, 10)], dtype=object)
    refs = unique_ids(rng, n, 6, "CN")
    cin = Extract(
        SERVICE,
        "cin_episodes",
        {
            "cin_id": refs,
            "person_id": person_ids,
            "forename": v["forename"],
            "surname": v["surname"],
            "dob": dates(v["dob"], "iso"),
            "nhs_number": blank(
                rng, corrupt_ids(rng, v["nhs"], ctx.rates.invalid_identifier, "nhs"), 0.05
            ),
            "cin_start": dates(r.start.to_numpy(), "iso"),
            "cin_end": dates(end, "iso"),
            "primary_need": needs[
                rng.choice(9, n, p=[0.5, 0.05, 0.05, 0.1, 0.12, 0.04, 0.02, 0.02, 0.1])
            ],
        },
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        person_id=person_ids,
        dates={"cin_start": "iso", "dob": "iso"},
        codes={"primary_need": "N0"},
    )
    return [mash, cin]


def youth_offending(ctx: Context) -> Extract:
    rng = ctx.rng("yos")
    d = _events(ctx, "yos", 0.00025, 10, 18, male_factor=2.0)
    order, person_ids = _ids(ctx).assign(d.pid.to_numpy())
    r = d.iloc[order].reset_index(drop=True)
    n = len(r)
    person_ids = blank(rng, person_ids, 0.3)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    outcomes = np.array(
        ["Caution", "Youth conditional caution", "Referral order", "YRO"], dtype=object
    )
    refs = unique_ids(rng, n, 6, "YO")
    cols = {
        "yos_id": refs,
        "person_id": person_ids,
        "forename": v["forename"],
        "surname": v["surname"],
        "dob": dates(v["dob"], "iso"),
        "sex": _sex(rng, v["sex"]),
        "ethnicity": blank(rng, dfe_ethnicity(ctx.view.ref, v["eth"]), 0.1),
        "postcode": blank(rng, ctx.world.props.postcode[v["prop"]], ctx.rates.field_missing),
        "offence_date": dates(r.when.to_numpy(), "iso"),
        "outcome": outcomes[rng.choice(4, n, p=[0.3, 0.25, 0.3, 0.15])],
    }
    return Extract(
        SERVICE,
        "youth_offending",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        person_id=person_ids,
        dates={"offence_date": "iso"},
        codes={"outcome": "Custody"},
    )


def build(ctx: Context) -> list[Extract]:
    return [early_help(ctx), *mash_and_cin(ctx), youth_offending(ctx)]
