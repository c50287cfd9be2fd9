"""revenues_benefits: an Academy-style revenues and benefits system."""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth.dates import (
    ARREARS_FIRST_MONTH,
    AS_OF,
    N_MONTHS,
    NULL,
    SIM_START,
    day,
    fmt_month,
    month_index,
    month_start,
)
from insight_hub.synth.errors import blank
from insight_hub.synth.identifiers import zpad
from insight_hub.synth.population import OWNER
from insight_hub.synth.services.common import (
    Context,
    Extract,
    address_number_form,
    clip_end,
    corrupt_ids,
    dates,
    duplicate_rows,
    is_married,
    member_spells,
    money,
    postcode_variants,
    spell_events,
    titles,
    unique_ids,
)
from insight_hub.synth.writer import take

SERVICE = "revenues_benefits"
CT_BEGAN = day("1993-04-01")  # council tax replaced the community charge
BANDS = np.array(list("ABCDEFGH"), dtype=object)
# Single person discount (25%) claimed when an account's household falls to one adult (a
# separation, a bereavement, the last grown-up child leaving): most who qualify apply, within
# a month or two of the change (councils backdate it to the change; the extract holds the
# date the discount was put on the account).
SPD_TAKE_UP = 0.7
SPD_LAG_DAYS = (14, 75)
# Whether the liable party owns or rents (the "moving in" form asks it; a tenant gives the
# landlord's details, which the council needs for the empty periods between lets): by the
# property's tenure; left blank on some accounts, and now and then recorded wrongly.
OCCUPIER_TYPES = np.array(["Owner occupier", "Private tenant", "Social tenant"], dtype=object)
OCCUPIER_BLANK = 0.15
OCCUPIER_WRONG = 0.03
CHANGE_TYPES = np.array(
    ["suspended", "award reduced", "income increase", "income decrease"], dtype=object
)


def _forenames(rng, fore, middle):
    """'Forenames': the middle name is held about half the time."""
    use = pd.notna(middle) & (rng.random(len(fore)) < 0.5)
    out = fore.copy()
    out[use] = fore[use] + " " + middle[use]
    return out


def _discount_awarded(ctx: Context, a: pd.DataFrame) -> np.ndarray:
    """Day a single person discount was put on each account during it (NULL: none): the
    latest time its household fell to one adult, when that adult applied (SPD_TAKE_UP) and the
    award (SPD_LAG_DAYS later) came before the account closed and the extract was taken."""
    rng = ctx.rng("ct_single_person_discount")
    people = ctx.world.people
    mp, mh, _, me = ctx.world.member
    left = (me != NULL) & ((me - people.dob[mp]) >= 18 * 365.25)
    ev_h, ev_day = mh[left], me[left]
    size, kids = ctx.lookup.size_at(ev_h, ev_day)
    alone = (size - kids) == 1
    ev_h, ev_day = ev_h[alone], ev_day[alone]
    apply = rng.random(len(ev_h)) < SPD_TAKE_UP
    awarded = ev_day + rng.integers(SPD_LAG_DAYS[0], SPD_LAG_DAYS[1] + 1, len(ev_h))
    ev = pd.DataFrame({"hid": ev_h[apply], "day": ev_day[apply], "awarded": awarded[apply]})
    out = np.full(len(a), NULL, dtype=np.int64)
    if not len(ev):
        return out
    acc = pd.DataFrame(
        {
            "i": np.arange(len(a)),
            "hid": a.hid.to_numpy(),
            "start": a.start.to_numpy(),
            "end": np.where(a.end.to_numpy() == NULL, AS_OF, a.end.to_numpy()),
        }
    )
    j = acc[a.spd.to_numpy() == "N"].merge(ev, on="hid")
    j = j[(j.day >= j.start) & (j.awarded < np.minimum(j.end, AS_OF))]
    last = j.groupby("i").awarded.max()
    out[last.index.to_numpy()] = last.to_numpy()
    return out


