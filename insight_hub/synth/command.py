"""`insight-hub synth`: generate the synthetic borough's extracts and ground truth."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from insight_hub.synth.config import ErrorRates, SynthConfig


def _parse_rates(values: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"expected NAME=RATE, got {v!r}", param_hint="--error-rate")
        k, x = v.split("=", 1)
        try:
            out[k.strip()] = float(x)
        except ValueError:
            raise click.BadParameter(
                f"rate for {k!r} is not a number: {x!r}", param_hint="--error-rate"
            ) from None
    return out


def check_out_dir(out: Path, force: bool) -> None:
    """Refuse an output directory that cannot be written or already holds an extract."""
    raw = out / "raw"
    if raw.exists() and any(raw.iterdir()) and not force:
        raise click.UsageError(f"{raw} is not empty: use --force to overwrite it")
    probe = out
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise click.ClickException(f"cannot write to {out}: {probe} is not a writable folder")
    if out.exists() and not out.is_dir():
        raise click.ClickException(f"cannot write to {out}: not a folder")


@click.command()
@click.option(
    "--residents",
    type=int,
    default=20_000,
    show_default=True,
    help="Residents at the extract date (at least 100).",
)
@click.option(
    "--seed",
    type=int,
    default=42,
    show_default=True,
    help="Random seed: the same seed gives the same bytes.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Output folder: writes OUT/raw/<service>/*.csv and OUT/truth/*.csv.",
)
@click.option(
    "--error-scale",
    type=float,
    default=1.0,
    show_default=True,
    help="Multiply every error rate (0 = clean data).",
)
@click.option(
    "--error-rate",
    "error_rates",
    multiple=True,
    metavar="NAME=RATE",
    help="Override one error rate, e.g. --error-rate name_typo=0.05 (repeatable).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing OUT/raw and OUT/truth.")
@click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
def synth(residents, seed, out, error_scale, error_rates, force, quiet):
    """Generate the synthetic borough: every service extract in docs/extracts.md and the truth."""
    if residents < 100:
        raise click.UsageError("--residents must be at least 100")
    if seed < 0:
        raise click.UsageError("--seed must not be negative")
    if error_scale < 0:
        raise click.UsageError("--error-scale must not be negative")
    try:
        rates = ErrorRates().scaled(error_scale).with_overrides(_parse_rates(error_rates))
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    check_out_dir(out, force)
    from insight_hub.synth.generator import generate

    def say(msg: str) -> None:
        if not quiet:
            click.echo(f"[synth {time.strftime('%H:%M:%S')}] {msg}", err=True)

    try:
        if force:
            import shutil

            for sub in ("raw", "truth"):
                shutil.rmtree(out / sub, ignore_errors=True)
        written = generate(
            SynthConfig(residents=residents, seed=seed, out=out, errors=rates), progress=say
        )
    except OSError as e:
        raise click.ClickException(
            f"cannot write the borough to {out}: {e.strerror or e}"
        ) from None
    if not quiet:
        total = sum(written.values())
        click.echo(f"wrote {len(written)} files, {total:,} rows, under {out}", err=True)
