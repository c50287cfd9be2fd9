"""`insight-hub bench synth`: time and peak memory of generating the borough at scale."""

from __future__ import annotations

import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import click


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_rss_mib() -> float:
    """Peak resident set size of this process and of its children (the larger), in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024  # Linux reports KiB


@click.command("synth")
@click.option(
    "--residents", type=int, default=400_000, show_default=True, help="Borough size to generate."
)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--keep",
    type=click.Path(path_type=Path),
    default=None,
    help="Generate into this folder (kept) instead of a temporary one.",
)
def bench_synth(residents: int, seed: int, as_json: bool, keep: Path | None):
    """Generate a borough into a temporary folder; print wall time, peak RSS and rows."""
    if residents < 100:
        raise click.UsageError("--residents must be at least 100")
    from insight_hub.synth.config import SynthConfig
    from insight_hub.synth.generator import generate

    with tempfile.TemporaryDirectory(prefix="insight-hub-synth-") as tmp:
        out = keep or Path(tmp)
        t0 = time.perf_counter()
        cpu0 = _cpu_seconds()
        rows = generate(
            SynthConfig(residents=residents, seed=seed, out=out),
            progress=None if as_json else lambda m: click.echo(f"  {m}", err=True),
        )
        wall = time.perf_counter() - t0
        cpu = _cpu_seconds() - cpu0
        load = os.getloadavg()[0]
        size = sum(f.stat().st_size for f in out.rglob("*.csv"))
    result = {
        "benchmark": "synth",
        "residents": residents,
        "seed": seed,
        "wall_seconds": round(wall, 1),
        "cpu_seconds": round(cpu, 1),
        "load_average_1min": round(load, 1),
        "peak_rss_mib": round(_peak_rss_mib(), 0),
        "total_rows": sum(rows.values()),
        "output_mib": round(size / 2**20, 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "rows": rows,
    }
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(f"synthetic borough: {residents:,} residents, seed {seed}")
    click.echo(f"  wall time      {result['wall_seconds']:>10.1f} s")
    click.echo(f"  CPU time       {result['cpu_seconds']:>10.1f} s (load average {load:.1f})")
    click.echo(f"  peak RSS       {result['peak_rss_mib']:>10,.0f} MiB")
    click.echo(f"  rows written   {result['total_rows']:>10,}")
    click.echo(f"  output size    {result['output_mib']:>10,.1f} MiB")
    click.echo("")
    width = max(len(k) for k in rows)
    click.echo(f"  {'file':<{width}}  {'rows':>10}")
    for k, v in rows.items():
        click.echo(f"  {k:<{width}}  {v:>10,}")