def accounts(ctx: Context) -> tuple[pd.DataFrame, Extract]:
    rng = ctx.rng("ct_accounts")
    w = ctx.world
    props = w.props
    hid, prop, start, end = w.address
    keep = (end == NULL) | (end >= SIM_START)
    a = pd.DataFrame({"hid": hid[keep], "prop": prop[keep], "start": start[keep], "end": end[keep]})
    a = a.sort_values(["start", "hid"], kind="stable").reset_index(drop=True)
    a["lead"] = ctx.lookup.lead_adult(a.hid.to_numpy(), np.maximum(a.start.to_numpy(), SIM_START))
    a = a[a.lead >= 0].reset_index(drop=True)
    q_when = np.maximum(a.start.to_numpy(), SIM_START)
    sizes, kids = ctx.lookup.size_at(a.hid.to_numpy(), q_when)
    a["spd"] = np.where(sizes - kids <= 1, "Y", "N")
    # the discount held at the extract (or when the account closed) and since when: from the
    # account's start, or awarded when the household fell to one adult during it
    a["opened"] = np.maximum(a.start.to_numpy(), CT_BEGAN + a.hid.to_numpy() % 3)
    awarded = _discount_awarded(ctx, a)
    a["spd_from"] = np.where(a.spd == "Y", a.opened.to_numpy(), awarded)
    a.loc[awarded != NULL, "spd"] = "Y"
    rows = duplicate_rows(rng, len(a), ctx.rates.duplicate_record)
    r = a.iloc[rows].reset_index(drop=True)
    r["is_dup"] = np.arange(len(r)) >= len(a)
    ref = unique_ids(rng, len(r), 8, "CT")
    r["ref_out"] = ref
    when = np.maximum(r.start.to_numpy(), SIM_START)
    upd = np.where(r.end.to_numpy() == NULL, AS_OF - 1, r.end.to_numpy() - 1)
    v = ctx.view.render(
        rng, r.lead.to_numpy(), when, upd, stale_address=False, middle_in_forename=False
    )
    surname = np.array([s.upper() for s in v["surname"]], dtype=object)
    forenames = _forenames(rng, v["forename"], v["middle"])
    pr = r.prop.to_numpy()
    nino = np.where(
        v["age"] >= 16, corrupt_ids(rng, v["nino"], ctx.rates.invalid_identifier, "nino"), None
    )
    u = rng.random(len(r))
    locality = np.where(
        u < 0.5, w.geo.wards.ward_name.to_numpy()[props.ward[pr]], np.where(u < 0.8, "London", None)
    )
    # owner 0, private 1, council 2, housing association 3 -> Owner occupier, Private, Social
    occupier = OCCUPIER_TYPES[np.minimum(props.tenure[pr], 2)].copy()
    u_occ = ctx.rng("ct_occupier").random((2, len(r)))
    wrong = u_occ[0] < OCCUPIER_WRONG
    occupier[wrong] = OCCUPIER_TYPES[(np.minimum(props.tenure[pr], 2)[wrong] + 1) % 3]
    occupier[u_occ[1] < OCCUPIER_BLANK] = None
    cols = {
        "AccountRef": ref,
        "Title": titles(rng, v["sex"], v["age"], is_married(w.people, r.lead.to_numpy(), when)),
        "LiableParty": np.array(
            [f"{s}, {f}" for s, f in zip(surname, forenames, strict=True)], dtype=object
        ),
        "DOB": blank(rng, dates(v["dob"], "uk"), 0.4),
        "NINO": blank(rng, nino, 0.5),
        "PropAddr1": address_number_form(props, pr),
        "PropAddr2": locality.astype(object),
        "PropPostcode": postcode_variants(rng, props.postcode[pr]),
        "UPRN": zpad(props.uprn[pr], 12),
        "Band": BANDS[props.band[pr]],
        "SPD": r.spd.to_numpy().astype(object),
        "SPDStart": dates(r.spd_from.to_numpy(), "uk"),
        "OccupierType": occupier,
        "AccountStart": dates(r.opened.to_numpy(), "uk"),
        "AccountEnd": dates(clip_end(r.end.to_numpy()), "uk"),
    }
    ex = Extract(
        SERVICE,
        "council_tax_accounts",
        cols,
        record_id=ref,
        pid=r.lead.to_numpy(),
        hid=v["hid"],
        dates={"DOB": "uk", "AccountStart": "uk"},
        codes={"Band": "J", "SPD": "X", "OccupierType": "Lodger"},
    )
    return r, ex


