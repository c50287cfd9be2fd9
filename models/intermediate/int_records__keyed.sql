-- One row per source record (record_key) of a person who did not object to all analytics,
-- with the person_key and household_key linkage gave it. household_key is NULL when a member
-- of the household objected to all analytics, so no household-level model counts it.

with

record_keys as (

    select * from {{ ref('idn_record_keys') }}

),

persons as (

    select * from {{ ref('int_persons__keyed') }}

),

final as (

    select
        record_keys.record_key,
        record_keys.service,
        record_keys.source_file,
        persons.person_key,
        case when persons.household_in_scope then persons.household_key end as household_key,
        case when persons.household_in_scope then persons.household_id end as household_id
    from record_keys
    inner join persons
        on record_keys.person_key = persons.person_key
    where not persons.objects_all_analytics

)

select * from final
