"""The purpose check: every mart declares its purpose, and reaches only the datasets its purpose
may use.

For each mart (a model in a mart schema, or named dim_/fct_/mart_), walk its upstream lineage
through models, seeds and snapshots to the sources. A mart with several purposes is used for
each of them, so every dataset it reaches must be permitted for every one of its purposes.
The walk stops at pseudonymous key maps (the identity layer's record_key -> person_key maps),
which carry keys, not service facts. Failures name the mart, the dataset and the path between
them: `mart <- int_x <- stg_y <- source('service', 'extract')`.

Roles (governance/roles.yml), when given, are checked too: a role may read a mart only if one of
the mart's purposes is among the role's purposes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field

from insight_hub.governance.lineage import Lineage, Node
from insight_hub.governance.purposes import Register


@dataclass
class Finding:
    # missing_purpose | unknown_purpose | forbidden_dataset | unknown_dataset | column_lineage
    # | role
    kind: str
    mart: str
    message: str
    purpose: str | None = None
    dataset: str | None = None
    path: list[str] = field(default_factory=list)

    def line(self) -> str:
        return self.message


@dataclass
class MartLineage:
    """What one mart reaches: datasets (with a path to each), seeds, key maps, and the graph."""

    mart: str
    unique_id: str
    purposes: list[str]
    datasets: dict[str, list[str]]  # dataset -> rendered path chain (names)
    seeds: list[str]
    key_maps: list[str]
    nodes: list[str]  # every upstream unique_id drawn
    edges: list[tuple[str, str]] = field(default_factory=list)  # (parent, child) drawn
    declared_edges: list[tuple[str, str]] = field(default_factory=list)  # column lineage
    projections: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class CheckResult:
    marts: list[MartLineage]
    findings: list[Finding]
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "marts": [
                {
                    "mart": m.mart,
                    "purposes": m.purposes,
                    "datasets": sorted(m.datasets),
                    "key_maps": m.key_maps,
                }
                for m in self.marts
            ],
            "findings": [asdict(f) for f in self.findings],
            "warnings": self.warnings,
        }


def is_mart(node: Node, register: Register) -> bool:
    if node.resource_type != "model":
        return False
    if node.schema in register.mart_schemas:
        return True
    return any(node.name.startswith(prefix) for prefix in register.mart_prefixes)


def marts(lineage: Lineage, register: Register) -> list[Node]:
    return sorted((n for n in lineage.nodes.values() if is_mart(n, register)), key=lambda n: n.name)


IDENTITY_TOKEN = "identity"  # a column derived from the linkage itself (key maps), no service


def _reads_columns(node: Node) -> dict[str, list[str]]:
    value = node.meta.get("reads_columns") or {}
    return (
        {str(k): [str(c) for c in v] for k, v in value.items()} if isinstance(value, dict) else {}
    )


def mart_lineage(lineage: Lineage, register: Register, mart: Node) -> MartLineage:
    """Walk a mart's lineage: through models, seeds and snapshots to the sources; stop at key
    maps; and where a model declares `meta: {reads_columns: {parent: [columns]}}`, take that
    parent's declared column lineage (`meta: {datasets: [...]}` on each column) instead of all
    of the parent's lineage."""

    def is_stop(node: Node) -> bool:
        # a control model stands for its control dataset: the walk records it and stops
        return node.is_key_map or register.is_key_map(node.name) or node.control is not None

    via: dict[str, str] = {}  # node -> the next node toward the mart (first discovery)
    edges: set[tuple[str, str]] = set()
    declared_edges: set[tuple[str, str]] = set()
    traversed = {mart.unique_id}
    key_maps: set[str] = set()
    projections: list[dict] = []
    problems: list[str] = []
    datasets: dict[str, list[str]] = {}
    queue = deque([mart.unique_id])

    def chain(uid: str) -> list[str]:
        out = [uid]
        while out[-1] != mart.unique_id:
            out.append(via[out[-1]])
        return list(reversed(out))

    while queue:
        uid = queue.popleft()
        node = lineage.nodes[uid]
        if uid != mart.unique_id and node.control is not None:
            if node.control not in register.controls:
                problems.append(
                    f"{node.name} declares control {node.control!r}, which governance/purposes.yml"
                    " does not list under lineage.controls"
                )
            datasets.setdefault(node.control, [lineage.nodes[u].label for u in chain(uid)])
            for parent in lineage.parents(uid):  # draw the control's own source, no further
                if lineage.nodes[parent].dataset == node.control:
                    edges.add((parent, uid))
                    via.setdefault(parent, uid)
            continue
        if uid != mart.unique_id and is_stop(node):
            key_maps.add(uid)
            continue
        if node.is_source:
            labels = [lineage.nodes[u].label for u in chain(uid)]
            datasets.setdefault(node.dataset, labels)
            continue
        projected = _reads_columns(node)
        for parent in lineage.parents(uid):
            pnode = lineage.nodes[parent]
            edges.add((parent, uid))
            via.setdefault(parent, uid)
            if pnode.name in projected:
                projections.append(
                    {"reader": node.name, "parent": parent, "columns": projected[pnode.name]}
                )
                continue
            if parent not in traversed:
                traversed.add(parent)
                queue.append(parent)

    for proj in projections:
        parent = lineage.nodes[proj["parent"]]
        reachable = {
            d: u
            for u in lineage.upstream(parent.unique_id, stop=is_stop).via
            if (d := lineage.nodes[u].dataset)
        }
        base = [lineage.nodes[u].label for u in chain(parent.unique_id)]
        for col in proj["columns"]:
            where = f"{proj['reader']} reads {parent.name}.{col}"
            column = parent.columns.get(col)
            if column is None:
                problems.append(f"{where}, which {parent.name}'s YAML does not document")
                continue
            declared = column.meta.get("datasets")
            if declared is None:
                problems.append(
                    f"{where}, which declares no column lineage (meta: {{datasets: [...]}})"
                )
                continue
            for d in declared if isinstance(declared, list) else [declared]:
                d = str(d)
                if d == IDENTITY_TOKEN:
                    continue
                if d not in reachable:
                    problems.append(
                        f"{where}, declared to come from {d}, which {parent.name} does not reach"
                    )
                    continue
                src = reachable[d]
                declared_edges.add((src, parent.unique_id))
                labels = [*base[:-1], f"{parent.name}.{col}", lineage.nodes[src].label]
                datasets.setdefault(d, labels)

    seeds = sorted(lineage.nodes[u].name for u in via if lineage.nodes[u].resource_type == "seed")
    drawn = set(via) | {s for s, _ in declared_edges}
    return MartLineage(
        mart=mart.name,
        unique_id=mart.unique_id,
        purposes=mart.purposes,
        datasets=dict(sorted(datasets.items())),
        seeds=seeds,
        key_maps=sorted(lineage.nodes[k].name for k in key_maps),
        nodes=sorted(drawn),
        edges=sorted(edges),
        declared_edges=sorted(declared_edges),
        projections=projections,
        problems=problems,
    )


