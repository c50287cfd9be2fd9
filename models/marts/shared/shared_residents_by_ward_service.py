"""Residents by ward and partner service: a partner aggregate under disclosure control.

Reads the true counts (int_residents_by_ward_service__counted: schema intermediate, private to
group shared) and publishes them through insight_hub.gate.disclosure.protect(): counts
1..threshold-1 suppressed (primary), more cells suppressed until the attacker's LP audit shows
that none can be narrowed to fewer than `threshold` possible values (secondary), optionally
every count rounded. A suppressed count is NULL with `residents_status` = 'c' (the GSS symbol
for confidential). Threshold and rounding: dbt vars disclosure_threshold (default 10) and
disclosure_rounding (default none), through the model's config (_shared__models.yml). The gate
re-audits the table with its suite,
expectations/suites/shared/shared_residents_by_ward_service.yml.
"""

import pyarrow as pa

from insight_hub.gate.partner import disclosure_rule, publish_counts

DIMENSIONS = ["ward_code", "service"]
COUNT = "residents"
SCHEMA = pa.schema(
    [
        ("ward_code", pa.string()),
        ("service", pa.string()),
        (COUNT, pa.int64()),
        (COUNT + "_status", pa.string()),
    ]
)


def model(dbt, session):
    # dbt sees refs and config keys only as literal calls in the model file itself.
    rule = disclosure_rule(
        dbt.config.get("disclosure_threshold"), dbt.config.get("disclosure_rounding")
    )
    counts = dbt.ref("int_residents_by_ward_service__counted")
    return publish_counts(counts, rule, DIMENSIONS, COUNT, SCHEMA)
