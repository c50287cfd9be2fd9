"""The gate's runner: read each mart from DuckDB into pandas and validate it with GX.

GX's SQL datasource does not work on DuckDB (upstream GX issues 10738 and 11579), so each
mart is read into a DataFrame and validated through a pandas datasource on an ephemeral GX
context: one ValidationDefinition and one Checkpoint per mart, run with the mart's frame as
the batch parameter. The outcome is a plain structure (:class:`GateResult`) with every
expectation's verdict and a masked, printable observation.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import math
import os
import time
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import yaml

from insight_hub.gate import patterns
from insight_hub.gate.suites import (
    BuildContext,
    GateConfig,
    SuiteError,
    SuiteSpec,
    build_expectations,
    describe_kwargs,
    load_suites,
    reference_name,
)

log = logging.getLogger(__name__)

# Result keys of built-in expectations that may hold data values (masked before any output).
VALUE_KEYS = (
    "partial_unexpected_list",
    "partial_unexpected_counts",
    "partial_unexpected_index_list",
    "unexpected_list",
    "unexpected_index_list",
    "unexpected_rows",
    "observed_value",
    "details",
)


@dataclass
class Failure:
    """One reason not to publish: which mart, which expectation, what was found (masked)."""

    mart: str
    expectation: str
    detail: str

    def line(self) -> str:
        return f"gate: {self.mart}: {self.expectation}: {self.detail}"


@dataclass
class ExpectationOutcome:
    expectation: str
    category: str
    arguments: str
    success: bool
    observed: str
    unexpected_count: int | None = None
    examples: list[str] = field(default_factory=list)
    error: str | None = None
    severity: str = "critical"  # warning / info: reported, never blocks publishing

    @property
    def blocking(self) -> bool:
        return not self.success and self.severity == "critical"


@dataclass
class MartOutcome:
    table: str
    status: str  # passed | failed | skipped | missing | unsuited | error
    rows: int | None = None
    seconds: float = 0.0
    suite_path: str | None = None
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    note: str = ""

    @property
    def failed(self) -> list[ExpectationOutcome]:
        """Failed expectations that block publishing (critical severity)."""
        return [o for o in self.outcomes if o.blocking]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and not o.blocking]


@dataclass
class GateResult:
    """What the gate found. ``passed`` is False on any failure; ``failures`` lists them."""

    marts: list[MartOutcome] = field(default_factory=list)
    errors: list[Failure] = field(default_factory=list)
    warehouse: str = ""
    serving: str = ""
    started_at: str = ""
    seconds: float = 0.0
    names_loaded: int = 0
    published: bool = False
    publish_detail: dict = field(default_factory=dict)
    reports: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[Failure]:
        out = list(self.errors)
        for mart in self.marts:
            if mart.status in ("missing", "unsuited", "error"):
                out.append(Failure(mart.table, mart.status, mart.note))
            for o in mart.failed:
                detail = o.error or o.observed
                if o.unexpected_count is not None and not o.error:
                    detail = f"{o.unexpected_count} unexpected row(s); {detail}"
                out.append(Failure(mart.table, f"{o.expectation}({o.arguments})", detail))
        return out

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def gated_tables(self) -> list[str]:
        """Tables that passed their suite: what publishing copies."""
        return [m.table for m in self.marts if m.status == "passed"]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["failures"] = [asdict(f) for f in self.failures]
        return data


# ---------------------------------------------------------------------------------------------
# DuckDB access
# ---------------------------------------------------------------------------------------------


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; falls back to a plain one if this process already holds the
    file open read-write (DuckDB refuses two configurations of one file in one process)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.ConnectionException:
        con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    return con


def list_tables(con: duckdb.DuckDBPyConnection, schemas: Iterable[str]) -> list[str]:
    schemas = [s.lower() for s in schemas]
    if not schemas:
        return []
    placeholders = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "select lower(table_schema) || '.' || lower(table_name) from information_schema.tables "
        f"where table_catalog = current_database() and lower(table_schema) in ({placeholders}) "
        "order by 1",
        schemas,
    ).fetchall()
    return [r[0] for r in rows]


def quote_table(table: str) -> str:
    schema, name = table.split(".")
    return f'"{schema}"."{name}"'


def read_frame(con: duckdb.DuckDBPyConnection, table: str) -> pd.DataFrame:
    """The whole table as a DataFrame, through Arrow (several times faster than .df() for
    text columns). Dates become datetime64 and decimals float64, as with .df()."""
    import pyarrow as pa

    arrow = con.sql(f"select * from {quote_table(table)}").to_arrow_table()
    fields = [
        pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in arrow.schema
    ]
    if any(f.type != g.type for f, g in zip(fields, arrow.schema, strict=True)):
        arrow = arrow.cast(pa.schema(fields))
    return arrow.to_pandas(date_as_object=False)


def previous_row_counts(serving_path: str | Path | None, tables: Iterable[str]) -> dict[str, int]:
    """Row counts of the last published build (empty when nothing was published yet)."""
    if not serving_path or not Path(serving_path).is_file():
        return {}
    out: dict[str, int] = {}
    try:
        con = duckdb.connect(str(serving_path), read_only=True)
    except duckdb.Error as exc:
        log.warning("cannot read %s for row-count tolerance: %s", serving_path, exc)
        return {}
    try:
        present = set(list_tables(con, {t.split(".")[0] for t in tables}))
        for t in tables:
            if t in present:
                out[t] = int(con.execute(f"select count(*) from {quote_table(t)}").fetchone()[0])
    finally:
        con.close()
    return out


def load_identity_names(con: duckdb.DuckDBPyConnection, config: GateConfig) -> set[str]:
    """Distinct forenames and surnames (upper case, longer than min_length - 1) from the
    identity layer's tables: whatever columns of those schemas carry a name-like name."""
    spec = config.identity_names or {}
    schemas = [s.lower() for s in spec.get("schemas", [])]
    columns = {c.lower() for c in spec.get("columns", [])}
    min_len = int(spec.get("min_length", 4))
    exclude = {str(x).upper() for x in spec.get("exclude", [])}
    # words of the marts' own generated text (e.g. the risk reasons), by "module:function"
    for ref in spec.get("exclude_vocabulary", []):
        module, _, func = str(ref).partition(":")
        exclude |= {w.upper() for w in getattr(importlib.import_module(module), func)()}
    if not schemas or not columns:
        return set()
    placeholders = ", ".join("?" for _ in schemas)
    found = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        f"where table_catalog = current_database() and lower(table_schema) in ({placeholders})",
        schemas,
    ).fetchall()
    names: set[str] = set()
    for schema, table, column in found:
        if column.lower() not in columns:
            continue
        rows = con.execute(
            f'select distinct upper(trim(cast("{column}" as varchar))) from "{schema}"."{table}" '
            f'where length(trim(cast("{column}" as varchar))) >= ?',
            [min_len],
        ).fetchall()
        for (value,) in rows:
            for token in str(value).replace("-", " ").split():
                if len(token) >= min_len:
                    names.add(token)
    return names - exclude


