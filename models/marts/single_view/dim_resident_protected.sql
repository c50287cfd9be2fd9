-- One row per resident (person_key): protected characteristics, for bias monitoring only,
-- from the extracts the bias_monitoring purpose may use (int_residents__equalities).

with

residents as (

    select * from {{ ref('int_residents__equalities') }}

),

final as (

    select
        cast(person_key as varchar) as person_key,
        cast(age_band as varchar) as age_band,
        cast(sex as varchar) as sex,
        cast(ethnicity_group as varchar) as ethnicity_group,
        cast(disability as boolean) as disability
    from residents

)

select * from final
