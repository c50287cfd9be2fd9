"""Pupils with attendance below 90% by academic year and ward (partner aggregate).

Reads the true counts (int_school_attendance_concerns_by_ward__counted: schema intermediate,
private to group shared) and publishes them through insight_hub.gate.disclosure.protect():
counts 1..threshold-1 suppressed (primary), more cells suppressed until the attacker's LP audit
shows that none can be narrowed to fewer than `threshold` possible values (secondary),
optionally every count rounded. A suppressed count is NULL with `pupils_low_attendance_status`
= 'c' (the GSS symbol for confidential). Threshold and rounding: dbt vars disclosure_threshold
(default 10) and disclosure_rounding (default none), through the model's config
(_shared__models.yml). The gate re-audits the table with its suite,
expectations/suites/shared/shared_school_attendance_concerns_by_ward.yml.
"""

import pyarrow as pa

from insight_hub.gate.partner import disclosure_rule, publish_counts

DIMENSIONS = ["academic_year", "ward_code"]
COUNT = "pupils_low_attendance"
SCHEMA = pa.schema(
    [
        ("academic_year", pa.string()),
        ("ward_code", pa.string()),
        (COUNT, pa.int64()),
        (COUNT + "_status", pa.string()),
    ]
)


def model(dbt, session):
    # dbt sees refs and config keys only as literal calls in the model file itself.
    rule = disclosure_rule(
        dbt.config.get("disclosure_threshold"), dbt.config.get("disclosure_rounding")
    )
    counts = dbt.ref("int_school_attendance_concerns_by_ward__counted")
    return publish_counts(counts, rule, DIMENSIONS, COUNT, SCHEMA)
