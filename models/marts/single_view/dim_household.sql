-- One row per household (household_key): where it is, who lives there, which services know it.

with

households as (

    select * from {{ ref('int_households__profiled') }}

),

final as (

    select
        cast(household_key as varchar) as household_key,
        cast(ward_code as varchar) as ward_code,
        cast(lsoa_code as varchar) as lsoa_code,
        cast(household_size as integer) as household_size,
        cast(adults as integer) as adults,
        cast(children as integer) as children,
        cast(over_65s as integer) as over_65s,
        cast(tenure as varchar) as tenure,
        {%- for service in single_view_services() %}
        cast(involved_with_{{ service }} as boolean) as involved_with_{{ service }},
        {%- endfor %}
        cast(services_involved as integer) as services_involved,
        cast(open_involvements as integer) as open_involvements,
        cast(first_seen as date) as first_seen,
        cast(predictive_objection as boolean) as predictive_objection
    from households

)

select * from final
