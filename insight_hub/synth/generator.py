"""Orchestration: simulate the borough, build every extract, write them and the truth."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from insight_hub.synth import dynamics, geography, outcomes, reference
from insight_hub.synth.config import SynthConfig
from insight_hub.synth.dates import AS_OF, N_MONTHS, NULL, WINDOW_FIRST_MONTH, day, fmt, fmt_month
from insight_hub.synth.identifiers import zpad
from insight_hub.synth.render import Lookup, PersonView
from insight_hub.synth.services import (
    adults_social_care,
    childrens_social_care,
    education,
    homelessness,
    housing,
    revenues_benefits,
)
from insight_hub.synth.services.common import Context, Extract, unique_ids
from insight_hub.synth.writer import inject_malformed, take, write_csv

SERVICES = [
    revenues_benefits,
    housing,
    homelessness,
    childrens_social_care,
    adults_social_care,
    education,
]
# the extracts, in docs/extracts.md order: service -> files
EXTRACTS = {
    "revenues_benefits": [
        "council_tax_accounts",
        "council_tax_arrears",
        "benefit_claims",
        "free_school_meals",
        "debts",
    ],
    "housing": [
        "tenancies",
        "rent_arrears",
        "tenancy_notices",
        "temporary_accommodation",
        "money_hub_contacts",
    ],
    "homelessness": ["register_applications", "approaches", "spoa_referrals"],
    "childrens_social_care": [
        "early_help_episodes",
        "mash_contacts",
        "youth_offending",
        "cin_episodes",
    ],
    "adults_social_care": ["involvements"],
    "education": ["school_census", "attendance", "exclusions"],
    "governance": ["objections"],
}
TRUTH_FILES = [
    "persons",
    "households",
    "residence",
    "records",
    "homelessness_monthly",
    "objectors",
    "malformed",
]


def person_key(i) -> np.ndarray:
    return np.char.add("P", zpad(np.asarray(i) + 1, 7)).astype(object)


def household_key(i) -> np.ndarray:
    return np.char.add("H", zpad(np.asarray(i) + 1, 7)).astype(object)


class Keys:
    """Truth keys of every person and household, formatted once and looked up."""

    def __init__(self, world):
        self.person = person_key(np.arange(world.people.n))
        self.household = household_key(np.arange(world.households.n))


def _uprn(values) -> np.ndarray:
    return zpad(values, 12)


def _schools(rng, residents: int) -> dict[str, np.ndarray]:
    n_p = max(6, residents // 5000)
    n_s = max(2, residents // 20000)
    urns = rng.choice(np.arange(100_000, 150_000), size=n_p + n_s, replace=False)
    return {
        "primary": np.array([f"{u}" for u in urns[:n_p]]),
        "secondary": np.array([f"{u}" for u in urns[n_p:]]),
    }


@dataclass
class Built:
    """A simulated borough and its extracts, before malformed rows and writing."""

    config: SynthConfig
    ctx: Context
    extracts: list[Extract]


def build(config: SynthConfig, progress: Callable[[str], None] | None = None) -> Built:
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    seed = config.seed
    rates = config.errors
    geo = geography.build()
    ref = reference.load()
    say("simulating the borough's history 2018-2026")
    world = dynamics.simulate(np.random.default_rng([seed, 1]), config.residents, geo, ref)
    took = time.perf_counter() - t0
    say(f"  {world.people.n:,} people ever, {world.households.n:,} households ever ({took:.1f}s)")
    say("simulating money, housing pressure and homelessness")
    oc = outcomes.simulate_outcomes(np.random.default_rng([seed, 2]), world)
    lookup = Lookup(world)
    ctx = Context(
        world=world,
        outcomes=oc,
        lookup=lookup,
        view=PersonView(lookup, rates, ref),
        rates=rates,
        seed=seed,
        schools=_schools(np.random.default_rng([seed, 3]), config.residents),
    )
    extracts: list[Extract] = []
    for module in SERVICES:
        say(f"building {module.SERVICE} ({time.perf_counter() - t0:.1f}s)")
        by_file = {ex.file: ex for ex in module.build(ctx)}
        extracts += [by_file[f] for f in EXTRACTS[module.SERVICE]]
    return Built(config, ctx, extracts)


def generate(config: SynthConfig, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Build the borough and write every extract and the truth under config.out."""
    say = progress or (lambda msg: None)
    t0 = time.perf_counter()
    built = build(config, progress)
    return write(built, say, t0)


