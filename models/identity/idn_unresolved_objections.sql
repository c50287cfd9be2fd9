{#-
    idn_unresolved_objections: one row per objection whose cited record is unknown to the
    key registry (never staged in any build), so no person could be flagged. Restricted; for
    information governance to follow up (an empty table is the expected state).
-#}

with

objections as (
    select * from {{ ref('stg_governance__objections') }}
),

registry as (
    select record_key from {{ ref('idn_person_key_registry') }}
),

final as (
    select
        objections.record_key as objection_record_key,
        objections.record_id as objection_id,
        objections.service,
        objections.source_file,
        objections.processing,
        objections.received_date,
        objections.cited_record_status
    from objections
    left join registry on objections.cited_record_key = registry.record_key
    where registry.record_key is null
)

select * from final
