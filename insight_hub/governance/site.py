"""The governance pack: a static HTML site for the data protection officer, information
governance and auditors, generated from the code (dbt manifest, purpose register, roles, the
gate's last result, the retention schedule). Plain HTML with inline CSS and inline SVG: it opens
from disk, offline, without dbt.

    index.html            overview, marts, purpose check, register of processing (ROPA),
                          "Data that we use" from actual lineage, purposes, roles
    marts/<mart>.html     one page per mart: purpose, legal basis, lineage graph back to the
                          services' extracts, personal data categories, roles, retention, gate
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from insight_hub.governance import DeclarationError
from insight_hub.governance.lineage import Lineage, Node
from insight_hub.governance.promises import FILE_NAME as PROMISES_FILE
from insight_hub.governance.promises import Promises, load_promises
from insight_hub.governance.purpose_check import CheckResult, MartLineage, check
from insight_hub.governance.purposes import Register
from insight_hub.governance.roles import Roles, describe

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1b1f24;
background:#fafafa;line-height:1.45}
header{background:#0b3d5c;color:#fff;padding:14px 28px}header a{color:#cfe8ff}
header h1{margin:0;font-size:1.35rem}header p{margin:4px 0 0;font-size:.9rem;opacity:.9}
nav{padding:6px 28px;background:#e8eef3;font-size:.9rem}nav a{margin-right:14px}
main{padding:8px 28px 40px;max-width:1400px;box-sizing:border-box}
h2{border-bottom:2px solid #0b3d5c;padding-bottom:3px;margin-top:30px;font-size:1.15rem}
h3{font-size:1rem;margin:18px 0 6px}
table{border-collapse:collapse;margin:8px 0 14px;background:#fff;font-size:.86rem;max-width:100%}
table.full{width:100%}table.fixed{width:100%;table-layout:fixed}
table.fixed td{overflow-wrap:anywhere}table.fixed .tag{white-space:normal}
th,td{border:1px solid #c9d3dc;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#e8eef3}
td.list{min-width:15em}td.nowrap{white-space:nowrap}td.hash{font-family:monospace;
font-size:.78rem;word-break:break-all;min-width:18em}td.num{text-align:right}
code{background:#eef1f4;padding:1px 4px;border-radius:3px;font-size:.85em}
.pass{color:#176f2c;font-weight:600}.fail{color:#b3261e;font-weight:600}.muted{color:#5c6670}
.tag{display:inline-block;padding:1px 7px;border-radius:10px;background:#e2e8f0;
margin:1px 3px 1px 0;font-size:.8rem;white-space:nowrap}
.tag.special{background:#fde2e1;color:#7a1c16}
.tag.art10{background:#fbe3c8;color:#7a3d00}
.card{background:#fff;border:1px solid #c9d3dc;border-radius:6px;padding:10px 14px;margin:8px 0}
.graph{background:#fff;border:1px solid #c9d3dc;border-radius:6px;padding:8px;overflow-x:auto}
.graph svg{display:block;width:100%;height:auto}
blockquote{margin:4px 0 8px;padding:4px 12px;border-left:4px solid #9fb3c8;background:#f3f6f9;
font-style:italic}
pre{background:#f1f3f5;padding:8px;overflow-x:auto;font-size:.8rem;max-height:320px}
ul.compact{margin:4px 0;padding-left:20px}ul.tests{margin:4px 0;padding-left:18px}
ul.tests li{margin:2px 0}
@media print{
nav{display:none}header{background:none;color:#000;padding:0 0 6px;border-bottom:2px solid #000}
body{background:#fff;font-size:10pt}main{max-width:none;padding:0}
.card,.graph,table,tr,svg{break-inside:avoid}h2,h3{break-after:avoid}
a{color:inherit}pre{max-height:none;white-space:pre-wrap}
.graph{overflow:visible}.graph svg{min-width:0!important}
td.list{min-width:0}td.nowrap{white-space:normal}.tag{white-space:normal}
}
"""

COLOURS = {
    "source": "#fff4d6",
    "seed": "#eee6ff",
    "snapshot": "#e6f4ff",
    "staging": "#e8f0fe",
    "identity": "#f3e5f5",
    "intermediate": "#e6f4ea",
    "mart": "#d2e3fc",
    "key_map": "#d7f0ec",
    "forbidden": "#fde2e1",
}
NODE_H = 24  # one line of label; each further line adds LINE_H
LINE_H = 13
LABEL_CHARS = 30  # longer labels wrap (at _ , . or a space) rather than widen the column
LABEL_WIDTHS = (64, 48, 40, 34, LABEL_CHARS)  # tried in turn until the graph fits GRAPH_W
GRAPH_W = 1320  # the graph's box on a 1400 px page
MIN_SCALE = 0.75
DUMMY_H = 6
ROW_GAP = 10
COL_GAP = 46
CHAR_W = 6.6


def wrap_label(text: str, width: int = LABEL_CHARS) -> list[str]:
    """Lines of at most `width` characters, broken after `_`, `,`, `.` or a space (and only
    mid-word when one part alone is longer), so that long model and source names stay whole."""
    if len(text) <= width:
        return [text]
    head, sep, tail = text.partition(", ")  # source('service', 'extract'): at the comma
    if sep and len(head) + 1 <= width and len(tail) <= width:
        return [head + ",", tail]
    lines: list[str] = []
    line = ""
    for part in re.split(r"(?<=[_,.\s])", text):
        while len(part) > width:  # a part longer than a line: cut it
            if line:
                lines.append(line.rstrip())
                line = ""
            lines.append(part[:width])
            part = part[width:]
        if len(line) + len(part.rstrip()) > width and line:
            lines.append(line.rstrip())
            line = part.lstrip()
        else:
            line += part
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def breakable(name: str) -> str:
    """Escaped name with a line-break opportunity after each `_` and `.` (long table names)."""
    return re.sub(r"([_.])", r"\1<wbr>", esc(name))


