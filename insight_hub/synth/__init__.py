"""The synthetic borough: a fictional London-like council area and its services' extracts.

`generate(config)` builds the population, its households, their history (births, deaths,
moves, household changes), the latent need that drives service involvement, the homelessness
outcome model, and writes every extract in docs/extracts.md with realistic, documented errors
plus the ground truth under `truth/`. See docs/synthetic_borough.md.
"""

from insight_hub.synth.config import ErrorRates, SynthConfig

__all__ = ["ErrorRates", "SynthConfig", "generate"]


def generate(config: SynthConfig, progress=None) -> dict[str, int]:
    """Generate the borough described by `config`; returns rows written per file."""
    from insight_hub.synth.generator import generate as _generate

    return _generate(config, progress=progress)
