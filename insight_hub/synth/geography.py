"""The borough's geography: wards, LSOAs and postcodes (the dbt seeds).

Fictional but format-valid: ward codes E05099xxx, LSOA codes E01099xxx (real codes never use
the 099 block), postcodes in the non-existent `IH` postcode area. Built from a fixed seed so
the committed seeds/*.csv never change with the generator's --seed; a test checks the files
equal `build()`. Regenerate them with `python -m insight_hub.synth.geography seeds`.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

BOROUGH = "Kingsmere"
GEOGRAPHY_SEED = 20231001
WARD_NAMES = [
    "Abbey Green",
    "Ashby Park",
    "Brookfield",
    "Castle Hill",
    "Chalkwell",
    "Dene Vale",
    "Eastmoor",
    "Fernhurst",
    "Gallions",
    "Harrowden",
    "Kingsmere Central",
    "Lark Rise",
    "Marshgate",
    "Northolt Fields",
    "Old Town",
    "Priory",
    "Riverside",
    "St Aidan's",
    "Westbury",
    "Woodlands",
]
INWARD_LETTERS = list("ABDEFGHJLNPQRSTUWXYZ")  # the letters Royal Mail uses in inward codes


@dataclass(frozen=True)
class Geography:
    wards: pd.DataFrame
    lsoas: pd.DataFrame
    postcodes: pd.DataFrame


def build() -> Geography:
    rng = np.random.default_rng(GEOGRAPHY_SEED)
    n_wards = len(WARD_NAMES)
    wards = pd.DataFrame(
        {
            "ward_code": [f"E05099{i + 1:03d}" for i in range(n_wards)],
            "ward_name": WARD_NAMES,
            "borough_name": BOROUGH,
        }
    )
    # ~200 LSOAs, 8-12 per ward; deprivation clusters by ward (east of the borough poorer)
    per_ward = rng.integers(8, 13, size=n_wards)
    per_ward[-1] += 200 - per_ward.sum() if per_ward.sum() < 200 else 0
    ward_dep = rng.normal(0, 1.2, size=n_wards)
    rows = []
    k = 0
    for w in range(n_wards):
        for _j in range(per_ward[w]):
            k += 1
            score = ward_dep[w] + rng.normal(0, 0.9)
            rows.append((f"E01099{k:03d}", wards.ward_code[w], score))
    lsoas = pd.DataFrame(rows, columns=["lsoa_code", "ward_code", "score"])
    # IMD-style decile within England (London-like: skewed towards the more deprived deciles)
    ranks = lsoas.score.rank(method="first").to_numpy()
    pct = 1 - (ranks - 0.5) / len(lsoas)  # 0 = most deprived
    lsoas["imd_decile"] = np.clip((pct**1.25 * 10).astype(int) + 1, 1, 10)
    # LSOA names follow the ONS pattern: borough + 3-digit MSOA number + letter
    msoa = (np.arange(len(lsoas)) // 5) + 1
    letter = np.array(list("ABCDE"))[np.arange(len(lsoas)) % 5]
    lsoas["lsoa_name"] = [f"{BOROUGH} {m:03d}{c}" for m, c in zip(msoa, letter, strict=True)]
    lsoas = lsoas[["lsoa_code", "lsoa_name", "ward_code", "imd_decile"]]
    # postcodes: each ward sits in one of 12 districts IH1..IH12; 12-18 postcodes per LSOA
    ward_district = {wc: 1 + i * 12 // n_wards for i, wc in enumerate(wards.ward_code)}
    used: set[str] = set()
    pc_rows = []
    for lsoa, wc in zip(lsoas.lsoa_code, lsoas.ward_code, strict=True):
        district = ward_district[wc]
        for _ in range(int(rng.integers(12, 19))):
            while True:
                sector = int(rng.integers(0, 10))
                unit = "".join(rng.choice(INWARD_LETTERS, size=2))
                pc = f"IH{district} {sector}{unit}"
                if pc not in used:
                    used.add(pc)
                    break
            pc_rows.append((pc, lsoa))
    postcodes = pd.DataFrame(pc_rows, columns=["postcode", "lsoa_code"])
    return Geography(wards=wards, lsoas=lsoas, postcodes=postcodes)


def write_seeds(folder: Path) -> None:
    g = build()
    folder.mkdir(parents=True, exist_ok=True)
    g.wards.to_csv(folder / "wards.csv", index=False, lineterminator="\n")
    g.lsoas.to_csv(folder / "lsoas.csv", index=False, lineterminator="\n")
    g.postcodes.to_csv(folder / "postcodes.csv", index=False, lineterminator="\n")


if __name__ == "__main__":  # python -m insight_hub.synth.geography seeds
    write_seeds(Path(sys.argv[1] if len(sys.argv) > 1 else "seeds"))