def inline_code(text: str) -> str:
    """Escaped text with `backticks` shown as code, as the YAML's prose writes commands."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def tags(items, special: dict[str, str] | None = None) -> str:
    special = special or {}
    out = []
    for item in items:
        kind = special.get(item)
        cls = "tag" + (" special" if kind == "art9" else " art10" if kind == "art10" else "")
        out.append(f'<span class="{cls}">{breakable(item)}</span>')
    return "".join(out) or '<span class="muted">none</span>'


def page(title: str, body: str, root: str = "") -> str:
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p>Insight Hub governance pack, generated from the code "
        f"on {generated}. Draft for the DPO's review.</p></header>"
        f'<nav><a href="{root}index.html">Overview</a><a href="{root}index.html#marts">Marts</a>'
        f'<a href="{root}index.html#check">Purpose check</a>'
        f'<a href="{root}index.html#ropa">Register of processing</a>'
        f'<a href="{root}index.html#data-we-use">Data that we use</a>'
        f'<a href="{root}index.html#purposes">Purposes</a>'
        f'<a href="{root}index.html#roles">Roles</a>'
        f'<a href="{root}promises.html">Promises to residents</a>'
        f'<a href="{root}processing.html">Processing log</a>'
        f'<a href="{root}index.html#records">Reports</a></nav>'
        f"<main>{body}</main></body></html>\n"
    )


# -- lineage graph ----------------------------------------------------------------------------
def _kind(node: Node, register: Register) -> str:
    if node.is_source:
        return "source"
    if node.resource_type in ("seed", "snapshot"):
        return node.resource_type
    if node.is_key_map or register.is_key_map(node.name):
        return "key_map"
    if node.schema in register.mart_schemas or node.name.startswith(register.mart_prefixes):
        return "mart"
    if node.name.startswith("stg_"):
        return "staging"
    for layer in ("staging", "identity", "intermediate"):
        if node.schema == layer or node.path.startswith(f"models/{layer}/"):
            return layer
    return "intermediate"


def lineage_svg(
    lineage: Lineage, register: Register, ml: MartLineage, forbidden: set[str] | None = None
) -> str:
    """A layered left-to-right graph (Sugiyama-style, kept simple): the services' extracts on
    the left, the mart on the right; edges that skip layers run through reserved slots so they
    never cross a box; the path to a dataset the purpose may not use is drawn in red."""
    forbidden = forbidden or set()
    members = set(ml.nodes) | {ml.unique_id}

    # (parent, child): the walked edges, then the declared column lineage (drawn dashed)
    edges: list[tuple[str, str]] = [e for e in ml.edges if e[0] in members and e[1] in members]
    declared = set(ml.declared_edges)
    edges += sorted(declared)
    parents_of: dict[str, list[str]] = defaultdict(list)
    for parent, kid in edges:
        parents_of[kid].append(parent)

    # Layers from the left: extracts at 0; seeds and key maps (drawn without parents) at 1;
    # every other node one right of its right-most parent; the mart last.
    layer: dict[str, int] = {}

    def place(uid: str) -> int:
        if uid not in layer:
            ps = parents_of.get(uid, [])
            if lineage.nodes[uid].is_source:
                layer[uid] = 0
            else:
                layer[uid] = 1 + max((place(p) for p in ps), default=0)
        return layer[uid]

    for uid in members:
        place(uid)
    last = max(layer.values())

    # Edges that skip layers go through one dummy slot per layer skipped.
    chains: dict[tuple[str, str], list[str]] = {}
    nbr_left: dict[str, list[str]] = defaultdict(list)
    nbr_right: dict[str, list[str]] = defaultdict(list)
    for parent, kid in edges:
        chain = [parent]
        for d in range(layer[parent] + 1, layer[kid]):
            dummy = f"~{parent}>{kid}@{d}"
            layer[dummy] = d
            chain.append(dummy)
        chain.append(kid)
        chains[(parent, kid)] = chain
        for left, right in zip(chain, chain[1:], strict=False):
            nbr_right[left].append(right)
            nbr_left[right].append(left)

    def label(uid: str) -> str:
        return lineage.nodes[uid].label if uid in lineage.nodes else uid

    columns: dict[int, list[str]] = defaultdict(list)
    for uid in sorted(layer, key=label):
        columns[layer[uid]].append(uid)

    # Fewer crossings: order each column by the mean position of its neighbours, sweeping
    # right-to-left and left-to-right a few times.
    position = {uid: float(i) for col in columns.values() for i, uid in enumerate(col)}

    def sweep(col_ids, neighbours) -> None:
        for d in col_ids:
            col = columns.get(d, [])
            before = {uid: i for i, uid in enumerate(col)}

            def key(uid: str, before=before) -> tuple[float, int]:
                near = [position[n] for n in neighbours.get(uid, []) if n in position]
                return (sum(near) / len(near) if near else position[uid], before[uid])

            col.sort(key=key)
            for idx, uid in enumerate(col):
                position[uid] = float(idx)

    for _ in range(4):
        sweep(range(last - 1, -1, -1), nbr_right)
        sweep(range(1, last + 1), nbr_left)

    # Labels whole on one line when the graph then fits the page; else wrapped, as little as
    # needed (the SVG scales down past that, never cutting a label).
    for chars in LABEL_WIDTHS:
        lines = {uid: wrap_label(label(uid), chars) for uid in layer if uid in lineage.nodes}
        widths = {}
        for d, col in columns.items():
            real = [len(line) for u in col if u in lines for line in lines[u]]
            widths[d] = int(max(max(real, default=0) * CHAR_W + 14, 90))
        if sum(widths.values()) + COL_GAP * last + 20 <= GRAPH_W:
            break
    x_of: dict[int, int] = {}
    x = 10
    for d in range(0, last + 1):
        x_of[d] = x
        x += widths.get(d, 90) + COL_GAP
    total_w = x - COL_GAP + 10

    def height(uid: str) -> int:
        return NODE_H + LINE_H * (len(lines[uid]) - 1) if uid in lines else DUMMY_H

    col_h = {d: sum(height(u) + ROW_GAP for u in col) - ROW_GAP for d, col in columns.items()}
    tallest = max(col_h.values())
    total_h = tallest + 20
    coords: dict[str, tuple[int, float, int]] = {}  # uid -> (x, y of the top, width)
    for d, col in columns.items():
        y = 10 + (tallest - col_h[d]) / 2
        for uid in col:
            coords[uid] = (x_of[d], y, widths[d])
            y += height(uid) + ROW_GAP

    def mid_y(uid: str) -> float:
        return coords[uid][1] + height(uid) / 2

    # The shortest drawn path from the mart back to each dataset its purpose may not use.
    on_bad_path: set[tuple[str, str]] = set()
    if forbidden:
        back: dict[str, str] = {}
        queue = [ml.unique_id]
        for uid in queue:
            for parent in parents_of.get(uid, []):
                if parent not in back and parent != ml.unique_id:
                    back[parent] = uid
                    queue.append(parent)
        for uid in back:
            if lineage.nodes[uid].dataset in forbidden:
                while uid != ml.unique_id:
                    on_bad_path.add((uid, back[uid]))
                    uid = back[uid]

    parts = [
        # Scales down to its box instead of overflowing it, never up past its natural size; on
        # screen not below MIN_SCALE (the box scrolls: the labels stay legible), in print to fit.
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {total_w} '
        f'{total_h:.0f}" style="max-width:{total_w}px;min-width:{int(total_w * MIN_SCALE)}px" '
        'preserveAspectRatio="xMinYMin meet" '
        f'role="img" aria-label="lineage of {esc(ml.mart)}" '
        'font-family="system-ui,Arial,sans-serif" font-size="11">'
    ]
    for (parent, kid), chain in sorted(chains.items(), key=lambda e: e[0] in on_bad_path):
        bad = (parent, kid) in on_bad_path
        colour, width = ("#b3261e", 2) if bad else ("#8a96a3", 1)
        px, _, pw = coords[parent]
        d = [f"M{px + pw:.0f},{mid_y(parent):.0f}"]
        prev_x, prev_y = px + pw, mid_y(parent)
        for hop in chain[1:]:
            hx, _, hw = coords[hop]
            hy = mid_y(hop)
            mid = (prev_x + hx) / 2
            d.append(f"C{mid:.0f},{prev_y:.0f} {mid:.0f},{hy:.0f} {hx:.0f},{hy:.0f}")
            if hop not in lineage.nodes:  # a dummy slot: run straight through the column
                d.append(f"L{hx + hw:.0f},{hy:.0f}")
                prev_x, prev_y = hx + hw, hy
        dash = ' stroke-dasharray="5,3"' if (parent, kid) in declared else ""
        parts.append(
            f'<path d="{" ".join(d)}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>'
        )
    for uid, (nx, ny, nw) in coords.items():
        if uid not in lineage.nodes:
            continue
        node = lineage.nodes[uid]
        kind = _kind(node, register)
        bad = node.dataset in forbidden
        fill = COLOURS["forbidden"] if bad else COLOURS.get(kind, "#fff")
        stroke = "#b3261e" if bad else "#5c6670"
        text = "".join(
            f'<tspan x="{nx + 6}" y="{ny + 16 + LINE_H * i:.0f}">{esc(line)}</tspan>'
            for i, line in enumerate(lines[uid])
        )
        parts.append(
            f'<g><title>{esc(node.label)} ({esc(kind)})</title><rect x="{nx}" y="{ny:.0f}" '
            f'width="{nw}" height="{height(uid)}" rx="4" fill="{fill}" stroke="{stroke}"/>'
            f"<text>{text}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts)


def legend_svg() -> str:
    items = [
        ("source", "service extract"),
        ("staging", "staging"),
        ("key_map", "identity key map"),
        ("intermediate", "intermediate"),
        ("seed", "reference seed"),
        ("mart", "mart"),
        ("forbidden", "not permitted for the purpose"),
    ]
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="22" font-size="11" '
        'viewBox="0 0 900 22" style="max-width:100%;height:auto" '
        'font-family="system-ui,Arial,sans-serif">'
    ]
    x = 0
    for kind, text in items:
        parts.append(
            f'<rect x="{x}" y="4" width="14" height="14" fill="{COLOURS[kind]}" stroke="#5c6670"/>'
            f'<text x="{x + 18}" y="15">{esc(text)}</text>'
        )
        x += 26 + int(len(text) * CHAR_W)
    parts.append("</svg>")
    return "".join(parts)


# -- inputs that may be absent ----------------------------------------------------------------
def load_gate(path: Path | None) -> dict | None:
    if path is None or not Path(path).is_file():
        return None
    try:
        return json.loads(Path(path).read_text())
    except (OSError, json.JSONDecodeError):
        return {"status": "unreadable", "path": str(path)}


def gate_summary(gate: dict | None) -> str:
    if gate is None:
        return '<span class="muted">no gate result found (reports/gate/result.json)</span>'
    status = None
    for key in ("passed", "success", "ok", "status", "result", "outcome"):
        if key in gate:
            status = gate[key]
            break
    when = next(
        (
            gate[k]
            for k in ("finished_at", "started_at", "timestamp", "run_at", "generated_at", "time")
            if k in gate
        ),
        None,
    )
    good = status is True or str(status).lower() in ("pass", "passed", "success", "ok", "true")
    cls = "pass" if good else "fail"
    text = (
        {True: "passed", False: "failed"}.get(status, status)
        if isinstance(status, bool)
        else status
    )
    out = f'<span class="{cls}">{esc(text if text is not None else "unknown")}</span>'
    if when:
        out += f' <span class="muted">({esc(when)})</span>'
    return out


def gate_mart_html(entries: list[Any]) -> str:
    """A mart's part of the gate result: its suite's status and expectations when the entry has
    that shape (insight_hub.gate's MartOutcome), else the JSON."""
    parts = []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("outcomes"), list):
            outcomes = [o for o in entry["outcomes"] if isinstance(o, dict)]
            failed = [o for o in outcomes if not o.get("success", True)]
            status = str(entry.get("status", "?"))
            cls = "pass" if status == "passed" else "fail"
            parts.append(
                f'<p>Suite: <span class="{cls}">{esc(status)}</span> · rows: '
                f"{esc(entry.get('rows', '?'))} · expectations: {len(outcomes)} · "
                f"not met: {len(failed)}"
                + (f" · {esc(entry['note'])}" if entry.get("note") else "")
                + "</p>"
            )
            rows = [
                [
                    esc(o.get("category", "")),
                    f"<code>{esc(o.get('expectation', ''))}</code>",
                    esc(str(o.get("arguments", ""))[:160]),
                    '<span class="pass">met</span>'
                    if o.get("success")
                    else f'<span class="fail">not met ({esc(o.get("severity", ""))})</span>',
                ]
                for o in sorted(outcomes, key=lambda o: bool(o.get("success")))
            ]
            if rows:
                parts.append(table_html(["category", "expectation", "arguments", "result"], rows))
        else:
            parts.append("<pre>" + esc(json.dumps(entry, indent=2, default=str)[:6000]) + "</pre>")
    return "".join(parts)


