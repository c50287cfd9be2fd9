"""Custom Great Expectations (GX 1.x) for privacy and disclosure control.

Each expectation is a GX Expectation class (a pydantic model registered by its snake_case
name) backed by a metric provider with a pandas implementation. Results never carry a found
value: identifier findings are reported as pattern, row count and shape (``AA999999A``).

Large value sets (the identity layer's names, the keys of a referenced mart) are not passed
as expectation parameters (GX would copy and hash them for every metric): they are registered
once per run with :func:`register_value_set` and the expectation names them.
"""

from __future__ import annotations

import math
import threading
from typing import Any, ClassVar

import pandas as pd
from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import (
    BatchExpectation,
    ColumnAggregateExpectation,
)
from great_expectations.expectations.metrics.column_aggregate_metric_provider import (
    ColumnAggregateMetricProvider,
    column_aggregate_value,
)
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider

from insight_hub.gate import patterns
from insight_hub.gate.audit import ProtectionRule, audit_published
from insight_hub.gate.disclosure import GSS_CONFIDENTIAL, STATUS_SUFFIX

# ---------------------------------------------------------------------------------------------
# Value sets shared by name (process-local)
# ---------------------------------------------------------------------------------------------

_VALUE_SETS: dict[str, frozenset] = {}
_LOCK = threading.Lock()
IDENTITY_NAMES = "identity_names"


def register_value_set(name: str, values) -> frozenset:
    """Make a (large) set of values available to expectations under ``name``."""
    frozen = frozenset(values)
    with _LOCK:
        _VALUE_SETS[name] = frozen
    return frozen


def get_value_set(name: str) -> frozenset:
    try:
        return _VALUE_SETS[name]
    except KeyError:
        raise KeyError(f"value set {name!r} was not registered for this run") from None


def clear_value_sets() -> None:
    with _LOCK:
        _VALUE_SETS.clear()


def _table_df(execution_engine, metric_domain_kwargs) -> pd.DataFrame:
    df, _, _ = execution_engine.get_compute_domain(
        domain_kwargs=metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
    )
    return df


def _findings_text(counts: dict[str, int], shapes: dict[str, list[str]]) -> str:
    parts = []
    for name, n in sorted(counts.items()):
        shown = ", ".join(shapes.get(name, [])[:2])
        parts.append(
            f"{name}: {n} row{'s' if n != 1 else ''}" + (f" (shape {shown})" if shown else "")
        )
    return "; ".join(parts) if parts else "none found"


# ---------------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------------


class ColumnDirectIdentifierFindings(ColumnAggregateMetricProvider):
    """Pattern -> rows of one column that look like a direct identifier (no values kept)."""

    metric_name = "column.insight_direct_identifier_findings"
    value_keys = ("ignore_patterns",)

    @column_aggregate_value(engine=PandasExecutionEngine)
    def _pandas(cls, column, ignore_patterns=None, **kwargs):
        return patterns.scan_column(column, ignore=ignore_patterns or ()).as_dict()


class ColumnIdentityNameFindings(ColumnAggregateMetricProvider):
    """Rows of a text column that contain a name registered from the identity layer."""

    metric_name = "column.insight_identity_name_findings"
    value_keys = ("names_ref", "min_tokens")

    @column_aggregate_value(engine=PandasExecutionEngine)
    def _pandas(cls, column, names_ref=IDENTITY_NAMES, min_tokens=2, **kwargs):
        names = get_value_set(names_ref or IDENTITY_NAMES)
        return patterns.scan_names(column, names, min_tokens=min_tokens or 2).as_dict()


class ColumnValuesNotInReference(ColumnAggregateMetricProvider):
    """Non-null values of a column missing from a registered reference set."""

    metric_name = "column.insight_values_not_in_reference"
    value_keys = ("reference",)

    @column_aggregate_value(engine=PandasExecutionEngine)
    def _pandas(cls, column, reference=None, **kwargs):
        ref = get_value_set(reference)
        values = column.dropna().astype(object)  # hash lookups, not Arrow scalar conversions
        missing = values[~values.isin(ref)]
        return {
            "rows": int(len(values)),
            "missing_rows": int(len(missing)),
            "distinct_missing": int(missing.nunique()),
            "examples": [patterns.mask(v) for v in missing.drop_duplicates().head(3).tolist()],
            "reference_size": len(ref),
        }


