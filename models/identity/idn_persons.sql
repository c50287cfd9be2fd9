{#-
    idn_persons: one row per current person_key: the consensus of their records' details
    (the date of birth and sex most of their records hold, ties: the earliest / smallest),
    their household, and what linked them. Restricted (identity schema): holds the date of
    birth; the rest of the warehouse reads idn_record_keys instead.
-#}

with

records as (
    select * from {{ ref('idn_match_records') }}
    where record_status = 'staged'
),

registry as (
    select
        record_key,
        person_key,
        first_seen
    from {{ ref('idn_person_key_registry') }}
),

households as (
    select * from {{ ref('idn_person_households') }}
),

keyed as (
    select
        records.*,
        registry.person_key,
        registry.first_seen
    from records
    inner join registry on records.record_key = registry.record_key
),

dobs as (
    select
        person_key,
        date_of_birth,
        row_number() over (
            partition by person_key order by count(*) desc, date_of_birth
        ) as rank_in_person
    from keyed
    where date_of_birth is not null
    group by person_key, date_of_birth
),

sexes as (
    select
        person_key,
        sex,
        row_number() over (partition by person_key order by count(*) desc, sex) as rank_in_person
    from keyed
    where sex is not null
    group by person_key, sex
),

summary as (
    select
        person_key,
        count(*) as records,
        count(distinct service) as services,
        min(first_seen) as first_seen
    from keyed
    group by person_key
),

final as (
    select
        summary.person_key,
        households.household_key,
        households.household_source,
        dobs.date_of_birth,
        sexes.sex,
        summary.records,
        summary.services,
        summary.first_seen
    from summary
    left join dobs on summary.person_key = dobs.person_key and dobs.rank_in_person = 1
    left join sexes on summary.person_key = sexes.person_key and sexes.rank_in_person = 1
    left join households on summary.person_key = households.person_key
)

select * from final
