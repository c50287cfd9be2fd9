"""What the dbt benchmarks (`insight-hub bench staging`, `insight-hub bench marts`) share: the
bench borough and warehouse paths, generating the borough when absent, and running a command
(dbt, synth) with its wall time, CPU time and peak memory measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]


def bin_path(name: str) -> str:
    """A console script of this virtual environment (dbt, insight-hub)."""
    return str(Path(sys.executable).parent / name)


def bench_env(warehouse: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="False")
    env["INSIGHT_HUB_WAREHOUSE"] = str(warehouse)
    return env


def bench_paths(
    residents: int, borough: Path | None, warehouse: Path | None, warehouse_prefix: str
) -> tuple[str, Path, Path]:
    """(label, borough, warehouse): data/bench/<n>k and warehouse/<prefix><n>k.duckdb unless
    given; the warehouse's folder is created."""
    label = f"{residents // 1000}k" if residents >= 1000 else str(residents)
    borough = (borough or ROOT / "data" / "bench" / label).resolve()
    warehouse = (warehouse or ROOT / "warehouse" / f"{warehouse_prefix}{label}.duckdb").resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    return label, borough, warehouse


def run_measured(
    cmd: list[str], env: dict[str, str], what: str, cwd: Path = ROOT, bench: str = "bench"
) -> tuple[float, float, float]:
    """Run a command: wall seconds, CPU seconds (user + system) and peak RSS in MiB of that
    process (and the children it waited for). Exits 1 naming the step when it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = "\n".join(output.splitlines()[-30:])
        click.echo(f"{bench}: {what} failed (exit {code}):\n{tail}", err=True)
        sys.exit(1)
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # Linux: KiB


def dbt_command(args: list[str], raw: Path, logs: Path) -> list[str]:
    """dbt with the bench borough as raw_path; logs and target under `logs` (one folder per
    bench warehouse, so that benches of several warehouses never share a target)."""
    return [
        bin_path("dbt"),
        *args,
        "--vars",
        json.dumps({"raw_path": str(raw)}),
        "--log-path",
        str(logs),
        "--target-path",
        str(logs / "target"),
    ]


def ensure_borough(
    borough: Path, residents: int, seed: int, env: dict[str, str], say, bench: str
) -> Path:
    """The borough's raw/ folder, generated with `insight-hub synth` when absent or empty."""
    raw = borough / "raw"
    if not raw.is_dir() or not any(raw.iterdir()):
        say(f"generating a borough of {residents:,} residents into {borough} ...")
        cmd = [bin_path("insight-hub"), "synth", "--residents", str(residents), "--seed", str(seed)]
        run_measured([*cmd, "--out", str(borough)], env, "insight-hub synth", bench=bench)
    return raw
