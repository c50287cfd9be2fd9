-- One row per dated event of a resident with the council, numbered in time order per person.

with

events as (

    select * from {{ ref('int_service_events__unioned') }}

),

sequenced as (

    select
        person_key,
        event_date,
        service,
        event_type,
        detail,
        row_number() over (
            partition by person_key
            order by event_date, service, event_type, record_key
        ) as event_seq
    from events

),

final as (

    select
        cast(person_key as varchar) as person_key,
        cast(event_date as date) as event_date,
        cast(event_seq as integer) as event_seq,
        cast(service as varchar) as service,
        cast(event_type as varchar) as event_type,
        cast(detail as varchar) as detail
    from sequenced

)

select * from final