def write(built: Built, say: Callable[[str], None], t0: float) -> dict[str, int]:
    config = built.config
    out = Path(config.out)
    raw = out / "raw"
    mal_rng = np.random.default_rng([config.seed, 4])
    written: dict[str, int] = {}
    records = []
    malformed = []
    say(f"writing the extracts ({time.perf_counter() - t0:.1f}s)")
    keys = Keys(built.ctx.world)
    for ex in built.extracts:
        if ex.record_id is not None:
            records.append(
                pd.DataFrame(
                    {
                        "service": ex.service,
                        "source_file": ex.file,
                        "source_record_id": ex.record_id,
                        "person_id": keys.person[ex.pid],
                        "household_id": keys.household[ex.hid],
                        "_pid": ex.pid,
                        "_person_source_id": ex.person_id
                        if ex.person_id is not None
                        else ex.record_id,
                    }
                )
            )
        malformed += inject_malformed(mal_rng, ex, config.errors.malformed_row)
        written[f"raw/{ex.service}/{ex.file}.csv"] = write_csv(
            ex.columns, raw / ex.service / f"{ex.file}.csv"
        )
    rec = pd.concat(records, ignore_index=True)
    say(f"writing objections and the truth ({time.perf_counter() - t0:.1f}s)")
    obj, objectors = _objections(np.random.default_rng([config.seed, 5]), rec, config.residents)
    written["raw/governance/objections.csv"] = write_csv(obj, raw / "governance" / "objections.csv")
    world, oc = built.ctx.world, built.ctx.outcomes
    written.update(_truth(world, oc, rec, objectors, malformed, out / "truth", keys))
    say(f"done in {time.perf_counter() - t0:.1f}s")
    return written


def _objections(rng, rec: pd.DataFrame, residents: int):
    n = max(1, round(residents * 0.005))
    people = np.unique(rec._pid.to_numpy())
    chosen = np.sort(rng.choice(people, size=min(n, len(people)), replace=False))
    r = rec[rec._pid.isin(chosen)]
    # one record per objector, picked at random
    r = r.assign(u=rng.random(len(r))).sort_values(["_pid", "u"]).drop_duplicates("_pid")
    r = r.sample(frac=1.0, random_state=np.random.RandomState(rng.integers(0, 2**31))).reset_index(
        drop=True
    )
    k = len(r)
    ids = unique_ids(rng, k, 5, "OB") if k < 40_000 else unique_ids(rng, k, 6, "OB")
    received = day("2024-01-01") + rng.integers(0, AS_OF - day("2024-01-01"), k)
    # systems with their own person id are cited by it (CSC child id, Mosaic PersonID, UPN)
    person_systems = (
        r.source_file.isin(
            [
                "early_help_episodes",
                "mash_contacts",
                "cin_episodes",
                "involvements",
                "school_census",
            ]
        ).to_numpy()
        & pd.notna(r._person_source_id).to_numpy()
    )
    cited = np.where(person_systems, r._person_source_id.to_numpy(), r.source_record_id.to_numpy())
    cols = {
        "objection_id": ids,
        "received_date": fmt(np.sort(received), "iso"),
        "service": r.service.to_numpy(),
        "source_file": r.source_file.to_numpy(),
        "source_record_id": cited,
        "processing": np.where(rng.random(k) < 0.7, "predictive_analytics", "all_analytics").astype(
            object
        ),
    }
    objectors = pd.DataFrame({"person_id": r.person_id.to_numpy(), "objection_id": ids})
    return cols, objectors.sort_values("person_id").reset_index(drop=True)