def gate_entries(gate: Any, names: set[str], limit: int = 8) -> list[Any]:
    """Parts of the gate result that mention the mart (by name or schema.name)."""
    found: list[Any] = []

    def walk(obj: Any) -> None:
        if len(found) >= limit:
            return
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in names:
                    found.append({k: v})
                elif isinstance(v, str) and v in names:
                    found.append(obj)
                    return
            for k, v in obj.items():
                if k not in names:
                    walk(v)
        elif isinstance(obj, list):
            for item in obj:
                walk(item)

    walk(gate)
    return found[:limit]


def load_retention(path: Path | None) -> tuple[list[str], list[dict]]:
    if path is None or not Path(path).is_file():
        return [], []
    with Path(path).open(newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def retention_rows(rows: list[dict], datasets: set[str], mart: str) -> list[dict]:
    out = []
    for row in rows:
        low = {k.lower(): (v or "").strip() for k, v in row.items() if k}
        service = low.get("service", "")
        extract = next(
            (low[k] for k in ("extract", "source_file", "dataset", "source", "file") if low.get(k)),
            "",
        )
        model = next((low[k] for k in ("model", "mart", "table") if low.get(k)), "")
        by_model = bool(model) and model == mart
        by_extract = bool(service and extract) and (
            f"{service}.{extract.removesuffix('.csv')}" in datasets
        )
        by_service = (
            bool(service) and not extract and any(d.startswith(service + ".") for d in datasets)
        )
        if by_model or by_extract or by_service:
            out.append(row)
    return out


def table_html(
    header: list[str],
    rows: list[list[str]],
    raw: bool = True,
    cls: str = "",
    cell_classes: list[str] | None = None,
    widths: list[int] | None = None,
) -> str:
    """A table; `widths` (percentages) fix the columns' widths so that a wide table wraps its
    cells instead of growing past the page."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    cols = "".join(f'<col style="width:{w}%">' for w in widths or [])
    if widths:
        cls = f"{cls} fixed".strip()
    td = [f'<td class="{c}">' if c else "<td>" for c in (cell_classes or [])]
    body = "".join(
        "<tr>"
        + "".join(
            f"{td[i] if i < len(td) else '<td>'}{c if raw else esc(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    table = f'<table class="{cls}">' if cls else "<table>"
    cols = f"<colgroup>{cols}</colgroup>" if cols else ""
    return f"{table}{cols}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# -- third-country transfers, the processing log, reports beside the pack ----------------------
def transfers_html(entries: list[dict]) -> str:
    if not entries:
        return "None"
    return (
        "<ul class=compact>"
        + "".join(
            f"<li>{esc(e.get('recipient', ''))} ({esc(e['country'])})"
            + (f"; safeguard: {esc(e['safeguard'])}" if e.get("safeguard") else "")
            + "</li>"
            for e in entries
        )
        + "</ul>"
    )


@dataclass
class ProcessingLog:
    """The latest build's rows of audit.processing_log, or why there are none."""

    warehouse: Path | None
    problem: str = ""
    builds: int = 0
    rows: list[dict] = field(default_factory=list)


def load_processing_log(warehouse: Path | None) -> ProcessingLog:
    if warehouse is None or not Path(warehouse).is_file():
        return ProcessingLog(warehouse, "no warehouse found")
    import duckdb

    try:
        # Read-only: the pack never writes the warehouse, and can be built beside a reader.
        with duckdb.connect(str(warehouse), read_only=True) as con:
            found = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'audit' and table_name = 'processing_log'"
            ).fetchone()[0]
            if not found:
                return ProcessingLog(warehouse, "the warehouse has no audit.processing_log yet")
            builds = con.execute(
                "select count(distinct build_id) from audit.processing_log"
            ).fetchone()[0]
            cur = con.execute(
                "select * from audit.processing_log where build_id = (select build_id from "
                "audit.processing_log order by built_at desc limit 1) order by service, source_file"
            )
            names = [d[0] for d in cur.description]
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    except duckdb.Error as exc:  # e.g. locked by a build in progress
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ProcessingLog(warehouse, f"the warehouse could not be read ({first})")
    return ProcessingLog(warehouse, "", builds, rows)