def check(manifest: dict, register: Register, roles=None) -> CheckResult:
    """Check every mart in the manifest against the register (and roles, if given)."""
    lineage = Lineage(manifest)
    results: list[MartLineage] = []
    findings: list[Finding] = []
    warnings: list[str] = []
    by_name: dict[str, MartLineage] = {}

    for mart in marts(lineage, register):
        ml = mart_lineage(lineage, register, mart)
        results.append(ml)
        by_name[mart.relation] = ml
        for problem in ml.problems:
            findings.append(Finding("column_lineage", mart.name, f"{mart.name}: {problem}"))
        if not ml.purposes:
            findings.append(
                Finding(
                    "missing_purpose",
                    mart.name,
                    f"{mart.name}: declares no purpose (add `meta: {{purpose: ...}}` to its "
                    f"config; purposes: {', '.join(register.purposes)})",
                )
            )
            continue
        resolved: list[str] = []
        for p in ml.purposes:
            key = register.resolve(p)
            if key is None:
                findings.append(
                    Finding(
                        "unknown_purpose",
                        mart.name,
                        f"{mart.name}: purpose {p!r} is not in the purpose register "
                        f"({register.path})",
                        purpose=p,
                    )
                )
            else:
                resolved.append(key)
        for dataset, path in ml.datasets.items():
            rendered = " <- ".join(path)
            if register.extract(dataset) is None:
                findings.append(
                    Finding(
                        "unknown_dataset",
                        mart.name,
                        f"{mart.name}: reaches {dataset}, which is not in the purpose register's "
                        f"dataset catalogue: {rendered}",
                        dataset=dataset,
                        path=path,
                    )
                )
                continue
            for key in resolved:
                if not register.may_use(key, dataset):
                    findings.append(
                        Finding(
                            "forbidden_dataset",
                            mart.name,
                            f"{mart.name}: purpose {key} may not use {dataset}, which it reaches "
                            f"through {rendered}",
                            purpose=key,
                            dataset=dataset,
                            path=path,
                        )
                    )

    if roles is not None:
        findings.extend(_check_roles(roles, register, by_name, warnings))
    return CheckResult(results, findings, warnings)


def _check_roles(roles, register: Register, marts_by_name: dict, warnings: list[str]):
    """A role may read a mart only for one of the mart's purposes."""
    out: list[Finding] = []
    for relation, m in sorted(marts_by_name.items()):
        mart_purposes = {register.resolve(p) for p in m.purposes} - {None}
        for role_name, grant in sorted(roles.grants_for(relation).items()):
            if grant.columns.mode == "none":
                continue
            role_purposes = {register.resolve(p) for p in roles.roles[role_name].purposes}
            if mart_purposes and not (mart_purposes & role_purposes):
                out.append(
                    Finding(
                        "role",
                        m.mart,
                        f"role {role_name} may read {m.mart}, but none of the mart's purposes "
                        f"({', '.join(sorted(mart_purposes))}) is among the role's purposes "
                        f"({', '.join(sorted(p for p in role_purposes if p))})",
                    )
                )
    absent = {
        g.table
        for role in roles.roles.values()
        for g in role.tables
        if not g.is_glob and g.table not in marts_by_name
    }
    if absent:
        warnings.append(
            f"{roles.path} grants tables that are not marts in the dbt project (yet): "
            + ", ".join(sorted(absent))
        )
    return out
