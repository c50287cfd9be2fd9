"""The purpose check on dbt lineage: a mart that reaches a dataset its purpose may not use
fails, naming the path; an allowed one passes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from insight_hub.governance import DeclarationError
from insight_hub.governance.purpose_check import check
from insight_hub.governance.purposes import parse_register

SOURCES = [
    "housing.tenancies",
    "housing.rent_arrears",
    "education.attendance",
    "revenues_benefits.council_tax_arrears",
    "governance.objections",
]


def base_models() -> dict:
    return {
        "stg_housing__tenancies": {"parents": ["housing.tenancies"]},
        "stg_housing__rent_arrears": {"parents": ["housing.rent_arrears"]},
        "stg_education__attendance": {"parents": ["education.attendance"]},
        "stg_revenues_benefits__council_tax_arrears": {
            "parents": ["revenues_benefits.council_tax_arrears"]
        },
        "stg_governance__objections": {"parents": ["governance.objections"]},
        "int_households__arrears": {
            "parents": ["stg_housing__rent_arrears", "stg_revenues_benefits__council_tax_arrears"]
        },
        "int_pupils__attendance": {"parents": ["stg_education__attendance"]},
        "int_persons__objections": {"parents": ["stg_governance__objections"]},
    }


def test_allowed_lineage_passes(register, manifest_factory):
    models = base_models()
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["int_households__arrears", "stg_housing__tenancies", "ward_lookup"],
    }
    result = check(manifest_factory(models, SOURCES, seeds=["ward_lookup"]), register)
    assert result.ok, [f.message for f in result.findings]
    (mart,) = result.marts
    assert set(mart.datasets) == {
        "housing.tenancies",
        "housing.rent_arrears",
        "revenues_benefits.council_tax_arrears",
    }
    assert mart.seeds == ["ward_lookup"]


def test_forbidden_ref_fails_naming_the_path(register, manifest_factory):
    models = base_models()
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["int_households__arrears", "int_pupils__attendance"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert not result.ok
    (finding,) = result.findings
    assert finding.kind == "forbidden_dataset"
    assert finding.mart == "mart_homelessness_risk"
    assert finding.dataset == "education.attendance"
    assert finding.purpose == "homelessness_prevention"
    assert finding.path == [
        "mart_homelessness_risk",
        "int_pupils__attendance",
        "stg_education__attendance",
        "source('education', 'attendance')",
    ]
    assert (
        "mart_homelessness_risk <- int_pupils__attendance <- stg_education__attendance "
        "<- source('education', 'attendance')" in finding.message
    )


def test_path_through_another_mart_is_followed(register, manifest_factory):
    models = base_models()
    models["mart_school_attendance"] = {
        "purpose": "school_attendance_support",
        "parents": ["int_pupils__attendance"],
    }
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["int_households__arrears", "mart_school_attendance"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert [(f.mart, f.dataset) for f in result.findings] == [
        ("mart_homelessness_risk", "education.attendance")
    ]
    assert result.findings[0].path[:2] == ["mart_homelessness_risk", "mart_school_attendance"]


def test_missing_and_unknown_purpose_fail(register, manifest_factory):
    models = base_models()
    models["dim_household"] = {"parents": ["stg_housing__tenancies"]}
    models["fct_thing"] = {"purpose": "curiosity", "parents": ["stg_housing__tenancies"]}
    result = check(manifest_factory(models, SOURCES), register)
    kinds = {(f.mart, f.kind) for f in result.findings}
    assert kinds == {("dim_household", "missing_purpose"), ("fct_thing", "unknown_purpose")}


def test_mart_detected_by_schema_as_well_as_prefix(register, manifest_factory):
    models = base_models()
    models["partner_approaches_by_ward"] = {
        "schema": "shared",
        "parents": ["int_pupils__attendance"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert [f.kind for f in result.findings] == ["missing_purpose"]


def test_several_purposes_must_each_permit_every_dataset(register, manifest_factory):
    models = base_models()
    models["dim_resident"] = {
        "purpose": ["single_view", "homelessness_prevention"],
        "parents": ["stg_housing__tenancies", "int_pupils__attendance"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert [(f.purpose, f.dataset) for f in result.findings] == [
        ("homelessness_prevention", "education.attendance")
    ]
    # single_view alone (here by its alias) may use both
    models["dim_resident"]["purpose"] = "service_insight"
    assert check(manifest_factory(models, SOURCES), register).ok


def test_controls_are_allowed_for_every_purpose(register, manifest_factory):
    models = base_models()
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["stg_housing__tenancies", "int_persons__objections"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert result.ok
    assert "governance.objections" in result.marts[0].datasets


def test_control_model_counts_as_its_control_dataset(register, manifest_factory):
    # objections staging reads other services' records to resolve a cited record: marked as the
    # control it stages, the walk counts governance.objections and goes no further
    models = base_models()
    models["stg_governance__objections"] = {
        "meta": {"control": "governance.objections"},
        "parents": ["governance.objections", "stg_education__attendance"],
    }
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["stg_housing__tenancies", "int_persons__objections"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert result.ok, [f.message for f in result.findings]
    assert "governance.objections" in result.marts[0].datasets
    assert "education.attendance" not in result.marts[0].datasets
    # without the mark the walk goes on into education, which the purpose may not use
    models["stg_governance__objections"]["meta"] = {}
    result = check(manifest_factory(models, SOURCES), register)
    assert [f.dataset for f in result.findings] == ["education.attendance"]
    # a mark naming a dataset the register does not list as a control is itself a finding
    models["stg_governance__objections"]["meta"] = {"control": "housing.tenancies"}
    result = check(manifest_factory(models, SOURCES), register)
    assert not result.ok
    assert any("does not list under lineage.controls" in f.message for f in result.findings)


def test_walk_stops_at_key_maps(register, manifest_factory):
    models = base_models()
    models["identity__record_map"] = {
        "schema": "identity",
        "meta": {"key_map": True},
        "parents": ["stg_housing__tenancies", "stg_education__attendance"],
    }
    models["int_households__tenancies"] = {
        "parents": ["stg_housing__tenancies", "identity__record_map"]
    }
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["int_households__tenancies"],
    }
    result = check(manifest_factory(models, SOURCES), register)
    assert result.ok, [f.message for f in result.findings]
    assert result.marts[0].key_maps == ["identity__record_map"]
    # without the key-map mark, the walk reaches education through the identity layer
    models["identity__record_map"]["meta"] = {}
    result = check(manifest_factory(models, SOURCES), register)
    assert [f.dataset for f in result.findings] == ["education.attendance"]
    assert "identity__record_map" in result.findings[0].message


def test_unknown_source_fails(register, manifest_factory):
    models = {"stg_x": {"parents": ["crm.contacts"]}}
    models["mart_x"] = {"purpose": "single_view", "parents": ["stg_x"]}
    result = check(manifest_factory(models, ["crm.contacts"]), register)
    assert [f.kind for f in result.findings] == ["unknown_dataset"]
    assert "crm.contacts" in result.findings[0].message


def test_role_must_share_a_purpose_with_the_mart(register, fixture_roles, manifest_factory):
    models = base_models()
    models["dim_resident"] = {"purpose": "single_view", "parents": ["stg_housing__tenancies"]}
    models["fct_service_involvement"] = {
        "purpose": "school_attendance_support",
        "parents": ["stg_housing__tenancies"],
    }
    result = check(manifest_factory(models, SOURCES), register, fixture_roles)
    messages = [f.message for f in result.findings if f.kind == "role"]
    # adult_social_worker (adult_social_care_planning) may not read a school-attendance mart
    assert any("adult_social_worker" in m and "fct_service_involvement" in m for m in messages)
    assert any("housing_officer" in m and "fct_service_involvement" in m for m in messages)
    assert not any("dim_resident" in m and "housing_officer" in m for m in messages)


def test_dbt_parsed_fixture_project(dbt_manifest, register):
    """The same check on a manifest that dbt (dbt-duckdb) really parsed."""
    result = check(dbt_manifest, register)
    by_mart = {m.mart: m for m in result.marts}
    assert set(by_mart) == {
        "mart_homelessness_risk",
        "mart_school_attendance",
        "mart_risk_with_attendance",
        "mart_unlabelled",
    }
    problems = {(f.mart, f.kind, f.dataset) for f in result.findings}
    assert problems == {
        ("mart_risk_with_attendance", "forbidden_dataset", "education.attendance"),
        ("mart_unlabelled", "missing_purpose", None),
    }
    (bad,) = [f for f in result.findings if f.kind == "forbidden_dataset"]
    assert bad.path == [
        "mart_risk_with_attendance",
        "int_pupils__attendance",
        "stg_education__attendance",
        "source('education', 'attendance')",
    ]
    ok = by_mart["mart_homelessness_risk"]
    assert set(ok.datasets) == {
        "housing.tenancies",
        "housing.rent_arrears",
        "governance.objections",
    }
    assert ok.key_maps == ["identity__record_map"]
    assert ok.seeds == ["ward_lookup"]


def test_cli_check_purposes(tmp_path, register, manifest_factory):
    from insight_hub.cli import main

    models = base_models()
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["int_households__arrears"],
    }
    good = tmp_path / "good.json"
    good.write_text(json.dumps(manifest_factory(models, SOURCES)))
    runner = CliRunner()
    args = ["governance", "check-purposes", "--no-roles", "--manifest"]
    res = runner.invoke(main, [*args, str(good)])
    assert res.exit_code == 0, res.output
    assert "purpose check passed" in res.output

    models["mart_homelessness_risk"]["parents"].append("int_pupils__attendance")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(manifest_factory(models, SOURCES)))
    res = runner.invoke(main, [*args, str(bad)])
    assert res.exit_code == 1
    assert "FAIL mart_homelessness_risk: purpose homelessness_prevention may not use " in res.output
    assert "<- source('education', 'attendance')" in res.output

    res = runner.invoke(main, [*args, str(bad), "--json"])
    assert res.exit_code == 1
    assert json.loads(res.stdout)["findings"][0]["dataset"] == "education.attendance"

    res = runner.invoke(main, [*args, str(tmp_path / "missing.json")])
    assert res.exit_code == 1 and "dbt parse" in res.output


# -- the register itself ----------------------------------------------------------------------
def test_register_declares_the_use_cases(register):
    assert {
        "homelessness_prevention",
        "early_help_for_families",
        "school_attendance_support",
        "adult_social_care_planning",
        "demand_planning",
        "partner_reporting",
        "single_view",
    } <= set(register.purposes)
    assert register.resolve("service_insight") == "single_view"
    assert len(register.all_datasets()) == 22


def test_not_every_dataset_for_every_use_case(register):
    service_data = set(register.all_datasets()) - set(register.controls)
    narrow = [k for k in register.purposes if k != "single_view"]
    for key in narrow:
        assert register.permitted(key) & service_data < service_data, key
    # the predictive purpose keeps away from social care and education
    hp = register.permitted("homelessness_prevention")
    assert not any(d.startswith(("childrens_social_care", "education")) for d in hp)


def test_register_requires_article_9_condition_for_special_category(register):
    import yaml

    raw = yaml.safe_load(register.path.read_text())
    del raw["purposes"]["adult_social_care_planning"]["legal_basis"]["article_9"]
    with pytest.raises(DeclarationError, match="adult_social_care_planning.*article_9"):
        parse_register(raw, register.path)


def test_register_rejects_unknown_datasets(register):
    import yaml

    raw = yaml.safe_load(register.path.read_text())
    raw["purposes"]["demand_planning"]["datasets"].append("housing.waiting_list")
    with pytest.raises(DeclarationError, match="housing.waiting_list"):
        parse_register(raw, register.path)


# -- declared column lineage (reads_columns) --------------------------------------------------
def needs_models(reads: dict | None, column_datasets: dict) -> dict:
    """mart_household_needs draws on housing and education; the risk mart reads some columns."""
    models = base_models()
    models["mart_household_needs"] = {
        "purpose": "single_view",
        "parents": ["int_households__arrears", "int_pupils__attendance"],
        "columns": {
            name: {"name": name, "meta": {} if ds is None else {"datasets": ds}}
            for name, ds in column_datasets.items()
        },
    }
    models["mart_homelessness_risk"] = {
        "purpose": "homelessness_prevention",
        "parents": ["mart_household_needs"],
        "meta": {"reads_columns": reads} if reads else {},
    }
    return models


COLUMNS = {
    "household_key": ["identity"],
    "rent_arrears": ["housing.rent_arrears"],
    "ct_arrears": ["revenues_benefits.council_tax_arrears"],
    "pupils_low_attendance": ["education.attendance"],
    "undocumented": None,
}


def test_reads_columns_limits_the_walk_to_the_declared_column_lineage(register, manifest_factory):
    # without a declaration, the risk mart reaches education through the needs mart
    result = check(manifest_factory(needs_models(None, COLUMNS), SOURCES), register)
    assert [(f.mart, f.dataset) for f in result.findings] == [
        ("mart_homelessness_risk", "education.attendance")
    ]
    reads = {"mart_household_needs": ["household_key", "rent_arrears", "ct_arrears"]}
    result = check(manifest_factory(needs_models(reads, COLUMNS), SOURCES), register)
    assert result.ok, [f.message for f in result.findings]
    risk = next(m for m in result.marts if m.mart == "mart_homelessness_risk")
    assert set(risk.datasets) == {"housing.rent_arrears", "revenues_benefits.council_tax_arrears"}
    assert risk.datasets["housing.rent_arrears"] == [
        "mart_homelessness_risk",
        "mart_household_needs.rent_arrears",
        "source('housing', 'rent_arrears')",
    ]
    assert ("source.p.housing.rent_arrears", "model.p.mart_household_needs") in risk.declared_edges


def test_reads_columns_still_catches_a_forbidden_column(register, manifest_factory):
    reads = {"mart_household_needs": ["rent_arrears", "pupils_low_attendance"]}
    result = check(manifest_factory(needs_models(reads, COLUMNS), SOURCES), register)
    (finding,) = result.findings
    assert finding.dataset == "education.attendance"
    assert "mart_household_needs.pupils_low_attendance <- source('education', 'attendance')" in (
        finding.message
    )


def test_reads_columns_must_be_documented_and_true(register, manifest_factory):
    reads = {"mart_household_needs": ["undocumented", "missing_column"]}
    columns = {**COLUMNS, "rent_arrears": ["homelessness.approaches"]}  # not reachable: a lie
    reads["mart_household_needs"].append("rent_arrears")
    result = check(manifest_factory(needs_models(reads, columns), SOURCES), register)
    messages = [f.message for f in result.findings if f.kind == "column_lineage"]
    assert len(messages) == 3
    assert any("undocumented, which declares no column lineage" in m for m in messages)
    assert any(
        "missing_column, which mart_household_needs's YAML does not document" in m for m in messages
    )
    assert any(
        "homelessness.approaches, which mart_household_needs does not reach" in m for m in messages
    )


@pytest.mark.slow
def test_the_project_as_it_is_passes(tmp_path):
    """The real project, parsed by dbt: every mart within its purpose, every role's marts
    within the role's purposes (the same check `insight-hub build` runs before the gate)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from insight_hub.governance.purposes import load_register
    from insight_hub.governance.roles import load_roles

    root = Path(__file__).resolve().parents[2]
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, "DO_NOT_TRACK": "1", "INSIGHT_HUB_KEY": "parse-only-test-key"}
    proc = subprocess.run(
        [str(dbt), "parse", "--quiet", "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        cwd=root, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    manifest = json.loads((tmp_path / "target" / "manifest.json").read_text())
    register = load_register(root / "governance" / "purposes.yml")
    roles = load_roles(root / "governance" / "roles.yml", register)
    result = check(manifest, register, roles)
    assert result.ok, [f.message for f in result.findings]
    assert len(result.marts) >= 17
