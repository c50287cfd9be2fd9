"""Shared fixtures: small boroughs generated once per test session."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from insight_hub.synth import dynamics, geography, outcomes, reference
from insight_hub.synth.config import ErrorRates, SynthConfig
from insight_hub.synth.generator import build, generate

ROOT = Path(__file__).resolve().parents[2]
SMALL = 2500  # residents of the test borough
SEED = 11


@pytest.fixture(scope="session")
def borough(tmp_path_factory) -> Path:
    """A 2,500-resident borough written to disk (default error rates)."""
    out = tmp_path_factory.mktemp("borough")
    generate(SynthConfig(residents=SMALL, seed=SEED, out=out))
    return out


@pytest.fixture(scope="session")
def noisy():
    """A borough built in memory with every error rate doubled, to measure the rates precisely."""
    rates = ErrorRates().scaled(2)
    return build(SynthConfig(residents=3000, seed=5, errors=rates))


@pytest.fixture(scope="session")
def history():
    """The demographic and homelessness model alone, at a size where rates are stable."""
    rng = np.random.default_rng([23, 1])
    world = dynamics.simulate(rng, 15_000, geography.build(), reference.load())
    oc = outcomes.simulate_outcomes(np.random.default_rng([23, 2]), world)
    return world, oc


def read(borough: Path, rel: str) -> pd.DataFrame:
    return pd.read_csv(borough / rel, dtype=str, keep_default_na=False, na_values=[""])


def contract() -> dict[tuple[str, str], list[str]]:
    """(folder, file) -> columns, parsed from docs/extracts.md (raw services and truth)."""
    text = (ROOT / "docs" / "extracts.md").read_text(encoding="utf-8")
    out: dict[tuple[str, str], list[str]] = {}
    section = None
    current = None
    for line in text.splitlines():
        h = re.match(r"^## (\w+)", line)
        if h:
            section = "truth" if h.group(1) == "Ground" else h.group(1)
            current = None
            continue
        f = re.match(r"^`(\w+)\.csv`", line)
        if f:
            current = f.group(1)
            out[(section, current)] = []
            continue
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        g = re.match(r"^`(\w+)\.csv`$", cells[0])
        if g and len(cells) == 3:  # | `file.csv` | one row per | columns |
            cols = re.sub(r"\([^)]*\)", "", cells[2])
            out[(section, g.group(1))] = [
                c.strip().split()[0] for c in cols.split(",") if c.strip()
            ]
        elif current and cells[0] not in ("column", "file"):
            out[(section, current)] += [c.strip(" `") for c in cells[0].split(",")]
    return out
