-- TRUE, UNSUPPRESSED counts (schema intermediate, access private): read only by
-- shared_school_attendance_concerns_by_ward, which suppresses them. Never published.
--
-- One row per academic year (academic_year, e.g. `2024/25`) and ward (ward_code; `unknown`
-- when the pupil has none), with each year's borough total as the row whose ward_code is
-- NULL. `pupils_low_attendance` counts pupils whose attendance over the year's terms with
-- returns (sessions attended over sessions possible, the absence codes of the DfE list) was
-- below 90%. Autumn terms open an academic year, Spring and Summer close it; only years with
-- returns for all three terms count. Ward is the pupil's in dim_resident (at the extract
-- date). No split by sex: the single view's sex draws on extracts the partner_reporting
-- purpose may not use.

{%- set seasons = {'Autumn': 0, 'Spring': 1, 'Summer': 1} %}

with

attendance as (

    select * from {{ ref('int_attendance__termly') }}

),

residents as (

    select * from {{ ref('dim_resident') }}

),

wards as (

    select * from {{ ref('wards') }}

),

termly as (

    select
        person_key,
        {{ dbt.split_part('term', "' '", 2) }} as season,
        sessions_possible,
        sessions_absent,
        cast({{ dbt.split_part('term', "' '", 1) }} as integer)
        - case {{ dbt.split_part('term', "' '", 2) }}
            {%- for season, offset in seasons.items() %}
            when '{{ season }}' then {{ offset }}
            {%- endfor %}
        end as year_start
    from attendance

),

complete_years as (

    select year_start
    from termly
    where year_start is not null
    group by year_start
    having count(distinct season) = {{ seasons | length }}

),

yearly as (

    select
        termly.person_key,
        termly.year_start,
        sum(termly.sessions_possible) as sessions_possible,
        sum(termly.sessions_absent) as sessions_absent
    from termly
    inner join complete_years
        on termly.year_start = complete_years.year_start
    group by termly.person_key, termly.year_start

),

low_attendance as (

    select
        yearly.person_key,
        yearly.year_start,
        coalesce(residents.ward_code, 'unknown') as ward_code
    from yearly
    inner join residents
        on yearly.person_key = residents.person_key
    where
        yearly.sessions_possible > 0
        and 1.0 - cast(yearly.sessions_absent as double) / yearly.sessions_possible < 0.9

),

ward_spine as (

    select ward_code from wards
    union
    select ward_code from low_attendance

),

cells as (

    select
        complete_years.year_start,
        ward_spine.ward_code,
        count(low_attendance.person_key) as pupils_low_attendance
    from complete_years
    cross join ward_spine
    left join low_attendance
        on
            complete_years.year_start = low_attendance.year_start
            and ward_spine.ward_code = low_attendance.ward_code
    group by complete_years.year_start, ward_spine.ward_code

),

final as (

    select
        cast(
            {{ dbt.concat([
                dbt.cast('year_start', dbt.type_string()),
                "'/'",
                dbt.right(dbt.cast('year_start + 1', dbt.type_string()), '2'),
            ]) }} as varchar
        ) as academic_year,
        cast(ward_code as varchar) as ward_code,
        cast(sum(pupils_low_attendance) as bigint) as pupils_low_attendance
    from cells
    group by year_start, rollup(ward_code)

)

select * from final