def when(value: Any) -> str:
    """A timestamp to the second (the log keeps microseconds)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value or "?")


@dataclass
class Record:
    """A report or record beside the pack: linked when present, else how to make it."""

    title: str
    path: Path
    shown: str  # the path as the reader knows it (repo-relative)
    what: str
    make: str  # the command that writes it


def href(target: Path, page_dir: Path) -> str:
    """A relative link from a page's folder to a file, so that the pack moves with the repo."""
    rel = os.path.relpath(Path(target).resolve(), Path(page_dir).resolve())
    return quote(Path(rel).as_posix())


# -- the site ---------------------------------------------------------------------------------
class Pack:
    def __init__(
        self,
        manifest,
        register: Register,
        roles: Roles | None,
        gate,
        retention,
        out: Path = Path("."),
        promises: Promises | str | None = None,
        processing: ProcessingLog | None = None,
        records: list[Record] | None = None,
    ):
        self.lineage = Lineage(manifest)
        self.register = register
        self.roles = roles
        self.result: CheckResult = check(manifest, register, roles)
        self.gate = gate
        self.retention_header, self.retention = retention
        self.special = {k: c.special for k, c in register.categories.items() if c.special}
        self.out = Path(out)
        self.promises = promises  # None: no promises.yml; a str: why it could not be read
        self.processing = processing or ProcessingLog(None, "no warehouse given")
        self.records = records or []

    def mart_node(self, ml: MartLineage) -> Node:
        return self.lineage.nodes[ml.unique_id]

    def resolved(self, ml: MartLineage) -> list[str]:
        return [p for p in (self.register.resolve(x) for x in ml.purposes) if p]

    def findings_for(self, mart: str):
        return [f for f in self.result.findings if f.mart == mart]

    def roles_for(self, relation: str) -> dict:
        return self.roles.grants_for(relation) if self.roles else {}

    def column_categories(self, ml: MartLineage) -> tuple[dict[str, int], list[str], list[str]]:
        """pii levels of the mart's columns, categories on its columns, categories upstream."""
        node = self.mart_node(ml)
        pii: dict[str, int] = defaultdict(int)
        own: list[str] = []
        for col in node.columns.values():
            pii[col.pii or "unclassified"] += 1
            for c in col.categories:
                if c not in own:
                    own.append(c)
        upstream: list[str] = []
        for uid in ml.nodes:
            for col in self.lineage.nodes[uid].columns.values():
                for c in col.categories:
                    if c not in upstream and c not in own:
                        upstream.append(c)
        return dict(pii), own, upstream

    # -- reports and records beside the pack ----------------------------------------------------
    def record(self, title: str) -> Record | None:
        return next((r for r in self.records if r.title == title), None)

    def record_link(self, rec: Record, up: str = "") -> str:
        if rec.path.is_file():
            return f'<a href="{up}{href(rec.path, self.out)}">{esc(rec.title)}</a>'
        return esc(rec.title)

    def gate_report_link(self, up: str = "") -> str:
        rec = self.record(GATE_REPORT)
        if rec is None or not rec.path.is_file():
            return ""
        return f' · <a href="{up}{href(rec.path, self.out)}">the gate\'s report</a>'

    def records_card(self, up: str = "") -> str:
        """Links from the overview to the promises, the processing log and the reports the
        other commands write, saying how to make the ones that are absent."""
        items = []
        if isinstance(self.promises, Promises):
            missing = self.promises.missing()
            tests = {t.ref for p in self.promises.promises for t in p.tests}
            items.append(
                f'<li><a href="{up}promises.html">Promises to residents and what enforces '
                f"them</a>: {len(self.promises.promises)} promises of the privacy notices, each "
                f"with its mechanism and the {len(tests)} tests that prove it"
                + (f' <span class="fail">({len(missing)} missing)</span>' if missing else "")
                + "</li>"
            )
        else:
            items.append(
                f'<li><a href="{up}promises.html">Promises to residents</a>: '
                f'<span class="fail">{esc(self.promises or "no governance/promises.yml")}'
                "</span></li>"
            )
        log = self.processing
        if log.rows:
            latest = log.rows[0]
            items.append(
                f'<li><a href="{up}processing.html">Processing log</a>: the latest build '
                f"({esc(when(latest.get('built_at')))} UTC) processed {len(log.rows)} extracts; "
                f"{log.builds} build(s) recorded in <code>audit.processing_log</code></li>"
            )
        else:
            items.append(
                f'<li><a href="{up}processing.html">Processing log</a>: '
                f'<span class="muted">{esc(log.problem)}</span></li>'
            )
        for rec in self.records:
            if rec.path.is_file():
                items.append(
                    f"<li>{self.record_link(rec, up)} (<code>{esc(rec.shown)}</code>): "
                    f"{inline_code(rec.what)}</li>"
                )
            else:
                items.append(
                    f"<li>{esc(rec.title)}: <span class=muted>not found at "
                    f"<code>{esc(rec.shown)}</code>; {inline_code(rec.what)} Written by "
                    f"<code>{esc(rec.make)}</code>.</span></li>"
                )
        return (
            '<div class="card" id="records"><b>Reports and records</b>'
            f'<ul class="compact">{"".join(items)}</ul></div>'
        )

    def promises_page(self) -> str:
        body = [
            "<p>What the council's privacy notices promise residents is what the code must "
            "enforce, testably. Each promise below quotes the notice, says what enforces it, and "
            "lists the tests in the repository that prove it; the list is read from "
            "<code>governance/promises.yml</code> and checked against the repository when the "
            "pack is built (a test that no longer exists is shown in red).</p>"
        ]
        if not isinstance(self.promises, Promises):
            body.append(
                f'<p class="fail">{esc(self.promises or "No governance/promises.yml found.")}</p>'
            )
            return page("Promises to residents and what enforces them", "".join(body))
        prom = self.promises
        body.append(
            "<ol>"
            + "".join(
                f'<li><a href="#promise-{esc(p.key)}">{esc(p.promise)}</a></li>'
                for p in prom.promises
            )
            + "</ol>"
        )
        for p in prom.promises:
            tests = []
            for t in p.tests:
                link = (
                    f'<a href="{href(prom.root / t.path, self.out)}"><code>{esc(t.path)}</code></a>'
                    if t.exists
                    else f"<code>{esc(t.path)}</code>"
                )
                what = f"<b>{esc(t.title)}</b> · " if t.function else "every test in "
                doc = t.doc
                tests.append(
                    "<li>"
                    + what
                    + link
                    + (f" <span class=muted>{esc(doc)}</span>" if doc else "")
                    + ("" if t.exists else f' <span class="fail">missing: {esc(t.ref)}</span>')
                    + "</li>"
                )
            code = ", ".join(
                f"<code>{esc(c.path)}</code>"
                + ("" if c.exists else ' <span class="fail">missing</span>')
                for c in p.code
            )
            see = ", ".join(f'<a href="{esc(a)}">{esc(a)}</a>' for a in p.see)
            body.append(
                f'<div class="card" id="promise-{esc(p.key)}"><h3>{esc(p.promise)}</h3>'
                f"<blockquote>“{esc(p.notice)}”</blockquote>"
                f'<p class="muted">{esc(prom.notices.get(p.source, p.source))}</p>'
                f"<p><b>What enforces it:</b> {inline_code(p.mechanism)}</p>"
                + (f"<p><b>Code:</b> {code}</p>" if code else "")
                + (f"<p><b>In this pack:</b> {see}</p>" if see else "")
                + f'<p><b>Tests that prove it:</b></p><ul class="tests">{"".join(tests)}</ul>'
                "</div>"
            )
        files = sorted({t.path for p in prom.promises for t in p.tests if t.exists})
        body.append(
            "<h2>Running them</h2><p>From the repository, in its virtual environment (the "
            "PostgreSQL tests start their own server; the borough tests build a small "
            "synthetic borough first):</p>"
            f"<pre>pytest {esc(' '.join(files))}</pre>"
        )
        return page("Promises to residents and what enforces them", "".join(body))

    def processing_page(self) -> str:
        log = self.processing
        body = [
            "<p>Every build appends one row per extract to <code>audit.processing_log</code> in "
            "the warehouse (a table dbt does not manage, so it survives rebuilds): the file's "
            "SHA-256 and size, the reconciliation counts (rows in the file, staged, rejected, "
            "expired under the retention schedule), the purposes and marts whose lineage reaches "
            "it, and whether the gate passed. It answers “what did you process, and why” per "
            "build. All builds: <code>select * from audit.processing_log order by built_at "
            "desc</code>.</p>"
        ]
        if not log.rows:
            where = f" (<code>{esc(log.warehouse)}</code>)" if log.warehouse else ""
            body.append(
                f'<p class="muted">No processing log shown: {esc(log.problem)}{where}. It is '
                "written by <code>insight-hub build</code>; point the pack at a warehouse with "
                "<code>$INSIGHT_HUB_WAREHOUSE</code>.</p>"
            )
            return page("Processing log", "".join(body))
        first = log.rows[0]
        gate = first.get("gate_passed")
        body.append(
            '<div class="card">'
            f"<b>Latest build</b> <code>{esc(first.get('build_id'))}</code> · "
            f"<b>built at</b> {esc(when(first.get('built_at')))} UTC · "
            f"<b>data as of</b> {esc(first.get('as_of_date'))} · <b>gate</b> "
            + (
                '<span class="pass">passed</span>'
                if gate
                else '<span class="fail">failed</span>'
                if gate is False
                else "not recorded"
            )
            + f" · <b>builds recorded</b> {log.builds} · <b>warehouse</b> "
            f"<code>{esc(log.warehouse)}</code></div>"
        )

        def num(v) -> str:
            return "" if v is None else f"{v:,}"

        rows = [
            [
                esc(r.get("service")),
                f"<code>{esc(r.get('source_file'))}</code>",
                num(r.get("raw_rows")),
                num(r.get("staged_rows")),
                num(r.get("rejected_rows")),
                num(r.get("expired_rows")),
                num(r.get("file_bytes")),
                esc(r.get("file_sha256") or "file not found"),
                tags(r.get("purposes") or []),
            ]
            for r in log.rows
        ]
        body.append(
            table_html(
                [
                    "service",
                    "extract",
                    "rows",
                    "staged",
                    "rejected",
                    "expired",
                    "bytes",
                    "file SHA-256",
                    "purposes",
                ],
                rows,
                cls="full",
                cell_classes=["", "", "num", "num", "num", "num", "num", "hash", "list"],
            )  # fmt: skip
        )
        return page("Processing log", "".join(body))

    # -- pages ------------------------------------------------------------------------------------
    def mart_page(self, ml: MartLineage) -> str:
        reg = self.register
        node = self.mart_node(ml)
        purposes = self.resolved(ml)
        findings = self.findings_for(ml.mart)
        forbidden = {f.dataset for f in findings if f.dataset}
        body = [f"<p>{esc(node.description) or '<span class=muted>no description</span>'}</p>"]
        status = (
            '<span class="pass">passes the purpose check</span>'
            if not findings
            else f'<span class="fail">fails the purpose check ({len(findings)})</span>'
        )
        body.append(
            '<div class="card">'
            f"<b>Relation</b> <code>{esc(node.relation)}</code> · "
            f"<b>materialised</b> {esc(node.materialized or '?')} · "
            f"<b>defined in</b> <code>{esc(node.path)}</code> · {status}<br>"
            f"<b>Gate</b> {gate_summary(self.gate)}{self.gate_report_link('../')}</div>"
        )
        if findings:
            body.append(
                "<ul>"
                + "".join(f'<li class="fail">{esc(f.message)}</li>' for f in findings)
                + "</ul>"
            )

        body.append("<h2>Purpose and legal basis</h2>")
        if not purposes:
            body.append('<p class="fail">No (known) purpose declared.</p>')
        for key in purposes:
            p = reg.purposes[key]
            body.append(self.purpose_card(p))

        body.append("<h2>Lineage back to the services' extracts</h2>")
        body.append(legend_svg())
        body.append(f'<div class="graph">{lineage_svg(self.lineage, reg, ml, forbidden)}</div>')
        rows = []
        for dataset, path in ml.datasets.items():
            ext = reg.extract(dataset)
            allowed = all(reg.may_use(p, dataset) for p in purposes) if purposes else False
            rows.append(
                [
                    f"<code>{breakable(dataset)}</code>",
                    esc(ext.title if ext else "not in the catalogue"),
                    tags(ext.categories if ext else [], self.special),
                    '<span class="pass">permitted</span>'
                    if allowed and ext
                    else '<span class="fail">not permitted</span>',
                    breakable(" <- ".join(path)),
                ]
            )
        body.append(
            table_html(["dataset", "extract", "categories", "for its purpose", "path"], rows)
        )
        for proj in ml.projections:
            parent = self.lineage.nodes[proj["parent"]]
            body.append(
                f"<p><code>{esc(proj['reader'])}</code> reads only these columns of "
                f"<code>{esc(parent.name)}</code>, whose lineage its YAML declares "
                "(<code>meta: {datasets: [...]}</code>, drawn dashed; checked against what "
                f"{esc(parent.name)} reaches):</p>"
            )
            rows = []
            for col in proj["columns"]:
                c = parent.columns.get(col)
                declared = c.meta.get("datasets") if c else None
                shown = (
                    (", ".join(map(str, declared)) if isinstance(declared, list) else declared)
                    if declared is not None
                    else "not declared"
                )
                rows.append([f"<code>{esc(col)}</code>", esc(shown or "none")])
            body.append(table_html(["column", "declared datasets"], rows))
        if ml.key_maps:
            body.append(
                "<p>Linked through the identity layer's pseudonymous key maps: "
                + ", ".join(f"<code>{esc(k)}</code>" for k in ml.key_maps)
                + " (keys only; the walk stops there).</p>"
            )
        if ml.seeds:
            body.append(
                "<p>Reference data: "
                + ", ".join(f"<code>{esc(s)}</code>" for s in ml.seeds)
                + "</p>"
            )

        body.append("<h2>Personal data</h2>")
        pii, own, upstream = self.column_categories(ml)
        reg_cats = reg.categories_of(set(ml.datasets))
        body.append(
            table_html(
                ["", ""],
                [
                    [
                        "columns by classification (meta.pii)",
                        ", ".join(f"{esc(k)}: {v}" for k, v in sorted(pii.items()))
                        or "no columns documented",
                    ],
                    ["categories on the mart's columns (meta.category)", tags(own, self.special)],
                    ["categories on upstream columns", tags(upstream, self.special)],
                    [
                        "categories the source extracts carry (register)",
                        tags(
                            [
                                reg.categories[c].title if c in reg.categories else c
                                for c in reg_cats
                            ],
                            {reg.categories[c].title: s for c, s in self.special.items()},
                        ),
                    ],
                ],
            )
        )
        if node.columns:
            body.append(
                table_html(
                    ["column", "type", "pii", "category", "description"],
                    [
                        [
                            f"<code>{esc(c.name)}</code>",
                            esc(c.data_type or ""),
                            esc(c.pii or ""),
                            tags(c.categories, self.special),
                            esc(c.description),
                        ]
                        for c in node.columns.values()
                    ],
                )
            )

        body.append("<h2>Who may see it</h2>")
        grants = self.roles_for(node.relation)
        if grants:
            body.append(
                table_html(
                    ["role", "columns", "rows"],
                    [
                        [f"<code>{esc(r)}</code>", esc(g.columns.describe()), esc(describe(g.rows))]
                        for r, g in sorted(grants.items())
                    ],
                )
            )
        else:
            body.append("<p>No role is granted this mart: it is not served to anyone.</p>")

        body.append("<h2>Retention</h2>")
        for key in purposes:
            body.append(
                f"<p><b>{esc(reg.purposes[key].title)}:</b> {esc(reg.purposes[key].retention)}</p>"
            )
        matched = retention_rows(self.retention, set(ml.datasets), ml.mart)
        if matched:
            body.append(
                table_html(
                    self.retention_header,
                    [[r.get(h, "") or "" for h in self.retention_header] for r in matched],
                    raw=False,
                )
            )
        elif not self.retention:
            body.append(
                '<p class="muted">No retention schedule seed found '
                "(seeds/retention_schedule.csv).</p>"
            )

        body.append("<h2>The gate's last result</h2>")
        body.append(f"<p>Overall: {gate_summary(self.gate)}</p>")
        if self.gate is not None:
            entries = gate_entries(self.gate, {ml.mart, node.relation})
            if entries:
                body.append(gate_mart_html(entries))
            else:
                body.append('<p class="muted">The gate result does not mention this mart.</p>')
        return page(f"{ml.mart}", "".join(body), root="../")

    def purpose_card(self, p, extra: str = "") -> str:
        basis = p.legal_basis
        rows = [
            ["Article 6", esc(basis.get("article_6", ""))],
        ]
        if basis.get("article_9"):
            rows.append(["Article 9 (special category)", esc(basis["article_9"])])
        if basis.get("article_10"):
            rows.append(["Article 10 (criminal offence)", esc(basis["article_10"])])
        if p.statutes():
            rows.append(
                [
                    "Statutes",
                    "<ul class=compact>"
                    + "".join(f"<li>{esc(s)}</li>" for s in p.statutes())
                    + "</ul>",
                ]
            )
        rows.append(["Recipients", esc("; ".join(p.recipients))])
        rows.append(["Automated decisions", esc(p.automated_decisions or "not stated")])
        return (
            f'<div class="card"><h3 id="purpose-{esc(p.key)}">{esc(p.title)} '
            f"<code>{esc(p.key)}</code></h3>"
            f"<p>{esc(p.description)}</p>{table_html(['', ''], rows)}{extra}</div>"
        )

    def index_page(self) -> str:
        reg = self.register
        res = self.result
        body = []
        ok = res.ok
        body.append(
            '<div class="card">'
            f"<b>Controller</b> {esc(reg.controller.get('name', ''))} · "
            f"<b>contact</b> {esc(reg.controller.get('contact', ''))}<br>"
            f"<b>{len(res.marts)}</b> marts · <b>{len(reg.purposes)}</b> purposes · "
            f"<b>{len(reg.all_datasets())}</b> service datasets · "
            f"<b>{len(self.roles.roles) if self.roles else 0}</b> roles · purpose check: "
            + (
                '<span class="pass">passed</span>'
                if ok
                else f'<span class="fail">failed ({len(res.findings)})</span>'
            )
            + f" · gate: {gate_summary(self.gate)}</div>"
        )

        body.append(self.records_card(""))

        body.append('<h2 id="marts">Marts</h2>')
        body.append(
            "<p>Each mart is a table in the serving database (<code>schema.table</code>; the "
            "table is named as the mart unless shown). Services: whose extracts its lineage "
            "reaches. Roles: who may read it.</p>"
        )
        rows = []
        for ml in res.marts:
            node = self.mart_node(ml)
            findings = self.findings_for(ml.mart)
            schema, _, table = node.relation.rpartition(".")
            rows.append(
                [
                    f'<a href="marts/{esc(ml.mart)}.html">{breakable(ml.mart)}</a>',
                    f"<code>{esc(schema)}</code>"
                    + ("" if table == ml.mart else f"<br><code>{breakable(node.relation)}</code>"),
                    "<br>".join(f'<a href="#purpose-{esc(p)}">{esc(p)}</a>' for p in ml.purposes)
                    or '<span class="fail">none</span>',
                    tags(sorted({d.split(".")[0] for d in ml.datasets})),
                    tags(sorted(self.roles_for(node.relation))),
                    '<span class="pass">ok</span>'
                    if not findings
                    else f'<span class="fail">{len(findings)} finding(s)</span>',
                ]
            )
        body.append(
            table_html(
                ["mart", "schema", "purpose", "services", "roles", "check"],
                rows,
                cls="full",
                cell_classes=["", "", "nowrap", "list", "list", "nowrap"],
            )
        )

        body.append('<h2 id="check">Purpose check</h2>')
        body.append(
            "<p>Each mart declares its purpose (<code>meta: {purpose: ...}</code>); its dbt "
            "lineage is walked back to the services' extracts; every extract reached must be "
            "permitted for each of the mart's purposes by the purpose register.</p>"
        )
        if ok:
            body.append('<p class="pass">No findings.</p>')
        else:
            body.append(
                "<ul>"
                + "".join(f'<li class="fail">{esc(f.message)}</li>' for f in res.findings)
                + "</ul>"
            )
        for w in res.warnings:
            body.append(f'<p class="muted">warning: {esc(w)}</p>')

        body.append(self.ropa())
        body.append(self.data_we_use())

        body.append('<h2 id="purposes">Purpose register</h2>')
        for p in reg.purposes.values():
            permitted = ", ".join(p.datasets)
            marts = [m.mart for m in res.marts if p.key in self.resolved(m)]
            body.append(
                self.purpose_card(
                    p,
                    f"<p><b>May use:</b> {esc(permitted)}<br><b>Marts:</b> "
                    + (
                        ", ".join(f'<a href="marts/{esc(m)}.html">{esc(m)}</a>' for m in marts)
                        or "none yet"
                    )
                    + f"<br><b>Retention:</b> {esc(p.retention)}</p>",
                )
            )

        body.append('<h2 id="roles">Roles</h2>')
        if self.roles:
            body.append(
                "<p>Declared once in <code>governance/roles.yml</code>; enforced by PostgreSQL "
                "(column grants and row-level security) or by per-role DuckDB files.</p>"
            )
            rows = []
            for role in self.roles.roles.values():
                grants = (
                    "<ul class=compact>"
                    + "".join(
                        f"<li><code>{esc(g.table)}</code>: {esc(g.columns.describe())}; "
                        f"{esc(describe(g.rows))}</li>"
                        for g in role.tables
                    )
                    + "</ul>"
                )
                rows.append(
                    [
                        f"<code>{esc(role.name)}</code>"
                        + (" <span class=tag>partner</span>" if role.partner else ""),
                        esc(role.description),
                        esc(", ".join(role.purposes)),
                        grants,
                    ]
                )
            body.append(table_html(["role", "who", "purposes", "tables, columns, rows"], rows))
        else:
            body.append('<p class="muted">No roles declaration found.</p>')

        if self.retention:
            body.append("<h2>Retention schedule</h2>")
            body.append(
                table_html(
                    self.retention_header,
                    [[r.get(h, "") or "" for h in self.retention_header] for r in self.retention],
                    raw=False,
                )
            )
        return page("Insight Hub: governance pack", "".join(body))

    def ropa(self) -> str:
        """UK GDPR Art 30 record of processing, one row per purpose, from the code."""
        reg = self.register
        rows = []
        for p in reg.purposes.values():
            marts = [m for m in self.result.marts if p.key in self.resolved(m)]
            used = sorted({d for m in marts for d in m.datasets} - set(reg.controls))
            permitted = sorted(reg.permitted(p.key) - set(reg.controls))
            basis = [p.legal_basis.get("article_6", "")]
            for k in ("article_9", "article_10"):
                if p.legal_basis.get(k):
                    basis.append(p.legal_basis[k])
            basis += p.statutes()
            subjects = sorted({reg.services[d.split(".")[0]].data_subjects for d in permitted})
            cats = reg.categories_of(used or permitted)
            rows.append(
                [
                    f'<a href="#purpose-{esc(p.key)}">{esc(p.title)}</a>',
                    "<ul class=compact>"
                    + "".join(f"<li>{esc(b)}</li>" for b in basis if b)
                    + "</ul>",
                    esc("; ".join(s for s in subjects if s)),
                    ("" if used else '<span class="muted">none used yet; may use:</span> ')
                    + tags(
                        [reg.categories[c].title for c in cats],
                        {reg.categories[c].title: s for c, s in self.special.items()},
                    ),
                    "<br>".join(breakable(d) for d in used) if used else "none yet (no mart)",
                    esc("; ".join(p.recipients)),
                    transfers_html(list(p.transfers)),
                    esc(p.retention),
                    ", ".join(
                        f'<a href="marts/{esc(m.mart)}.html">{breakable(m.mart)}</a>' for m in marts
                    )
                    or "—",
                ]
            )
        measures = (
            "Pseudonymisation (HMAC-SHA256 keys; the key lives outside the repo and the "
            "warehouse); direct identifiers only in raw, staging and the restricted identity "
            "layer; purpose check on the dbt lineage; role-based access with column grants and "
            "row-level security; small-number and complementary suppression before partner "
            "publication; objections applied to the whole linked person; retention schedule "
            "applied in staging; a quality "
            "and privacy gate before anything is published."
        )
        return (
            '<h2 id="ropa">Register of processing (UK GDPR Art 30)</h2>'
            f"<p><b>Controller:</b> {esc(reg.controller.get('name', ''))} · "
            f"<b>Contact:</b> {esc(reg.controller.get('contact', ''))}. "
            f"<b>Security measures (Art 32), all purposes:</b> {esc(measures)}</p>"
            + table_html(
                [
                    "purpose",
                    "lawful basis",
                    "data subjects",
                    "personal data (used)",
                    "datasets used (from lineage)",
                    "recipients",
                    "third-country transfers",
                    "retention",
                    "marts",
                ],
                rows,
                widths=[9, 18, 12, 17, 12, 9, 6, 8, 9],
            )
        )

    def data_we_use(self) -> str:
        """The privacy notice's "Data that we use", generated from the actual lineage."""
        reg = self.register
        used_by: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for m in self.result.marts:
            for d in m.datasets:
                if reg.is_control(d):
                    continue
                used_by[d]["marts"].add(m.mart)
                used_by[d]["purposes"].update(self.resolved(m))
        items = []
        for svc in reg.services.values():
            datasets = [e for e in svc.extracts.values() if e.dataset in used_by]
            if all(e.dataset in reg.controls for e in svc.extracts.values()):
                continue
            if datasets:
                marts = sorted({m for e in datasets for m in used_by[e.dataset]["marts"]})
                purposes = sorted({p for e in datasets for p in used_by[e.dataset]["purposes"]})
                items.append(
                    f"<li><b>{esc(svc.title)}:</b> "
                    + esc(", ".join(e.title for e in datasets))
                    + '<br><span class="muted">for '
                    + esc(", ".join(reg.purposes[p].title for p in purposes))
                    + f" · marts: {esc(', '.join(marts))} · the notice says: "
                    + f"“{esc(svc.notice)}”</span></li>"
                )
            else:
                items.append(
                    f"<li><b>{esc(svc.title)}:</b> <span class=muted>not used by any mart yet "
                    f"(the notice says: “{esc(svc.notice)}”)</span></li>"
                )
        unused = [d for d in used_by if reg.extract(d) is None]
        extra = (
            f'<p class="fail">Reached but not in the catalogue: {esc(", ".join(unused))}</p>'
            if unused
            else ""
        )
        return (
            '<h2 id="data-we-use">Data that we use (generated from the lineage)</h2>'
            "<p>Data from the following services are brought together; each line lists the "
            "extracts the marts actually draw on, and the purposes they serve. We do not use "
            "every dataset for every use case.</p><ul>" + "".join(items) + "</ul>" + extra
        )


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


