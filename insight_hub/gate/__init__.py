"""The gate: GX suites, disclosure control and atomic publishing (see docs/gate.md).

``gate_and_publish`` is the entry point ``insight-hub build`` calls after ``dbt build``.
Imports are lazy: Great Expectations takes seconds to import, and the disclosure-control code
(:mod:`insight_hub.gate.disclosure`, :mod:`insight_hub.gate.audit`) does not need it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["gate_and_publish", "GateResult", "Failure", "protect", "audit_published"]

_LAZY = {
    "gate_and_publish": "insight_hub.gate.run",
    "GateResult": "insight_hub.gate.checkpoint",
    "Failure": "insight_hub.gate.checkpoint",
    "protect": "insight_hub.gate.disclosure",
    "audit_published": "insight_hub.gate.audit",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
