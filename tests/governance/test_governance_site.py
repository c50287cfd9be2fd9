"""The governance pack: built from a manifest, the register and the roles; opened as HTML."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from click.testing import CliRunner
from govfixtures import FIXTURES

from insight_hub.governance.site import build_site


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


def build(tmp_path, manifest, register, roles, gate=True, retention=True):
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
    index = build_site(manifest, register, roles, out, gate_path, retention_path)
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
