"""The dbt lineage as a graph, read from target/manifest.json (or the same dict in tests).

Only data-bearing nodes take part: models, seeds, snapshots and sources. Each node's parents are
its `depends_on.nodes`; a mart's upstream lineage is everything reachable through parents, with
the shortest path back to each node remembered so that a failure can name it.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insight_hub.governance import DEFAULT_MANIFEST

DATA_TYPES = ("model", "seed", "snapshot", "source")


class ManifestError(RuntimeError):
    """The manifest is missing or unreadable."""


def _meta(entry: dict) -> dict:
    """dbt 1.10+ keeps meta in config.meta and mirrors it at the top; merge both."""
    meta: dict = {}
    meta.update(entry.get("meta") or {})
    meta.update((entry.get("config") or {}).get("meta") or {})
    return meta


@dataclass
class Column:
    name: str
    description: str = ""
    data_type: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def pii(self) -> str | None:
        value = self.meta.get("pii")
        return str(value) if value is not None else None

    @property
    def categories(self) -> list[str]:
        value = self.meta.get("category", self.meta.get("categories"))
        if value is None:
            return []
        return [str(v) for v in (value if isinstance(value, list) else [value])]


@dataclass
class Node:
    unique_id: str
    resource_type: str
    name: str
    schema: str | None
    meta: dict
    columns: dict[str, Column]
    parents: list[str]
    description: str = ""
    path: str = ""
    source_name: str | None = None
    materialized: str | None = None
    tags: tuple[str, ...] = ()
    alias: str | None = None

    @property
    def relation(self) -> str:
        """`schema.table` as the warehouse (and the serving copies) name it."""
        return f"{self.schema}.{self.alias or self.name}"

    @property
    def is_source(self) -> bool:
        return self.resource_type == "source"

    @property
    def control(self) -> str | None:
        """The control dataset (`meta: {control: service.extract}`) a model stands for: the
        staging of a register that restricts processing (objections), which reads other
        services' records only to find whose record it cites."""
        value = self.meta.get("control")
        return str(value) if value and not self.is_source else None

    @property
    def dataset(self) -> str | None:
        """`service.extract` for a source, or for a control model (see `control`)."""
        return f"{self.source_name}.{self.name}" if self.is_source else self.control

    @property
    def label(self) -> str:
        if self.is_source:
            return f"source('{self.source_name}', '{self.name}')"
        if self.resource_type == "seed":
            return f"seed {self.name}"
        if self.resource_type == "snapshot":
            return f"snapshot {self.name}"
        return self.name

    @property
    def purposes(self) -> list[str]:
        value = self.meta.get("purpose", self.meta.get("purposes"))
        if value is None or value == "" or value == []:
            return []
        return [str(v) for v in (value if isinstance(value, list) else [value])]

    @property
    def is_key_map(self) -> bool:
        return bool(self.meta.get("key_map"))


@dataclass
class Upstream:
    """What a node reaches through its parents: each reached node -> the next node toward the
    start (a shortest path), plus the key maps where the walk stopped."""

    start: str
    via: dict[str, str]
    key_maps: list[str]

    def path(self, target: str) -> list[str]:
        """[start, ..., target]: the chain of node ids from the start back to the target."""
        chain = [target]
        while chain[-1] != self.start:
            chain.append(self.via[chain[-1]])
        return list(reversed(chain))


class Lineage:
    def __init__(self, manifest: dict[str, Any]):
        self.manifest = manifest
        self.nodes: dict[str, Node] = {}
        for uid, entry in (manifest.get("nodes") or {}).items():
            if entry.get("resource_type") not in DATA_TYPES:
                continue
            self.nodes[uid] = self._node(uid, entry)
        for uid, entry in (manifest.get("sources") or {}).items():
            self.nodes[uid] = self._node(uid, entry, resource_type="source")

    @staticmethod
    def _node(uid: str, entry: dict, resource_type: str | None = None) -> Node:
        columns = {}
        for name, col in (entry.get("columns") or {}).items():
            columns[name] = Column(
                name=col.get("name", name),
                description=col.get("description") or "",
                data_type=col.get("data_type"),
                meta=_meta(col),
            )
        config = entry.get("config") or {}
        return Node(
            unique_id=uid,
            resource_type=resource_type or entry.get("resource_type", ""),
            name=entry.get("name", uid.split(".")[-1]),
            schema=entry.get("schema"),
            meta=_meta(entry),
            columns=columns,
            parents=list((entry.get("depends_on") or {}).get("nodes") or []),
            description=entry.get("description") or "",
            path=entry.get("original_file_path") or "",
            source_name=entry.get("source_name"),
            materialized=config.get("materialized"),
            tags=tuple(entry.get("tags") or config.get("tags") or ()),
            alias=entry.get("alias") or entry.get("identifier"),
        )

    # -- navigation -----------------------------------------------------------------------
    def parents(self, uid: str) -> list[str]:
        node = self.nodes.get(uid)
        if node is None:
            return []
        return [p for p in node.parents if p in self.nodes]

    def models(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.resource_type == "model"]

    def by_name(self, name: str) -> Node | None:
        for node in self.nodes.values():
            if node.name == name and node.resource_type != "source":
                return node
        return None

    def upstream(self, start: str, stop=None) -> Upstream:
        """Breadth-first walk through parents; `stop(node)` marks nodes the walk reaches but
        does not pass through (key maps)."""
        via: dict[str, str] = {}
        stopped: list[str] = []
        queue = deque([start])
        seen = {start}
        while queue:
            uid = queue.popleft()
            for parent in self.parents(uid):
                if parent in seen:
                    continue
                seen.add(parent)
                via[parent] = uid
                if stop is not None and stop(self.nodes[parent]):
                    stopped.append(parent)
                    continue
                queue.append(parent)
        return Upstream(start, via, stopped)

    def render_path(self, chain: list[str]) -> str:
        return " <- ".join(self.nodes[uid].label for uid in chain)


def load_manifest(path: str | Path = DEFAULT_MANIFEST) -> dict:
    path = Path(path)
    if not path.is_file():
        raise ManifestError(
            f"No dbt manifest at {path}: run `dbt parse` (or `insight-hub governance "
            "check-purposes --parse`) first."
        )
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from exc
