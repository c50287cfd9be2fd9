"""gate_and_publish: validate every published mart, then publish only if all passed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from insight_hub.gate.checkpoint import Failure, GateResult, run_gate
from insight_hub.gate.report import write_reports

log = logging.getLogger(__name__)

DEFAULT_WAREHOUSE = "warehouse/insight_hub.duckdb"
DEFAULT_SERVING = "warehouse/serving.duckdb"
DEFAULT_SUITES = "expectations/suites"
DEFAULT_REPORTS = "reports/gate"


def gate_and_publish(
    warehouse_path: str | Path = DEFAULT_WAREHOUSE,
    serving_path: str | Path = DEFAULT_SERVING,
    suites_dir: str | Path = DEFAULT_SUITES,
    *,
    reports_dir: str | Path | None = DEFAULT_REPORTS,
    config_path: str | Path | None = None,
    names: Iterable[str] | None = None,
    publish: bool = True,
    data_docs: bool = True,
    progress: bool = False,
) -> GateResult:
    """Run the gate on the build warehouse; publish to serving_path only if it passed.

    The result has ``.passed`` and ``.failures`` (mart, expectation, detail; one ``.line()``
    each). On failure serving_path is not touched. Reports go to reports_dir (None: none).
    """
    docs_dir = Path(reports_dir) / "data_docs" if (reports_dir and data_docs) else None
    result, context = run_gate(
        warehouse_path,
        suites_dir,
        serving_path=serving_path,
        config_path=config_path,
        names=names,
        docs_dir=docs_dir,
        progress=progress,
    )
    if result.passed and publish:
        from insight_hub.gate.publish import publish as do_publish

        try:
            published = do_publish(
                warehouse_path,
                serving_path,
                result.gated_tables,
                note=f"gate passed: {sum(len(m.outcomes) for m in result.marts)} expectations",
            )
            result.published = True
            result.publish_detail = asdict(published)
        except Exception as exc:
            log.exception("publishing failed")
            result.errors.append(Failure("(serving)", "publish", f"{type(exc).__name__}: {exc}"))
    if reports_dir:
        write_reports(result, reports_dir, context)
    return result


__all__ = ["GateResult", "Failure", "gate_and_publish"]
