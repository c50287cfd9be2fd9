-- One row per resident (person_key): protected characteristics, for bias monitoring only.

with

residents as (

    select * from {{ ref('int_residents__profiled') }}

),

final as (

    select
        cast(person_key as varchar) as person_key,
        cast(ethnicity_group as varchar) as ethnicity_group,
        cast(disability as boolean) as disability
    from residents

)

select * from final
