-- One row per in-scope household_key (no member objected to all analytics): location,
-- composition at the extract date, tenure at the extract date, services involved with any
-- member, open involvements, first seen, predictive objections.

{%- set as_of = marts_as_of_date_sql() %}

with

residents as (

    select * from {{ ref('int_residents__profiled') }}
    where household_key is not null

),

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}
    where household_key is not null

),

located as (

    select * from {{ ref('int_households__located') }}

),

composition as (

    select
        household_key,
        min(household_id) as household_id,
        count(*) as household_size,
        count(case when age_years < 18 then 1 end) as children,
        count(case when age_years >= 65 then 1 end) as over_65s,
        {%- for service in single_view_services() %}
        {{ dbt.bool_or('known_to_' ~ service) }} as involved_with_{{ service }},
        {%- endfor %}
        sum(open_involvements) as open_involvements,
        min(first_seen) as first_seen,
        {{ dbt.bool_or('objects_predictive_analytics') }} as predictive_objection
    from residents
    group by household_key

),

tenure_now as (

    select
        household_key,
        {{ dbt.bool_or("involvement_type = 'temporary_accommodation'") }}
            as in_temporary_accommodation,
        {{ dbt.bool_or("involvement_type = 'council_tenancy'") }} as council_tenancy
    from episodes
    where
        involvement_type in ('temporary_accommodation', 'council_tenancy')
        and start_date < {{ as_of }}
        and (end_date is null or end_date >= {{ as_of }})
    group by household_key

),

final as (

    select
        composition.household_key,
        composition.household_id,
        located.ward_code,
        located.lsoa_code,
        composition.household_size,
        composition.household_size - composition.children as adults,
        composition.children,
        composition.over_65s,
        case
            when tenure_now.in_temporary_accommodation then 'temporary'
            when tenure_now.council_tenancy then 'council'
            else 'other'
        end as tenure,
        {%- for service in single_view_services() %}
        composition.involved_with_{{ service }},
        {%- endfor %}
        (
            {%- for service in single_view_services() %}
            case when composition.involved_with_{{ service }} then 1 else 0 end
            {%- if not loop.last %} +{% endif %}
            {%- endfor %}
        ) as services_involved,
        composition.open_involvements,
        composition.first_seen,
        {{ month_index('composition.first_seen') }} as first_seen_month_index,
        composition.predictive_objection
    from composition
    left join located
        on composition.household_key = located.household_key
    left join tenure_now
        on composition.household_key = tenure_now.household_key

)

select * from final
