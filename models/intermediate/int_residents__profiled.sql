-- One row per in-scope person_key (no objection to all analytics): age and age band at the
-- extract date from the date of birth most of their records hold (which goes no further),
-- sex, ward and LSOA of the household, protected characteristics (for dim_resident_protected
-- only), the services that know them, first and last seen, open involvements, objections.

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

ethnic_groups as (

    select * from {{ ref('ethnicity_ons18') }}

),

attributes as (

    {{ single_view_person_attributes() }}

),

person_attributes as (

    select
        records.person_key,
        attributes.date_of_birth,
        attributes.sex,
        attributes.sex_from_title,
        attributes.ethnicity_ons18_code,
        attributes.has_disability,
        coalesce(episodes.end_date, episodes.start_date) as record_date
    from attributes
    inner join records
        on attributes.record_key = records.record_key
    left join episodes
        on attributes.record_key = episodes.record_key

),

dates_of_birth as (

    select
        person_key,
        date_of_birth,
        row_number() over (
            partition by person_key order by count(*) desc, date_of_birth
        ) as dob_rank
    from person_attributes
    where date_of_birth is not null
    group by person_key, date_of_birth

),

sexes as (

    -- the sex most records hold; a title counts only when no record holds a sex
    select
        person_key,
        sex,
        row_number() over (
            partition by person_key
            order by min(sex_source) asc, count(*) desc, sex asc
        ) as sex_rank
    from (
        select
            person_key,
            sex,
            1 as sex_source
        from person_attributes
        where sex in ('M', 'F')
        union all
        select
            person_key,
            sex_from_title as sex,
            2 as sex_source
        from person_attributes
        where sex_from_title is not null
    ) as held
    group by person_key, sex

),

ethnicities as (

    select
        person_attributes.person_key,
        ethnic_groups.ons5_group as ethnicity_group,
        row_number() over (
            partition by person_attributes.person_key
            order by
                person_attributes.record_date desc nulls last,
                ethnic_groups.ons5_group asc
        ) as ethnicity_rank
    from person_attributes
    inner join ethnic_groups
        on
            person_attributes.ethnicity_ons18_code
            = cast(ethnic_groups.ons18_code as {{ dbt.type_string() }})

),

disabilities as (

    select
        person_key,
        {{ dbt.bool_or('has_disability') }} as disability
    from person_attributes
    where has_disability is not null
    group by person_key

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
        sexes.sex,
        located.ward_code,
        located.lsoa_code,
        ethnicities.ethnicity_group,
        disabilities.disability,
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
    left join ethnicities
        on persons.person_key = ethnicities.person_key and ethnicities.ethnicity_rank = 1
    left join disabilities
        on persons.person_key = disabilities.person_key
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
