"""The gate's reports: a one-page summary (Markdown and offline HTML) and GX Data Docs.

reports/gate/summary.md and summary.html list each mart, each expectation, pass or fail and
what was found. Found values are never printed in full: identifier findings show the pattern,
the row count and the value's shape; built-in expectations' unexpected values are masked when
they look like an identifier or contain a name from the identity layer.

Data Docs (reports/gate/data_docs/index.html) are GX's own HTML; offline they render without
their CDN styles, which is fine for reading. They are built from the masked results.
"""

from __future__ import annotations

import html
import json
import logging
from pathlib import Path

from insight_hub.gate.checkpoint import GateResult, MartOutcome

log = logging.getLogger(__name__)

STATUS_MARK = {
    "passed": "PASS",
    "failed": "FAIL",
    "error": "ERROR",
    "missing": "MISSING",
    "unsuited": "NO SUITE",
    "skipped": "skipped",
}


def _headline(result: GateResult) -> str:
    if result.passed:
        verdict = "PASSED"
        after = "published" if result.published else "not published (publishing not requested)"
    else:
        verdict = "FAILED"
        after = "nothing published; serving left untouched"
    return f"Gate {verdict}: {len(result.failures)} failure(s); {after}."


def _mart_counts(m: MartOutcome) -> str:
    if not m.outcomes:
        return "-"
    return f"{sum(o.success for o in m.outcomes)}/{len(m.outcomes)}"


