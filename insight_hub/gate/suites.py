"""Suite declarations (expectations/suites/*.yml) and their translation into GX suites.

One YAML file per published mart says what must hold; the gate adds the privacy checks that
apply to every published mart on its own. The file format (all keys optional but ``table``)::

    table: marts.dim_resident          # schema.table in the build warehouse
    description: one row per resident
    required: true                     # absent table: failure (false: skipped, not published)
    kind: record                       # record | aggregate
    columns: [person_key, ...]         # exact column set (a contract check)
    keys: [person_key]                 # pseudonymous keys: unique, not null, 64 hex characters
    not_null: [ward_code]
    row_count: {min: 1, max: null, tolerance: 0.25}   # tolerance: vs the last published build
    freshness: {column: loaded_at, max_age_days: 2}   # severity: warning (reported only)
    relationships:
      - {column: household_key, to: marts.dim_household.household_key}
    quasi_identifiers: [age_band, sex, ward_code]     # record-level marts: k-anonymity
    min_group_size: 5
    privacy:
      ignore: {period_label: [date_string]}           # patterns a column may legitimately hold
      names: true                                     # check text columns against identity names
      name_tokens: 2                                  # name words that make a finding (1: stricter)
    disclosure:                                       # aggregates under disclosure control
      dimensions: [ward_code, month]
      counts: [households]
      total: null                                     # margin marker (NULL, as GROUP BY CUBE)
      threshold: 10
      rounding: null                                  # e.g. 5
      min_width: null                                 # protection width (default: threshold)
      hierarchies: {}                                 # {dimension: {parent: [children]}}
    expectations:                                     # any GX expectation by snake_case name
      - expect_column_values_to_be_in_set: {column: sex, value_set: [M, F]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

KNOWN_KEYS = {
    "table",
    "description",
    "required",
    "kind",
    "columns",
    "keys",
    "not_null",
    "row_count",
    "freshness",
    "relationships",
    "quasi_identifiers",
    "min_group_size",
    "privacy",
    "disclosure",
    "expectations",
}
KEY_REGEX = r"^[0-9a-f]{64}$"
UNSUITED_MODES = ("fail", "privacy", "skip")


class SuiteError(ValueError):
    """A suite declaration that cannot be used."""


@dataclass
class GateConfig:
    """expectations/gate.yml: what the gate does beyond the per-mart suites."""

    schemas: list[str] = field(default_factory=lambda: ["marts", "shared"])
    # A table in a published schema with no suite: fail (block publishing), privacy (run the
    # automatic privacy checks only, publish if they pass) or skip (do not publish it).
    # One mode for all schemas, or a mapping schema -> mode.
    unsuited_tables: str | dict = "fail"
    threshold: int = 10
    min_group_size: int = 5
    partial_unexpected_count: int = 5
    identity_names: dict = field(
        default_factory=lambda: {
            "schemas": ["identity"],
            "columns": [
                "forename",
                "surname",
                "first_name",
                "last_name",
                "given_name",
                "family_name",
                "middle_name",
                "forenames",
            ],
            "min_length": 4,
            "min_tokens": 2,
            "exclude": [],
        }
    )

    @classmethod
    def load(cls, path: str | Path | None) -> GateConfig:
        if path is None or not Path(path).is_file():
            return cls()
        data = yaml.safe_load(Path(path).read_text()) or {}
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise SuiteError(f"{path}: unknown settings {sorted(unknown)}")
        cfg = cls()
        for k, v in data.items():
            if k == "identity_names":
                merged = dict(cfg.identity_names)
                merged.update(v or {})
                v = merged
            setattr(cfg, k, v)
        modes = (
            cfg.unsuited_tables.values()
            if isinstance(cfg.unsuited_tables, dict)
            else [cfg.unsuited_tables]
        )
        if any(m not in UNSUITED_MODES for m in modes):
            raise SuiteError(f"{path}: unsuited_tables modes are {', '.join(UNSUITED_MODES)}")
        return cfg

    def unsuited_mode(self, schema: str) -> str:
        if isinstance(self.unsuited_tables, dict):
            return self.unsuited_tables.get(schema, "fail")
        return self.unsuited_tables


@dataclass
class SuiteSpec:
    """One mart's declaration, as read from its YAML file."""

    table: str
    path: Path | None = None
    description: str = ""
    required: bool = True
    kind: str = "record"
    columns: list[str] | None = None
    keys: list[str] = field(default_factory=list)
    not_null: list[str] = field(default_factory=list)
    row_count: dict = field(default_factory=dict)
    freshness: dict | None = None
    relationships: list[dict] = field(default_factory=list)
    quasi_identifiers: list[str] = field(default_factory=list)
    min_group_size: int | None = None
    privacy: dict = field(default_factory=dict)
    disclosure: dict | None = None
    expectations: list[dict] = field(default_factory=list)

    @property
    def schema(self) -> str:
        return self.table.split(".")[0]

    @property
    def name(self) -> str:
        return self.table.split(".")[1]

    @classmethod
    def from_dict(cls, data: dict, path: Path | None = None) -> SuiteSpec:
        where = str(path) if path else "suite"
        if not isinstance(data, dict) or "table" not in data:
            raise SuiteError(f"{where}: a suite needs 'table: schema.table'")
        unknown = set(data) - KNOWN_KEYS
        if unknown:
            raise SuiteError(f"{where}: unknown keys {sorted(unknown)}")
        table = str(data["table"]).lower()
        if table.count(".") != 1:
            raise SuiteError(f"{where}: table must be 'schema.table', got {table!r}")
        spec = cls(table=table, path=path)
        for k, v in data.items():
            if k != "table" and v is not None:
                setattr(spec, k, v)
        if spec.kind not in ("record", "aggregate"):
            raise SuiteError(f"{where}: kind must be 'record' or 'aggregate'")
        if spec.disclosure is not None:
            d = spec.disclosure
            if not d.get("dimensions") or not d.get("counts"):
                raise SuiteError(f"{where}: disclosure needs dimensions and counts")
        for rel in spec.relationships:
            if "column" not in rel or str(rel.get("to", "")).count(".") != 2:
                raise SuiteError(f"{where}: relationships need column and to: schema.table.column")
        for item in spec.expectations:
            if not isinstance(item, dict) or len(item) != 1:
                raise SuiteError(f"{where}: each expectation is one 'name: {{kwargs}}' mapping")
        return spec


