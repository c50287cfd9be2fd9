-- One row per dated event of an in-scope person, on or before the extract date: each
-- involvement's start and end, and the dated facts of the extracts that do not name a person
-- (tenancy notices, council tax recovery stages, benefit changes, school suspensions and
-- exclusions), reached through the record they belong to (parent_record_key).

{%- set as_of = marts_as_of_date_sql() %}

with

records as (

    select * from {{ ref('int_records__keyed') }}

),

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}

),

notices as (

    select * from {{ ref('stg_housing__tenancy_notices') }}

),

ct_arrears as (

    select * from {{ ref('stg_revenues_benefits__council_tax_arrears') }}

),

benefit_claims as (

    select * from {{ ref('stg_revenues_benefits__benefit_claims') }}

),

exclusions as (

    select * from {{ ref('stg_education__exclusions') }}

),

census as (

    select * from {{ ref('stg_education__school_census') }}

),

-- a pupil's person, for exclusions whose term has no census return: the person most of the
-- UPN's census records were linked to (the UPN itself stays in this CTE)
pupils as (

    select
        upn_ref,
        record_key,
        row_number() over (
            partition by upn_ref
            order by n_records desc, record_key asc
        ) as pupil_rank
    from (
        select
            census.person_source_id as upn_ref,
            records.person_key,
            min(records.record_key) as record_key,
            count(*) as n_records
        from census
        inner join records
            on census.record_key = records.record_key
        group by census.person_source_id, records.person_key
    ) as pupil_persons

),

episode_events as (

    select
        record_key,
        service,
        start_date as event_date,
        case
            when is_point_event then involvement_type
            else involvement_type || '_started'
        end as event_type,
        involvement_detail as detail
    from episodes
    where start_date is not null

    union all

    select
        record_key,
        service,
        end_date as event_date,
        involvement_type || '_ended' as event_type,
        involvement_detail as detail
    from episodes
    where not is_point_event and end_date is not null

),

fact_events as (

    select
        parent_record_key as parent_key,
        record_key,
        'housing' as service,
        'tenancy_notices' as source_file,
        cast(served_date as date) as event_date,
        'tenancy_notice_served' as event_type,
        notice_type as detail
    from notices

    union all

    -- the first month an account's arrears reached each recovery stage
    select
        parent_record_key as parent_key,
        min(record_key) as record_key,
        'revenues_benefits' as service,
        'council_tax_arrears' as source_file,
        cast(min(period_month) as date) as event_date,
        'council_tax_recovery_stage' as event_type,
        recovery_stage as detail
    from ct_arrears
    where recovery_stage is not null
    group by parent_record_key, recovery_stage

    union all

    select
        record_key as parent_key,
        record_key,
        'revenues_benefits' as service,
        'benefit_claims' as source_file,
        cast(last_change_date as date) as event_date,
        'benefit_change' as event_type,
        last_change_type as detail
    from benefit_claims
    where last_change_date is not null and last_change_type <> 'new claim'

    union all

    select
        coalesce(census_records.record_key, pupils.record_key) as parent_key,
        exclusions.record_key,
        'education' as service,
        'exclusions' as source_file,
        cast(exclusions.start_date as date) as event_date,
        case
            when exclusions.category = 'PERM' then 'permanent_exclusion'
            else 'school_suspension'
        end as event_type,
        exclusions.reason_code as detail
    from exclusions
    left join records as census_records
        on exclusions.parent_record_key = census_records.record_key
    left join pupils
        on exclusions.upn_ref = pupils.upn_ref and pupils.pupil_rank = 1

),

keyed as (

    select
        episode_events.record_key,
        records.person_key,
        records.household_key,
        records.household_id,
        episode_events.service,
        records.source_file,
        episode_events.event_date,
        episode_events.event_type,
        episode_events.detail
    from episode_events
    inner join records
        on episode_events.record_key = records.record_key

    union all

    select
        fact_events.record_key,
        records.person_key,
        records.household_key,
        records.household_id,
        fact_events.service,
        fact_events.source_file,
        fact_events.event_date,
        fact_events.event_type,
        fact_events.detail
    from fact_events
    inner join records
        on fact_events.parent_key = records.record_key

),

final as (

    select
        record_key,
        person_key,
        household_key,
        household_id,
        service,
        source_file,
        event_date,
        event_type,
        cast(detail as {{ dbt.type_string() }}) as detail
    from keyed
    where event_date is not null and event_date <= {{ as_of }}

)

select * from final
