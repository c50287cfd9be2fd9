"""The borough's history, month by month from 2018-01 to 2026-09.

Deaths (Gompertz mortality), births (age-specific fertility), separations, young adults
leaving home, household moves within and out of the borough, in-migrant households (which keep
the population on a slowly growing path) and marriages with a surname change. The result is
the truth: who lived in which household, at which property, when.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from insight_hub.synth import identifiers
from insight_hub.synth.dates import N_MONTHS, NULL, SIM_START, day, month_start
from insight_hub.synth.geography import Geography
from insight_hub.synth.population import (
    IN_MIGRANT_P,
    PRIVATE,
    ROLE_CHILD,
    ROLE_REF,
    TAKES_NAME,
    Properties,
    _mixed,
    _names,
    build_properties,
    feminise,
    household_table,
    new_households,
    person_table,
    sample_rows,
)
from insight_hub.synth.reference import Reference
from insight_hub.synth.table import Spells

MEAN_HH_SIZE = 2.5
GROWTH = 0.004  # a year
# desired tenure (owner, private, council, HA) by household type
TENURE_BY_TYPE = np.array(
    [
        [0.30, 0.40, 0.18, 0.12],
        [0.55, 0.07, 0.25, 0.13],
        [0.45, 0.40, 0.08, 0.07],
        [0.75, 0.05, 0.12, 0.08],
        [0.45, 0.28, 0.16, 0.11],
        [0.12, 0.33, 0.35, 0.20],
        [0.60, 0.12, 0.17, 0.11],
        [0.05, 0.85, 0.05, 0.05],
        [0.45, 0.25, 0.18, 0.12],
    ]
)
MOVE_P = np.array([0.004, 0.018, 0.003, 0.004])  # a month, by tenure
MOVE_OUT_SHARE = np.array([0.6, 0.55, 0.25, 0.3])  # of movers, leaving the borough
YEARS_AT_ADDRESS = np.array([12.0, 3.0, 10.0, 9.0])  # initial population, by tenure
TENURE_NEED = np.array([-0.45, 0.15, 0.55, 0.4], dtype=np.float32)
TYPE_NEED = np.array([0.25, 0.0, -0.2, -0.25, 0.0, 0.6, 0.0, 0.1, 0.15], dtype=np.float32)


@dataclass
class World:
    people: object
    households: object
    props: Properties
    geo: Geography
    ref: Reference
    member: tuple  # (pid, hid, from, to) spells; to = NULL while open
    address: tuple  # (hid, prop, from, to)
    births: np.ndarray  # (hid, month) pairs, shape (n, 2)
    separations: np.ndarray  # (hid, month) of the household left behind
    moves: np.ndarray  # (hid, month, kind 0 internal / 1 out, from prop, to prop)
    extras: dict = field(default_factory=dict)


def _choose_props(rng, props: Properties, want: np.ndarray) -> np.ndarray:
    """One vacant property per entry, of the wanted tenure where possible."""
    out = np.full(len(want), -1, dtype=np.int32)
    vacant = props.occupant == -1
    for t in range(4):
        sel = np.flatnonzero(want == t)
        if not len(sel):
            continue
        cand = np.flatnonzero(vacant & (props.tenure == t))
        take = min(len(sel), len(cand))
        chosen = rng.choice(cand, size=take, replace=False) if take else np.empty(0, np.int64)
        out[sel[:take]] = chosen
        vacant[chosen] = False
    rest = np.flatnonzero(out == -1)
    if len(rest):
        cand = np.flatnonzero(vacant)
        if len(cand) < len(rest):
            raise RuntimeError("the borough ran out of vacant properties")
        out[rest] = rng.choice(cand, size=len(rest), replace=False)
    return out


def simulate(
    rng: np.random.Generator, residents: int, geo: Geography, ref: Reference, progress=None
) -> World:
    years = N_MONTHS / 12
    start_pop = residents / (1 + GROWTH) ** years
    h0 = max(int(round(start_pop / MEAN_HH_SIZE)), 10)
    n_props = int(h0 * 1.55) + 100
    props = build_properties(rng, n_props, geo, ref)
    people = person_table(int(residents * 2.2) + 1000)
    hh = household_table(int(h0 * 2.5) + 100)
    member = Spells()
    address = Spells()
    # open spells are tracked per entity: start of the current membership / address spell
    cap = people.cols["dob"].shape[0]
    p_start = np.full(cap, NULL, np.int32)
    h_start = np.full(hh.cols["formed"].shape[0], NULL, np.int32)

    def grow_state():
        nonlocal p_start, h_start
        if len(p_start) < len(people.cols["dob"]):
            p_start = np.concatenate(
                [p_start, np.full(len(people.cols["dob"]) - len(p_start), NULL, np.int32)]
            )
        if len(h_start) < len(hh.cols["formed"]):
            h_start = np.concatenate(
                [h_start, np.full(len(hh.cols["formed"]) - len(h_start), NULL, np.int32)]
            )

    def settle(hids, pids, when, want_tenure):
        """Put new households into vacant properties and open their spells."""
        grow_state()
        pr = _choose_props(rng, props, want_tenure)
        props.occupant[pr] = hids
        hh.col("prop")[hids] = pr
        h_start[hids] = when
        pw = np.maximum(people.dob[pids], hh.formed[people.hh[pids]])
        p_start[pids] = pw
        t = props.tenure[pr]
        need = (
            0.3 * (5.5 - props.decile[pr]) / 2.9
            + TENURE_NEED[t]
            + TYPE_NEED[hh.htype[hids]]
            + rng.normal(0, 0.75, len(hids))
        )
        hh.col("need")[hids] = need.astype(np.float32)

    # the 2018 population: already living here, moved in some years before
    hids, pids = new_households(rng, h0, np.full(h0, SIM_START), ref, people, hh)
    want = sample_rows(rng, TENURE_BY_TYPE, hh.htype[hids])
    yrs = rng.exponential(YEARS_AT_ADDRESS[want])
    moved_in = (SIM_START - yrs * 365.25).astype(np.int32)
    # not before the oldest member was 18
    first = np.r_[0, np.flatnonzero(np.diff(people.hh[pids])) + 1]
    oldest_dob = np.minimum.reduceat(people.dob[pids], first)
    moved_in = np.maximum(moved_in, oldest_dob + int(18 * 365.25))
    moved_in = np.maximum(moved_in, day("1975-01-01") + rng.integers(0, 3650, h0))
    moved_in = np.minimum(moved_in, SIM_START - 1)
    hh.col("formed")[hids] = moved_in
    people.col("arrived")[pids] = np.maximum(people.dob[pids], moved_in[people.hh[pids] - hids[0]])
    settle(hids, pids, moved_in, want)

    births, seps, moves = [], [], []
    takes_by_origin = np.array([TAKES_NAME.get(o, 0.5) for o in ref.origins])
    steps = range(N_MONTHS)
    for m in steps:
        if progress:
            progress(m)
        d0 = int(month_start(m))
        n = people.n

        def days(k, d0=d0):
            return (d0 + rng.integers(0, 28, size=k)).astype(np.int32)

        in_b = (people.dod == NULL) & (people.left == NULL)
        age = (d0 - people.dob) / 365.25

        def leave(pids_out, when, died):
            """Close the membership spells of people who die or leave the borough."""
            member.add(pids_out, people.hh[pids_out], p_start[pids_out], when)
            if died:
                people.col("dod")[pids_out] = when
            else:
                people.col("left")[pids_out] = when
            part = people.partner[pids_out]
            has = part >= 0
            people.col("partner")[part[has]] = -1
            people.col("partner")[pids_out] = -1

        def end_households(hids_end, when):
            address.add(hids_end, hh.prop[hids_end], h_start[hids_end], when)
            props.occupant[hh.prop[hids_end]] = -1
            hh.col("ended")[hids_end] = when

        def close_empty(candidates, when_of):
            """End households left with no one in them."""
            if not len(candidates):
                return
            cand = np.unique(candidates)
            cand = cand[hh.ended[cand] == NULL]
            in_b2 = (people.dod == NULL) & (people.left == NULL)
            counts = np.bincount(people.hh[in_b2], minlength=hh.n)
            empty = cand[counts[cand] == 0]
            if len(empty):
                end_households(empty, when_of(len(empty)))

        # 1. deaths
        q = np.minimum(np.exp(-10.1 + 0.093 * age) + 0.0002, 0.7) / 12
        dead = np.flatnonzero(in_b & (rng.random(n) < q))
        if len(dead):
            leave(dead, days(len(dead)), died=True)
            close_empty(people.hh[dead], days)
        # 2. births
        in_b = (people.dod == NULL) & (people.left == NULL)
        fem = np.flatnonzero(in_b & (people.sex == 1) & (age >= 16) & (age < 47))
        a = age[fem]
        asfr = np.interp(
            a, [16, 20, 25, 30, 35, 40, 45, 47], [0.01, 0.045, 0.07, 0.10, 0.07, 0.02, 0.003, 0]
        )
        has_partner = people.partner[fem] >= 0
        asfr = asfr * np.where(has_partner, 1.45, 0.35)
        mums = fem[rng.random(len(fem)) < asfr / 12]
        if len(mums):
            k = len(mums)
            bday = days(k)
            dad = people.partner[mums]
            has_dad = dad >= 0
            sex = (rng.random(k) < 0.488).astype(np.int8)
            eth = people.eth[mums].copy()
            eth[has_dad] = _mixed(people.eth[mums[has_dad]], people.eth[dad[has_dad]])
            origin = people.origin[mums].copy()
            origin[has_dad] = np.where(
                rng.random(int(has_dad.sum())) < 0.6, people.origin[dad[has_dad]], origin[has_dad]
            )
            forename = np.empty(k, object)
            middle = np.empty(k, object)
            _names(rng, ref, origin, sex, np.full(k, 2020), forename, middle)
            mum_surname = _current_surname(people, mums, bday)
            surname = mum_surname.copy()
            if has_dad.any():
                dad_s = _current_surname(people, dad[has_dad], bday[has_dad])
                surname[has_dad] = np.where(
                    rng.random(int(has_dad.sum())) < 0.9, dad_s, mum_surname[has_dad]
                )
            surname = _masculine(surname, sex == 0)
            new = people.append(
                sex=sex,
                dob=bday,
                eth=eth,
                origin=origin,
                forename=forename,
                middle=middle,
                surname_birth=surname,
                disability=rng.random(k) < 0.03,
                role=np.full(k, ROLE_CHILD, np.int8),
                hh=people.hh[mums],
                arrived=bday,
                mother=mums,
                frailty=rng.normal(0, 1, k).astype(np.float32),
            )
            grow_state()
            p_start[new] = bday
            births.append(np.column_stack([people.hh[mums], np.full(k, m)]))
        # 3. separations (each couple once: from the lower person id)
        n = people.n
        in_b = (people.dod == NULL) & (people.left == NULL)
        age = (d0 - people.dob) / 365.25
        part = people.partner
        couple = np.flatnonzero(in_b & (part > np.arange(n)))
        split = couple[rng.random(len(couple)) < 0.0013]
        if len(split):
            other = part[split]
            male_first = people.sex[split] == 0
            leaver = np.where(male_first | (rng.random(len(split)) < 0.3), split, other)
            stayer = np.where(leaver == split, other, split)
            people.col("partner")[leaver] = -1
            people.col("partner")[stayer] = -1
            seps.append(np.column_stack([people.hh[stayer], np.full(len(split), m)]))
            _depart(
                rng,
                people,
                member,
                p_start,
                leaver,
                days,
                new_home=lambda pids, when: _new_single(
                    rng, people, hh, pids, when, settle, [0.2, 0.6, 0.1, 0.1]
                ),
            )
        # 4. young adults leaving home
        in_b = (people.dod == NULL) & (people.left == NULL)
        kids = np.flatnonzero(in_b & (people.role == ROLE_CHILD) & (age >= 18) & (age < 35))
        go = kids[rng.random(len(kids)) < 0.007]
        if len(go):
            _depart(
                rng,
                people,
                member,
                p_start,
                go,
                days,
                new_home=lambda pids, when: _new_single(
                    rng, people, hh, pids, when, settle, [0.1, 0.75, 0.08, 0.07]
                ),
            )
        # 5. household moves
        active = np.flatnonzero(hh.ended == NULL)
        ten = props.tenure[hh.prop[active]]
        movers = active[rng.random(len(active)) < MOVE_P[ten]]
        if len(movers):
            ten_m = props.tenure[hh.prop[movers]]
            out = rng.random(len(movers)) < MOVE_OUT_SHARE[ten_m]
            when = days(len(movers))
            gone = movers[out]
            if len(gone):
                in_b = (people.dod == NULL) & (people.left == NULL)
                mem = np.flatnonzero(in_b & np.isin(people.hh, gone))
                wmap = np.zeros(hh.n, np.int32)
                wmap[gone] = when[out]
                moves.append(
                    np.column_stack(
                        [
                            gone,
                            np.full(len(gone), m),
                            np.ones(len(gone), int),
                            hh.prop[gone],
                            np.full(len(gone), -1),
                        ]
                    )
                )
                leave(mem, wmap[people.hh[mem]], died=False)
                end_households(gone, when[out])
            stay = movers[~out]
            if len(stay):
                old_prop = hh.prop[stay].copy()
                keep = rng.random(len(stay)) < 0.7
                want = np.where(
                    keep, props.tenure[old_prop], sample_rows(rng, TENURE_BY_TYPE, hh.htype[stay])
                )
                new_prop = _choose_props(rng, props, want)
                w = when[~out]
                address.add(stay, old_prop, h_start[stay], w)
                props.occupant[old_prop] = -1
                props.occupant[new_prop] = stay
                hh.col("prop")[stay] = new_prop
                h_start[stay] = w
                moves.append(
                    np.column_stack(
                        [stay, np.full(len(stay), m), np.zeros(len(stay), int), old_prop, new_prop]
                    )
                )
        # 6. marriages of cohabiting couples (a surname change for some)
        in_b = (people.dod == NULL) & (people.left == NULL)
        unmarried = pd.isna(people.surname_married)
        wives = np.flatnonzero(in_b & (people.sex == 1) & (people.partner >= 0) & unmarried)
        if len(wives):
            takes = takes_by_origin[people.origin[wives]]
            wed = wives[rng.random(len(wives)) < 0.0025 * takes]
            husband = people.partner[wed]
            ok = people.sex[husband] == 0
            wed, husband = wed[ok], husband[ok]
            if len(wed):
                wd = days(len(wed))
                people.col("surname_married")[wed] = feminise(
                    _current_surname(people, husband, wd), np.ones(len(wed), bool)
                )
                people.col("name_change")[wed] = wd
        # 7. in-migrant households keep the population on its path
        in_b = (people.dod == NULL) & (people.left == NULL)
        target = start_pop * (1 + GROWTH) ** ((m + 1) / 12)
        k = int(max(0, round((target - in_b.sum()) / MEAN_HH_SIZE)))
        if k:
            when = days(k)
            htype = rng.choice(len(IN_MIGRANT_P), size=k, p=IN_MIGRANT_P).astype(np.int8)
            new_h, new_p = new_households(rng, k, when, ref, people, hh, htype=htype)
            want = sample_rows(rng, TENURE_BY_TYPE, hh.htype[new_h])
            # newcomers rent privately more than the settled population does
            newcomer = rng.random(k) < 0.35
            want[newcomer] = PRIVATE
            settle(new_h, new_p, when, want)
    # identifiers, distinct across everyone who ever lived here
    people.col("nhs")[:] = identifiers.nhs_numbers(rng, people.n)
    people.col("nino")[:] = identifiers.ninos(rng, people.n)
    # close the spells still open at the extract date
    grow_state()
    in_b = (people.dod == NULL) & (people.left == NULL)
    open_p = np.flatnonzero(in_b)
    member.add(open_p, people.hh[open_p], p_start[open_p], np.full(len(open_p), NULL))
    open_h = np.flatnonzero(hh.ended == NULL)
    address.add(open_h, hh.prop[open_h], h_start[open_h], np.full(len(open_h), NULL))
    return World(
        people=people,
        households=hh,
        props=props,
        geo=geo,
        ref=ref,
        member=member.arrays(),
        address=address.arrays(),
        births=np.concatenate(births) if births else np.empty((0, 2), int),
        separations=np.concatenate(seps) if seps else np.empty((0, 2), int),
        moves=np.concatenate(moves) if moves else np.empty((0, 5), int),
    )


def _current_surname(people, pids, when) -> np.ndarray:
    married = people.surname_married[pids]
    use = np.array([s is not None for s in married]) & (people.name_change[pids] <= when)
    return np.where(use, married, people.surname_birth[pids])


def _masculine(surnames: np.ndarray, male: np.ndarray) -> np.ndarray:
    out = surnames.copy()
    for i in np.flatnonzero(male):
        s = out[i]
        if s and s.endswith(("ska", "cka", "dzka")):
            out[i] = s[:-1] + "i"
    return out


def _depart(rng, people, member, p_start, pids, days, new_home):
    """People leaving their household: 60% leave the borough, the rest set up home here."""
    k = len(pids)
    when = days(k)
    old_hh = people.hh[pids].copy()
    away = rng.random(k) < 0.6
    # close their current membership spells
    member.add(pids, old_hh, p_start[pids], when)
    out = pids[away]
    people.col("left")[out] = when[away]
    stay = pids[~away]
    if len(stay):
        new_home(stay, when[~away])


def _new_single(rng, people, hh, pids, when, settle, tenure_p):
    k = len(pids)
    hids = hh.append(
        formed=when,
        need=np.zeros(k, np.float32),
        htype=np.zeros(k, np.int8),
        phone=np.array([f"07{x:09d}" for x in rng.integers(0, 10**9, k).tolist()], dtype=object),
        email_ok=rng.random(k) < 0.7,
    )
    people.col("hh")[pids] = hids
    people.col("role")[pids] = ROLE_REF
    want = rng.choice(4, size=k, p=tenure_p)
    settle(hids, pids, when, want)
