-- One row per resident (person_key): the single view of a person, without identifiers.

with

residents as (

    select * from {{ ref('int_residents__profiled') }}

),

final as (

    select
        cast(person_key as varchar) as person_key,
        cast(household_key as varchar) as household_key,
        cast(age_band as varchar) as age_band,
        cast(sex as varchar) as sex,
        cast(ward_code as varchar) as ward_code,
        cast(lsoa_code as varchar) as lsoa_code,
        {%- for service in single_view_services() %}
        cast(known_to_{{ service }} as boolean) as known_to_{{ service }},
        {%- endfor %}
        cast(services_known as integer) as services_known,
        cast(first_seen as date) as first_seen,
        cast(last_seen as date) as last_seen,
        cast(open_involvements as integer) as open_involvements,
        cast(objects_predictive_analytics as boolean) as predictive_objection
    from residents

)

select * from final