def _truth(world, oc, rec, objectors, malformed, truth: Path, keys: Keys) -> dict[str, int]:
    people = world.people
    hh = world.households
    props = world.props
    geo = world.geo
    ref = world.ref
    out: dict[str, int] = {}
    n = people.n
    out["truth/persons.csv"] = write_csv(
        {
            "person_id": keys.person[:n],
            "household_id": keys.household[people.hh],
            "sex": np.where(people.sex == 0, "M", "F").astype(object),
            "dob": fmt(people.dob, "iso"),
            "ethnicity": ref.ethnicities.labels[people.eth],
            "disability": np.where(people.disability, "Y", "N").astype(object),
            "date_of_death": fmt(people.dod, "iso"),
        },
        truth / "persons.csv",
    )
    # households at the extract date (or their last address)
    hid_a, prop_a, start_a, end_a = world.address
    last = (
        pd.DataFrame({"hid": hid_a, "prop": prop_a, "start": start_a})
        .sort_values(["hid", "start"])
        .drop_duplicates("hid", keep="last")
    )
    prop_of = np.full(hh.n, -1, np.int64)
    prop_of[last.hid.to_numpy()] = last.prop.to_numpy()
    ok = prop_of >= 0
    hids = np.flatnonzero(ok)
    pr = prop_of[ok]
    out["truth/households.csv"] = write_csv(
        {
            "household_id": keys.household[hids],
            "uprn": _uprn(props.uprn[pr]),
            "postcode": props.postcode[pr],
            "ward_code": geo.wards.ward_code.to_numpy()[props.ward[pr]].astype(object),
            "lsoa_code": geo.lsoas.lsoa_code.to_numpy()[props.lsoa[pr]].astype(object),
            "tenure": _tenure_labels()[props.tenure[pr]],
        },
        truth / "households.csv",
    )
    # residence: member spells intersected with address spells
    mp, mh, ms, me = world.member
    far = np.iinfo(np.int32).max
    m = pd.DataFrame({"pid": mp, "hid": mh, "ms": ms, "me": np.where(me == NULL, far, me)})
    a = pd.DataFrame(
        {"hid": hid_a, "prop": prop_a, "as": start_a, "ae": np.where(end_a == NULL, far, end_a)}
    )
    j = m.merge(a, on="hid")
    lo = np.maximum(j.ms.to_numpy(), j["as"].to_numpy())
    hi = np.minimum(j.me.to_numpy(), j.ae.to_numpy())
    keep = hi > lo
    j = j[keep].assign(lo=lo[keep], hi=hi[keep]).sort_values(["pid", "lo"], kind="stable")
    out["truth/residence.csv"] = write_csv(
        {
            "person_id": take(keys.person, j.pid.to_numpy()),
            "household_id": take(keys.household, j.hid.to_numpy()),
            "uprn": _uprn(props.uprn[j.prop.to_numpy()]),
            "from_date": fmt(j.lo.to_numpy(), "iso"),
            "to_date": fmt(np.where(j.hi.to_numpy() == far, NULL, j.hi.to_numpy()), "iso"),
        },
        truth / "residence.csv",
    )
    out["truth/records.csv"] = write_csv(
        {
            c: rec[c].to_numpy()
            for c in ["service", "source_file", "source_record_id", "person_id", "household_id"]
        },
        truth / "records.csv",
    )
    # the true monthly approach probability, every household resident in the window
    act = oc.prop_hm[:, WINDOW_FIRST_MONTH:] >= 0
    h, mm = np.nonzero(act)
    mm = mm + WINDOW_FIRST_MONTH
    order = np.lexsort((mm, h))
    h, mm = h[order], mm[order]
    out["truth/homelessness_monthly.csv"] = write_csv(
        {
            "household_id": take(keys.household, h),
            "month": take(fmt_month(np.arange(N_MONTHS), "ym"), mm),
            "p_approach": np.round(oc.p_approach[h, mm].astype(np.float64), 6),
            "approached": oc.approached[h, mm].astype(np.int64),
        },
        truth / "homelessness_monthly.csv",
    )
    out["truth/objectors.csv"] = write_csv(
        {
            "person_id": objectors.person_id.to_numpy(),
            "objection_id": objectors.objection_id.to_numpy(),
        },
        truth / "objectors.csv",
    )
    mal = pd.DataFrame(
        malformed, columns=["service", "source_file", "row_number", "column", "kind", "value"]
    )
    out["truth/malformed.csv"] = write_csv(
        {c: mal[c].to_numpy() for c in mal.columns}, truth / "malformed.csv"
    )
    return out


def _tenure_labels() -> np.ndarray:
    from insight_hub.synth.population import TENURES

    return TENURES.astype(object)
