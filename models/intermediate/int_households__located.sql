-- One row per household_key with linked records: the ward and LSOA of its property, from
-- the postcode its in-scope members' records give most often among those open at the
-- extract date or dated in the two years before it (ties: the most recent), looked up in
-- the reference postcode seed. Only borough postcodes count. The postcode stays inside this
-- model's query.

{%- set as_of = marts_as_of_date_sql() %}

with

persons as (

    select * from {{ ref('int_persons__keyed') }}
    where not objects_all_analytics and household_key is not null

),

records as (

    select * from {{ ref('int_records__keyed') }}

),

episodes as (

    select * from {{ ref('int_service_episodes__unioned') }}

),

postcodes as (

    select * from {{ ref('postcodes') }}

),

lsoas as (

    select * from {{ ref('lsoas') }}

),

attributes as (

    {{ single_view_person_attributes() }}

),

record_postcodes as (

    select
        persons.household_key,
        attributes.postcode,
        coalesce(
            case when episodes.status = 'open' then {{ as_of }} end,
            episodes.end_date,
            episodes.start_date
        ) as record_date
    from attributes
    inner join records
        on attributes.record_key = records.record_key
    inner join persons
        on records.person_key = persons.person_key
    left join episodes
        on attributes.record_key = episodes.record_key
    where attributes.postcode is not null

),

scored as (

    select
        household_key,
        postcode,
        sum(
            case
                when record_date >= {{ dbt.dateadd('month', -24, as_of) }} then 1
                else 0
            end
        ) as recent_records,
        max(record_date) as last_date
    from record_postcodes
    where postcode in (select lookup.postcode from postcodes as lookup)
    group by household_key, postcode

),

ranked as (

    select
        household_key,
        postcode,
        row_number() over (
            partition by household_key
            order by recent_records desc, last_date desc nulls last, postcode asc
        ) as postcode_rank
    from scored

),

final as (

    select
        ranked.household_key,
        lsoas.ward_code,
        postcodes.lsoa_code
    from ranked
    inner join postcodes
        on ranked.postcode = postcodes.postcode
    left join lsoas
        on postcodes.lsoa_code = lsoas.lsoa_code
    where ranked.postcode_rank = 1

)

select * from final