class TableSmallCounts(TableMetricProvider):
    """Published counts in 1..threshold-1, and NULL/status mismatches, per count column."""

    metric_name = "table.insight_small_counts"
    value_keys = ("count_columns", "threshold", "suppress_zeros", "status_suffix", "symbol")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, **kw):
        df = _table_df(execution_engine, metric_domain_kwargs)
        threshold = int(metric_value_kwargs.get("threshold") or 10)
        low = 0 if metric_value_kwargs.get("suppress_zeros") else 1
        suffix = metric_value_kwargs.get("status_suffix") or STATUS_SUFFIX
        symbol = metric_value_kwargs.get("symbol") or GSS_CONFIDENTIAL
        out = {}
        for col in metric_value_kwargs["count_columns"]:
            if col not in df.columns:
                out[col] = {"missing_column": True}
                continue
            values = pd.to_numeric(df[col], errors="coerce")
            small = (values >= low) & (values <= threshold - 1)
            entry = {
                "small_counts": int(small.sum()),
                "small_values": sorted({int(v) for v in values[small].head(1000)}),
                "suppressed": int(values.isna().sum()),
                "non_numeric": int((values.isna() & df[col].notna()).sum()),
            }
            status_col = col + suffix
            if status_col in df.columns:
                flagged = (df[status_col].astype("string") == symbol).fillna(False)
                entry["status_mismatch"] = int((flagged != values.isna()).sum())
            out[col] = entry
        return out


class TableSuppressionAudit(TableMetricProvider):
    """The attacker's LP audit of each count column of a published aggregate."""

    metric_name = "table.insight_suppression_audit"
    value_keys = (
        "dimensions",
        "count_columns",
        "total",
        "hierarchies",
        "threshold",
        "rounding",
        "min_width",
        "status_suffix",
        "symbol",
    )

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, **kw):
        df = _table_df(execution_engine, metric_domain_kwargs)
        threshold = int(metric_value_kwargs.get("threshold") or 10)
        suffix = metric_value_kwargs.get("status_suffix") or STATUS_SUFFIX
        rule = ProtectionRule(min_width=metric_value_kwargs.get("min_width"))
        out = {}
        for col in metric_value_kwargs["count_columns"]:
            try:
                res = audit_published(
                    df,
                    list(metric_value_kwargs["dimensions"]),
                    col,
                    total=metric_value_kwargs.get("total"),
                    hierarchies=metric_value_kwargs.get("hierarchies") or None,
                    threshold=threshold,
                    rounding=metric_value_kwargs.get("rounding"),
                    rule=rule,
                    status_column=col + suffix,
                    symbol=metric_value_kwargs.get("symbol") or GSS_CONFIDENTIAL,
                )
            except (KeyError, ValueError) as exc:
                out[col] = {"errors": [str(exc)], "suppressed_cells": 0, "failures": []}
                continue
            summary = res.summary()
            summary["lp_solved"] = res.lp_solved
            narrowest = min(
                (i.width for i in res.intervals if not math.isnan(i.lower)), default=None
            )
            summary["narrowest_width"] = narrowest
            out[col] = summary
        return out


class TableQuasiIdentifierGroups(TableMetricProvider):
    """Groups of rows sharing the same quasi-identifier values, smaller than min_size."""

    metric_name = "table.insight_quasi_identifier_groups"
    value_keys = ("columns", "min_size")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, **kw):
        df = _table_df(execution_engine, metric_domain_kwargs)
        columns = list(metric_value_kwargs["columns"])
        k = int(metric_value_kwargs.get("min_size") or 5)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            return {"missing_columns": missing}
        if df.empty:
            return {"groups": 0, "small_groups": 0, "rows_in_small_groups": 0, "smallest": None}
        sizes = df.groupby(columns, dropna=False, sort=False).size()
        small = sizes[sizes < k]
        examples = []
        for key, n in small.sort_values().head(3).items():
            key = key if isinstance(key, tuple) else (key,)
            examples.append(
                {
                    "group": {c: patterns.mask(v) for c, v in zip(columns, key, strict=True)},
                    "rows": int(n),
                }
            )
        return {
            "groups": int(len(sizes)),
            "small_groups": int(len(small)),
            "rows_in_small_groups": int(small.sum()),
            "smallest": int(sizes.min()),
            "examples": examples,
        }


