-- One row per service involvement (episode) of a resident, across the six services.

with

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}

),

final as (

    select
        cast(episode_key as varchar) as episode_key,
        cast(person_key as varchar) as person_key,
        cast(household_key as varchar) as household_key,
        cast(service as varchar) as service,
        cast(source_file as varchar) as source_file,
        cast(involvement_type as varchar) as involvement_type,
        cast(involvement_detail as varchar) as involvement_detail,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date,
        cast(status as varchar) as status,
        {%- set ended = 'coalesce(end_date, ' ~ marts_as_of_date_sql() ~ ')' %}
        cast({{ dbt.datediff('start_date', ended, 'day') }} as integer) as duration_days
    from episodes

)

select * from final
