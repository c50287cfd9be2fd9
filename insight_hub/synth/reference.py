"""Reference data shipped with the generator (insight_hub/synth/data/*.csv).

- first_names.csv: origin, sex, era (young/old/any), name, weight. Weights are relative
  frequencies within an origin and sex (approximate rank-frequency, by ONS and national
  registers' published lists for each community).
- surnames.csv: origin, sex ('' for any, F for female-only surnames such as Begum or Kaur),
  name, weight.
- nicknames.csv: name, variant, kind (nickname | spelling): the informal or alternative forms
  a person may give (Bob for Robert, Mo for Mohammed, Muhammad for Mohammed).
- ethnicities.csv: the ONS 18 groups, with their DfE main code, London-like population share
  and the mix of name origins used for people of that group.
- streets.csv: street name stems, suffixes and block suffixes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files("insight_hub.synth").joinpath("data", name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class NamePool:
    names: np.ndarray  # object array of names
    p: np.ndarray  # probabilities

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        cdf = np.cumsum(self.p)
        i = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
        return self.names[np.minimum(i, len(self.names) - 1)]


def _pool(names: list[str], weights: list[float]) -> NamePool:
    w = np.asarray(weights, dtype=float)
    return NamePool(np.array(names, dtype=object), w / w.sum())


@dataclass(frozen=True)
class Ethnicities:
    labels: np.ndarray  # ONS 18-group labels, index = code - 1
    dfe: np.ndarray
    share: np.ndarray
    origin_mix: list[dict[str, float]]


@dataclass(frozen=True)
class Reference:
    origins: list[str]
    first: dict[tuple[str, str, str], NamePool]  # (origin, sex M/F, era young/old)
    surnames: dict[str, NamePool]
    female_surnames: dict[str, NamePool]
    variants: dict[str, np.ndarray]  # name -> array of nickname/spelling variants
    ethnicities: Ethnicities
    street_stems: NamePool
    street_suffixes: NamePool
    block_suffixes: NamePool


@cache
def load() -> Reference:
    first_rows = _rows("first_names.csv")
    origins = sorted({r["origin"] for r in first_rows})
    first: dict[tuple[str, str, str], NamePool] = {}
    for origin in origins:
        for sex in ("M", "F"):
            for era in ("young", "old"):
                sel = [
                    r
                    for r in first_rows
                    if r["origin"] == origin and r["sex"] == sex and r["era"] in ("any", era)
                ]
                first[(origin, sex, era)] = _pool(
                    [r["name"] for r in sel], [float(r["weight"]) for r in sel]
                )
    sur_rows = _rows("surnames.csv")
    surnames = {}
    female = {}
    for origin in origins:
        sel = [r for r in sur_rows if r["origin"] == origin and r["sex"] == ""]
        surnames[origin] = _pool([r["name"] for r in sel], [float(r["weight"]) for r in sel])
        fsel = [r for r in sur_rows if r["origin"] == origin and r["sex"] == "F"]
        if fsel:
            female[origin] = _pool([r["name"] for r in fsel], [float(r["weight"]) for r in fsel])
    variants: dict[str, list[str]] = {}
    for r in _rows("nicknames.csv"):
        variants.setdefault(r["name"], []).append(r["variant"])
    eth = _rows("ethnicities.csv")
    mixes = []
    for r in eth:
        mix = {}
        for part in r["origins"].split():
            k, v = part.split(":")
            mix[k] = float(v)
        mixes.append(mix)
    share = np.array([float(r["share"]) for r in eth])
    ethnicities = Ethnicities(
        labels=np.array([r["ons_label"] for r in eth], dtype=object),
        dfe=np.array([r["dfe_code"] for r in eth], dtype=object),
        share=share / share.sum(),
        origin_mix=mixes,
    )
    st = _rows("streets.csv")

    def kind(k):
        sel = [r for r in st if r["kind"] == k]
        return _pool([r["value"] for r in sel], [float(r["weight"]) for r in sel])

    return Reference(
        origins=origins,
        first=first,
        surnames=surnames,
        female_surnames=female,
        variants={k: np.array(v, dtype=object) for k, v in variants.items()},
        ethnicities=ethnicities,
        street_stems=kind("stem"),
        street_suffixes=kind("suffix"),
        block_suffixes=kind("block"),
    )
