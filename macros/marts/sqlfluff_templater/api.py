"""The project's `api` stand-in (.sqlfluff_templater/api.py), unchanged."""

from _base import load

Column = load("api").Column
