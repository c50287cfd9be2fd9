"""Same seed, same bytes; another seed, another borough."""

from __future__ import annotations

import hashlib

from insight_hub.synth.config import SynthConfig
from insight_hub.synth.generator import generate

from .conftest import SEED, SMALL


def _hashes(root):
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.csv"))
    }


def test_same_seed_same_bytes(borough, tmp_path):
    generate(SynthConfig(residents=SMALL, seed=SEED, out=tmp_path))
    assert _hashes(tmp_path) == _hashes(borough)


def test_other_seed_differs(borough, tmp_path):
    generate(SynthConfig(residents=300, seed=SEED + 1, out=tmp_path))
    a, b = _hashes(tmp_path), _hashes(borough)
    assert a.keys() == b.keys()
    assert (
        a["raw/revenues_benefits/council_tax_accounts.csv"]
        != b["raw/revenues_benefits/council_tax_accounts.csv"]
    )