def load_suites(suites_dir: str | Path) -> dict[str, SuiteSpec]:
    """Every *.yml / *.yaml under suites_dir, keyed by schema.table."""
    suites: dict[str, SuiteSpec] = {}
    root = Path(suites_dir)
    if not root.is_dir():
        return suites
    for path in sorted([*root.rglob("*.yml"), *root.rglob("*.yaml")]):
        data = yaml.safe_load(path.read_text())
        spec = SuiteSpec.from_dict(data, path)
        if spec.table in suites:
            raise SuiteError(f"{path}: a second suite for {spec.table} ({suites[spec.table].path})")
        suites[spec.table] = spec
    return suites


# ---------------------------------------------------------------------------------------------
# Declaration -> GX expectations
# ---------------------------------------------------------------------------------------------


@dataclass
class BuildContext:
    """What suite building needs to know beyond the declaration."""

    frame: pd.DataFrame
    config: GateConfig
    previous_row_count: int | None = None
    names_available: bool = False
    now: dt.datetime = field(default_factory=dt.datetime.now)


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if pd.api.types.is_string_dtype(frame[c]) or frame[c].dtype == object
    ]


def _gx_class(name: str):
    from great_expectations.expectations.registry import get_expectation_impl

    from insight_hub.gate import expectations as custom  # noqa: F401  (registers the classes)

    try:
        return get_expectation_impl(name)
    except Exception as exc:  # GX raises its own error type for unknown names
        raise SuiteError(f"unknown expectation {name!r}") from exc


def _make(name: str, category: str, **kwargs):
    cls = _gx_class(name)
    meta = {"category": category}
    try:
        return cls(**kwargs, meta=meta)
    except Exception as exc:  # pydantic validation error: bad kwargs in the declaration
        raise SuiteError(f"{name}: {exc}") from exc


def reference_name(target: str) -> str:
    return target.lower()


