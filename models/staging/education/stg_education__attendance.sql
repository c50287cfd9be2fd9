{#- Staged education/attendance:
    one row per pupil per term per absence reason. -#}
with

base as (
    select *
    from {{ ref('base_education__attendance') }}
    where staging_status = 'staged'
),

parent_keys as (
    {#- one keyed hash per parent record, not one per fact row -#}
    select
        census_record_id,
        {{ record_key('education', 'school_census', 'census_record_id') }}
            as parent_record_key
    from (select distinct census_record_id from base) as parents
)

select
    base.record_id,
    {{ record_key('education', 'attendance', 'base.record_id') }} as record_key,
    parent_keys.parent_record_key,
    base.upn_ref,
    base.census_term,
    base.term_start_date,
    base.term_end_date,
    base.sessions_possible,
    base.absence_code,
    base.sessions
from base
left join parent_keys on base.census_record_id = parent_keys.census_record_id
