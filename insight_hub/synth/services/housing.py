"""housing: an Orchard-style housing management system."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import (
    ARREARS_FIRST_MONTH,
    AS_OF,
    N_MONTHS,
    NULL,
    SIM_START,
    fmt_month,
    month_index,
    month_start,
)
from insight_hub.synth.errors import blank
from insight_hub.synth.identifiers import zpad
from insight_hub.synth.population import COUNCIL
from insight_hub.synth.services.common import (
    Context,
    Extract,
    address_building_form,
    clip_end,
    corrupt_ids,
    dates,
    duplicate_rows,
    emails,
    is_married,
    money,
    phone_layouts,
    titles,
    unique_ids,
)
from insight_hub.synth.services.homelessness import cases
from insight_hub.synth.writer import take

SERVICE = "housing"
NOTICE_TYPES = np.array(["NOSP", "NTQ", "Possession Order", "Eviction Warrant"], dtype=object)
# Hub contacts made after a landlord's notice or a separation (outcomes.HUB_REASONS): the
# share whose topic records it; the others carry a money topic (Debt, Benefits, ...)
HUB_TOPIC_RECORDED = {"landlord notice": 0.8, "separation": 0.6}


def tenancies(ctx: Context) -> tuple[pd.DataFrame, Extract]:
    rng = ctx.rng("tenancies")
    w = ctx.world
    props = w.props
    hid, prop, start, end = w.address
    keep = (props.tenure[prop] == COUNCIL) & ((end == NULL) | (end >= SIM_START))
    t = pd.DataFrame({"hid": hid[keep], "prop": prop[keep], "start": start[keep], "end": end[keep]})
    t = t.sort_values(["start", "hid"], kind="stable").reset_index(drop=True)
    t["lead"] = ctx.lookup.lead_adult(t.hid.to_numpy(), np.maximum(t.start.to_numpy(), SIM_START))
    t = t[t.lead >= 0].reset_index(drop=True)
    n = len(t)
    # why tenancies ended
    o = ctx.outcomes
    notices = pd.DataFrame(o.notices, columns=["hid", "m", "kind"])
    warrants = notices[notices.kind == 3]
    end_m = month_index(np.where(t.end.to_numpy() == NULL, AS_OF, t.end.to_numpy()))
    j = t[["hid"]].assign(i=np.arange(n), em=end_m).merge(warrants, on="hid")
    evicted = np.zeros(n, bool)
    j = j[(j.em - j.m >= 0) & (j.em - j.m <= 9)]
    evicted[j.i.to_numpy()] = True
    mv = pd.DataFrame(w.moves, columns=["hid", "m", "kind", "from", "to"])
    tr = mv[(mv.kind == 0) & (mv["to"] >= 0)]
    tr = tr[props.tenure[tr["to"].to_numpy()] == COUNCIL]
    transfer = np.zeros(n, bool)
    jt = (
        t[["hid", "prop"]]
        .assign(i=np.arange(n))
        .merge(tr, left_on=["hid", "prop"], right_on=["hid", "from"])
    )
    transfer[jt.i.to_numpy()] = True
    dod = w.people.dod[t.lead.to_numpy()]
    died = (dod != NULL) & (t.end.to_numpy() != NULL) & (np.abs(t.end.to_numpy() - dod) < 45)
    ended = t.end.to_numpy() != NULL
    reason = np.select(
        [~ended, evicted, died, transfer, rng.random(n) < 0.04],
        [None, "Evicted", "Deceased", "Transfer", "Abandoned"],
        default="Moved",
    ).astype(object)
    start = t.start.to_numpy()
    intro = (AS_OF - start < 365) & ~ended
    flexible = (start > 15_706) & (rng.random(n) < 0.08)  # fixed-term tenancies after 2013
    tenure_type = np.where(intro, "Introductory", np.where(flexible, "Flexible", "Secure")).astype(
        object
    )
    t["ref"] = unique_ids(rng, n, 6, "T")
    v = ctx.view.render(
        rng,
        t.lead.to_numpy(),
        np.maximum(start, SIM_START),
        np.where(ended, t.end.to_numpy() - 1, AS_OF - 1),
        stale_address=False,
    )
    pr = t.prop.to_numpy()
    nino = np.where(
        v["age"] >= 16, corrupt_ids(rng, v["nino"], ctx.rates.invalid_identifier, "nino"), None
    )
    cols = {
        "TenancyRef": t.ref.to_numpy(),
        "UPRN": zpad(props.uprn[pr], 12),
        "PropertyAddress": address_building_form(props, pr),
        "Postcode": props.postcode[pr],
        "TenantTitle": titles(
            rng, v["sex"], v["age"], is_married(w.people, t.lead.to_numpy(), start)
        ),
        "TenantFirstName": v["forename"],
        "TenantLastName": v["surname"],
        "TenantDOB": blank(rng, dates(v["dob"], "iso_time"), ctx.rates.field_missing),
        "TenantNINO": blank(rng, nino, 0.3),
        "TenureType": tenure_type,
        "StartDate": dates(start, "iso_time"),
        "EndDate": dates(clip_end(t.end.to_numpy()), "iso_time"),
        "EndReason": reason,
    }
    ex = Extract(
        SERVICE,
        "tenancies",
        cols,
        record_id=t.ref.to_numpy(),
        pid=t.lead.to_numpy(),
        hid=v["hid"],
        dates={"StartDate": "iso_time", "TenantDOB": "iso_time"},
        codes={"TenureType": "Starter"},
    )
    return t, ex


def _tenancy_months(t: pd.DataFrame, first_month: int):
    start_m = np.maximum(month_index(t.start.to_numpy() - 1) + 1, first_month)
    end = t.end.to_numpy()
    end_m = np.where(end == NULL, N_MONTHS - 1, month_index(np.where(end == NULL, 0, end) - 1))
    n = np.maximum(end_m - start_m + 1, 0)
    idx = np.repeat(np.arange(len(t)), n)
    m = np.repeat(start_m, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    return idx, m


def rent_arrears(ctx: Context, t: pd.DataFrame) -> Extract:
    o = ctx.outcomes
    idx, m = _tenancy_months(t, ARREARS_FIRST_MONTH)
    h = t.hid.to_numpy()[idx]
    bal = o.rent_arrears[h, m]
    keep = (bal > 0) & (o.prop_hm[h, m] == t.prop.to_numpy()[idx])
    idx, m, bal = idx[keep], m[keep], bal[keep]
    order = np.lexsort((m, idx))
    idx, m, bal = idx[order], m[order], bal[order]
    cols = {
        "TenancyRef": take(t.ref.to_numpy(), idx),
        "Month": fmt_month(m, "mon_yyyy"),
        "ArrearsBalance": money(bal),
    }
    return Extract(SERVICE, "rent_arrears", cols, dates={"Month": "mon_yyyy"})


def notices(ctx: Context, t: pd.DataFrame) -> Extract:
    rng = ctx.rng("notices")
    o = ctx.outcomes
    idx, m = _tenancy_months(t, 0)
    tm = pd.DataFrame({"i": idx, "hid": t.hid.to_numpy()[idx], "m": m})
    nt = pd.DataFrame(o.notices, columns=["hid", "m", "kind"])
    j = (
        nt.merge(tm, on=["hid", "m"])
        .sort_values(["m", "i", "kind"], kind="stable")
        .reset_index(drop=True)
    )
    served = month_start(j.m.to_numpy()) + rng.integers(0, 28, len(j))
    keep = served < AS_OF
    j = j[keep].reset_index(drop=True)
    served = served[keep]
    cols = {
        "NoticeID": unique_ids(rng, len(j), 7, "N"),
        "TenancyRef": t.ref.to_numpy()[j.i.to_numpy()],
        "NoticeType": NOTICE_TYPES[j.kind.to_numpy()],
        "ServedDate": dates(served, "iso_time"),
    }
    return Extract(
        SERVICE,
        "tenancy_notices",
        cols,
        dates={"ServedDate": "iso_time"},
        codes={"NoticeType": "S21"},
    )


def temporary_accommodation(ctx: Context) -> Extract:
    rng = ctx.rng("ta")
    c = cases(ctx)
    ta = c[c.ta].sort_values(["ta_start", "pid"], kind="stable").reset_index(drop=True)
    rows = duplicate_rows(rng, len(ta), ctx.rates.duplicate_record)
    r = ta.iloc[rows].reset_index(drop=True)
    n = len(r)
    start = r.ta_start.to_numpy()
    end = start + np.round(rng.gamma(1.3, 150, n)).astype(np.int32) + 7
    end = np.where(end >= AS_OF, NULL, end)
    kinds = np.array(["B&B", "Hostel", "Nightly let", "PSL", "Council stock"], dtype=object)
    kind = kinds[rng.choice(5, n, p=[0.15, 0.2, 0.3, 0.25, 0.1])]
    v = ctx.view.render(rng, r.pid.to_numpy(), start, stale_address=False)
    props = ctx.world.props
    refs = unique_ids(rng, n, 6, "TA")
    cols = {
        "PlacementRef": refs,
        "HeadOfHousehold": np.array(
            [f"{f} {s.upper()}" for f, s in zip(v["forename"], v["surname"], strict=True)],
            dtype=object,
        ),
        "HoHDOB": dates(v["dob"], "iso_time"),
        "HouseholdSize": r["size"].to_numpy().astype(np.int64),
        "ChildrenCount": r["kids"].to_numpy().astype(np.int64),
        "PlacementStart": dates(start, "iso_time"),
        "PlacementEnd": dates(end, "iso_time"),
        "AccommodationType": kind,
        "PreviousPostcode": blank(rng, props.postcode[r.prop.to_numpy()], ctx.rates.field_missing),
    }
    return Extract(
        SERVICE,
        "temporary_accommodation",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=r.hid.to_numpy(),
        dates={"PlacementStart": "iso_time", "HoHDOB": "iso_time"},
        codes={"AccommodationType": "Tent"},
    )


def money_hub(ctx: Context) -> Extract:
    rng = ctx.rng("money_hub")
    o = ctx.outcomes
    hh = ctx.world.households
    # the contacts are drawn in the money model (outcomes.py), whose hazard reads them
    h = o.hub_contacts[:, 0]
    m = o.hub_contacts[:, 1]
    why = o.hub_contacts[:, 2]
    when = (month_start(m) + rng.integers(0, 28, len(m))).astype(np.int32)
    ok = when < AS_OF
    h, m, why, when = h[ok], m[ok], why[ok], when[ok]
    lead = ctx.lookup.lead_adult(h, when)
    ok = lead >= 0
    d = pd.DataFrame({"hid": h[ok], "m": m[ok], "why": why[ok], "when": when[ok], "pid": lead[ok]})
    d = d.sort_values(["when", "pid"], kind="stable").reset_index(drop=True)
    rows = duplicate_rows(rng, len(d), ctx.rates.duplicate_record)
    r = d.iloc[rows].reset_index(drop=True)
    n = len(r)
    v = ctx.view.render(rng, r.pid.to_numpy(), r.when.to_numpy())
    rent = o.rent_arrears[r.hid.to_numpy(), r.m.to_numpy()] > 0
    topics = np.array(["Debt", "Benefits", "Rent", "Budgeting", "Employment"], dtype=object)
    topic = np.where(
        rent & (rng.random(n) < 0.5),
        "Rent",
        topics[rng.choice(5, n, p=[0.35, 0.3, 0.05, 0.2, 0.1])],
    ).astype(object)
    # the adviser records what brought the resident in: most who come after a landlord's
    # notice or a separation say so; the rest are logged under the money topic discussed
    # (own stream, so that the other fields stay as they were)
    u = ctx.rng("money_hub_topic").random(n)
    why = r.why.to_numpy()
    topic[(why == 1) & (u < HUB_TOPIC_RECORDED["landlord notice"])] = "Landlord notice"
    topic[(why == 2) & (u < HUB_TOPIC_RECORDED["separation"])] = "Relationship breakdown"
    phone = phone_layouts(rng, hh.phone[r.hid.to_numpy()])
    email = np.where(
        hh.email_ok[r.hid.to_numpy()] & (rng.random(n) < 0.55),
        emails(rng, v["forename"], v["surname"]),
        None,
    )
    refs = unique_ids(rng, n, 7, "HM")
    cols = {
        "ContactID": refs,
        "Name": (v["forename"] + " " + v["surname"]).astype(object),
        "DOB": blank(rng, dates(v["dob"], "uk"), 0.5),
        "Phone": blank(rng, phone, 0.1),
        "Email": email.astype(object),
        "Postcode": blank(rng, ctx.world.props.postcode[v["prop"]], ctx.rates.field_missing),
        "ContactDate": dates(r.when.to_numpy(), "uk"),
        "Topic": topic,
    }
    return Extract(
        SERVICE,
        "money_hub_contacts",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        dates={"ContactDate": "uk"},
        codes={"Topic": "Other"},
    )


def build(ctx: Context) -> list[Extract]:
    t, ex_t = tenancies(ctx)
    return [
        ex_t,
        rent_arrears(ctx, t),
        notices(ctx, t),
        temporary_accommodation(ctx),
        money_hub(ctx),
    ]
