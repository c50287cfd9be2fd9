"""The forename nickname map: each name to a canonical forename.

forename_nicknames.csv lists (formal, variant) pairs as people write them (Robert: Bob,
Rob ...; spelling variants such as Mohammed: Muhammad). Names joined through any shared
variant form one group (Alex links Alexander and Alexandra; Harry links Henry and
Harold), and every name in a group maps to the group's alphabetically first formal name.
A shared canonical is weaker evidence than an identical forename, which the linkage model
learns as its own comparison level.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pyarrow as pa

NICKNAMES_FILE = Path(__file__).with_name("forename_nicknames.csv")


@cache
def canonical_map() -> dict[str, str]:
    """{name: canonical} for every name that appears in the nickname list."""
    parent: dict[str, str] = {}

    def find(name: str) -> str:
        parent.setdefault(name, name)
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    formal_names: set[str] = set()
    with NICKNAMES_FILE.open(newline="") as fh:
        for row in csv.DictReader(fh):
            formal, variant = row["formal"].strip().upper(), row["variant"].strip().upper()
            formal_names.add(formal)
            a, b = find(formal), find(variant)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, set[str]] = {}
    for name in list(parent):
        groups.setdefault(find(name), set()).add(name)
    mapping = {}
    for names in groups.values():
        canonical = min(n for n in names if n in formal_names)
        mapping.update({n: canonical for n in names})
    return mapping


def nickname_table() -> pa.Table:
    """name, canonical_forename: the table the identity layer joins forenames to."""
    items = sorted(canonical_map().items())
    return pa.table(
        {
            "name": pa.array([n for n, _ in items], pa.string()),
            "canonical_forename": pa.array([c for _, c in items], pa.string()),
        }
    )
