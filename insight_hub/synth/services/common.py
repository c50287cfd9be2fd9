"""What every service's extracts share: the extract object, ids, layouts, event sampling."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from insight_hub.synth import identifiers
from insight_hub.synth.config import ErrorRates
from insight_hub.synth.dates import AS_OF, NULL, SIM_START, fmt
from insight_hub.synth.render import Lookup, PersonView


@dataclass
class Extract:
    """One CSV file: its columns in order, plus what the truth and the error model need."""

    service: str
    file: str
    columns: dict[str, np.ndarray]
    record_id: np.ndarray | None = None  # person-bearing: the record id that truth refers to
    pid: np.ndarray | None = None
    hid: np.ndarray | None = None
    person_id: np.ndarray | None = None  # the system's person id (objections may cite it)
    dates: dict[str, str] = field(default_factory=dict)  # column -> layout, for malformed rows
    codes: dict[str, str] = field(default_factory=dict)  # column -> an unknown code

    @property
    def n(self) -> int:
        return len(next(iter(self.columns.values())))


@dataclass
class Context:
    world: object
    outcomes: object
    lookup: Lookup
    view: PersonView
    rates: ErrorRates
    seed: int
    schools: dict
    cache: dict = field(default_factory=dict)

    def rng(self, name: str) -> np.random.Generator:
        """A child generator per component, independent of generation order."""
        key = [self.seed] + [ord(c) for c in name]
        return np.random.default_rng(key)


def unique_ids(rng: np.random.Generator, n: int, digits: int, prefix: str = "") -> np.ndarray:
    """n distinct random ids of `digits` digits (no leading zero), with a prefix."""
    if n == 0:
        return np.empty(0, dtype=object)
    low = 10 ** (digits - 1)
    vals = identifiers.unique_ints(rng, 10**digits - low, n) + low
    return np.char.add(prefix, vals.astype(f"U{digits}")).astype(object)


def money(values) -> np.ndarray:
    """Decimal pounds with two decimals ('412.50')."""
    pence = np.rint(np.asarray(values, dtype=np.float64) * 100).astype(np.int64)
    pounds = (pence // 100).astype("U12")
    return np.char.add(np.char.add(pounds, "."), identifiers.zpad(pence % 100, 2))


def dates(days, layout: str) -> np.ndarray:
    return fmt(days, layout)


def postcode_variants(rng, postcodes: np.ndarray, rate_lower=0.12, rate_nospace=0.12) -> np.ndarray:
    """Mixed case and spacing, as typed into some systems."""
    out = postcodes.copy()
    u = rng.random(len(out))
    for i in np.flatnonzero(u < rate_lower + rate_nospace):
        pc = out[i]
        if pc is None:
            continue
        if u[i] < rate_lower:
            out[i] = pc.lower() if u[i] < rate_lower / 2 else pc.title()
        else:
            out[i] = pc.replace(" ", "")
    return out


def address_number_form(props, idx) -> np.ndarray:
    """'12 Acacia Avenue' or 'Flat 3, 12 Acacia Avenue'."""
    flat = props.flat[idx]
    num = props.number[idx]
    street = props.street[idx]
    return np.array(
        [
            f"Flat {f}, {n} {s}" if f else f"{n} {s}"
            for f, n, s in zip(flat.tolist(), num.tolist(), street, strict=True)
        ],
        dtype=object,
    )


def address_building_form(props, idx) -> np.ndarray:
    """'Flat 3 Acacia House' for block flats, else the number form."""
    out = address_number_form(props, idx)
    b = props.building[idx]
    flat = props.flat[idx]
    for i in np.flatnonzero(pd.notna(b)):
        out[i] = f"Flat {flat[i]} {b[i]}"
    return out


def phone_layouts(rng, phones: np.ndarray) -> np.ndarray:
    out = np.empty(len(phones), dtype=object)
    k = rng.integers(0, 4, size=len(phones))
    for i, (p, kk) in enumerate(zip(phones, k.tolist(), strict=True)):
        if p is None:
            continue
        if p.startswith("07"):
            out[i] = (p, f"{p[:5]} {p[5:]}", f"+44 {p[1:5]} {p[5:]}", f"{p[:5]} {p[5:8]} {p[8:]}")[
                kk
            ]
        else:
            out[i] = (
                p,
                f"{p[:3]} {p[3:7]} {p[7:]}",
                f"({p[:3]}) {p[3:7]} {p[7:]}",
                f"+44 20 {p[3:7]} {p[7:]}",
            )[kk]
    return out


EMAIL_DOMAINS = np.array(
    ["example.com", "example.net", "example.org", "mail.example.co.uk"], dtype=object
)


def emails(rng, forenames, surnames) -> np.ndarray:
    out = np.empty(len(forenames), dtype=object)
    k = rng.integers(0, 4, size=len(out))
    nn = rng.integers(1, 99, size=len(out))
    dom = EMAIL_DOMAINS[rng.integers(0, len(EMAIL_DOMAINS), size=len(out))]
    for i in range(len(out)):
        f = "".join(ch for ch in str(forenames[i]).lower() if ch.isalnum())
        s = "".join(ch for ch in str(surnames[i]).lower() if ch.isalnum())
        out[i] = (
            (f"{f}.{s}", f"{f[:1]}{s}", f"{f}{s}{nn[i]}", f"{s}.{f}{nn[i]}")[k[i]] + "@" + dom[i]
        )
    return out


def titles(rng, sex, age, married) -> np.ndarray:
    out = np.where(
        sex == 0, "Mr", np.where(married, "Mrs", np.where(age < 30, "Miss", "Ms"))
    ).astype(object)
    u = rng.random(len(out))
    out[u < 0.01] = "Dr"
    out[(u >= 0.01) & (u < 0.013)] = "Mx"
    out[(u >= 0.013) & (u < 0.06)] = None
    return out


def is_married(people, pids, when) -> np.ndarray:
    return pd.notna(people.surname_married[pids]) & (people.name_change[pids] <= when)


def spell_events(rng, start, end, rate_per_month) -> tuple[np.ndarray, np.ndarray]:
    """Poisson events over spells: (spell index, day) for each event."""
    start = np.asarray(start, dtype=np.int64)
    end = np.asarray(end, dtype=np.int64)
    months = np.maximum(end - start, 0) / 30.44
    n = rng.poisson(np.asarray(rate_per_month) * months)
    idx = np.repeat(np.arange(len(start)), n)
    when = start[idx] + (rng.random(len(idx)) * (end[idx] - start[idx])).astype(np.int64)
    order = np.lexsort((when, idx))
    return idx[order], when[order].astype(np.int32)


def member_spells(ctx: Context, min_age=0.0, max_age=200.0, since=SIM_START):
    """Member spells clipped to an age band and to [since, extract date)."""
    pid, hid, start, end = ctx.world.member
    people = ctx.world.people
    end = np.where(end == NULL, AS_OF, end)
    dob = people.dob[pid].astype(np.int64)
    lo = np.maximum.reduce(
        [start.astype(np.int64), dob + int(min_age * 365.25), np.full(len(pid), since)]
    )
    hi = np.minimum(end.astype(np.int64), dob + int(max_age * 365.25))
    ok = hi > lo
    return pid[ok], hid[ok], lo[ok].astype(np.int32), hi[ok].astype(np.int32)


class SystemIds:
    """A system's own person ids: one per person, a second one for duplicated persons."""

    def __init__(self, rng, people_n: int, prefix: str, digits: int, dup_rate: float):
        self.rng = rng
        both = unique_ids(rng, 2 * people_n, digits, prefix)
        self.main, self.alt = both[:people_n], both[people_n:]
        self.dup = rng.random(people_n) < dup_rate

    def assign(self, pids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row order (with duplicated rows appended) and the person id of each row."""
        pids = np.asarray(pids)
        order = np.arange(len(pids))
        dup = self.dup[pids]
        use_alt = dup & (self.rng.random(len(pids)) < 0.5)
        # people with a duplicate id but all rows on one id: duplicate one row onto the other
        s = pd.Series(use_alt[dup]).groupby(pids[dup]).agg(["min", "max"])
        single = s.index[(s["min"] == s["max"]).to_numpy()].to_numpy()
        extra_rows = np.array(
            pd.Series(np.flatnonzero(dup)).groupby(pids[dup]).first().reindex(single).to_numpy(),
            dtype=np.int64,
        )
        order = np.concatenate([order, extra_rows])
        alt = np.concatenate([use_alt, ~use_alt[extra_rows]])
        ids = np.where(alt, self.alt[pids[order]], self.main[pids[order]])
        return order, ids


def duplicate_rows(rng, n: int, rate: float) -> np.ndarray:
    """Row order with some rows keyed in twice (duplicates appended at the end)."""
    extra = np.flatnonzero(rng.random(n) < rate)
    return np.concatenate([np.arange(n), extra])


def corrupt_ids(rng, values: np.ndarray, rate: float, kind: str) -> np.ndarray:
    out = values.copy()
    hit = np.flatnonzero((rng.random(len(out)) < rate) & pd.notna(out))
    if len(hit):
        fn = {
            "nhs": identifiers.corrupt_nhs,
            "nino": identifiers.corrupt_nino,
            "upn": identifiers.corrupt_upn,
        }[kind]
        out[hit] = fn(out[hit])
    return out


def dfe_ethnicity(ref, eth) -> np.ndarray:
    return ref.ethnicities.dfe[eth]


def ons_ethnicity(ref, eth) -> np.ndarray:
    return ref.ethnicities.labels[eth]


def clip_end(end) -> np.ndarray:
    """Dates on or after the extract date are still open: NULL."""
    end = np.asarray(end, dtype=np.int32)
    return np.where(end >= AS_OF, NULL, end)