# ---------------------------------------------------------------------------------------------
# GX
# ---------------------------------------------------------------------------------------------


def _quiet_gx() -> None:
    for name in (
        "great_expectations",
        "great_expectations.core",
        "great_expectations.data_context",
    ):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", module="great_expectations")


def make_context(docs_dir: str | Path | None = None):
    """An ephemeral GX context, progress bars off, with a Data Docs site at docs_dir."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet_gx()
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    ctx.data_sources.add_pandas("warehouse")
    if docs_dir is not None:
        ctx.add_data_docs_site(
            site_name="gate",
            site_config={
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(Path(docs_dir).resolve()),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return ctx


def _mask_value(value: Any, names: frozenset[str]) -> Any:
    if isinstance(value, str):
        return patterns.mask(value, names)
    if isinstance(value, dict):
        return {k: _mask_value(v, names) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_value(v, names) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return patterns.mask(value) if patterns.identify(value) else value
    return value


def sanitize_result(result: dict, names: frozenset[str]) -> dict:
    """Mask every data value a built-in expectation's result may carry."""
    clean = dict(result)
    for key in VALUE_KEYS:
        if key in clean and key != "details":
            clean[key] = _mask_value(clean[key], names)
    return clean


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    text = str(value)
    return text if len(text) <= 300 else text[:297] + "..."


