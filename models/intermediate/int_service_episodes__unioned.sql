-- One row per involvement of an in-scope person: each record of a person-bearing extract,
-- except the school census, whose termly returns become one enrolment per pupil and school
-- (from the first term's start to the last term's end; open when the pupil was on roll at
-- the latest census in the extract). With its type, the service's own category (never an
-- identifier or free text), start, end and status at the extract date. One-day contacts
-- start and end on the same day.

{%- set as_of = marts_as_of_date_sql() %}
{#- the extracts, their involvement types and columns:
    macros/marts/service_involvement_extracts.sql -#}
{%- set involvements = service_involvement_extracts() %}

with

records as (

    select * from {{ ref('int_records__keyed') }}

),

involvements as (

    {%- for service, model, involvement_type, detail, start_expr, end_expr, point in involvements %}
    {%- if not loop.first %}

    union all
    {% endif %}

    select
        record_key,
        '{{ service }}' as service,
        '{{ involvement_type }}' as involvement_type,
        cast({{ detail }} as {{ dbt.type_string() }}) as involvement_detail,
        cast({{ start_expr }} as date) as start_date,
        cast({{ end_expr }} as date) as end_date,
        {{ 'true' if point else 'false' }} as is_point_event
    from {{ ref(model) }}
    {%- endfor %}

),

census_returns as (

    select
        school_census.record_key,
        school_census.school_urn,
        school_census.term_start_date,
        school_census.term_end_date,
        records.person_key
    from {{ ref('stg_education__school_census') }} as school_census
    inner join records
        on school_census.record_key = records.record_key

),

enrolments as (

    -- keyed by one of its returns (the smallest record_key), hashed to episode_key below
    select
        min(record_key) as record_key,
        'education' as service,
        'school_enrolment' as involvement_type,
        cast(count(*) as {{ dbt.type_string() }}) || ' census terms' as involvement_detail,
        cast(min(term_start_date) as date) as start_date,
        case
            when
                max(term_end_date)
                < (select max(latest.term_end_date) from census_returns as latest)
                then cast(max(term_end_date) as date)
        end as end_date,
        false as is_point_event
    from census_returns
    group by person_key, school_urn

),

all_involvements as (

    select * from involvements
    union all
    select * from enrolments

),

final as (

    select
        {{ single_view_key('involvements.record_key') }} as episode_key,
        involvements.record_key,
        records.person_key,
        records.household_key,
        records.household_id,
        involvements.service,
        records.source_file,
        involvements.involvement_type,
        involvements.involvement_detail,
        involvements.start_date,
        involvements.end_date,
        case
            when involvements.is_point_event then 'closed'
            when involvements.end_date is null or involvements.end_date >= {{ as_of }} then 'open'
            else 'closed'
        end as status,
        involvements.is_point_event
    from all_involvements as involvements
    inner join records
        on involvements.record_key = records.record_key

)

select * from final