class TableSmallGroupSuppression(TableMetricProvider):
    """Rows of a group table (one row per group) that break its small-group rule: a published
    (unflagged) row with a count below its minimum, or a suppressed (flagged) row that still
    shows a value in a masked column."""

    metric_name = "table.insight_small_group_suppression"
    value_keys = ("flag_column", "minimums", "complements", "masked_columns")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, **kw):
        df = _table_df(execution_engine, metric_domain_kwargs)
        flag_col = metric_value_kwargs["flag_column"]
        minimums = dict(metric_value_kwargs.get("minimums") or {})
        complements = list(metric_value_kwargs.get("complements") or [])
        masked = list(metric_value_kwargs.get("masked_columns") or [])
        needed = {flag_col, *minimums, *masked}
        for c in complements:
            needed |= {c["total"], c["part"]}
        missing = sorted(c for c in needed if c not in df.columns)
        if missing:
            return {"missing_columns": missing}
        flag = df[flag_col].astype("boolean")
        published = flag.eq(False).fillna(False).to_numpy()
        # (name, the value on each row, minimum): what a published row must reach
        rules = [
            (col, pd.to_numeric(df[col], errors="coerce"), int(m)) for col, m in minimums.items()
        ]
        for c in complements:
            value = pd.to_numeric(df[c["total"]], errors="coerce") - pd.to_numeric(
                df[c["part"]], errors="coerce"
            )
            rules.append((f"{c['total']} - {c['part']}", value, int(c["min"])))
        below = {}
        for name, value, minimum in rules:
            # a published row with the count missing cannot show it reaches the minimum
            bad = published & ~(value >= minimum).fillna(False).to_numpy()
            below[name] = int(bad.sum())
        flagged = flag.eq(True).fillna(False).to_numpy()
        shown = {col: int((flagged & df[col].notna().to_numpy()).sum()) for col in masked}
        return {
            "rows": int(len(df)),
            "suppressed_rows": int(flagged.sum()),
            "flag_missing": int(flag.isna().sum()),
            "published_below_minimum": below,
            "suppressed_but_shown": shown,
        }


# ---------------------------------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------------------------------