GATE_REPORT = "The gate's last report"


def build_site(
    manifest: dict,
    register: Register,
    roles: Roles | None,
    out: str | Path,
    gate_result: Path | None = None,
    retention: Path | None = None,
    promises: Path | None = None,
    warehouse: Path | None = None,
    root: Path | None = None,
) -> Path:
    """Write the pack to `out`; returns the path of index.html.

    `promises` defaults to promises.yml beside the register. `root` is where the reports the
    pack links to are found (default: the folder above the register's governance/).
    `warehouse` holds the processing log (default $INSIGHT_HUB_WAREHOUSE, else
    warehouse/insight_hub.duckdb under the root); it is opened read-only."""
    out = Path(out)
    root = Path(root) if root is not None else Path(register.path).resolve().parent.parent
    (out / "marts").mkdir(parents=True, exist_ok=True)
    promises = promises if promises is not None else Path(register.path).with_name(PROMISES_FILE)
    try:
        # tests and code are named relative to the repo that holds the promises file
        prom: Promises | str = load_promises(promises)
    except DeclarationError as exc:
        prom = str(exc) if Path(promises).is_file() else f"No promises declared ({promises})."
    if warehouse is None:
        env = os.environ.get("INSIGHT_HUB_WAREHOUSE")
        warehouse = Path(env) if env else root / "warehouse" / "insight_hub.duckdb"
    gate_dir = Path(gate_result).parent if gate_result else root / "reports" / "gate"
    records = [
        Record(
            GATE_REPORT,
            gate_dir / "summary.html",
            os.path.relpath(gate_dir / "summary.html", root),
            "every mart's suites: quality, privacy and disclosure control.",
            "insight-hub gate",
        ),
        Record(
            "The risk model card",
            root / "reports" / "model_card" / "model_card.html",
            "reports/model_card/model_card.html",
            "the homelessness risk model's ATRS-structured record: data, performance, "
            "fairness, limits.",
            "insight-hub model-card",
        ),
        Record(
            "dbt docs",
            root / "target" / "index.html",
            "target/index.html",
            "every model, column and test, and the lineage graph. Best served: "
            "`dbt docs generate && dbt docs serve` (http://localhost:8080); opened from disk "
            "some browsers refuse to load its manifest.",
            "dbt docs generate",
        ),
    ]
    pack = Pack(
        manifest,
        register,
        roles,
        load_gate(gate_result),
        load_retention(retention),
        out=out,
        promises=prom,
        processing=load_processing_log(warehouse),
        records=records,
    )
    for old in (out / "marts").glob("*.html"):
        if old.stem not in {m.mart for m in pack.result.marts}:
            old.unlink()
    for ml in pack.result.marts:
        _write(out / "marts" / f"{ml.mart}.html", pack.mart_page(ml))
    _write(out / "promises.html", pack.promises_page())
    _write(out / "processing.html", pack.processing_page())
    index = out / "index.html"
    _write(index, pack.index_page())
    return index
