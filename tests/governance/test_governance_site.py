"""The governance pack: built from a manifest, the register and the roles; opened as HTML."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
import yaml
from click.testing import CliRunner
from govfixtures import FIXTURES, REPO

from insight_hub.governance import DeclarationError
from insight_hub.governance.processing_log import DDL
from insight_hub.governance.promises import load_promises
from insight_hub.governance.purposes import load_register
from insight_hub.governance.site import build_site, wrap_label


class Page(HTMLParser):
    """Collects links, ids, svg elements, table rows and text; fails on external resources."""

    def __init__(self, text: str):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.svgs = 0
        self.rects = 0
        self.rows = 0
        self.external: list[str] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("script", "link", "img") or (a.get("src") or "").startswith("http"):
            self.external.append(tag)
        self.svgs += tag == "svg"
        self.rects += tag == "rect"
        self.rows += tag == "tr"

    def handle_data(self, data):
        self.text.append(data)

    @property
    def body(self) -> str:
        return " ".join(self.text)

    @property
    def flat(self) -> str:
        """The text with one space between words, wherever the markup split it."""
        return " ".join(self.body.split())


def build(tmp_path, manifest, register, roles, gate=True, retention=True, **kw):
    gate_path = retention_path = None
    if gate:
        gate_path = tmp_path / "result.json"
        gate_path.write_text(
            json.dumps(
                {
                    "passed": True,
                    "finished_at": "2026-10-01T07:00:00Z",
                    "marts": [
                        {
                            "table": "marts.mart_homelessness_risk",
                            "status": "passed",
                            "rows": 5,
                            "outcomes": [
                                {
                                    "expectation": "expect_column_values_to_not_be_null",
                                    "category": "quality",
                                    "arguments": "household_key",
                                    "success": True,
                                }
                            ],
                        }
                    ],
                }
            )
        )
    if retention:
        retention_path = tmp_path / "retention_schedule.csv"
        retention_path.write_text(
            "service,extract,retention_years,trigger\n"
            "housing,tenancies,6,end of tenancy\neducation,attendance,3,leaving school\n"
        )
    out = tmp_path / "site"
    # never the developer's warehouse: the processing log comes from what a test hands over
    kw.setdefault("warehouse", tmp_path / "no-warehouse.duckdb")
    index = build_site(manifest, register, roles, out, gate_path, retention_path, **kw)
    return out, index


def test_site_from_the_dbt_fixture(tmp_path, dbt_manifest, register, fixture_roles):
    out, index = build(tmp_path, dbt_manifest, register, fixture_roles)
    page = Page(index.read_text())
    assert not page.external  # self-contained: renders offline
    marts = [
        "mart_homelessness_risk",
        "mart_school_attendance",
        "mart_risk_with_attendance",
        "mart_unlabelled",
    ]
    for mart in marts:
        assert f"marts/{mart}.html" in page.links
        mart_page = Page((out / "marts" / f"{mart}.html").read_text())
        assert not mart_page.external
        assert mart_page.svgs >= 2 and mart_page.rects >= 2  # legend + lineage graph
        assert mart in mart_page.body
    assert {"marts", "check", "ropa", "data-we-use", "purposes", "roles"} <= page.ids
    # the purpose check's failures, with their path
    assert (
        "mart_risk_with_attendance <- int_pupils__attendance <- stg_education__attendance "
        "<- source('education', 'attendance')" in page.body
    )
    # "Data that we use", generated from the lineage: the extracts marts actually draw on
    assert "Housing:" in page.body and "Council tenancies, Rent arrears" in page.body
    assert "Adults social care:" in page.body and "not used by any mart yet" in page.body
    # the register of processing: one row per purpose (plus the header)
    ropa = index.read_text().split('id="ropa"')[1].split("</table>")[0]
    assert ropa.count("<tr>") == len(register.purposes) + 1
    assert "Homelessness Reduction Act 2017" in page.body

    risk = (out / "marts" / "mart_homelessness_risk.html").read_text()
    risk_page = Page(risk)
    assert "UK GDPR Art 6(1)(e)" in risk_page.body
    assert "source('housing', 'tenancies')" in risk_page.body  # a node of the lineage graph
    assert "identity__record_map" in risk_page.body  # linked through the key map
    assert "housing_officer" in risk_page.body or "insight_analyst" in risk_page.body
    assert "end of tenancy" in risk_page.body  # the retention schedule row for its extract
    # the gate result: overall, and this mart's suite
    assert "Suite:  passed" in risk_page.body and "expectations: 1" in risk_page.body
    assert "expect_column_values_to_not_be_null" in risk_page.body
    # column classification from the manifest's column meta
    assert "quasi: 1" in risk_page.body

    bad = (out / "marts" / "mart_risk_with_attendance.html").read_text()
    assert "not permitted" in bad and "#b3261e" in bad  # the forbidden path is drawn in red


def test_site_without_optional_inputs(tmp_path, register, manifest_factory):
    models = {
        "stg_housing__tenancies": {"parents": ["housing.tenancies"]},
        "dim_household": {"purpose": "single_view", "parents": ["stg_housing__tenancies"]},
    }
    manifest = manifest_factory(models, ["housing.tenancies"])
    out, index = build(tmp_path, manifest, register, None, gate=False, retention=False)
    page = Page(index.read_text())
    assert "marts/dim_household.html" in page.links
    assert "no gate result found" in page.body
    assert (out / "marts" / "dim_household.html").is_file()


def test_cli_site(tmp_path, dbt_manifest, monkeypatch):
    from insight_hub.cli import main

    monkeypatch.setenv("INSIGHT_HUB_WAREHOUSE", str(tmp_path / "no-warehouse.duckdb"))
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(dbt_manifest))
    out = tmp_path / "pack"
    res = CliRunner().invoke(
        main,
        ["governance", "site", "--out", str(out), "--manifest", str(manifest),
         "--roles", str(FIXTURES / "roles.yml"), "--gate-result", str(tmp_path / "none.json")],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert (out / "index.html").is_file()
    assert len(list((out / "marts").glob("*.html"))) == 4


def test_site_draws_declared_column_lineage(tmp_path, register, manifest_factory):
    models = {
        "stg_housing__rent_arrears": {"parents": ["housing.rent_arrears"]},
        "stg_education__attendance": {"parents": ["education.attendance"]},
        "mart_household_needs": {
            "purpose": "single_view",
            "parents": ["stg_housing__rent_arrears", "stg_education__attendance"],
            "columns": {
                "rent_arrears": {
                    "name": "rent_arrears",
                    "meta": {"datasets": ["housing.rent_arrears"]},
                }
            },
        },
        "mart_homelessness_risk": {
            "purpose": "homelessness_prevention",
            "parents": ["mart_household_needs"],
            "meta": {"reads_columns": {"mart_household_needs": ["rent_arrears"]}},
        },
    }
    manifest = manifest_factory(models, ["housing.rent_arrears", "education.attendance"])
    out, index = build(tmp_path, manifest, register, None, gate=False, retention=False)
    page = (out / "marts" / "mart_homelessness_risk.html").read_text()
    assert "stroke-dasharray" in page  # the declared edge
    assert "reads only these columns" in Page(page).body
    assert "education" not in Page(page).body.split("Lineage back")[1].split("Personal data")[0]


# -- the promises page -------------------------------------------------------------------------
def resolves(page_file: Path, link: str) -> Path:
    return (page_file.parent / unquote(link)).resolve()


def test_every_declared_test_and_code_path_exists():
    promises = load_promises(REPO / "governance" / "promises.yml")
    assert promises.missing() == []
    # the privacy notice's promises (shared/DESIGN.md, "The privacy notice is the specification")
    assert {
        "single_view",
        "pseudonymised_analytics",
        "roles",
        "purpose_limitation",
        "protected_characteristics",
        "right_to_object",
        "retention",
        "anonymised_outputs",
    } <= {p.key for p in promises.promises}
    for p in promises.promises:
        assert p.tests and all(t.path.startswith("tests/") for t in p.tests), p.key


def test_promises_page_lists_every_promise_and_links_tests_that_exist(
    tmp_path, register, manifest_factory
):
    manifest = manifest_factory(
        {"dim_household": {"purpose": "single_view", "parents": ["housing.tenancies"]}},
        ["housing.tenancies"],
    )
    out, index = build(tmp_path, manifest, register, None, gate=False, retention=False)
    assert "promises.html" in Page(index.read_text()).links
    promises = load_promises(REPO / "governance" / "promises.yml")
    html_file = out / "promises.html"
    page = Page(html_file.read_text())
    assert not page.external
    for p in promises.promises:
        assert f"promise-{p.key}" in page.ids
        assert p.promise in page.body and p.notice in page.body
    linked = {
        resolves(html_file, link) for link in page.links if "tests/" in unquote(link)
    }  # fmt: skip
    declared = {(REPO / t.path).resolve() for p in promises.promises for t in p.tests}
    assert linked == declared
    assert all(f.is_file() for f in linked)
    assert 'class="fail"' not in html_file.read_text()  # nothing stale


def test_a_stale_test_reference_is_shown_and_counted(tmp_path, register, manifest_factory):
    repo = tmp_path / "repo"
    (repo / "governance").mkdir(parents=True)
    (repo / "tests").mkdir()
    (repo / "tests" / "test_real.py").write_text(
        '"""Real tests."""\n\n\ndef test_here():\n    """It is here."""\n'
    )
    promises = repo / "governance" / "promises.yml"
    promises.write_text(
        yaml.safe_dump(
            {
                "notices": {"n": "The notice"},
                "promises": [
                    {
                        "key": "k",
                        "promise": "A promise",
                        "source": "n",
                        "notice": "We promise.",
                        "mechanism": "A check.",
                        "code": ["nowhere.py"],
                        "tests": [
                            "tests/test_real.py::test_here",
                            "tests/test_real.py::test_gone",
                            "tests/test_deleted.py",
                        ],
                    }
                ],
            }
        )
    )
    loaded = load_promises(promises)
    assert loaded.missing() == [
        "k: test tests/test_real.py::test_gone",
        "k: test tests/test_deleted.py",
        "k: code nowhere.py",
    ]
    assert loaded.promises[0].tests[0].doc == "It is here."
    manifest = manifest_factory(
        {"dim_household": {"purpose": "single_view", "parents": ["housing.tenancies"]}},
        ["housing.tenancies"],
    )
    out, index = build(tmp_path, manifest, register, None, False, False, promises=promises)
    body = Page((out / "promises.html").read_text()).body
    assert "missing: tests/test_real.py::test_gone" in body
    assert "missing: tests/test_deleted.py" in body
    assert "It is here." in body
    assert "(3 missing)" in Page(index.read_text()).body

    promises.write_text("promises:\n  - key: k\n    source: elsewhere\n")
    with pytest.raises(DeclarationError, match="mechanism is required"):
        load_promises(promises)


# -- third-country transfers -------------------------------------------------------------------
def ropa_rows(index: Path) -> dict[str, str]:
    ropa = index.read_text().split('id="ropa"')[1].split("</table>")[0]
    rows = ropa.split("<tr>")[2:]
    return {re.search(r'href="#purpose-([a-z_]+)"', r).group(1): r for r in rows}


def test_transfers_come_from_the_register(tmp_path, manifest_factory):
    raw = yaml.safe_load((REPO / "governance" / "purposes.yml").read_text())
    manifest = manifest_factory(
        {"dim_household": {"purpose": "single_view", "parents": ["housing.tenancies"]}},
        ["housing.tenancies"],
    )

    def pack(name: str, raw: dict) -> dict[str, str]:
        path = tmp_path / name / "governance" / "purposes.yml"
        path.parent.mkdir(parents=True)
        path.write_text(yaml.safe_dump(raw, sort_keys=False))
        register = load_register(path)
        _, index = build(tmp_path / name, manifest, register, None, False, False)
        return ropa_rows(index)

    # as committed: none for every purpose
    rows = pack("committed", raw)
    assert len(rows) == len(raw["purposes"])
    assert all("<td>None</td>" in r for r in rows.values())

    # a purpose's own transfers
    supplier = {"recipient": "Model hosting", "country": "United States", "safeguard": "IDTA"}
    raw["purposes"]["homelessness_prevention"]["transfers"] = [supplier]
    rows = pack("purpose", raw)
    assert "United States" in rows["homelessness_prevention"]
    assert "IDTA" in rows["homelessness_prevention"]
    assert "<td>None</td>" in rows["single_view"]

    # the controller's default, which a purpose may set to none
    raw["controller"]["transfers"] = [{"recipient": "Backups", "country": "Ireland"}]
    raw["purposes"]["homelessness_prevention"]["transfers"] = []
    rows = pack("controller", raw)
    assert "Ireland" in rows["single_view"] and "Ireland" in rows["partner_reporting"]
    assert "<td>None</td>" in rows["homelessness_prevention"]

    raw["controller"]["transfers"] = [{"recipient": "somewhere"}]
    with pytest.raises(DeclarationError, match="needs at least a country"):
        pack("malformed", raw)


# -- links to the reports and the processing log -----------------------------------------------
def processing_log(path: Path) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(DDL)
        rows = [
            ("old", "2026-09-01 06:00:00", "housing", "tenancies", "a" * 64, 10, 9),
            ("new", "2026-10-01 06:00:00", "housing", "tenancies", "b" * 64, 12, 11),
            ("new", "2026-10-01 06:00:00", "education", "attendance", "c" * 64, 30, 29),
        ]
        for build_id, at, service, extract, sha, raw, staged in rows:
            con.execute(
                "insert into audit.processing_log values "
                "(?, ?, date '2026-09-30', ?, ?, ?, 100, ?, ?, 1, 0, ['single_view'], "
                "['dim_household'], true)",
                [build_id, at, service, extract, sha, raw, staged],
            )
    return path


def test_links_to_the_reports_and_the_processing_log(tmp_path, register, manifest_factory):
    root = tmp_path / "repo"
    (root / "reports" / "gate").mkdir(parents=True)
    (root / "reports" / "gate" / "summary.html").write_text("<p>gate</p>")
    (root / "reports" / "model_card").mkdir()
    (root / "reports" / "model_card" / "model_card.html").write_text("<p>card</p>")
    manifest = manifest_factory(
        {"dim_household": {"purpose": "single_view", "parents": ["housing.tenancies"]}},
        ["housing.tenancies"],
    )
    warehouse = processing_log(tmp_path / "wh.duckdb")
    out, index = build(
        tmp_path, manifest, register, None, False, False, root=root, warehouse=warehouse
    )
    page = Page(index.read_text())
    targets = {resolves(index, link) for link in page.links}
    assert (root / "reports" / "gate" / "summary.html").resolve() in targets
    assert (root / "reports" / "model_card" / "model_card.html").resolve() in targets
    assert not any(link.startswith(("/", "file:", "http")) for link in page.links)  # relative
    assert "not found at target/index.html" in page.flat  # dbt docs, with how to make them
    assert "dbt docs serve" in page.flat
    assert "processing.html" in page.links
    assert "processed 2 extracts" in page.flat and "2 build(s)" in page.flat
    mart = out / "marts" / "dim_household.html"
    assert (root / "reports" / "gate" / "summary.html").resolve() in {
        resolves(mart, link) for link in Page(mart.read_text()).links
    }  # from a mart page too, one folder down

    log = Page((out / "processing.html").read_text()).flat
    assert "b" * 64 in log and "c" * 64 in log and "a" * 64 not in log  # the latest build only
    assert "2026-10-01 06:00:00" in log and "29" in log

    # absent: said so, with the command that writes each
    shutil.rmtree(root / "reports")
    out, index = build(tmp_path / "bare", manifest, register, None, False, False, root=root)
    body = Page(index.read_text()).flat
    assert "not found at reports/gate/summary.html" in body and "insight-hub gate" in body
    assert "not found at reports/model_card/model_card.html" in body
    assert "insight-hub model-card" in body
    assert "no warehouse found" in Page((out / "processing.html").read_text()).flat


# -- layout -------------------------------------------------------------------------------------
def test_lineage_labels_are_whole_and_the_graph_scales(tmp_path, register, manifest_factory):
    models = {
        "stg_revenues_benefits__council_tax_arrears": {
            "parents": ["revenues_benefits.council_tax_arrears"]
        },
        "int_household_signals__monthly_with_a_very_long_name_indeed": {
            "parents": ["stg_revenues_benefits__council_tax_arrears"]
        },
        "mart_homelessness_risk": {
            "purpose": "homelessness_prevention",
            "parents": ["int_household_signals__monthly_with_a_very_long_name_indeed"],
        },
    }
    manifest = manifest_factory(models, ["revenues_benefits.council_tax_arrears"])
    out, _ = build(tmp_path, manifest, register, None, gate=False, retention=False)
    html_text = (out / "marts" / "mart_homelessness_risk.html").read_text()
    svg = html_text.split('<div class="graph">')[1].split("</svg>")[0]
    assert "…" not in svg
    assert 'width="100%"' in svg and "viewBox=" in svg  # scales to its box, and to print
    for label in [
        "source('revenues_benefits', 'council_tax_arrears')",
        "int_household_signals__monthly_with_a_very_long_name_indeed",
    ]:
        group = next(g for g in svg.split("<g>") if f"<title>{label} (" in g.replace("&#x27;", "'"))
        shown = "".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", group)).replace("&#x27;", "'")
        assert shown.replace(" ", "") == label.replace(" ", "")
        assert group.count("<tspan") >= 2  # wrapped, not cut


def test_wrap_label_keeps_every_character():
    for text in [
        "source('revenues_benefits', 'council_tax_arrears')",
        "shared_temporary_accommodation_by_ward_quarter",
        "x" * 75,
        "short",
    ]:
        lines = wrap_label(text, 30)
        assert all(len(line) <= 30 for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
