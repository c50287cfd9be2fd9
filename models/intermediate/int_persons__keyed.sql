-- One row per person_key issued by the identity layer: household and objections.
-- The only intermediate model that still lists people who objected to all analytics, flagged
-- so that every model below leaves them (and, at household level, their households) out.

with

record_keys as (

    select * from {{ ref('idn_record_keys') }}

),

objections as (

    select * from {{ ref('idn_person_objections') }}

),

person_households as (

    -- A person's records carry one household_key; should linkage ever give them several,
    -- the household most of their records name wins (ties: the smallest key).
    select
        person_key,
        household_key,
        row_number() over (
            partition by person_key
            order by count(*) desc, household_key
        ) as rank_in_person
    from record_keys
    where person_key is not null
    group by person_key, household_key

),

person_objections as (

    select
        person_key,
        {{ dbt.bool_or("processing = 'all_analytics'") }} as objects_all_analytics,
        -- an objection to all analytics covers predictive analytics too
        {{ dbt.bool_or("processing in ('all_analytics', 'predictive_analytics')") }}
            as objects_predictive_analytics
    from objections
    group by person_key

),

persons as (

    select
        person_households.person_key,
        person_households.household_key,
        coalesce(person_objections.objects_all_analytics, false) as objects_all_analytics,
        coalesce(person_objections.objects_predictive_analytics, false)
            as objects_predictive_analytics
    from person_households
    left join person_objections
        on person_households.person_key = person_objections.person_key
    where person_households.rank_in_person = 1

),

household_objections as (

    select
        household_key,
        {{ dbt.bool_or('objects_all_analytics') }} as any_all_analytics,
        {{ dbt.bool_or('objects_predictive_analytics') }} as any_predictive_analytics
    from persons
    where household_key is not null
    group by household_key

),

final as (

    select
        persons.person_key,
        persons.household_key,
        -- build-local integer surrogates, for the joins of the household-month models only
        -- (never published: they change from build to build)
        cast(row_number() over (order by persons.person_key) as integer) as person_id,
        cast(
            case
                when persons.household_key is not null
                    then dense_rank() over (order by persons.household_key)
            end as integer
        ) as household_id,
        persons.objects_all_analytics,
        persons.objects_predictive_analytics,
        not coalesce(household_objections.any_all_analytics, false) as household_in_scope,
        coalesce(household_objections.any_predictive_analytics, false)
            as household_predictive_objection
    from persons
    left join household_objections
        on persons.household_key = household_objections.household_key

)

select * from final
