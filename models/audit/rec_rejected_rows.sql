{#-
    One row per rejected raw row, over every extract: where it is (extract, raw row number)
    and why (the first rule it breaks). No identifiers: staff with access to the raw files
    find the row by its number.
-#}
with

rejected as (
    {%- for extract in staging_extracts() %}
    select
        '{{ extract.service }}' as service,
        '{{ extract.source_file }}' as source_file,
        raw_row_number,
        rejection_reason
    from {{ ref(staging_model_name(extract, 'base')) }}
    where staging_status = 'rejected'
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    service,
    source_file,
    {{ dbt.concat(['service', "'/'", 'source_file']) }} as extract_id,
    raw_row_number,
    rejection_reason,
    {{ dbt.split_part('rejection_reason', "': '", 1) }} as rejection_rule,
    {{ dbt.split_part('rejection_reason', "': '", 2) }} as rejection_columns
from rejected