def _outcome(res, names: frozenset[str], custom: set[str]) -> ExpectationOutcome:
    cfg = res.expectation_config
    kwargs = dict(cfg.kwargs)
    result = dict(res.result or {})
    if cfg.type not in custom:
        result = sanitize_result(result, names)
    error = _exception_message(res.exception_info or {})
    examples = [_text(v) for v in (result.get("partial_unexpected_list") or [])[:5]]
    observed = result.get("observed_value")
    if observed is None and "unexpected_count" in result:
        observed = f"{result.get('unexpected_count')} of {result.get('element_count')} rows"
        if examples:
            observed += "; e.g. " + ", ".join(examples)
    return ExpectationOutcome(
        expectation=cfg.type,
        category=(cfg.meta or {}).get("category", "declared"),
        arguments=describe_kwargs(kwargs),
        success=bool(res.success),
        observed=_text(observed),
        unexpected_count=result.get("unexpected_count"),
        examples=examples,
        error=error,
        severity=str(getattr(cfg, "severity", None) or "critical").split(".")[-1].lower(),
    )


def _exception_message(info: dict) -> str | None:
    """GX puts an exception at the top level, or per metric (a missing column, say)."""
    if info.get("raised_exception"):
        return "error: " + _text(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return "error: " + _text(value.get("exception_message"))
    return None


def run_gate(
    warehouse_path: str | Path,
    suites_dir: str | Path,
    *,
    serving_path: str | Path | None = None,
    config: GateConfig | None = None,
    config_path: str | Path | None = None,
    names: Iterable[str] | None = None,
    docs_dir: str | Path | None = None,
    progress: bool = False,
) -> tuple[GateResult, Any]:
    """Validate every mart of the published schemas against its suite.

    Returns the GateResult and the GX context (for Data Docs). ``names``: identity-layer
    names to look for; by default read from the warehouse's identity schema.
    """
    from insight_hub.gate import expectations as custom_mod

    t0 = time.perf_counter()
    suites_dir = Path(suites_dir)
    result = GateResult(
        warehouse=str(warehouse_path),
        serving=str(serving_path or ""),
        started_at=time.strftime("%Y-%m-%d %H:%M:%S"),
    )
    try:
        if config is None:
            config = GateConfig.load(config_path or suites_dir.parent / "gate.yml")
        suites = load_suites(suites_dir)
    except (SuiteError, OSError, ValueError, yaml.YAMLError) as exc:
        result.errors.append(Failure("(suites)", "load", str(exc)))
        return result, None
    if not Path(warehouse_path).is_file():
        result.errors.append(Failure("(warehouse)", "open", f"{warehouse_path} does not exist"))
        return result, None

    con = connect_read_only(warehouse_path)
    try:
        schemas = set(config.schemas) | {s.schema for s in suites.values()}
        present = list_tables(con, schemas)
        if names is not None:
            names_set = frozenset(n.upper() for n in names)
        else:
            try:
                names_set = frozenset(load_identity_names(con, config))
            except duckdb.Error as exc:  # fail closed: no name check, no publishing
                names_set = frozenset()
                result.errors.append(Failure("(identity names)", "load", str(exc)))
        result.names_loaded = len(names_set)
        custom_mod.clear_value_sets()
        custom_mod.register_value_set(custom_mod.IDENTITY_NAMES, names_set)
        previous = previous_row_counts(serving_path, [t for t in suites if t in present])

        todo: list[SuiteSpec] = []
        for table, spec in sorted(suites.items()):
            if table in present:
                todo.append(spec)
            elif spec.required:
                result.marts.append(
                    MartOutcome(
                        table,
                        "missing",
                        suite_path=str(spec.path),
                        note="declared in a suite but not in the warehouse",
                    )
                )
            else:
                result.marts.append(
                    MartOutcome(
                        table,
                        "skipped",
                        suite_path=str(spec.path),
                        note="not in the warehouse (suite not required): not published",
                    )
                )
        published_schemas = {s.lower() for s in config.schemas}
        for table in present:
            schema = table.split(".")[0]
            if table in suites or schema not in published_schemas:
                continue
            mode = config.unsuited_mode(schema)
            if mode == "privacy":
                todo.append(SuiteSpec(table=table, description="no suite: privacy checks only"))
            else:
                status = "unsuited" if mode == "fail" else "skipped"
                result.marts.append(
                    MartOutcome(table, status, note=f"no suite in {suites_dir}: not published")
                )
        # Reference sets for relationships, read once each.
        for spec in todo:
            for rel in spec.relationships:
                target = reference_name(rel["to"])
                schema, table, column = target.split(".")
                try:
                    values = con.execute(
                        f'select distinct "{column}" from "{schema}"."{table}"'
                    ).fetchall()
                    custom_mod.register_value_set(target, (v for (v,) in values))
                except duckdb.Error as exc:
                    log.warning("reference %s unavailable: %s", target, exc)

        ctx = make_context(docs_dir) if todo else None
        custom_types = {_snake(name) for name in custom_mod.CUSTOM_EXPECTATIONS}
        iterator = todo
        if progress and todo:
            from tqdm import tqdm

            iterator = tqdm(todo, desc="gate", unit="mart")
        for spec in iterator:
            result.marts.append(
                _validate_mart(con, ctx, spec, config, previous, names_set, custom_types)
            )
    finally:
        con.close()
    result.marts.sort(key=lambda m: m.table)
    result.seconds = time.perf_counter() - t0
    return result, ctx


def _snake(name: str) -> str:
    from great_expectations.util import camel_to_snake

    return camel_to_snake(name)


def _validate_mart(
    con,
    ctx,
    spec: SuiteSpec,
    config: GateConfig,
    previous: dict,
    names: frozenset[str],
    custom_types: set[str],
) -> MartOutcome:
    import great_expectations as gx

    t0 = time.perf_counter()
    outcome = MartOutcome(
        spec.table,
        "passed",
        suite_path=str(spec.path) if spec.path else None,
        note="" if spec.path else "no suite: automatic privacy checks only",
    )
    try:
        frame = read_frame(con, spec.table)
        outcome.rows = len(frame)
        expectations = build_expectations(
            spec,
            BuildContext(
                frame=frame,
                config=config,
                previous_row_count=previous.get(spec.table),
                names_available=bool(names),
            ),
        )
        name = spec.table
        asset = ctx.data_sources.get("warehouse").add_dataframe_asset(name)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        # One suite object with every expectation: adding them one by one re-serialises it.
        suite = ctx.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        validation = ctx.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
        checkpoint = ctx.checkpoints.add(
            gx.Checkpoint(
                name=f"gate-{name}",
                validation_definitions=[validation],
                actions=[],
                result_format={
                    "result_format": "SUMMARY",
                    "partial_unexpected_count": config.partial_unexpected_count,
                },
            )
        )
        run = checkpoint.run(batch_parameters={"dataframe": frame})
        for key, suite_result in run.run_results.items():
            for res in suite_result.results:
                outcome.outcomes.append(_outcome(res, names, custom_types))
                if res.expectation_config.type not in custom_types:
                    res.result = sanitize_result(dict(res.result or {}), names)
            # Store the masked result, so Data Docs never show a found value.
            with contextlib.suppress(Exception):
                ctx.validation_results_store.set(key, suite_result)
        outcome.status = "failed" if outcome.failed else "passed"
    except SuiteError as exc:
        outcome.status = "error"
        outcome.note = f"suite {spec.path}: {exc}"
    except Exception as exc:  # a broken mart or suite must stop publishing, with a reason
        log.exception("gate: %s", spec.table)
        outcome.status = "error"
        outcome.note = f"{type(exc).__name__}: {patterns.mask(str(exc), names)}"
    outcome.seconds = time.perf_counter() - t0
    return outcome
