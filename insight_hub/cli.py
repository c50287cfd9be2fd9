"""The `insight-hub` command: thin, one subcommand per job.

Subcommands are loaded lazily from the registries below ("module:attribute"), so that
`insight-hub --help` stays fast and each job's code lives with the layer it belongs to.
"""

from __future__ import annotations

import importlib

import click

# name -> "module:click command"; each job registers one line here.
COMMANDS: dict[str, str] = {
    "synth": "insight_hub.synth.command:synth",
    "key": "insight_hub.pseudonymise:key",
    "build": "insight_hub.pipeline:build",
    "gate": "insight_hub.gate.command:gate",
    "governance": "insight_hub.governance.command:governance",
    "publish": "insight_hub.governance.publish:publish",
    "linkage": "insight_hub.identity.command:linkage",
    "model-card": "insight_hub.prediction.model_card:model_card",
}
# `insight-hub bench <part>`: benchmarks that print their figures.
BENCH: dict[str, str] = {
    "synth": "insight_hub.synth.bench:bench_synth",
    "gate": "insight_hub.gate.bench:bench_gate",
    "staging": "insight_hub.staging_bench:bench_staging",
    "marts": "insight_hub.marts_bench:bench_marts",
    "linkage": "insight_hub.identity.bench:bench_linkage",
    "prediction": "insight_hub.prediction.bench:bench_prediction",
}
# `insight-hub evaluate <part>`: measurements against the synthetic ground truth.
EVALUATE: dict[str, str] = {
    "linkage": "insight_hub.identity.evaluate:evaluate_linkage",
    "risk": "insight_hub.prediction.evaluate:evaluate_risk",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when used."""

    def __init__(self, *args, registry: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.registry = registry or {}

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.registry))

    def get_command(self, ctx, cmd_name):
        if cmd_name in self.registry:
            module_name, attr = self.registry[cmd_name].split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, registry=COMMANDS)
@click.version_option(package_name="insight-hub")
def main():
    """Insight Hub: build, check and publish the council's analytical warehouse."""


@main.group(cls=LazyGroup, registry=BENCH)
def bench():
    """Benchmarks: run a part at scale and print its time and peak memory."""


@main.group(cls=LazyGroup, registry=EVALUATE)
def evaluate():
    """Measure linkage and prediction against the synthetic borough's ground truth."""


if __name__ == "__main__":
    main()
