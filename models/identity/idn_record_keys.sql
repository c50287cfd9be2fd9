{#-
    idn_record_keys: one row per current source person record (record_key), with the person
    and household linkage gave it. Published: the map the rest of the warehouse joins service
    facts through; no direct identifiers (docs/layers.md, "Identity -> intermediate").
-#}

with

records as (
    select
        record_key,
        service,
        source_file
    from {{ ref('idn_match_records') }}
    where record_status = 'staged'
),

registry as (
    select
        record_key,
        person_key
    from {{ ref('idn_person_key_registry') }}
),

households as (
    select
        person_key,
        household_key
    from {{ ref('idn_person_households') }}
),

final as (
    select
        records.record_key,
        records.service,
        records.source_file,
        registry.person_key,
        households.household_key
    from records
    inner join registry on records.record_key = registry.record_key
    left join households on registry.person_key = households.person_key
)

select * from final
