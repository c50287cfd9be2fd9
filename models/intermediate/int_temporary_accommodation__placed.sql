-- One row per temporary accommodation placement (record_key) of a person who did not object to
-- all analytics: its start date, the household linkage gave it, and whether a member of that
-- household objected to predictive analytics. Reads only the temporary accommodation extract
-- and the identity layer's keys (via int_records__keyed), so demand_planning can count
-- placements without reaching the other services the unioned episodes read.

with

placements as (

    select * from {{ ref('stg_housing__temporary_accommodation') }}

),

records as (

    select * from {{ ref('int_records__keyed') }}

),

persons as (

    select * from {{ ref('int_persons__keyed') }}

),

final as (

    select
        placements.record_key,
        records.person_key,
        records.household_key,
        cast(placements.placement_start as date) as start_date,
        coalesce(persons.household_predictive_objection, false) as predictive_objection
    from placements
    inner join records
        on placements.record_key = records.record_key
    left join persons
        on
            records.household_key = persons.household_key
            and records.person_key = persons.person_key

)

select * from final
