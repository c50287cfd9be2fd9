"""Governance: the purpose register and its check on the dbt lineage, roles declared once and
enforced by each serving mode (PostgreSQL grants and row-level security, per-role DuckDB
files), and the governance pack (a static site for the DPO and auditors).

Declarations live at the repo root: governance/purposes.yml and governance/roles.yml.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_PURPOSES = Path("governance/purposes.yml")
DEFAULT_ROLES = Path("governance/roles.yml")
DEFAULT_MANIFEST = Path("target/manifest.json")
DEFAULT_SERVING = Path("warehouse/serving.duckdb")
DEFAULT_ROLE_FILES = Path("warehouse/roles")
DEFAULT_GATE_RESULT = Path("reports/gate/result.json")
DEFAULT_RETENTION = Path("seeds/retention_schedule.csv")
PG_DSN_ENV = "INSIGHT_HUB_PG_DSN"


class DeclarationError(ValueError):
    """A governance declaration (purposes.yml, roles.yml) is malformed or inconsistent."""
