"""The committed reference seeds: deterministic, format-valid, documented."""

from __future__ import annotations

import pandas as pd
import yaml

from insight_hub.synth import geography

from .conftest import ROOT

SEEDS = ROOT / "seeds"


def _read(name):
    return pd.read_csv(SEEDS / f"{name}.csv", dtype=str)


def test_seeds_equal_generator():
    g = geography.build()
    for name in ("wards", "lsoas", "postcodes"):
        pd.testing.assert_frame_equal(_read(name), getattr(g, name).astype(str), check_dtype=False)


def test_codes_and_links():
    wards, lsoas, pcs = _read("wards"), _read("lsoas"), _read("postcodes")
    assert len(wards) == 20 and wards.ward_code.str.fullmatch(r"E05\d{6}").all()
    assert 180 <= len(lsoas) <= 220 and lsoas.lsoa_code.str.fullmatch(r"E01\d{6}").all()
    assert set(lsoas.ward_code) == set(wards.ward_code)
    assert pcs.postcode.is_unique and set(pcs.lsoa_code) == set(lsoas.lsoa_code)
    assert pcs.postcode.str.fullmatch(r"[A-Z]{2}\d{1,2} \d[ABD-HJLNP-UW-Z]{2}").all()


def test_seeds_documented():
    doc = yaml.safe_load((SEEDS / "_reference__seeds.yml").read_text())
    seeds = {s["name"]: s for s in doc["seeds"]}
    for name in ("wards", "lsoas", "postcodes"):
        documented = {c["name"] for c in seeds[name]["columns"]}
        assert documented == set(_read(name).columns)
        for c in seeds[name]["columns"]:
            assert c.get("description") and c.get("meta", {}).get("pii") == "none"