class ExpectColumnValuesToNotMatchDirectIdentifierPatterns(ColumnAggregateExpectation):
    """No value of the column looks like a direct identifier.

    Patterns: NI number, NHS number (10 digits with a valid modulus-11 check digit, as text
    or integer), UPN (with a valid check letter), full UK postcode, email, UK phone number,
    date-looking strings, and any date column named like a date of birth. ``ignore_patterns``
    lists pattern names this column is allowed to hold (e.g. ``date_string`` for a period
    label). The result carries counts and shapes only, never the values.
    """

    ignore_patterns: list[str] = []

    metric_dependencies = ("column.insight_direct_identifier_findings",)
    success_keys = ("ignore_patterns",)
    args_keys = ("column",)
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["privacy"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["column.insight_direct_identifier_findings"]
        rows = sum(found["counts"].values())
        return {
            "success": rows == 0,
            "result": {
                "observed_value": _findings_text(found["counts"], found["shapes"]),
                "details": {"rows": rows, "patterns": found["counts"], "shapes": found["shapes"]},
            },
        }


class ExpectColumnValuesToNotContainIdentityNames(ColumnAggregateExpectation):
    """No value of a text column contains a forename or surname from the identity layer.

    The names (e.g. distinct forenames and surnames longer than 3 characters) are registered
    under ``names_ref`` with :func:`register_value_set`; values are upper-cased and split into
    words, and a value with at least ``min_tokens`` distinct name words is a finding (2: full
    names; 1: any single name word, stricter but prone to ordinary words such as "White").
    """

    names_ref: str = IDENTITY_NAMES
    min_tokens: int = 2

    metric_dependencies = ("column.insight_identity_name_findings",)
    success_keys = ("names_ref", "min_tokens")
    args_keys = ("column",)
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["privacy"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["column.insight_identity_name_findings"]
        rows = sum(found["counts"].values())
        return {
            "success": rows == 0,
            "result": {
                "observed_value": _findings_text(found["counts"], found["shapes"]),
                "details": {"rows": rows, "patterns": found["counts"], "shapes": found["shapes"]},
            },
        }


class ExpectColumnValuesToBeInReferenceSet(ColumnAggregateExpectation):
    """Referential integrity: every non-null value appears in a registered reference set
    (typically the key column of another mart, registered as ``schema.table.column``)."""

    reference: str

    metric_dependencies = ("column.insight_values_not_in_reference",)
    success_keys = ("reference",)
    args_keys = ("column", "reference")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["integrity"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["column.insight_values_not_in_reference"]
        return {
            "success": found["missing_rows"] == 0,
            "result": {
                "observed_value": f"{found['missing_rows']} rows "
                f"({found['distinct_missing']} distinct values) not in {self.reference}",
                "details": found,
            },
        }


class ExpectCountsToBeSuppressed(BatchExpectation):
    """No published count lies in 1..threshold-1 (0 too with ``suppress_zeros``), every
    suppressed cell is NULL with the status symbol, and no count column holds text."""

    count_columns: list[str]
    threshold: int = 10
    suppress_zeros: bool = False
    status_suffix: str = STATUS_SUFFIX
    symbol: str = GSS_CONFIDENTIAL

    metric_dependencies = ("table.insight_small_counts",)
    success_keys = ("count_columns", "threshold", "suppress_zeros", "status_suffix", "symbol")
    args_keys = ("count_columns", "threshold")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["disclosure"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["table.insight_small_counts"]
        problems = []
        for col, entry in found.items():
            if entry.get("missing_column"):
                problems.append(f"{col}: column missing")
                continue
            if entry["small_counts"]:
                values = ", ".join(str(v) for v in entry["small_values"][:10])
                problems.append(
                    f"{col}: {entry['small_counts']} unsuppressed count(s) below "
                    f"{self.threshold} (values {values})"
                )
            if entry["non_numeric"]:
                problems.append(f"{col}: {entry['non_numeric']} non-numeric value(s)")
            if entry.get("status_mismatch"):
                problems.append(
                    f"{col}: {entry['status_mismatch']} row(s) where NULL and "
                    f"'{self.symbol}' disagree"
                )
        return {
            "success": not problems,
            "result": {
                "observed_value": "; ".join(problems)
                if problems
                else "all small counts suppressed",
                "details": found,
            },
        }


class ExpectSuppressedCellsToBeProtected(BatchExpectation):
    """No suppressed cell can be recovered from the published cells and totals.

    Runs the attacker's linear programmes (:mod:`insight_hub.gate.audit`) on the published
    table: every suppressed cell's feasible interval must be at least ``min_width`` wide
    (default: the threshold). Margins are rows whose dimension holds ``total`` (NULL by
    default); ``hierarchies`` adds parent = sum of children within a dimension.
    """

    dimensions: list[str]
    count_columns: list[str]
    total: str | None = None
    hierarchies: dict[str, dict[str, list[str]]] | None = None
    threshold: int = 10
    rounding: int | None = None
    min_width: float | None = None
    status_suffix: str = STATUS_SUFFIX
    symbol: str = GSS_CONFIDENTIAL

    metric_dependencies = ("table.insight_suppression_audit",)
    success_keys = (
        "dimensions",
        "count_columns",
        "total",
        "hierarchies",
        "threshold",
        "rounding",
        "min_width",
        "status_suffix",
        "symbol",
    )
    args_keys = ("dimensions", "count_columns")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["disclosure"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["table.insight_suppression_audit"]
        problems = []
        for col, summary in found.items():
            for err in summary["errors"]:
                problems.append(f"{col}: {err}")
            if summary.get("unprotected_cells"):
                first = summary["failures"][0] if summary["failures"] else ""
                problems.append(
                    f"{col}: {summary['unprotected_cells']} of {summary['suppressed_cells']} "
                    f"suppressed cell(s) unprotected, e.g. {first}"
                )
        observed = (
            "; ".join(problems)
            if problems
            else ", ".join(
                f"{col}: {s['suppressed_cells']} suppressed cells protected"
                for col, s in found.items()
            )
        )
        return {"success": not problems, "result": {"observed_value": observed, "details": found}}


class ExpectQuasiIdentifierGroupsToHaveMinSize(BatchExpectation):
    """k-anonymity on declared quasi-identifiers: every combination of their values that
    occurs is shared by at least ``min_size`` rows."""

    columns: list[str]
    min_size: int = 5

    metric_dependencies = ("table.insight_quasi_identifier_groups",)
    success_keys = ("columns", "min_size")
    args_keys = ("columns", "min_size")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["privacy"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["table.insight_quasi_identifier_groups"]
        if "missing_columns" in found:
            return {
                "success": False,
                "result": {"observed_value": f"columns missing: {found['missing_columns']}"},
            }
        ok = found["small_groups"] == 0
        observed = (
            f"smallest group {found['smallest']} rows"
            if ok
            else f"{found['small_groups']} group(s) smaller than {self.min_size} "
            f"({found['rows_in_small_groups']} rows); smallest {found['smallest']}"
        )
        return {"success": ok, "result": {"observed_value": observed, "details": found}}


class ExpectSmallGroupsToBeSuppressed(BatchExpectation):
    """A table of group statistics (one row per group, a boolean ``flag_column`` marking the
    suppressed ones) applies its small-group rule: every published row has each count of
    ``minimums`` (column -> minimum) at or above its minimum, and each ``complements`` entry
    ``{total, part, min}`` (e.g. non-outcomes = household_months - outcomes) too; every
    suppressed row has NULL in each of ``masked_columns``; the flag is never NULL. Counts
    only in the result, never values."""

    flag_column: str = "suppressed"
    minimums: dict[str, int]
    complements: list[dict[str, Any]] = []
    masked_columns: list[str] = []

    metric_dependencies = ("table.insight_small_group_suppression",)
    success_keys = ("flag_column", "minimums", "complements", "masked_columns")
    args_keys = ("flag_column", "minimums")
    library_metadata: ClassVar[dict[str, Any]] = {"tags": ["disclosure"], "contributors": []}

    def _validate(self, metrics, runtime_configuration=None, execution_engine=None):
        found = metrics["table.insight_small_group_suppression"]
        if "missing_columns" in found:
            return {
                "success": False,
                "result": {"observed_value": f"columns missing: {found['missing_columns']}"},
            }
        problems = [
            f"{n} published row(s) with {name} below its minimum"
            for name, n in found["published_below_minimum"].items()
            if n
        ]
        problems += [
            f"{n} suppressed row(s) showing {col}"
            for col, n in found["suppressed_but_shown"].items()
            if n
        ]
        if found["flag_missing"]:
            problems.append(f"{found['flag_missing']} row(s) with {self.flag_column} NULL")
        observed = (
            "; ".join(problems)
            if problems
            else f"{found['suppressed_rows']} of {found['rows']} group(s) suppressed, "
            "every published group at or above its minimums"
        )
        return {"success": not problems, "result": {"observed_value": observed, "details": found}}


CUSTOM_EXPECTATIONS = {
    cls.__name__: cls
    for cls in (
        ExpectColumnValuesToNotMatchDirectIdentifierPatterns,
        ExpectColumnValuesToNotContainIdentityNames,
        ExpectColumnValuesToBeInReferenceSet,
        ExpectCountsToBeSuppressed,
        ExpectSuppressedCellsToBeProtected,
        ExpectQuasiIdentifierGroupsToHaveMinSize,
        ExpectSmallGroupsToBeSuppressed,
    )
}

__all__ = [
    "CUSTOM_EXPECTATIONS",
    "IDENTITY_NAMES",
    "clear_value_sets",
    "get_value_set",
    "register_value_set",
    *CUSTOM_EXPECTATIONS,
]
