-- One row per pupil (person_key) per school term with attendance returns: sessions possible,
-- absence sessions (reasons the DfE code list marks as absence), the attendance rate, and the
-- month at whose end the term is over (staging's term end date) with the next such month.

with

records as (

    select * from {{ ref('int_records__keyed') }}

),

attendance as (

    select * from {{ ref('stg_education__attendance') }}

),

codes as (

    select * from {{ ref('dfe_attendance_codes') }}

),

census as (

    select * from {{ ref('stg_education__school_census') }}

),

-- a pupil's person for returns whose term has no census record: the person most of the
-- UPN's census records were linked to (the UPN stays inside this model's query)
pupils as (

    select
        upn_ref,
        person_key,
        household_key,
        household_id,
        row_number()
            over (partition by upn_ref order by n_records desc, person_key asc)
            as pupil_rank
    from (
        select
            census.person_source_id as upn_ref,
            records.person_key,
            records.household_key,
            records.household_id,
            count(*) as n_records
        from census
        inner join records
            on census.record_key = records.record_key
        group by
            census.person_source_id, records.person_key, records.household_key, records.household_id
    ) as pupil_persons

),

-- one row per UPN and term
returns as (

    select
        attendance.parent_record_key,
        attendance.upn_ref,
        attendance.census_term,
        max(attendance.term_end_date) as term_end_date,
        max(attendance.sessions_possible) as sessions_possible,
        sum(case when codes.is_absence then attendance.sessions else 0 end) as sessions_absent
    from attendance
    left join codes
        on attendance.absence_code = codes.code
    group by attendance.parent_record_key, attendance.upn_ref, attendance.census_term

),

keyed as (

    select
        returns.census_term,
        returns.term_end_date,
        returns.sessions_possible,
        returns.sessions_absent,
        coalesce(census_records.person_key, pupils.person_key) as person_key,
        coalesce(census_records.household_key, pupils.household_key) as household_key,
        coalesce(census_records.household_id, pupils.household_id) as household_id
    from returns
    left join records as census_records
        on returns.parent_record_key = census_records.record_key
    left join pupils
        on returns.upn_ref = pupils.upn_ref and pupils.pupil_rank = 1

),

-- a person with two UPNs (a duplicate record) keeps the fuller return of the term
per_person as (

    select
        person_key,
        census_term as term,
        max(household_key) as household_key,
        max(household_id) as household_id,
        {{ month_index('max(term_end_date)') }} as completed_month_index,
        max(sessions_possible) as sessions_possible,
        max(sessions_absent) as sessions_absent
    from keyed
    where person_key is not null
    group by person_key, census_term

),

final as (

    select
        person_key,
        household_key,
        household_id,
        term,
        completed_month_index,
        sessions_possible,
        sessions_absent,
        lead(completed_month_index) over (
            partition by person_key order by completed_month_index
        ) as next_completed_month_index,
        case
            when sessions_possible > 0
                then 1.0 - cast(sessions_absent as double) / sessions_possible
        end as attendance_rate,
        coalesce(
            sessions_possible > 0
            and 1.0 - cast(sessions_absent as double) / sessions_possible < 0.9,
            false
        ) as low_attendance
    from per_person

)

select * from final
