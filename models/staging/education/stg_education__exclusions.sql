{#- Staged education/exclusions:
    one row per suspension or permanent exclusion. -#}
with

base as (
    select *
    from {{ ref('base_education__exclusions') }}
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
    {{ record_key('education', 'exclusions', 'base.record_id') }} as record_key,
    parent_keys.parent_record_key,
    base.upn_ref,
    base.school_urn,
    base.start_date,
    base.category,
    base.reason_code,
    base.sessions
from base
left join parent_keys on base.census_record_id = parent_keys.census_record_id
