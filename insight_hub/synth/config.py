"""Configuration of the synthetic borough: size, seed and the error model's rates."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path


@dataclass(frozen=True)
class ErrorRates:
    """Rates of the data-quality errors the services' systems introduce.

    Every rate is a probability per opportunity, measured against the truth by
    tests/synth/test_errors.py; docs/synthetic_borough.md explains each one.
    """

    name_typo: float = 0.03
    """per name field of a person-bearing record: one insert/delete/substitute/transpose."""
    nickname: float = 0.14
    """per record whose true forename has a known variant: the nickname or spelling is used."""
    middle_in_forename: float = 0.06
    """per record of a person with a middle name: the forename field holds both ('John Paul')."""
    dob_swap: float = 0.04
    """per date of birth with day <= 12 and day != month: day and month transposed."""
    dob_typo: float = 0.012
    """per date of birth: day or year off by one (a keying slip)."""
    field_missing: float = 0.04
    """per optional identifying field (postcode, phone, NI number, DOB where usually held)."""
    stale_address: float = 0.3
    """per record dated within 12 months after the person moved: the previous address."""
    stale_surname: float = 0.5
    """per record dated after a marriage name change: the previous surname is kept."""
    hyphen_variant: float = 0.4
    """per record of a double-barrelled surname: only one part, or a space for the hyphen."""
    duplicate_person: float = 0.01
    """per person in a system with its own person id: a second id for some of their records."""
    duplicate_record: float = 0.004
    """per record in a system without a person id: the record keyed in twice."""
    invalid_identifier: float = 0.005
    """per NHS number, UPN and NI number held: a wrong check digit / letter or bad prefix."""
    malformed_row: float = 0.001
    """per row of every extract: an unparseable date or an unknown code (staging rejects it)."""

    def scaled(self, factor: float) -> ErrorRates:
        """All rates multiplied by `factor` (capped at 1)."""
        return replace(
            self, **{f.name: min(1.0, getattr(self, f.name) * factor) for f in fields(self)}
        )

    def with_overrides(self, overrides: dict[str, float]) -> ErrorRates:
        names = {f.name for f in fields(self)}
        unknown = set(overrides) - names
        if unknown:
            raise ValueError(f"unknown error rate(s): {', '.join(sorted(unknown))}")
        bad = {k: v for k, v in overrides.items() if not 0.0 <= v <= 1.0}
        if bad:
            raise ValueError(f"error rates must be between 0 and 1: {bad}")
        return replace(self, **overrides)


@dataclass(frozen=True)
class SynthConfig:
    residents: int = 20_000
    seed: int = 42
    out: Path = Path("data")
    errors: ErrorRates = field(default_factory=ErrorRates)
