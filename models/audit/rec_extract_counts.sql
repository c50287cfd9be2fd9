{#-
    Reconciliation: one row per extract. Every raw row ends in exactly one place: staged (the
    stg_ model), rejected (audit.rec_rejected_rows) or expired by retention. raw_rows is
    counted from the file itself, the others from where the rows ended, so the data test
    raw_rows_accounted_for proves raw = staged + rejected + expired for every extract.
-#}
with

{%- for extract in staging_extracts() %}
{%- set name = extract.service ~ '__' ~ extract.source_file %}

counts__{{ name }} as (
    select
        '{{ extract.service }}' as service,
        '{{ extract.source_file }}' as source_file,
        (select count(*) from {{ source(extract.service, extract.source_file) }}) as raw_rows,
        (select count(*) from {{ ref(staging_model_name(extract)) }}) as staged_rows,
        (
            select count(*) from {{ ref('rec_rejected_rows') }}
            where service = '{{ extract.service }}' and source_file = '{{ extract.source_file }}'
        ) as rejected_rows,
        (
            select count(*) from {{ ref(staging_model_name(extract, 'base')) }}
            where staging_status = 'expired'
        ) as expired_rows
),
{%- endfor %}

counts as (
    {%- for extract in staging_extracts() %}
    select * from counts__{{ extract.service ~ '__' ~ extract.source_file }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select
    service,
    source_file,
    {{ dbt.concat(['service', "'/'", 'source_file']) }} as extract_id,
    raw_rows,
    staged_rows,
    rejected_rows,
    expired_rows,
    raw_rows - staged_rows - rejected_rows - expired_rows as unaccounted_rows,
    cast('{{ var("as_of_date") }}' as date) as as_of_date
from counts
