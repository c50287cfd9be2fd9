"""`insight-hub synth` arguments and errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from insight_hub.cli import main


def run(*args):
    return CliRunner().invoke(main, ["synth", *args])


def test_help():
    r = run("--help")
    assert r.exit_code == 0 and "--residents" in r.output and "--error-scale" in r.output


def test_too_few_residents(tmp_path):
    r = run("--residents", "99", "--out", str(tmp_path))
    assert r.exit_code == 2 and "at least 100" in r.output


def test_negative_seed(tmp_path):
    r = run("--seed=-1", "--out", str(tmp_path))
    assert r.exit_code == 2 and "seed" in r.output


def test_unknown_error_rate(tmp_path):
    r = run("--error-rate", "spelling=0.1", "--out", str(tmp_path))
    assert r.exit_code == 2 and "unknown error rate" in r.output
    r = run("--error-rate", "name_typo=2", "--out", str(tmp_path))
    assert r.exit_code == 2


def test_unwritable_out(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    r = run("--residents", "100", "--out", str(blocker / "sub"))
    assert r.exit_code != 0 and "cannot write" in r.output
    assert r.output.strip().count("\n") == 0  # one line


def test_non_empty_out_needs_force(tmp_path):
    (tmp_path / "raw" / "housing").mkdir(parents=True)
    (tmp_path / "raw" / "housing" / "tenancies.csv").write_text("x\n")
    r = run("--residents", "100", "--out", str(tmp_path), "--quiet")
    assert r.exit_code == 2 and "--force" in r.output
    r = run(
        "--residents", "150", "--out", str(tmp_path), "--quiet", "--force", "--error-scale", "0.5"
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "raw" / "governance" / "objections.csv").exists()
    assert (tmp_path / "truth" / "records.csv").exists()


def test_bench_json(tmp_path):
    r = CliRunner().invoke(main, ["bench", "synth", "--residents", "150", "--json"])
    assert r.exit_code == 0, r.output
    figures = json.loads(r.output[r.output.index("{") :])
    assert (
        figures["residents"] == 150 and figures["wall_seconds"] > 0 and figures["peak_rss_mib"] > 0
    )
    assert figures["rows"]["raw/housing/tenancies.csv"] > 0