def _months_of(start, end, first_month):
    start_m = np.maximum(month_index(start - 1) + 1, first_month)
    end_m = np.where(end == NULL, N_MONTHS - 1, month_index(np.where(end == NULL, 0, end) - 1))
    n = np.maximum(end_m - start_m + 1, 0)
    idx = np.repeat(np.arange(len(start)), n)
    m = np.repeat(start_m, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    return idx, m


def _run_lengths(ctx: Context) -> np.ndarray:
    """(months, H): consecutive months in council tax arrears up to each month."""
    ct = np.ascontiguousarray(ctx.outcomes.ct_arrears.T)
    run = np.zeros(ct.shape, dtype=np.int16)
    for m in range(ct.shape[0]):
        pos = ct[m] > 0
        run[m] = np.where(pos, (run[m - 1] + 1) if m else 1, 0)
    return run


def arrears(ctx: Context, acc: pd.DataFrame) -> Extract:
    acc = acc[~acc.is_dup]
    o = ctx.outcomes
    ct = o.ct_arrears
    idx, m = _months_of(acc.start.to_numpy(), acc.end.to_numpy(), ARREARS_FIRST_MONTH)
    h = acc.hid.to_numpy()[idx]
    bal = ct[h, m]
    keep = (bal > 0) & (o.prop_hm[h, m] == acc.prop.to_numpy()[idx])
    idx, m, h, bal = idx[keep], m[keep], h[keep], bal[keep]
    # months in arrears so far (run length), for the recovery stage
    run = _run_lengths(ctx)[m, h]
    rl = run
    stage = np.select(
        [
            bal < 30,
            rl == 1,
            rl == 2,
            (rl <= 4) & (bal > 250),
            (rl <= 6) & (bal > 400),
            (rl > 6) & (bal > 600),
        ],
        [None, "Reminder", "Final", "Summons", "Liability Order", "Enforcement"],
        default="Final",
    ).astype(object)
    order = np.lexsort((m, idx))
    idx, m, bal, stage = idx[order], m[order], bal[order], stage[order]
    cols = {
        "AccountRef": take(acc.ref_out.to_numpy(), idx),
        "Period": take(fmt_month(np.arange(N_MONTHS), "ym"), m),
        "ArrearsBalance": money(bal),
        "RecoveryStage": stage,
    }
    return Extract(SERVICE, "council_tax_arrears", cols, codes={"RecoveryStage": "Committal"})


def claims(ctx: Context) -> tuple[pd.DataFrame, Extract]:
    rng = ctx.rng("benefit_claims")
    o = ctx.outcomes
    w = ctx.world
    c = o.on_claim
    H = c.shape[0]
    padded = np.zeros((H, N_MONTHS + 2), dtype=np.int8)
    padded[:, 1:-1] = c
    d = np.diff(padded, axis=1)
    sh, sm = np.nonzero(d == 1)
    eh, em = np.nonzero(d == -1)
    runs = pd.DataFrame({"hid": sh, "m0": sm, "m1": em - 1})  # row-major: runs pair up in order
    k = len(runs)
    start = month_start(runs.m0.to_numpy()) + rng.integers(0, 28, k)
    early = runs.m0.to_numpy() == 0
    start[early] = SIM_START - rng.integers(30, 365 * 5, int(early.sum()))
    ongoing = runs.m1.to_numpy() >= N_MONTHS - 1
    end = np.where(
        ongoing,
        NULL,
        month_start(np.minimum(runs.m1.to_numpy() + 1, N_MONTHS - 1)) + rng.integers(0, 28, k),
    )
    end = np.where(~ongoing & (end >= AS_OF), AS_OF - 1, end)
    runs["start"] = start.astype(np.int32)
    runs["end"] = end.astype(np.int32)
    runs["lead"] = ctx.lookup.lead_adult(
        runs.hid.to_numpy(), np.maximum(runs.start.to_numpy(), SIM_START)
    )
    runs = runs[runs.lead >= 0].sort_values(["start", "hid"], kind="stable").reset_index(drop=True)
    k = len(runs)
    prop0 = o.prop_hm[runs.hid.to_numpy(), runs.m0.to_numpy()]
    owner = w.props.tenure[np.maximum(prop0, 0)] == OWNER
    runs["ctype"] = np.where(owner, "CTS", np.where(rng.random(k) < 0.85, "HB+CTS", "HB"))
    award = np.where(owner, rng.uniform(8, 32, k), rng.gamma(6, 22, k) + 40)
    # the last change of circumstances within the claim
    ev = pd.DataFrame(o.benefit_events, columns=["hid", "m", "kind"])
    j = ev.merge(runs[["hid", "m0", "m1"]].reset_index(), on="hid")
    j = (
        j[(j.m >= j.m0) & (j.m <= j.m1)]
        .sort_values(["index", "m"])
        .drop_duplicates("index", keep="last")
    )
    ch_date = runs.start.to_numpy().copy()
    ch_type = np.full(k, "new claim", dtype=object)
    ch_date[j["index"].to_numpy()] = month_start(j.m.to_numpy()) + rng.integers(0, 28, len(j))
    ch_type[j["index"].to_numpy()] = CHANGE_TYPES[j.kind.to_numpy()]
    ch_date = np.minimum(np.maximum(ch_date, runs.start.to_numpy()), AS_OF - 1)
    no_change = rng.random(k) < 0.05
    runs["award"] = award
    runs["ch_date"] = ch_date
    runs["ch_type"] = ch_type
    runs["no_change"] = no_change
    rows = duplicate_rows(rng, k, ctx.rates.duplicate_record)
    r = runs.iloc[rows].reset_index(drop=True)
    r["is_dup"] = np.arange(len(r)) >= k
    ids = unique_ids(rng, len(r), 7, "HB")
    r["claim_out"] = ids
    when = np.maximum(r.start.to_numpy(), SIM_START)
    upd = np.where(r.end.to_numpy() == NULL, AS_OF - 1, r.end.to_numpy() - 1)
    v = ctx.view.render(rng, r.lead.to_numpy(), when, upd)
    props = w.props
    pr = v["prop"]
    nino = corrupt_ids(rng, v["nino"], ctx.rates.invalid_identifier, "nino")
    spaced = rng.random(len(r)) < 0.3
    nino = np.array(
        [
            f"{x[:2]} {x[2:4]} {x[4:6]} {x[6:8]} {x[8:]}" if s and x else x
            for x, s in zip(nino, spaced, strict=True)
        ],
        dtype=object,
    )
    upper = rng.random(len(r)) < 0.15
    fore = v["forename"].copy()
    sur = v["surname"].copy()
    fore[upper] = [x.upper() for x in fore[upper]]
    sur[upper] = [x.upper() for x in sur[upper]]
    cols = {
        "claim_id": ids,
        "claimant_forename": fore,
        "claimant_surname": sur,
        "claimant_dob": dates(v["dob"], "iso"),
        "claimant_nino": blank(rng, nino, ctx.rates.field_missing),
        "address": address_number_form(props, pr) + ", London",
        "postcode": blank(rng, props.postcode[pr], ctx.rates.field_missing),
        "claim_type": r.ctype.to_numpy().astype(object),
        "start_date": dates(r.start.to_numpy(), "iso"),
        "end_date": dates(clip_end(r.end.to_numpy()), "iso"),
        "weekly_award": money(r.award.to_numpy()),
        "last_change_date": np.where(r.no_change, None, dates(r.ch_date.to_numpy(), "iso")),
        "last_change_type": np.where(r.no_change, None, r.ch_type.to_numpy()),
    }
    ex = Extract(
        SERVICE,
        "benefit_claims",
        cols,
        record_id=ids,
        pid=r.lead.to_numpy(),
        hid=v["hid"],
        dates={"claimant_dob": "iso", "start_date": "iso"},
        codes={"claim_type": "UC"},
    )
    return r, ex


def free_school_meals(ctx: Context, cl: pd.DataFrame) -> Extract:
    rng = ctx.rng("fsm")
    base = cl[~cl.is_dup & (cl.ctype != "CTS")]
    kids = member_spells(ctx, 4, 16)
    kd = pd.DataFrame({"pid": kids[0], "hid": kids[1], "ks": kids[2], "ke": kids[3]})
    j = base[["hid", "start", "end", "claim_out"]].merge(kd, on="hid")
    cend = np.where(j.end.to_numpy() == NULL, AS_OF, j.end.to_numpy())
    j = j.assign(
        lo=np.maximum(j.start.to_numpy(), j.ks.to_numpy()), hi=np.minimum(cend, j.ke.to_numpy())
    )
    j = j[(j.hi - j.lo) > 30]
    j = j[rng.random(len(j)) < 0.8].sort_values(["lo", "pid"], kind="stable").reset_index(drop=True)
    rows = duplicate_rows(rng, len(j), ctx.rates.duplicate_record)
    r = j.iloc[rows].reset_index(drop=True)
    n = len(r)
    refs = unique_ids(rng, n, 6, "FSM")
    v = ctx.view.render(
        rng, r.pid.to_numpy(), r.lo.to_numpy(), np.minimum(r.hi.to_numpy(), AS_OF - 1)
    )
    prim, sec = ctx.schools["primary"], ctx.schools["secondary"]
    p = r.pid.to_numpy()
    urn = np.where(v["age"] < 11, prim[p % len(prim)], sec[p % len(sec)]).astype(object)
    cols = {
        "fsm_ref": refs,
        "child_forename": v["forename"],
        "child_surname": v["surname"],
        "child_dob": dates(v["dob"], "uk"),
        "parent_claim_id": blank(rng, r.claim_out.to_numpy(), 0.1),
        "school_urn": urn,
        "eligible_from": dates(r.lo.to_numpy(), "uk"),
        "eligible_to": dates(clip_end(r.hi.to_numpy()), "uk"),
    }
    return Extract(
        SERVICE,
        "free_school_meals",
        cols,
        record_id=refs,
        pid=p,
        hid=v["hid"],
        dates={"child_dob": "uk", "eligible_from": "uk"},
        codes={"school_urn": "UNKNWN"},
    )


def debts(ctx: Context, acc: pd.DataFrame, cl: pd.DataFrame) -> Extract:
    rng = ctx.rng("debts")
    o = ctx.outcomes
    parts = []
    # HB overpayments at the end of some claims
    ended = cl[~cl.is_dup & (cl.end != NULL) & (cl.ctype != "CTS")]
    hb = ended[rng.random(len(ended)) < 0.22]
    parts.append(
        pd.DataFrame(
            {
                "pid": hb.lead.to_numpy(),
                "raised": hb.end.to_numpy() + rng.integers(14, 90, len(hb)),
                "type": "HB overpayment",
                "amount": np.round(rng.lognormal(6.3, 0.8, len(hb)), 2),
            }
        )
    )
    # council tax left unpaid on closed accounts
    a = acc[~acc.is_dup & (acc.end != NULL)]
    a = a[a.end >= SIM_START + 31]
    last_m = np.clip(month_index(a.end.to_numpy() - 1) - 1, 0, N_MONTHS - 1)
    bal = o.ct_arrears[a.hid.to_numpy(), last_m]
    owe = bal > 50
    parts.append(
        pd.DataFrame(
            {
                "pid": a.lead.to_numpy()[owe],
                "raised": a.end.to_numpy()[owe] + rng.integers(30, 120, int(owe.sum())),
                "type": "Council tax",
                "amount": np.round(bal[owe], 2),
            }
        )
    )
    # sundry debts (a household-level rate)
    hid, prop, start, end = ctx.world.address
    end2 = np.where(end == NULL, AS_OF, end)
    need = ctx.world.households.need[hid]
    si, when = spell_events(rng, np.maximum(start, SIM_START), end2, 0.0004 * np.exp(0.5 * need))
    lead = ctx.lookup.lead_adult(hid[si], when)
    ok = lead >= 0
    parts.append(
        pd.DataFrame(
            {
                "pid": lead[ok],
                "raised": when[ok],
                "type": "Sundry",
                "amount": np.round(rng.lognormal(5.0, 0.7, int(ok.sum())), 2),
            }
        )
    )
    d = pd.concat(parts, ignore_index=True)
    d = d[d.raised < AS_OF].sort_values(["raised", "pid"], kind="stable").reset_index(drop=True)
    rows = duplicate_rows(rng, len(d), ctx.rates.duplicate_record)
    r = d.iloc[rows].reset_index(drop=True)
    n = len(r)
    refs = unique_ids(rng, n, 7, "DR")
    raised = r.raised.to_numpy().astype(np.int32)
    cleared = raised + rng.integers(60, 900, n)
    cleared = np.where((rng.random(n) < 0.55) & (cleared < AS_OF), cleared, NULL)
    v = ctx.view.render(rng, r.pid.to_numpy(), raised)
    cols = {
        "debt_ref": refs,
        "debtor_name": v["forename"] + " " + v["surname"],
        "debtor_dob": blank(rng, dates(v["dob"], "uk"), 0.4),
        "debtor_postcode": blank(rng, ctx.world.props.postcode[v["prop"]], ctx.rates.field_missing),
        "debt_type": r.type.to_numpy().astype(object),
        "raised_date": dates(raised, "uk"),
        "cleared_date": dates(cleared, "uk"),
        "amount": money(r.amount.to_numpy()),
    }
    return Extract(
        SERVICE,
        "debts",
        cols,
        record_id=refs,
        pid=r.pid.to_numpy(),
        hid=v["hid"],
        dates={"raised_date": "uk"},
        codes={"debt_type": "Parking"},
    )


def build(ctx: Context) -> list[Extract]:
    acc, ex_acc = accounts(ctx)
    cl, ex_cl = claims(ctx)
    return [ex_acc, arrears(ctx, acc), ex_cl, free_school_meals(ctx, cl), debts(ctx, acc, cl)]
