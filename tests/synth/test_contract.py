"""Every file in docs/extracts.md exists with exactly its columns and formats."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from insight_hub.synth.generator import EXTRACTS, TRUTH_FILES

from .conftest import ROOT, contract, read

CONTRACT = contract()
RAW = [(s, f) for (s, f) in CONTRACT if s != "truth"]


def test_contract_parsed():
    assert len(RAW) == sum(len(v) for v in EXTRACTS.values()) == 22
    assert {f for (s, f) in CONTRACT if s == "truth"} <= set(TRUTH_FILES)


@pytest.mark.parametrize(("service", "file"), RAW)
def test_raw_columns(borough, service, file):
    path = borough / "raw" / service / f"{file}.csv"
    assert path.exists(), path
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == CONTRACT[(service, file)]


@pytest.mark.parametrize("file", [f for (s, f) in CONTRACT if s == "truth"])
def test_truth_columns(borough, file):
    header = (borough / "truth" / f"{file}.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == CONTRACT[("truth", file)]


def test_every_extract_has_rows(borough):
    for service, file in RAW:
        assert len(read(borough, f"raw/{service}/{file}.csv")) > 0, file


UK = r"\d{2}/\d{2}/\d{4}"
ISO = r"\d{4}-\d{2}-\d{2}"
ISO_T = ISO + r" 00:00:00"
ABBR = r"\d{2}-(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{4}"
FORMATS = {
    ("revenues_benefits", "council_tax_accounts"): {
        "AccountRef": r"CT\d{8}",
        "Title": r"Mr|Mrs|Ms|Miss|Dr|Mx",
        "LiableParty": r"[^,]+, .+",
        "DOB": UK,
        "NINO": r"[A-Z]{2}\d{6}[A-Z]",
        "UPRN": r"\d{12}",
        "Band": r"[A-H]",
        "SPD": r"[YN]",
        "SPDStart": UK,
        "OccupierType": r"Owner occupier|Private tenant|Social tenant",
        "AccountStart": UK,
        "AccountEnd": UK,
    },
    ("revenues_benefits", "council_tax_arrears"): {
        "Period": r"\d{4}-\d{2}",
        "ArrearsBalance": r"\d+\.\d{2}",
        "RecoveryStage": r"Reminder|Final|Summons|Liability Order|Enforcement",
    },
    ("revenues_benefits", "benefit_claims"): {
        "claim_id": r"HB\d{7}",
        "claimant_dob": ISO,
        "claimant_nino": r"[A-Z]{2} ?\d\d ?\d\d ?\d\d ?[A-Z]",
        "claim_type": r"HB|CTS|HB\+CTS",
        "start_date": ISO,
        "end_date": ISO,
        "weekly_award": r"\d+\.\d{2}",
        "last_change_type": r"income increase|income decrease|award reduced|suspended|new claim",
    },
    ("revenues_benefits", "free_school_meals"): {
        "fsm_ref": r"FSM\d{6}",
        "child_dob": UK,
        "parent_claim_id": r"HB\d{7}",
        "school_urn": r"\d{6}",
        "eligible_from": UK,
        "eligible_to": UK,
    },
    ("revenues_benefits", "debts"): {
        "debt_ref": r"DR\d{7}",
        "debt_type": r"HB overpayment|Sundry|Council tax",
        "raised_date": UK,
        "cleared_date": UK,
        "amount": r"\d+\.\d{2}",
    },
    ("housing", "tenancies"): {
        "TenancyRef": r"T\d{6}",
        "UPRN": r"\d{12}",
        "TenantDOB": ISO_T,
        "TenureType": r"Secure|Introductory|Flexible",
        "StartDate": ISO_T,
        "EndDate": ISO_T,
        "EndReason": r"Moved|Evicted|Abandoned|Deceased|Transfer",
    },
    ("housing", "rent_arrears"): {"Month": r"[A-Z][a-z]{2}-\d{4}", "ArrearsBalance": r"\d+\.\d{2}"},
    ("housing", "tenancy_notices"): {
        "NoticeID": r"N\d{7}",
        "NoticeType": r"NOSP|NTQ|Possession Order|Eviction Warrant",
        "ServedDate": ISO_T,
    },
    ("housing", "temporary_accommodation"): {
        "PlacementRef": r"TA\d{6}",
        "HeadOfHousehold": r".+ [^a-z]+",
        "HoHDOB": ISO_T,
        "HouseholdSize": r"\d+",
        "PlacementStart": ISO_T,
        "PlacementEnd": ISO_T,
        "AccommodationType": r"B&B|Hostel|Nightly let|PSL|Council stock",
    },
    ("housing", "money_hub_contacts"): {
        "ContactID": r"HM\d{7}",
        "DOB": UK,
        "ContactDate": UK,
        "Topic": r"Debt|Benefits|Rent|Budgeting|Employment|Landlord notice|Relationship breakdown",
        "Phone": r"[0-9+() ]{11,16}",
    },
    ("homelessness", "register_applications"): {
        "app_no": r"HR\d{6}",
        "dob": UK,
        "band": r"Emergency|A|B|C|D",
        "household_members": r"\d+",
        "application_date": UK,
        "status_date": UK,
        "status": r"Active|Suspended|Housed|Cancelled",
    },
    ("homelessness", "approaches"): {
        "case_ref": r"HC\d{6}",
        "dob": UK,
        "sex": r"[MFX]",
        "approach_date": UK,
        "duty_start": UK,
        "duty_end": UK,
        "reason": r"End of AST|Family no longer willing|Rent arrears|Domestic abuse"
        r"|Relationship breakdown"
        r"|Mortgage arrears|Other",
        "duty": r"Prevention|Relief|Main|No duty",
        "outcome": r"Secured accommodation|Homeless|Contact lost|Withdrew|Ongoing",
    },
    ("homelessness", "spoa_referrals"): {
        "referral_id": r"SP\d{6}",
        "dob": UK,
        "referral_date": UK,
        "referrer": r"Probation|Hospital|Police|Self|Voluntary sector",
        "need": r"Housing|Mental health|Substance misuse|Domestic abuse",
    },
    ("childrens_social_care", "early_help_episodes"): {
        "episode_id": r"EH\d{6}",
        "person_id": r"LC\d{7}",
        "dob": ISO,
        "sex": r"[MFU]",
        "ethnicity": r"[A-Z]{4}",
        "nhs_number": r"\d{10}",
        "episode_start": ISO,
        "episode_end": ISO,
    },
    ("childrens_social_care", "mash_contacts"): {
        "contact_id": r"MC\d{7}",
        "person_id": r"LC\d{7}",
        "contact_date": ISO,
        "source": r"Police|School|Health|Self|Other LA",
        "outcome": r"NFA|Early help|Social care|Strategy",
    },
    ("childrens_social_care", "youth_offending"): {
        "yos_id": r"YO\d{6}",
        "person_id": r"LC\d{7}",
        "offence_date": ISO,
        "outcome": r"Caution|Youth conditional caution|Referral order|YRO",
    },
    ("childrens_social_care", "cin_episodes"): {
        "cin_id": r"CN\d{6}",
        "person_id": r"LC\d{7}",
        "cin_start": ISO,
        "cin_end": ISO,
        "primary_need": r"N[1-9]",
    },
    ("adults_social_care", "involvements"): {
        "InvolvementID": r"AI\d{7}",
        "PersonID": r"M\d{7}",
        "NHSNo": r"\d{3} \d{3} \d{4}",
        "FullName": r"[^,]+, .+",
        "DateOfBirth": ABBR,
        "Gender": r"Male|Female|Other",
        "Disability": r"[YN]",
        "StartDate": ABBR,
        "EndDate": ABBR,
        "ServiceType": r"Home care|Residential care|Day opportunities|Direct payment|Reablement"
        r"|Carer support",
    },
    ("education", "school_census"): {
        "UPN": r"[A-Z]\d{12}",
        "DOB": ISO,
        "Sex": r"[MF]",
        "Ethnicity": r"[A-Z]{4}",
        "SENProvision": r"[NKE]",
        "FSMEligible": r"true|false",
        "URN": r"\d{6}",
        "CensusTerm": r"\d{4} (Autumn|Spring|Summer)",
    },
    ("education", "attendance"): {
        "UPN": r"[A-Z]\d{12}",
        "Term": r"\d{4} (Autumn|Spring|Summer)",
        "SessionsPossible": r"\d+",
        "AbsenceCode": r"[IMRSTCEGNOU]",
        "Sessions": r"\d+",
    },
    ("education", "exclusions"): {
        "UPN": r"[A-Z]\d{12}",
        "URN": r"\d{6}",
        "StartDate": ISO,
        "Category": r"SUSP|PERM",
        "Reason": r"[A-Z]{2}",
        "Sessions": r"\d+",
    },
    ("governance", "objections"): {
        "objection_id": r"OB\d{5}",
        "received_date": ISO,
        "service": r"revenues_benefits|housing|homelessness|childrens_social_care"
        r"|adults_social_care|education",
        "processing": r"predictive_analytics|all_analytics",
    },
}
POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"


@pytest.mark.parametrize(("service", "file"), list(FORMATS))
def test_formats(borough, service, file):
    """Values match their documented format, except in the rows the truth lists as malformed."""
    df = read(borough, f"raw/{service}/{file}.csv")
    mal = read(borough, "truth/malformed.csv")
    mal = mal[mal.source_file == file]
    for col, pattern in FORMATS[(service, file)].items():
        bad_rows = set(mal[mal.column == col].row_number.astype(int) - 1)
        values = df[col].dropna()
        values = values[~values.index.isin(bad_rows)]
        ok = values.str.fullmatch(pattern)
        assert ok.all(), f"{file}.{col}: {values[~ok].head(5).tolist()}"
    for col in [c for c in df.columns if "postcode" in c.lower()]:
        values = df[col].dropna().str.upper()
        assert values.str.fullmatch(POSTCODE).mean() > 0.99, col


def test_malformed_rows_are_real(borough):
    mal = read(borough, "truth/malformed.csv")
    assert len(mal) > 0
    for (service, file), g in mal.groupby(["service", "source_file"]):
        df = read(borough, f"raw/{service}/{file}.csv")
        for _, m in g.iterrows():
            assert df.at[int(m.row_number) - 1, m.column] == m.value
        assert set(g.kind) <= {"unparseable_date", "unknown_code"}


# code columns checked against the code lists staging validates them with (seeds/)
CODE_SEEDS = {
    ("attendance", "AbsenceCode"): "dfe_attendance_codes.csv",
    ("exclusions", "Reason"): "dfe_exclusion_reasons.csv",
    ("council_tax_accounts", "Band"): "council_tax_bands.csv",
}


def test_unknown_codes_are_not_real_codes(borough):
    """An injected unknown code must be outside the real code list (a real code, such as the
    DfE attendance code Q, would be staged instead of rejected)."""
    mal = read(borough, "truth/malformed.csv")
    mal = mal[mal.kind == "unknown_code"]
    checked = 0
    for (file, col), seed in CODE_SEEDS.items():
        codes = set(read(ROOT, f"seeds/{seed}").iloc[:, 0])
        injected = set(mal[(mal.source_file == file) & (mal.column == col)].value)
        assert not injected & codes, (file, col, injected & codes)
        checked += len(injected)
    assert checked > 0


def test_protected_characteristics_only_where_recorded(borough):
    """Sex, ethnicity and disability appear only in the systems that record them."""
    allowed = {
        "approaches": {"sex", "ethnicity"},
        "early_help_episodes": {"sex", "ethnicity"},
        "youth_offending": {"sex", "ethnicity"},
        "involvements": {"Gender", "Ethnicity", "Disability"},
        "school_census": {"Sex", "Ethnicity"},
    }
    protected = re.compile(r"^(sex|gender|ethnicity|disability)$", re.I)
    for (service, file), cols in CONTRACT.items():
        if service == "truth":
            continue
        found = {c for c in cols if protected.match(c)}
        assert found == allowed.get(file, set()), file


def test_missingness_realistic(borough):
    ct = read(borough, "raw/revenues_benefits/council_tax_accounts.csv")
    assert 0.3 < ct.DOB.isna().mean() < 0.5
    assert 0.4 < ct.NINO.isna().mean() < 0.65
    hub = read(borough, "raw/housing/money_hub_contacts.csv")
    assert 0.4 < hub.DOB.isna().mean() < 0.6
    appr = read(borough, "raw/homelessness/approaches.csv")
    assert 0.05 < appr.ethnicity.isna().mean() < 0.2


DATE_LAYOUTS = {UK: "%d/%m/%Y", ISO: "%Y-%m-%d", ISO_T: "%Y-%m-%d %H:%M:%S", ABBR: "%d-%b-%Y"}


@pytest.mark.parametrize(("service", "file"), list(FORMATS))
def test_no_dates_after_the_extract_date(borough, service, file):
    df = read(borough, f"raw/{service}/{file}.csv")
    mal = read(borough, "truth/malformed.csv")
    bad_rows = set(mal[mal.source_file == file].row_number.astype(int) - 1)
    df = df[~df.index.isin(bad_rows)]
    for col, pattern in FORMATS[(service, file)].items():
        if pattern in DATE_LAYOUTS:
            d = pd.to_datetime(df[col].dropna(), format=DATE_LAYOUTS[pattern])
            assert (d < pd.Timestamp("2026-10-01")).all(), col
            assert (d > pd.Timestamp("1900-01-01")).all(), col
