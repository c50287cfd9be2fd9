"""Looking people up as a system would have held them: household, address, name, DOB.

`Lookup` answers "which household / property was this person at on this date" from the
truth spells. `PersonView` renders a person-bearing record's identifying fields as of the
record's date, with the error model applied (see errors.py), and returns the truth household.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from insight_hub.synth import errors as E
from insight_hub.synth.config import ErrorRates
from insight_hub.synth.dates import AS_OF, NULL, day

_BASE = day("1890-01-01")
_SHIFT = 17
_FAR = np.int32(AS_OF + 365 * 50)


def _key(a, d):
    return (np.asarray(a, np.int64) << _SHIFT) | (np.asarray(d, np.int64) - _BASE)


class SpellIndex:
    """Spells (entity, value, from, to) sorted for 'value at date' queries."""

    def __init__(self, ent, val, start, end):
        order = np.lexsort((start, ent))
        self.ent = ent[order]
        self.val = val[order]
        self.start = start[order]
        self.end = np.where(end[order] == NULL, _FAR, end[order])
        self.keys = _key(self.ent, np.maximum(self.start, _BASE))

    def locate(self, ent, when) -> np.ndarray:
        """Index of the spell covering `when` (else the nearest spell of that entity)."""
        ent = np.asarray(ent)
        when = np.clip(np.asarray(when), _BASE, _FAR - 1)
        i = np.searchsorted(self.keys, _key(ent, when), side="right") - 1
        bad = (i < 0) | (self.ent[np.maximum(i, 0)] != ent)
        if bad.any():  # before the first spell: take the first one
            j = np.searchsorted(self.ent, ent[bad], side="left")
            i[bad] = j
        return i

    def value_at(self, ent, when) -> np.ndarray:
        return self.val[self.locate(ent, when)]


class Lookup:
    def __init__(self, world):
        self.world = world
        self.member = SpellIndex(*world.member)
        self.address = SpellIndex(*world.address)
        mp, mh, ms, me = world.member
        self.member_df = pd.DataFrame(
            {"pid": mp, "hid": mh, "start": ms, "end": np.where(me == NULL, _FAR, me)}
        ).sort_values(["hid", "start", "pid"], kind="stable")

    def hid_at(self, pids, when) -> np.ndarray:
        return self.member.value_at(pids, when)

    def prop_at(self, hids, when) -> np.ndarray:
        return self.address.value_at(hids, when)

    def person_prop_at(self, pids, when) -> np.ndarray:
        return self.prop_at(self.hid_at(pids, when), when)

    def previous_prop(self, pids, when) -> tuple[np.ndarray, np.ndarray]:
        """(previous property or -1, day of the move to the current one)."""
        hid = self.hid_at(pids, when)
        i = self.address.locate(hid, when)
        cur_start = self.address.start[i]
        prev_same = (i > 0) & (self.address.ent[np.maximum(i - 1, 0)] == hid)
        prev = np.where(prev_same, self.address.val[np.maximum(i - 1, 0)], -1)
        # a person who moved household (left home, separated) also moved address
        j = self.member.locate(pids, when)
        pj_same = (j > 0) & (self.member.ent[np.maximum(j - 1, 0)] == pids)
        m_start = self.member.start[j]
        use_member = pj_same & (m_start > cur_start) & ~prev_same | pj_same & (m_start >= cur_start)
        if use_member.any():
            old_h = self.member.val[np.maximum(j - 1, 0)][use_member]
            prev[use_member] = self.prop_at(old_h, m_start[use_member] - 1)
            cur_start = np.where(use_member, m_start, cur_start)
        return prev, cur_start

    def members_at(self, hids, when) -> pd.DataFrame:
        """All (query row, pid) pairs for people in household hids[i] on when[i]."""
        q = pd.DataFrame({"q": np.arange(len(hids)), "hid": hids, "when": when})
        m = q.merge(self.member_df, on="hid", how="inner")
        m = m[(m.start <= m.when) & (m.when < m.end)]
        return m[["q", "pid", "hid", "when"]]

    def lead_adult(self, hids, when) -> np.ndarray:
        """The oldest member aged 18+ (else the oldest member) of each household on a date."""
        people = self.world.people
        m = self.members_at(hids, when)
        out = np.full(len(hids), -1, dtype=np.int64)
        if len(m):
            dob = people.dob[m.pid.to_numpy()]
            m = m.assign(dob=dob).sort_values(["q", "dob", "pid"], kind="stable")
            first = m.drop_duplicates("q")
            out[first.q.to_numpy()] = first.pid.to_numpy()
        return out

    def size_at(self, hids, when) -> tuple[np.ndarray, np.ndarray]:
        """(members, children under 18) of each household on a date."""
        people = self.world.people
        m = self.members_at(hids, when)
        kid = (m.when.to_numpy() - people.dob[m.pid.to_numpy()]) < 18 * 365.25
        size = np.bincount(m.q.to_numpy(), minlength=len(hids))
        kids = np.bincount(m.q.to_numpy()[kid], minlength=len(hids))
        return size, kids


def surname_at(people, pids, when) -> np.ndarray:
    married = people.surname_married[pids]
    has = pd.notna(married)
    use = has & (people.name_change[pids] <= when)
    return np.where(use, married, people.surname_birth[pids])


class PersonView:
    """Identifying fields of people as a system holds them, errors included."""

    def __init__(self, lookup: Lookup, rates: ErrorRates, ref):
        self.lk = lookup
        self.people = lookup.world.people
        self.rates = rates
        self.ref = ref

    def render(
        self,
        rng: np.random.Generator,
        pids: np.ndarray,
        when: np.ndarray,
        updated: np.ndarray | None = None,
        stale_address: bool = True,
        middle_in_forename: bool = True,
    ) -> dict[str, np.ndarray]:
        """Fields as recorded on `when` and kept up to date until `updated` (default: when).

        `middle_in_forename=False` for systems with their own forenames layout (council tax
        'Forenames' holds the middle name half the time), which must not get it twice.
        """
        p = self.people
        r = self.rates
        pids = np.asarray(pids, dtype=np.int64)
        when = np.asarray(when, dtype=np.int32)
        updated = when if updated is None else np.asarray(updated, dtype=np.int32)
        n = len(pids)
        # surname: as at the record date, updated after a later name change unless stale
        s_then = surname_at(p, pids, when)
        s_now = surname_at(p, pids, updated)
        keep_old = rng.random(n) < r.stale_surname
        surname = np.where(keep_old, s_then, s_now)
        forename = p.forename[pids].copy()
        forename = E.nicknames(rng, forename, self.ref.variants, r.nickname)
        if middle_in_forename:
            forename = E.middle_in_forename(rng, forename, p.middle[pids], r.middle_in_forename)
        surname = E.hyphen_variants(rng, surname, r.hyphen_variant)
        forename = E.typos(rng, forename, r.name_typo)
        surname = E.typos(rng, surname, r.name_typo)
        dob = E.dob_errors(rng, p.dob[pids], r.dob_swap, r.dob_typo)
        hid = self.lk.hid_at(pids, when)
        prop = self.lk.prop_at(hid, when)
        if stale_address:
            prev, moved = self.lk.previous_prop(pids, when)
            stale = (prev >= 0) & (when - moved < 365) & (rng.random(n) < r.stale_address)
            prop = np.where(stale, prev, prop)
        return {
            "pid": pids,
            "hid": hid,
            "forename": forename,
            "surname": surname,
            "middle": p.middle[pids],
            "dob": dob,
            "sex": p.sex[pids],
            "eth": p.eth[pids],
            "disability": p.disability[pids],
            "prop": prop,
            "nhs": p.nhs[pids],
            "nino": p.nino[pids],
            "age": ((when - p.dob[pids]) / 365.25).astype(np.float32),
        }
