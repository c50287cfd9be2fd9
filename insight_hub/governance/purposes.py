"""The purpose register (governance/purposes.yml): load, validate, answer "may purpose P use
dataset D?".

A dataset is `service.extract`, exactly a dbt source's `source_name.name`. A purpose lists the
datasets it may use as `service` (all its extracts) or `service.extract`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from insight_hub.governance import DEFAULT_PURPOSES, DeclarationError

SPECIAL_KINDS = {"art9": "article_9", "art10": "article_10"}


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    special: str | None = None  # "art9" | "art10" | None


@dataclass(frozen=True)
class Extract:
    service: str
    name: str
    title: str
    categories: tuple[str, ...]

    @property
    def dataset(self) -> str:
        return f"{self.service}.{self.name}"


@dataclass(frozen=True)
class Service:
    name: str
    title: str
    notice: str
    data_subjects: str
    extracts: dict[str, Extract]


@dataclass(frozen=True)
class Purpose:
    key: str
    title: str
    description: str
    legal_basis: dict[str, Any]
    datasets: tuple[str, ...]  # as declared: "service" or "service.extract"
    recipients: tuple[str, ...]
    retention: str
    automated_decisions: str = ""
    aliases: tuple[str, ...] = ()
    # third-country transfers: (recipient, country, safeguard) mappings; the purpose's own,
    # else the controller's
    transfers: tuple[dict, ...] = ()

    def statutes(self) -> list[str]:
        return list(self.legal_basis.get("statutes") or [])


@dataclass
class Register:
    path: Path
    controller: dict[str, str]
    categories: dict[str, Category]
    services: dict[str, Service]
    purposes: dict[str, Purpose]
    mart_schemas: tuple[str, ...] = ("marts", "shared")
    mart_prefixes: tuple[str, ...] = ("dim_", "fct_", "mart_")
    controls: tuple[str, ...] = ()
    key_maps: tuple[str, ...] = ()
    _aliases: dict[str, str] = field(default_factory=dict)

    # -- look-ups -------------------------------------------------------------------------
    def resolve(self, purpose: str) -> str | None:
        """The register key for a purpose name or alias; None when unknown."""
        if purpose in self.purposes:
            return purpose
        return self._aliases.get(purpose)

    def extract(self, dataset: str) -> Extract | None:
        service, _, name = dataset.partition(".")
        svc = self.services.get(service)
        return svc.extracts.get(name) if svc else None

    def all_datasets(self) -> list[str]:
        return [e.dataset for s in self.services.values() for e in s.extracts.values()]

    def expand(self, spec: str) -> list[str]:
        """`service` -> all its extracts; `service.extract` -> itself."""
        if "." in spec:
            return [spec]
        return [e.dataset for e in self.services[spec].extracts.values()]

    def permitted(self, purpose: str) -> set[str]:
        """Every dataset a purpose may use (its own list plus the controls)."""
        key = self.resolve(purpose)
        if key is None:
            return set()
        out: set[str] = set(self.controls)
        for spec in self.purposes[key].datasets:
            out.update(self.expand(spec))
        return out

    def may_use(self, purpose: str, dataset: str) -> bool:
        return dataset in self.permitted(purpose)

    def is_control(self, dataset: str) -> bool:
        return dataset in self.controls

    def is_key_map(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.key_maps)

    def categories_of(self, datasets: list[str] | set[str]) -> list[str]:
        seen: list[str] = []
        for d in sorted(datasets):
            ext = self.extract(d)
            for c in ext.categories if ext else ():
                if c not in seen:
                    seen.append(c)
        return seen


def _as_list(value: Any, where: str) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    raise DeclarationError(f"{where}: expected a list, got {type(value).__name__}")


def load_register(path: str | Path = DEFAULT_PURPOSES) -> Register:
    """Load and validate governance/purposes.yml; DeclarationError names every problem."""
    path = Path(path)
    if not path.is_file():
        raise DeclarationError(f"No purpose register at {path}")
    try:
        raw = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise DeclarationError(f"{path} is not valid YAML: {exc}") from exc
    return parse_register(raw, path)


def _transfers(value) -> list:
    """A transfers declaration as a list: none ('none', empty) -> [], one mapping -> [it]."""
    if isinstance(value, list):
        return value
    return [] if value in (None, "none", "None") else [value]


def parse_register(raw: dict, path: Path = DEFAULT_PURPOSES) -> Register:
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DeclarationError(f"{path}: expected a mapping at the top level")

    categories: dict[str, Category] = {}
    for key, spec in (raw.get("categories") or {}).items():
        spec = spec or {}
        special = spec.get("special")
        if special not in (None, *SPECIAL_KINDS):
            problems.append(f"category {key}: special must be art9 or art10, not {special!r}")
        categories[key] = Category(key, str(spec.get("title", key)), special)

    services: dict[str, Service] = {}
    for svc_name, spec in (raw.get("datasets") or {}).items():
        spec = spec or {}
        extracts: dict[str, Extract] = {}
        for ext_name, ext in (spec.get("extracts") or {}).items():
            ext = ext or {}
            cats = tuple(_as_list(ext.get("categories"), f"{svc_name}.{ext_name}.categories"))
            for c in cats:
                if c not in categories:
                    problems.append(f"dataset {svc_name}.{ext_name}: unknown category {c!r}")
            extracts[ext_name] = Extract(svc_name, ext_name, str(ext.get("title", ext_name)), cats)
        if not extracts:
            problems.append(f"service {svc_name}: no extracts declared")
        services[svc_name] = Service(
            svc_name,
            str(spec.get("title", svc_name)),
            str(spec.get("notice", "")),
            str(spec.get("data_subjects", "")),
            extracts,
        )

    lineage = raw.get("lineage") or {}
    reg = Register(
        path=path,
        controller=dict(raw.get("controller") or {}),
        categories=categories,
        services=services,
        purposes={},
        mart_schemas=tuple(_as_list(lineage.get("mart_schemas", ["marts", "shared"]), "marts")),
        mart_prefixes=tuple(_as_list(lineage.get("mart_prefixes", ["dim_", "fct_", "mart_"]), "p")),
        controls=tuple(_as_list(lineage.get("controls"), "lineage.controls")),
        key_maps=tuple(_as_list(lineage.get("key_maps"), "lineage.key_maps")),
    )

    def known(spec: str) -> bool:
        service, _, ext = spec.partition(".")
        if service not in services:
            return False
        return not ext or ext in services[service].extracts

    for c in reg.controls:
        if "." not in c or not known(c):
            problems.append(f"lineage.controls: {c!r} is not a declared service.extract")

    purposes_raw = raw.get("purposes") or {}
    if not purposes_raw:
        problems.append("no purposes declared")
    for key, spec in purposes_raw.items():
        spec = spec or {}
        where = f"purpose {key}"
        datasets = tuple(_as_list(spec.get("datasets"), f"{where}.datasets"))
        if not datasets:
            problems.append(f"{where}: lists no datasets")
        for d in datasets:
            if not known(d):
                problems.append(f"{where}: dataset {d!r} is not in the dataset catalogue")
        basis = spec.get("legal_basis") or {}
        if not isinstance(basis, dict) or not basis.get("article_6"):
            problems.append(f"{where}: legal_basis.article_6 is required")
            basis = basis if isinstance(basis, dict) else {}
        for field_name in ("title", "description", "retention"):
            if not spec.get(field_name):
                problems.append(f"{where}: {field_name} is required")
        if not _as_list(spec.get("recipients"), f"{where}.recipients"):
            problems.append(f"{where}: recipients are required")
        transfers = _transfers(spec.get("transfers", reg.controller.get("transfers")))
        bad = [t for t in transfers if not (isinstance(t, dict) and t.get("country"))]
        if bad:
            problems.append(
                f"{where}: each transfer needs at least a country (recipient, country, "
                f"safeguard), not {bad[0]!r}"
            )
        purpose = Purpose(
            key=key,
            title=str(spec.get("title", key)),
            description=str(spec.get("description", "")).strip(),
            legal_basis=basis,
            datasets=datasets,
            recipients=tuple(_as_list(spec.get("recipients"), f"{where}.recipients")),
            retention=str(spec.get("retention", "")).strip(),
            automated_decisions=str(spec.get("automated_decisions", "")).strip(),
            aliases=tuple(_as_list(spec.get("aliases"), f"{where}.aliases")),
            transfers=tuple(transfers),
        )
        reg.purposes[key] = purpose
        for alias in purpose.aliases:
            if alias in purposes_raw or alias in reg._aliases:
                problems.append(f"{where}: alias {alias!r} is already a purpose or alias")
            reg._aliases[alias] = key

    # Special category / criminal offence data needs its condition stated.
    for key, purpose in reg.purposes.items():
        if any(not known(d) for d in purpose.datasets):
            continue
        cats = reg.categories_of(
            {e for spec in purpose.datasets for e in reg.expand(spec)} - set(reg.controls)
        )
        for kind, basis_key in SPECIAL_KINDS.items():
            carrying = [c for c in cats if categories.get(c) and categories[c].special == kind]
            if carrying and not purpose.legal_basis.get(basis_key):
                problems.append(
                    f"purpose {key}: its datasets carry {', '.join(carrying)} "
                    f"({kind}) but legal_basis.{basis_key} is missing"
                )

    if problems:
        raise DeclarationError(f"{path}: " + "; ".join(problems))
    return reg
