{#-
    Staged objections register: one row per objection to processing.

    An objection cites one record of one extract, by that extract's record id or, for the
    systems with their own person ids (children's social care child id, Mosaic PersonID,
    UPN), by the person id. It is resolved against every raw row of that extract (the base_
    models), staged rows first:
      - a row whose record_id is the cited id: that record;
      - else the rows whose person_source_id is the cited id: the person's first record
        (any one record links the whole person in the identity layer);
      - else nothing (an unknown id).
    cited_record_key is the record_key of that record, computed as the record's own model
    computes it; cited_record_status says whether the record is staged (the identity layer
    maps the key to the person) or was rejected or expired (it maps to no one).
-#}
with

objections as (
    select *
    from {{ ref('base_governance__objections') }}
    where staging_status = 'staged'
),

records as (
    {%- for extract in staging_extracts() if extract.person %}
    select
        '{{ extract.service }}' as service,
        '{{ extract.source_file }}' as source_file,
        record_id,
        {{ 'person_source_id' if extract.person_id else null_string() }} as person_source_id,
        staging_status
    from {{ ref(staging_model_name(extract, 'base')) }}
    where record_id is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

candidates as (
    {#- two equi-joins (an OR in one join condition would compare every pair) -#}
    select
        objections.record_id as objection_id,
        records.record_id as cited_record_id,
        records.staging_status as cited_record_status,
        'record_id' as cited_id_kind,
        0 as kind_rank
    from objections
    inner join records
        on
            objections.service = records.service
            and objections.source_file = records.source_file
            and objections.cited_id = records.record_id
    union all
    select
        objections.record_id as objection_id,
        records.record_id as cited_record_id,
        records.staging_status as cited_record_status,
        'person_source_id' as cited_id_kind,
        1 as kind_rank
    from objections
    inner join records
        on
            objections.service = records.service
            and objections.source_file = records.source_file
            and objections.cited_id = records.person_source_id
),

matches as (
    select
        *,
        row_number() over (
            partition by objection_id
            order by
                kind_rank,
                case cited_record_status when 'staged' then 0 when 'expired' then 1 else 2 end,
                cited_record_id
        ) as match_rank
    from candidates
),

resolved as (
    select
        objections.*,
        matches.cited_id_kind,
        coalesce(matches.cited_record_status, 'not found') as cited_record_status,
        coalesce(matches.cited_record_id, objections.cited_id) as cited_record_id
    from objections
    left join matches
        on
            objections.record_id = matches.objection_id
            and matches.match_rank = 1
)

select
    record_id,
    {{ record_key('governance', 'objections', 'record_id') }} as record_key,
    received_date,
    service,
    source_file,
    processing,
    cited_id,
    cited_id_kind,
    cited_record_status,
    {{ record_key_from_columns('service', 'source_file', 'cited_record_id') }} as cited_record_key
from resolved
