"""The project's `adapter` stand-in (.sqlfluff_templater/adapter.py), unchanged."""

from _base import load

_project = load("adapter")
dispatch = _project.dispatch
quote = _project.quote
type = _project.type  # noqa: A001 - dbt's name
