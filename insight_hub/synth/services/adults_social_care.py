"""adults_social_care: a Mosaic-style adults' system."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import NULL
from insight_hub.synth.errors import blank
from insight_hub.synth.services.common import (
    Context,
    Extract,
    SystemIds,
    address_number_form,
    clip_end,
    corrupt_ids,
    dates,
    is_married,
    member_spells,
    ons_ethnicity,
    spell_events,
    titles,
    unique_ids,
)

SERVICE = "adults_social_care"
SERVICES = np.array(
    [
        "Home care",
        "Residential care",
        "Day opportunities",
        "Direct payment",
        "Reablement",
        "Carer support",
    ],
    dtype=object,
)


def involvements(ctx: Context) -> Extract:
    rng = ctx.rng("asc")
    w = ctx.world
    parts = []
    for lo_age, hi_age in ((18, 65), (65, 75), (75, 85), (85, 200)):
        pid, hid, lo, hi = member_spells(ctx, lo_age, hi_age)
        dis = w.people.disability[pid]
        base = {18: 0.0002, 65: 0.0012, 75: 0.003, 85: 0.008}[lo_age]
        rate = (
            base
            * np.where(dis, 4.0 if lo_age == 18 else 2.0, 1.0)
            * np.exp(0.3 * w.households.need[hid])
        )
        si, when = spell_events(rng, lo, hi, rate)
        parts.append(pd.DataFrame({"pid": pid[si], "when": when, "old": lo_age >= 65}))
    d = pd.concat(parts).sort_values(["when", "pid"], kind="stable").reset_index(drop=True)
    n0 = len(d)
    p_old = [0.35, 0.12, 0.08, 0.1, 0.25, 0.1]
    p_young = [0.2, 0.05, 0.3, 0.3, 0.05, 0.1]
    st = np.where(
        d.old, SERVICES[rng.choice(6, n0, p=p_old)], SERVICES[rng.choice(6, n0, p=p_young)]
    )
    d["service"] = st
    ids = SystemIds(ctx.rng("asc_ids"), w.people.n, "M", 7, ctx.rates.duplicate_person)
    order, person_ids = ids.assign(d.pid.to_numpy())
    r = d.iloc[order].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    start = r.when.to_numpy()
    end = start + rng.integers(20, 900, n)
    dod = w.people.dod[r.pid.to_numpy()]
    end = np.where((dod != NULL) & (dod > start) & (dod < end), dod, end)
    end = clip_end(end)
    nhs = corrupt_ids(rng, v["nhs"], ctx.rates.invalid_identifier, "nhs")
    nhs = np.array([f"{x[:3]} {x[3:6]} {x[6:]}" if x else None for x in nhs], dtype=object)
    gender = np.where(v["sex"] == 0, "Male", "Female").astype(object)
    gender[rng.random(n) < 0.003] = "Other"
    dis = np.where(v["disability"], "Y", "N").astype(object)
    refs = unique_ids(rng, n, 7, "AI")
    cols = {
        "InvolvementID": refs,
        "PersonID": person_ids,
        "NHSNo": blank(rng, nhs, 0.05),
        "Title": titles(rng, v["sex"], v["age"], is_married(w.people, r.pid.to_numpy(), start)),
        "FullName": (v["surname"] + ", " + v["forename"]).astype(object),
        "DateOfBirth": dates(v["dob"], "dmy_abbr"),
        "Gender": blank(rng, gender, 0.03),
        "Ethnicity": blank(rng, ons_ethnicity(ctx.view.ref, v["eth"]), 0.15),
        "Disability": blank(rng, dis, 0.1),
        "AddressLine1": address_number_form(w.props, v["prop"]),
        "Postcode": blank(rng, w.props.postcode[v["prop"]], ctx.rates.field_missing),
        "ServiceType": r.service.to_numpy().astype(object),
        "StartDate": dates(start, "dmy_abbr"),
        "EndDate": dates(end, "dmy_abbr"),
    }
    return Extract(
        SERVICE,
        "involvements",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        person_id=person_ids,
        dates={"StartDate": "dmy_abbr", "DateOfBirth": "dmy_abbr"},
        codes={"ServiceType": "Telecare"},
    )


def build(ctx: Context) -> list[Extract]:
    return [involvements(ctx)]