def build_expectations(spec: SuiteSpec, ctx: BuildContext) -> list:
    """The GX expectations for one mart: declared ones plus the automatic privacy checks."""
    frame, cfg = ctx.frame, ctx.config
    out: list = []
    # -- contract / quality (declared)
    if spec.columns:
        out.append(
            _make(
                "expect_table_columns_to_match_set",
                "contract",
                column_set=list(spec.columns),
                exact_match=True,
            )
        )
    for key in spec.keys:
        out.append(_make("expect_column_values_to_not_be_null", "keys", column=key))
        out.append(_make("expect_column_values_to_be_unique", "keys", column=key))
        out.append(
            _make("expect_column_values_to_match_regex", "keys", column=key, regex=KEY_REGEX)
        )
    for col in spec.not_null:
        out.append(_make("expect_column_values_to_not_be_null", "quality", column=col))
    rc = dict(spec.row_count or {})
    if rc.get("min") is not None or rc.get("max") is not None:
        out.append(
            _make(
                "expect_table_row_count_to_be_between",
                "volume",
                min_value=rc.get("min"),
                max_value=rc.get("max"),
            )
        )
    tolerance = rc.get("tolerance")
    if tolerance is not None and ctx.previous_row_count:
        prev = ctx.previous_row_count
        out.append(
            _make(
                "expect_table_row_count_to_be_between",
                "volume vs last published",
                min_value=int(prev * (1 - float(tolerance))),
                max_value=int(prev * (1 + float(tolerance)) + 0.999999),
            )
        )
    if spec.freshness:
        column = spec.freshness["column"]
        age = dt.timedelta(days=float(spec.freshness.get("max_age_days", 1)))
        # severity: warning reports a stale mart without blocking (e.g. a demo borough whose
        # extracts carry a fixed date); the default blocks, as every other check
        extra = {"severity": spec.freshness["severity"]} if spec.freshness.get("severity") else {}
        out.append(
            _make(
                "expect_column_max_to_be_between",
                "freshness",
                column=column,
                min_value=(ctx.now - age).replace(microsecond=0),
                **extra,
            )
        )
    for rel in spec.relationships:
        out.append(
            _make(
                "expect_column_values_to_be_in_reference_set",
                "referential integrity",
                column=rel["column"],
                reference=reference_name(rel["to"]),
            )
        )
    for item in spec.expectations:
        ((name, kwargs),) = item.items()
        out.append(_make(name, "declared", **(kwargs or {})))

    # -- privacy: every published mart, automatically
    privacy = spec.privacy or {}
    ignore = {c: list(v) for c, v in (privacy.get("ignore") or {}).items()}
    unknown_cols = set(ignore) - set(frame.columns)
    if unknown_cols:
        raise SuiteError(
            f"{spec.table}: privacy.ignore names unknown columns {sorted(unknown_cols)}"
        )
    for col in frame.columns:
        if col in spec.keys:
            continue  # keys are held to the stricter 64-hex format above
        out.append(
            _make(
                "expect_column_values_to_not_match_direct_identifier_patterns",
                "privacy",
                column=col,
                ignore_patterns=ignore.get(col, []),
            )
        )
    if privacy.get("names", True) and ctx.names_available:
        # Columns held to a declared value set need no name check: any other value fails there.
        closed = {
            (kwargs or {}).get("column")
            for item in spec.expectations
            for name, kwargs in item.items()
            if name == "expect_column_values_to_be_in_set"
        }
        min_tokens = int(privacy.get("name_tokens", cfg.identity_names.get("min_tokens", 2)))
        for col in _text_columns(frame):
            if col in spec.keys or col in closed or "identity_name" in ignore.get(col, []):
                continue
            out.append(
                _make(
                    "expect_column_values_to_not_contain_identity_names",
                    "privacy",
                    column=col,
                    min_tokens=min_tokens,
                )
            )
    if spec.quasi_identifiers:
        out.append(
            _make(
                "expect_quasi_identifier_groups_to_have_min_size",
                "privacy (k-anonymity)",
                columns=list(spec.quasi_identifiers),
                min_size=int(spec.min_group_size or cfg.min_group_size),
            )
        )
    # -- disclosure control (aggregates)
    if spec.disclosure:
        d = spec.disclosure
        threshold = int(d.get("threshold") or cfg.threshold)
        out.append(
            _make(
                "expect_counts_to_be_suppressed",
                "disclosure",
                count_columns=list(d["counts"]),
                threshold=threshold,
                suppress_zeros=bool(d.get("suppress_zeros", False)),
            )
        )
        hierarchies = {
            str(dim): {str(p): [str(c) for c in cs] for p, cs in h.items()}
            for dim, h in (d.get("hierarchies") or {}).items()
        }
        out.append(
            _make(
                "expect_suppressed_cells_to_be_protected",
                "disclosure",
                dimensions=list(d["dimensions"]),
                count_columns=list(d["counts"]),
                total=d.get("total"),
                hierarchies=hierarchies or None,
                threshold=threshold,
                rounding=d.get("rounding"),
                min_width=d.get("min_width"),
            )
        )
    return out


def describe_kwargs(kwargs: dict[str, Any], skip: Iterable[str] = ("batch_id",)) -> str:
    """A short, printable view of an expectation's arguments."""
    parts = []
    for k, v in kwargs.items():
        if k in skip or v is None:
            continue
        text = repr(v)
        if len(text) > 60:
            text = text[:57] + "..."
        parts.append(f"{k}={text}")
    return ", ".join(parts)