def render_markdown(result: GateResult) -> str:
    lines = [
        "# Insight Hub gate report",
        "",
        f"**{_headline(result)}**",
        "",
        f"- run: {result.started_at} ({result.seconds:.1f} s)",
        f"- warehouse: `{result.warehouse}`",
        f"- serving: `{result.serving or '-'}`",
        f"- identity names checked against: {result.names_loaded}",
        "",
    ]
    if result.failures:
        lines += ["## Failures", ""]
        for f in result.failures:
            lines.append(f"- **{f.mart}** · `{f.expectation}` · {_md(f.detail)}")
        lines.append("")
    warnings = [(m.table, o) for m in result.marts for o in m.warnings]
    if warnings:
        lines += ["## Warnings (reported, not blocking)", ""]
        for table, o in warnings:
            lines.append(
                f"- **{table}** · `{o.expectation}({o.arguments})` · {_md(o.error or o.observed)}"
            )
        lines.append("")
    lines += [
        "## Marts",
        "",
        "| mart | status | rows | expectations passed | seconds | note |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for m in result.marts:
        rows = "-" if m.rows is None else f"{m.rows:,}"
        lines.append(
            f"| {m.table} | {STATUS_MARK.get(m.status, m.status)} | {rows} | {_mart_counts(m)} "
            f"| {m.seconds:.2f} | {_md(m.note)} |"
        )
    lines.append("")
    for m in result.marts:
        if not m.outcomes:
            continue
        lines += [
            f"## {m.table}",
            "",
            f"suite: `{m.suite_path}`",
            "",
            "| result | category | expectation | arguments | observed |",
            "| --- | --- | --- | --- | --- |",
        ]
        for o in sorted(m.outcomes, key=lambda o: (o.success, not o.blocking, o.category)):
            mark = "pass" if o.success else ("**FAIL**" if o.blocking else "warn")
            observed = o.error or o.observed
            lines.append(
                f"| {mark} | {o.category} | `{o.expectation}` | {_md(o.arguments)} "
                f"| {_md(observed)} |"
            )
        lines.append("")
    if result.published and result.publish_detail:
        lines += ["## Published", ""]
        for table, n in sorted(result.publish_detail.get("tables", {}).items()):
            lines.append(f"- {table}: {n:,} rows")
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1b1b}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.pass{color:#0b6b2b}.fail{color:#b00020;font-weight:bold}
.warn{color:#8a5a00}
.banner{padding:.75rem 1rem;border-radius:4px;font-weight:bold}
.ok{background:#e3f4e8}.bad{background:#fde7ea}code{font-size:.85rem}
"""


def render_html(result: GateResult) -> str:
    e = html.escape
    ok = result.passed
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Insight Hub gate report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Insight Hub gate report</h1>",
        f"<p class='banner {'ok' if ok else 'bad'}'>{e(_headline(result))}</p>",
        "<ul>",
        f"<li>run: {e(result.started_at)} ({result.seconds:.1f} s)</li>",
        f"<li>warehouse: <code>{e(result.warehouse)}</code></li>",
        f"<li>serving: <code>{e(result.serving or '-')}</code></li>",
        f"<li>identity names checked against: {result.names_loaded}</li>",
        "<li><a href='data_docs/index.html'>GX Data Docs</a> (unstyled offline)</li>",
        "</ul>",
    ]
    if result.failures:
        parts.append(
            "<h2>Failures</h2><table><tr><th>mart</th><th>expectation</th><th>detail</th></tr>"
        )
        for f in result.failures:
            parts.append(
                f"<tr><td>{e(f.mart)}</td><td><code>{e(f.expectation)}</code></td>"
                f"<td>{e(f.detail)}</td></tr>"
            )
        parts.append("</table>")
    warnings = [(m.table, o) for m in result.marts for o in m.warnings]
    if warnings:
        parts.append("<h2>Warnings (reported, not blocking)</h2><ul>")
        for table, o in warnings:
            parts.append(
                f"<li><b>{e(table)}</b> <code>{e(o.expectation)}({e(o.arguments)})</code>: "
                f"{e(o.error or o.observed)}</li>"
            )
        parts.append("</ul>")
    parts.append(
        "<h2>Marts</h2><table><tr><th>mart</th><th>status</th><th>rows</th>"
        "<th>expectations passed</th><th>seconds</th><th>note</th></tr>"
    )
    for m in result.marts:
        cls = "pass" if m.status == "passed" else ("fail" if m.status != "skipped" else "")
        rows = "-" if m.rows is None else f"{m.rows:,}"
        parts.append(
            f"<tr><td><a href='#{e(m.table)}'>{e(m.table)}</a></td>"
            f"<td class='{cls}'>{e(STATUS_MARK.get(m.status, m.status))}</td>"
            f"<td>{rows}</td><td>{_mart_counts(m)}</td><td>{m.seconds:.2f}</td>"
            f"<td>{e(m.note)}</td></tr>"
        )
    parts.append("</table>")
    for m in result.marts:
        if not m.outcomes:
            continue
        parts.append(f"<h2 id='{e(m.table)}'>{e(m.table)}</h2>")
        parts.append(f"<p>suite: <code>{e(str(m.suite_path))}</code></p>")
        parts.append(
            "<table><tr><th>result</th><th>category</th><th>expectation</th>"
            "<th>arguments</th><th>observed</th></tr>"
        )
        for o in sorted(m.outcomes, key=lambda o: (o.success, not o.blocking, o.category)):
            if o.success:
                cls, mark = "pass", "pass"
            else:
                cls, mark = ("fail", "FAIL") if o.blocking else ("warn", "warn")
            parts.append(
                f"<tr><td class='{cls}'>{mark}</td><td>{e(o.category)}</td>"
                f"<td><code>{e(o.expectation)}</code></td><td>{e(o.arguments)}</td>"
                f"<td>{e(o.error or o.observed)}</td></tr>"
            )
        parts.append("</table>")
    if result.published and result.publish_detail:
        parts.append("<h2>Published</h2><ul>")
        for table, n in sorted(result.publish_detail.get("tables", {}).items()):
            parts.append(f"<li>{e(table)}: {n:,} rows</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_reports(result: GateResult, reports_dir: str | Path, context=None) -> dict[str, str]:
    """Write summary.md, summary.html, result.json and (with a GX context) Data Docs."""
    out = Path(reports_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "markdown": out / "summary.md",
        "html": out / "summary.html",
        "json": out / "result.json",
    }
    if context is not None:
        try:
            context.build_data_docs(site_names=["gate"])
            paths["data_docs"] = out / "data_docs" / "index.html"
        except Exception as exc:  # Data Docs are a convenience; the summary is the report
            log.warning("GX Data Docs not built: %s", exc)
    result.reports = {k: str(v) for k, v in paths.items()}
    paths["markdown"].write_text(render_markdown(result))
    paths["html"].write_text(render_html(result))
    paths["json"].write_text(json.dumps(result.to_dict(), indent=2, default=str))
    return result.reports
