-- One row per in-scope person_key (no objection to all analytics): age and age band at the
-- extract date from the date of birth most of their records hold (which goes no further),
-- sex, ward and LSOA of the household, the services that know them, first and last seen,
-- open involvements, objections. Protected characteristics are int_residents__equalities'.

{%- set as_of = marts_as_of_date_sql() %}

with

persons as (

    select * from {{ ref('int_persons__keyed') }}
    where not objects_all_analytics

),

records as (

    select * from {{ ref('int_records__keyed') }}

),

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}

),

events as (

    select * from {{ ref('int_service_events__unioned') }}

),

located as (

    select * from {{ ref('int_households__located') }}

),

attributes as (

    {{ single_view_person_attributes() }}

),

person_attributes as (

    select
        records.person_key,
        attributes.date_of_birth,
        attributes.sex,
        attributes.sex_from_title
    from attributes
    inner join records
        on attributes.record_key = records.record_key

),

dates_of_birth as (

    {{ person_dates_of_birth_ranked('person_attributes') }}

),

sexes as (

    {{ person_sexes_ranked('person_attributes') }}

),

services as (

    select
        person_key,
        {%- for service in single_view_services() %}
        {{ dbt.bool_or("service = '" ~ service ~ "'") }} as known_to_{{ service }},
        {%- endfor %}
        count(distinct service) as services_known
    from records
    group by person_key

),

seen as (

    select
        person_key,
        min(event_date) as first_seen,
        max(event_date) as last_seen
    from events
    group by person_key

),

open_involvements as (

    select
        person_key,
        count(*) as open_involvements
    from episodes
    where status = 'open'
    group by person_key

),

final as (

    select
        persons.person_key,
        case when persons.household_in_scope then persons.household_key end as household_key,
        case when persons.household_in_scope then persons.household_id end as household_id,
        {{ age_in_years('dates_of_birth.date_of_birth', as_of) }} as age_years,
        {{ age_band(age_in_years('dates_of_birth.date_of_birth', as_of)) }} as age_band,
        -- month of birth as a month index, for month-by-month household composition only
        {{ month_index('dates_of_birth.date_of_birth') }} as birth_month_index,
        sexes.sex,
        located.ward_code,
        located.lsoa_code,
        {%- for service in single_view_services() %}
        coalesce(services.known_to_{{ service }}, false) as known_to_{{ service }},
        {%- endfor %}
        coalesce(services.services_known, 0) as services_known,
        seen.first_seen,
        seen.last_seen,
        coalesce(open_involvements.open_involvements, 0) as open_involvements,
        persons.objects_predictive_analytics
    from persons
    -- dates_of_birth is read through age_in_years() above
    left join dates_of_birth  -- noqa: ST11
        on persons.person_key = dates_of_birth.person_key and dates_of_birth.dob_rank = 1
    left join sexes
        on persons.person_key = sexes.person_key and sexes.sex_rank = 1
    left join services
        on persons.person_key = services.person_key
    left join seen
        on persons.person_key = seen.person_key
    left join open_involvements
        on persons.person_key = open_involvements.person_key
    left join located
        on persons.household_key = located.household_key

)

select * from final
