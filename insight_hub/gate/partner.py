"""What every partner-aggregate dbt Python model does: protect true counts, then publish them."""

from __future__ import annotations

import pyarrow as pa

from insight_hub.gate.disclosure import DisclosureRule, protect


def disclosure_rule(threshold, rounding) -> DisclosureRule:
    """The rule from the model's config (Jinja renders vars as text; none means no rounding)."""
    rounding = str(rounding if rounding is not None else "").strip().lower()
    return DisclosureRule(
        threshold=int(threshold or 10),
        rounding=None if rounding in ("", "none", "null", "0") else int(rounding),
    )


def publish_counts(relation, rule: DisclosureRule, dimensions, count: str, schema: pa.Schema):
    """Suppress the true counts in `relation` (primary + secondary); the published table."""
    counts = relation.to_arrow_table().to_pandas(date_as_object=True)
    published = protect(counts, dimensions, [count], rule=rule, add_margins=False).frame
    published = published.sort_values(dimensions, na_position="last", kind="stable")
    return pa.Table.from_pandas(published, schema=schema, preserve_index=False)
