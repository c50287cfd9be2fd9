-- One row per involvement of an in-scope person with the services partner_reporting may
-- count (homelessness approaches, temporary accommodation, early help, MASH contacts, adult
-- social care): its type, start and end, exactly as int_service_episodes__unioned makes them
-- (same extract list: macros/marts/service_involvement_extracts.sql), but reading only those
-- five extracts and the identity layer's keys.

{%- set partner_types = [
    'homelessness_approach',
    'temporary_accommodation',
    'early_help',
    'mash_contact',
    'adult_social_care',
] %}

with

records as (

    select * from {{ ref('int_records__keyed') }}

),

involvements as (

    {%- for service, model, involvement_type, detail, start_expr, end_expr, point
        in service_involvement_extracts() if involvement_type in partner_types %}
    {%- if not loop.first %}

    union all
    {% endif %}

    select
        record_key,
        '{{ involvement_type }}' as involvement_type,
        cast({{ start_expr }} as date) as start_date,
        cast({{ end_expr }} as date) as end_date
    from {{ ref(model) }}
    {%- endfor %}

),

final as (

    select
        involvements.record_key,
        records.person_key,
        involvements.involvement_type,
        involvements.start_date,
        involvements.end_date
    from involvements
    inner join records
        on involvements.record_key = records.record_key

)

select * from final
